"""The English catalogue: switchable by the language cookie, never by the browser.

haotong is written in Simplified Chinese; English is opt-in (the switcher sets the
language cookie). ``ChineseFirstLocaleMiddleware`` ignores Accept-Language, so an
English-language browser still gets Chinese until the user chooses otherwise.
The catalogue itself must be complete, free of fuzzy entries, keep every
placeholder, and the committed .mo must be compiled from the committed .po.
"""

from __future__ import annotations

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

import haotong

LC_MESSAGES = Path(haotong.__file__).resolve().parent / "locale" / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"

# %(name)s, %(size).1f, %s, %d, {{ var }}
PLACEHOLDER = re.compile(r"%\(\w+\)[-+ #0-9.]*[sdfiox]|%[sdf]|\{\{\s*\w+\s*\}\}")


# --- the login page -------------------------------------------------------------


@pytest.fixture(autouse=True)
def _restore_language():
    """The middleware activates the request's language on this thread and leaves it
    active; put back what was there so later tests don't run in English."""
    before = translation.get_language()
    yield
    if before:
        translation.activate(before)
    else:
        translation.deactivate()


@pytest.mark.django_db
def test_login_page_in_english_when_the_cookie_says_so(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Log in to Haotong" in html
    assert "Password" in html
    assert "登录好通" not in html
    assert "密码" not in html
    assert '<html lang="en">' in html
    assert response.headers["Content-Language"] == "en"


@pytest.mark.django_db
def test_login_page_in_chinese_without_the_cookie_even_for_english_browsers(client):
    response = client.get(reverse("login"), headers={"Accept-Language": "en-US,en;q=0.9"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "登录好通" in html
    assert "Log in to Haotong" not in html
    assert '<html lang="zh-hans">' in html
    assert response.headers["Content-Language"] == "zh-hans"


@pytest.mark.django_db
def test_unknown_cookie_value_falls_back_to_chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    html = client.get(reverse("login")).content.decode()
    assert "登录好通" in html


@pytest.mark.django_db
def test_language_switcher_sets_the_cookie(client):
    login = reverse("login")
    response = client.post(reverse("set_language"), {"language": "en", "next": login})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Log in to Haotong" in client.get(login).content.decode()


# --- the catalogue ----------------------------------------------------------------


def _unquote(line: str) -> str:
    text = line.strip()
    assert text.startswith('"') and text.endswith('"'), text
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes[m.group(1)], text[1:-1])


def parse_po(path: Path) -> list[dict]:
    """Entries as dicts: 'flags' (set), 'obsolete' (bool) and one key per field
    (msgid, msgid_plural, msgstr, msgstr[0] …) holding the unquoted text."""
    entries: list[dict] = []
    entry: dict = {}
    field = None

    def flush() -> None:
        nonlocal entry, field
        if "msgid" in entry:
            entries.append(entry)
        entry, field = {}, None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            flush()
        elif line.startswith("#~"):
            if "msgid" in entry:
                flush()
            entry["obsolete"] = True
        elif line.startswith("#,"):
            if "msgid" in entry:
                flush()
            entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            if "msgid" in entry:
                flush()
        elif line.startswith('"'):
            assert field is not None, f"continuation line without a field: {raw!r}"
            entry[field] += _unquote(line)
        else:
            field, _sep, rest = line.partition(" ")
            if field == "msgid" and "msgid" in entry:
                flush()
                field = "msgid"
            entry[field] = _unquote(rest)
    flush()
    for e in entries:
        e.setdefault("flags", set())
        e.setdefault("obsolete", False)
    return entries


def _translations(entry: dict) -> list[str]:
    return [v for k, v in entry.items() if k.startswith("msgstr")]


@pytest.fixture(scope="module")
def catalogue() -> list[dict]:
    assert PO.exists(), f"{PO} is missing: run makemessages -l en"
    entries = [e for e in parse_po(PO) if not e["obsolete"]]
    assert entries and entries[0]["msgid"] == "", "the header entry comes first"
    return entries


def test_catalogue_has_no_untranslated_or_fuzzy_entries(catalogue):
    header, *messages = catalogue
    assert len(messages) > 100
    assert "fuzzy" not in header["flags"]
    assert "Language: en\\n" in header["msgstr"].replace("\n", "\\n")
    untranslated = [e["msgid"] for e in messages if not all(_translations(e))]
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_plurals_have_both_forms(catalogue):
    for e in catalogue[1:]:
        if "msgid_plural" in e:
            assert {"msgstr[0]", "msgstr[1]"} <= e.keys(), e["msgid"]


def test_translations_keep_every_placeholder(catalogue):
    for e in catalogue[1:]:
        expected = sorted(PLACEHOLDER.findall(e["msgid"]))
        for text in _translations(e):
            assert sorted(PLACEHOLDER.findall(text)) == expected, (e["msgid"], text)


def test_translations_are_english(catalogue):
    # Chinese may remain only where the user must type it (import headers and
    # cell values) or as the language's own name in the switcher.
    for e in catalogue[1:]:
        for text in _translations(e):
            if re.search(r"[\u4e00-\u9fff]", e["msgid"]):
                assert text != e["msgid"], f"copied, not translated: {text!r}"
            assert re.search(r"[A-Za-z]", text), (e["msgid"], text)


def test_compiled_catalogue_matches_the_po(catalogue):
    assert MO.exists(), f"{MO} is missing: run compilemessages"
    with MO.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    for e in catalogue[1:]:
        if "msgid_plural" in e:
            assert compiled.ngettext(e["msgid"], e["msgid_plural"], 1) == e["msgstr[0]"]
            assert compiled.ngettext(e["msgid"], e["msgid_plural"], 2) == e["msgstr[1]"]
        else:
            assert compiled.gettext(e["msgid"]) == e["msgstr"], (
                f"{MO.name} is stale for {e['msgid']!r}: run compilemessages"
            )
