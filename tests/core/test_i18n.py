"""The English catalogue: switchable by the language cookie, never by the browser.

haotong is written in Simplified Chinese; English is opt-in (the switcher sets the
language cookie). ``ChineseFirstLocaleMiddleware`` ignores Accept-Language, so an
English-language browser still gets Chinese until the user chooses otherwise.
The catalogue itself must be complete, free of fuzzy entries, keep every
placeholder, and the committed .mo must be compiled from the committed .po.
"""

from __future__ import annotations

import csv
import gettext
import io
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

import haotong
from haotong.core import labels
from haotong.core.amounts import QUALIFIER_LABELS
from haotong.core.models import DistrictSetting
from haotong.ledger import exports, industries, stages
from haotong.ledger import services as ledger
from haotong.ledger.models import AS_OF_KEY, Project
from tests.conftest import login

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


# --- labels from the pure modules, shown in the chosen language --------------------


def test_every_label_of_the_pure_modules_is_marked_for_translation():
    pure = {
        *stages.STATE_LABELS.values(),
        *industries.SECTIONS.values(),
        *industries.DIVISIONS.values(),
        *industries.CLASSES.values(),
        *(text for text in QUALIFIER_LABELS.values() if text),
    }
    assert pure - labels.MARKED == set()


def test_every_marked_label_has_an_english_translation():
    with MO.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)
    untranslated = {text for text in labels.MARKED if compiled.gettext(text) == text}
    assert untranslated == set()


@pytest.mark.parametrize(
    ("yuan", "qualifier", "chinese", "english"),
    [
        ("12500000000", "near", "近125亿元", "nearly 12.5 billion yuan"),
        ("80000000", "", "8000万元", "80 million yuan"),
        ("100000000", "", "1亿元", "100 million yuan"),
        ("8320000000", "over", "超83.2亿元", "over 8.32 billion yuan"),
        ("50000", "about", "约5万元", "about 50,000 yuan"),
        ("999.5", "", "999.5元", "999.5 yuan"),
    ],
)
def test_amounts_read_naturally_in_each_language(yuan, qualifier, chinese, english):
    with translation.override("zh-hans"):
        assert labels.amount(Decimal(yuan), qualifier) == chinese
    with translation.override("en"):
        assert labels.amount(Decimal(yuan), qualifier) == english
        assert labels.amount(None) == "—"


def test_dates_read_naturally_in_each_language():
    on = date(2023, 2, 11)
    with translation.override("zh-hans"):
        assert (labels.day(on), labels.month(on), labels.not_after(on)) == (
            "2023年2月11日", "2023年2月", "不晚于2023年2月11日",
        )  # fmt: skip
    with translation.override("en"):
        assert (labels.day(on), labels.month(on), labels.not_after(on)) == (
            "2023-02-11", "2023-02", "no later than 2023-02-11",
        )  # fmt: skip


# --- the ledger pages in English and in Chinese ---------------------------------------


CHINESE_STAGE_NAMES = (
    "签约",
    "供地",
    "审批",
    "开工",
    "在建",
    "竣工",
    "投产",
    "达产",
    "中止",
    "终止",
)


@pytest.fixture
def started_project(project, colleague):
    """康辉新材料项目 (近125亿元): signed 2022-06-01, started in October 2022 (month known)."""
    DistrictSetting.objects.create(key=AS_OF_KEY, value="2023-03-03")
    ledger.record_stage_event(
        actor=None, project=project, stage="started", on=date(2022, 10, 1),
        precision="month", source="system",
    )  # fmt: skip
    project.refresh_from_db()
    return project


def _page(client, user, url: str, language: str | None) -> str:
    login(client, user)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _ledger_urls(project) -> dict[str, str]:
    return {
        "dashboard": reverse("ledger:dashboard"),
        "project_list": reverse("ledger:project_list"),
        "project_detail": reverse("ledger:project_detail", args=[project.pk]),
    }


@pytest.mark.parametrize("page", ["dashboard", "project_list", "project_detail"])
def test_ledger_pages_in_english_show_english_stage_names(client, colleague, started_project, page):
    html = _page(client, colleague, _ledger_urls(started_project)[page], "en")
    assert "Under construction" in html
    assert "nearly 12.5 billion yuan" in html
    shown = [name for name in CHINESE_STAGE_NAMES if name in html]
    assert shown == []


def test_english_project_detail_shows_the_timeline_in_english(client, colleague, started_project):
    html = _page(client, colleague, _ledger_urls(started_project)["project_detail"], "en")
    timeline = html[html.index('id="timeline"') :]
    assert "<b>2022-06-01</b> Signed" in timeline
    assert "<b>2022-10</b> Started" in timeline
    assert "Project type" in html and "Major project" in html


def test_english_dashboard_charts_and_dates_are_in_english(client, colleague, started_project):
    html = _page(client, colleague, _ledger_urls(started_project)["dashboard"], "en")
    assert "Data as of 2023-03-03" in html
    chart = json.loads(re.search(r'id="chart-data"[^>]*>(.*?)</script>', html, re.S)[1])
    assert [row[0] for row in chart["stages"]] == ["Under construction"]
    assert [row[0] for row in chart["industries"]] == [
        "Chemical raw materials and chemical products"
    ]


@pytest.mark.parametrize("page", ["dashboard", "project_list", "project_detail"])
def test_ledger_pages_in_chinese_are_unchanged(client, colleague, started_project, page):
    html = _page(client, colleague, _ledger_urls(started_project)[page], None)
    assert "近125亿元" in html
    assert "在建" in html
    assert "Under construction" not in html
    assert "billion" not in html


def test_chinese_project_detail_keeps_chinese_dates(client, colleague, started_project):
    html = _page(client, colleague, _ledger_urls(started_project)["project_detail"], None)
    assert "<b>2022年6月1日</b> 签约" in html
    assert "<b>2022年10月</b> 开工" in html
    dashboard = _page(client, colleague, reverse("ledger:dashboard"), None)
    assert "数据截至 2023年3月3日" in dashboard


# --- exports: Chinese documents unless the user chose English ------------------------


def test_web_export_follows_the_chosen_language(client, colleague, started_project):
    html = _page(client, colleague, reverse("ledger:project_list") + "?export=csv", "en")
    header, row = list(csv.reader(io.StringIO(html.lstrip("\ufeff"))))
    record = dict(zip(header, row, strict=True))
    assert record["Current stage"] == "Under construction"
    assert record["Total investment (text)"] == "nearly 12.5 billion yuan"
    assert record["Demo (synthetic)"] == "No"


def test_command_line_export_stays_chinese_even_when_english_is_active(started_project):

    out = io.StringIO()
    with translation.override("en"):
        exports.write_projects(Project.objects.all(), "csv", out)
    text = out.getvalue()
    assert text.startswith("\ufeff编号,项目名称")
    assert "近125亿元" in text and "在建" in text
    assert "Under construction" not in text
