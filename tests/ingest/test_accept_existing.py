"""Accepting a fact into an existing ledger project: its name becomes an alias, its
amount fills an undisclosed investment or, when the clerk asks, replaces a different
one; all through the ledger's audited, versioned update, all-or-nothing with the
stage event.

Users (tests/conftest.py): owner = 五接镇 team member, colleague = 发改委 analyst,
outsider = 西亭镇 team member. ``project`` is 康辉新材料项目 in 五接镇 (近125亿元),
signed 2022-06-01. The texts are read by the real engine.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from haotong.core.models import AuditEntry, Role
from haotong.core.services import create_user
from haotong.ingest.models import Candidate, Document
from haotong.ledger import services as ledger
from haotong.ledger.models import Project
from tests.api.conftest import bearer, key_for
from tests.conftest import PASSWORD, login
from tests.ingest.test_review_services import (
    KANGHUI_TEXT,
    WUJIE_TEXT,
    accept,
    edit,
    ingest,
    only_candidate,
)

# The same plant under a longer name, at a different amount (130亿元 against 近125亿元).
PARK_TEXT = (
    "近日，在通州区五接镇，总投资130亿元的康辉新材料产业园项目建设现场，塔吊林立。"
    "自去年10月开工后，项目进展顺利。"
)
PARK = "康辉新材料产业园项目"
API = "/api/v1/ingest/documents"


@pytest.fixture(autouse=True)
def _chinese():
    """The English page test activates English on this thread; put Chinese back."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def park_candidate(actor, text: str = PARK_TEXT) -> Candidate:
    c = only_candidate(ingest(actor, text))
    assert (c.name, c.investment_yuan, c.investment_qualifier, c.stage, c.fact_date) == (
        PARK, Decimal("13000000000.00"), "", "started", "2022-10",
    )  # fmt: skip
    return c


def set_project(project: Project, **fields) -> Project:
    project.refresh_from_db()
    return ledger.update_project(
        actor=None, project=project, expected_version=project.version, fields=fields,
        source="system",
    )  # fmt: skip


def updates(project: Project) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            action="update", model="ledger.project", object_id=str(project.pk)
        ).order_by("id")
    )


# --- aliases ---


def test_a_new_name_is_appended_to_the_aliases_through_an_audited_update(owner, project):
    set_project(project, aliases="康辉新材料")
    c = park_candidate(owner)
    label = c.document.label

    done = accept(owner, c, project=project)

    project.refresh_from_db()
    assert project.aliases == f"康辉新材料、{PARK}"
    assert project.events.filter(stage="started").count() == 1
    assert f"加入别名「{PARK}」" in done.note and "登记「开工」" in done.note
    [*_, entry] = updates(project)
    assert (entry.actor, entry.source, entry.source_detail) == (owner, "document", label)
    assert (entry.before["aliases"], entry.after["aliases"]) == ("康辉新材料", project.aliases)
    assert entry.after["version"] == project.version == entry.before["version"] + 1
    # The stage event and the alias share the document as their source.
    event = project.events.get(stage="started")
    assert (event.source, event.source_detail) == ("document", label)


def test_a_name_the_project_already_goes_by_is_not_added_again(owner, project):
    # Full-width brackets and spaces in the ledger, ASCII brackets from the engine.
    set_project(project, aliases="康辉新材料二期、康辉（南通） 新材料项目")
    c = only_candidate(
        ingest(owner, KANGHUI_TEXT.replace("康辉新材料项目", "康辉（南通）新材料项目"))
    )
    assert c.name == "康辉(南通)新材料项目"
    version = Project.objects.get(pk=project.pk).version

    done = accept(owner, c, project=project)

    project.refresh_from_db()
    assert project.aliases == "康辉新材料二期、康辉（南通） 新材料项目"
    assert "别名" not in done.note
    # Only the stage event moved the version; no project update was written.
    assert project.version == version + 1 and updates(project)[-1].source == "system"


def test_the_projects_own_name_is_not_an_alias(owner, project):
    c = only_candidate(ingest(owner, KANGHUI_TEXT))

    done = accept(owner, c, project=project)

    project.refresh_from_db()
    assert project.aliases == "" and updates(project) == []
    assert done.note == "登记「开工」2022年10月"


def test_an_alias_that_would_overflow_the_field_is_left_out_and_the_note_says_so(owner, project):
    full = "、".join(f"康辉第{i:03d}号厂区" for i in range(30))[:295]  # 295 of 300 chars
    set_project(project, aliases=full)
    c = park_candidate(owner)

    done = accept(owner, c, project=project)

    project.refresh_from_db()
    assert project.aliases == full
    assert f"别名已达上限（300字），未加入「{PARK}」" in done.note
    assert project.events.filter(stage="started").exists()  # the fact itself is accepted


# --- investment ---


def test_an_undisclosed_investment_is_filled_from_the_document(owner, wujie):
    empty = ledger.create_project(
        actor=None, fields={"name": "华强光电项目", "town": wujie}, source="system"
    )
    c = only_candidate(ingest(owner, WUJIE_TEXT))

    done = accept(owner, c, project=empty)

    empty.refresh_from_db()
    assert (empty.investment_yuan, empty.investment_qualifier, empty.stage) == (
        Decimal("800000000.00"), "", "completed",
    )  # fmt: skip
    assert "补充总投资8亿元" in done.note
    [entry] = updates(empty)
    assert (entry.before["investment_yuan"], entry.after["investment_yuan"]) == (
        None, "800000000.00",
    )  # fmt: skip
    assert (entry.source, entry.actor) == ("document", owner)


def test_a_different_amount_is_not_changed_unless_asked(owner, project):
    c = park_candidate(owner)

    done = accept(owner, c, project=project)

    project.refresh_from_db()
    assert (project.investment_yuan, project.investment_qualifier) == (
        Decimal("12500000000.00"), "near",
    )  # fmt: skip
    assert "本文总投资130亿元与台账近125亿元不同，未更新" in done.note
    [entry] = updates(project)  # the alias only
    assert set(k for k in entry.after if entry.after[k] != entry.before[k]) == {
        "aliases", "version",
    }  # fmt: skip


def test_a_different_amount_is_changed_when_the_clerk_asks(owner, project):
    c = park_candidate(owner)

    done = accept(owner, c, project=project, update_investment=True)

    project.refresh_from_db()
    assert (project.investment_yuan, project.investment_qualifier, project.aliases) == (
        Decimal("13000000000.00"), "", PARK,
    )  # fmt: skip
    assert "总投资由近125亿元更新为130亿元" in done.note
    [entry] = updates(project)
    assert (entry.before["investment_yuan"], entry.before["investment_qualifier"]) == (
        "12500000000.00", "near",
    )  # fmt: skip
    assert (entry.after["investment_yuan"], entry.after["investment_qualifier"]) == (
        "13000000000.00", "",
    )  # fmt: skip
    assert (entry.source, entry.source_detail) == ("document", c.document.label)


def test_a_refused_stage_saves_neither_the_alias_nor_the_amount(owner, project):
    c = park_candidate(owner)
    edit(owner, c, stage="capacity", fact_date="2023-02")
    before = Project.objects.get(pk=project.pk)
    audit_before = AuditEntry.objects.count()

    with pytest.raises(ValidationError, match="不能从「签约」直接进入「达产」"):
        accept(owner, c, project=project, update_investment=True)

    after = Project.objects.get(pk=project.pk)
    assert (after.aliases, after.investment_yuan, after.investment_qualifier, after.version) == (
        before.aliases, before.investment_yuan, before.investment_qualifier, before.version,
    )  # fmt: skip
    assert AuditEntry.objects.count() == audit_before
    c.refresh_from_db()
    assert (c.status, c.project, c.note) == ("edited", None, "")


def test_a_fact_for_a_stage_already_recorded_still_adds_its_name(owner, project):
    accept(owner, only_candidate(ingest(owner, KANGHUI_TEXT)), project=project)

    done = accept(owner, park_candidate(owner), project=project)

    project.refresh_from_db()
    assert project.aliases == PARK and project.events.filter(stage="started").count() == 1
    assert "未重复登记" in done.note and "加入别名" in done.note


# --- who may ---


def test_an_out_of_scope_user_changes_nothing(client, outsider, project):
    c = park_candidate(outsider)  # outsider's own upload: the candidate is theirs to see
    before = Project.objects.get(pk=project.pk)

    with pytest.raises(PermissionDenied):
        accept(outsider, c, project=project, update_investment=True)
    login(client, outsider)
    web = client.post(
        reverse("ingest:accept", args=[c.pk]),
        {"version": c.version, "target": project.pk, "update_investment": project.pk},
    )
    api = client.post(
        f"{API}/{c.document_id}/candidates/{c.pk}/accept",
        {"expected_version": c.version, "project_id": project.pk, "update_investment": True},
        content_type="application/json", headers=bearer(key_for(outsider)),
    )  # fmt: skip

    assert (web.status_code, api.status_code) == (404, 404)
    after = Project.objects.get(pk=project.pk)
    assert (after.aliases, after.investment_yuan, after.version) == (
        before.aliases, before.investment_yuan, before.version,
    )  # fmt: skip
    c.refresh_from_db()
    assert c.status == "pending" and updates(project) == []


def test_a_role_that_may_not_edit_the_ledger_is_refused(client, district, owner, project):
    c = park_candidate(owner)
    leader = create_user(username="lead", password=PASSWORD, role=Role.LEADER, org_unit=district)

    response = client.post(
        f"{API}/{c.document_id}/candidates/{c.pk}/accept",
        {"expected_version": c.version, "project_id": project.pk, "update_investment": True},
        content_type="application/json", headers=bearer(key_for(leader)),
    )  # fmt: skip

    assert response.status_code == 403
    project.refresh_from_db()
    assert (project.aliases, project.investment_yuan) == ("", Decimal("12500000000.00"))


# --- the web page ---


def accept_on_page(client, c: Candidate, **data):
    return client.post(reverse("ingest:accept", args=[c.pk]), {"version": c.version, **data})


def test_the_page_offers_the_amount_checkbox_only_for_a_match_whose_amount_differs(
    client, owner, project, wujie
):
    same = ledger.create_project(
        actor=None,
        fields={"name": "康辉新材料产业园二期项目", "town": wujie,
                "investment_yuan": Decimal("13000000000")},
        source="system",
    )  # fmt: skip
    c = park_candidate(owner)
    login(client, owner)

    html = client.get(reverse("ingest:document", args=[c.document_id])).content.decode()

    assert f'name="target" value="{project.pk}"' in html
    assert f'name="target" value="{same.pk}"' in html
    assert f'name="update_investment" value="{project.pk}"' in html
    assert f'name="update_investment" value="{same.pk}"' not in html
    assert "以本文金额更新台账（台账现为近125亿元，本文为130亿元）" in html
    assert "台账 近125亿元 / 本文 130亿元" in html and "台账 130亿元 / 本文 130亿元" in html


def test_the_page_reads_in_english_when_chosen(client, owner, project):
    c = park_candidate(owner)
    login(client, owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    html = client.get(reverse("ingest:document", args=[c.document_id])).content.decode()

    assert "ledger: nearly 12.5 billion yuan / document: 13 billion yuan" in html
    assert (
        "Update the ledger with the amount in this document "
        "(ledger: nearly 12.5 billion yuan, document: 13 billion yuan)"
    ) in html


def test_the_web_form_leaves_a_different_amount_unless_its_box_is_ticked(client, owner, project):
    first = park_candidate(owner)
    login(client, owner)

    response = accept_on_page(client, first, target=project.pk)

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.investment_yuan == Decimal("12500000000.00") and project.aliases == PARK
    first.refresh_from_db()
    assert "未更新" in first.note


def test_the_web_form_updates_the_amount_when_its_box_is_ticked(client, owner, project, wujie):
    other = ledger.create_project(
        actor=None, fields={"name": "康辉新材料配套项目", "town": wujie,
                            "investment_yuan": Decimal("100000000")},
        source="system",
    )  # fmt: skip
    c = park_candidate(owner)
    login(client, owner)

    # A box ticked under another match does not count for the chosen project.
    accept_on_page(client, c, target=project.pk, update_investment=other.pk)
    project.refresh_from_db()
    assert project.investment_yuan == Decimal("12500000000.00")

    again = park_candidate(owner, PARK_TEXT + "\n（记者 王明）")
    response = accept_on_page(client, again, target=project.pk, update_investment=project.pk)

    assert response.status_code == 302
    project.refresh_from_db()
    other.refresh_from_db()
    assert (project.investment_yuan, project.investment_qualifier) == (
        Decimal("13000000000.00"), "",
    )  # fmt: skip
    assert other.investment_yuan == Decimal("100000000.00")
    again.refresh_from_db()
    assert again.status == "accepted" and "总投资由近125亿元更新为130亿元" in again.note
    entry = updates(project)[-1]
    assert (entry.actor, entry.source, entry.after["investment_yuan"]) == (
        owner, "document", "13000000000.00",
    )  # fmt: skip


# --- the API ---


def api_accept(client, key: str, c: Candidate, **body):
    return client.post(
        f"{API}/{c.document_id}/candidates/{c.pk}/accept",
        {"expected_version": c.version, **body},
        content_type="application/json",
        headers=bearer(key),
    )


def test_the_api_lists_the_ledger_amount_and_whether_it_differs(client, owner, project):
    c = park_candidate(owner)

    response = client.get(f"{API}/{c.document_id}/candidates", headers=bearer(key_for(owner)))

    [match] = [m for m in response.json()[0]["matches"] if m["project_id"] == project.pk]
    assert (match["investment_yuan"], match["investment_qualifier"]) == (
        "12500000000.00", "near",
    )  # fmt: skip
    assert match["investment_differs"] is True


def test_the_api_leaves_a_different_amount_by_default(client, owner, project):
    c = park_candidate(owner)

    response = api_accept(client, key_for(owner), c, project_id=project.pk)

    assert response.status_code == 200, response.content
    project.refresh_from_db()
    assert (project.investment_yuan, project.aliases) == (Decimal("12500000000.00"), PARK)
    assert "未更新" in response.json()["note"]


def test_the_api_updates_the_amount_when_asked(client, owner, project):
    c = park_candidate(owner)

    response = api_accept(client, key_for(owner), c, project_id=project.pk, update_investment=True)

    assert response.status_code == 200, response.content
    project.refresh_from_db()
    assert project.investment_yuan == Decimal("13000000000.00")
    assert "总投资由近125亿元更新为130亿元" in response.json()["note"]
    [entry] = updates(project)
    # The ledger keeps the document as the source; the candidate's entry names the API.
    assert (entry.source, entry.before["investment_yuan"]) == ("document", "12500000000.00")
    assert AuditEntry.objects.get(action="accept").source == "api"


# --- queries ---


def _page_queries(client, document: Document) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("ingest:document", args=[document.pk]))
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def test_the_page_takes_the_same_queries_for_one_or_three_matches(
    client, owner, colleague, project, wujie
):
    one = ingest(colleague, PARK_TEXT)
    login(client, owner)
    queries_one, html_one = _page_queries(client, one)
    assert html_one.count('name="target" value="') == 2  # the match and "new"

    for name, yuan in (
        ("康辉新材料产业园一期项目", "9000000000"),
        ("康辉新材料产业园二期项目", None),
    ):
        ledger.create_project(
            actor=None, source="system",
            fields={"name": name, "town": wujie,
                    "investment_yuan": yuan and Decimal(yuan)},
        )  # fmt: skip
    three = ingest(colleague, PARK_TEXT + "\n（通讯员 李华）")
    queries_three, html_three = _page_queries(client, three)

    assert html_three.count('name="target" value="') == 4
    assert html_three.count('name="update_investment"') == 2  # 近125亿 and 90亿 differ
    assert queries_three == queries_one
