"""Document intake and review services: upload → candidates → accept/edit/reject.

Users (tests/conftest.py): owner = 五接镇 team member, colleague = 发改委 analyst,
outsider = 西亭镇 team member. ``project`` is 康辉新材料项目 in 五接镇, signed 2022-06-01.
The texts below are read by the real engine.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from haotong.core.models import AuditEntry, Role
from haotong.core.services import create_user
from haotong.ingest import services
from haotong.ingest.models import Candidate, Document
from haotong.ledger.models import Project, StageEvent
from haotong.ledger.services import ConflictError
from tests.conftest import PASSWORD

PUBLISHED = date(2023, 3, 3)
WUJIE_TEXT = "2月20日，总投资8亿元的华强光电项目在五接镇正式竣工。"
XITING_TEXT = "3月1日，总投资20亿元的宏达精密机械项目在通州区西亭镇签约落户。"
KANGYUAN_TEXT = (
    "2月11日，总投资50亿元的康源电路项目正式开工建设。该项目聚焦集成电路封装载板的研发和制造。"
)
KANGHUI_TEXT = (
    "近日，在通州区五接镇，总投资近125亿元的康辉新材料项目建设现场，塔吊林立。"
    "自去年10月开工后，项目进展顺利。"
)
NO_PROJECTS = "今天天气很好，大家都去公园散步。"


def ingest(actor, text: str, *, name: str = "测试报道", when: date | None = PUBLISHED) -> Document:
    return services.ingest_document(
        actor=actor, name=name, text=text, published_on=when, origin="paste", source="user"
    )


def only_candidate(document: Document) -> Candidate:
    candidates = list(document.candidates.all())
    assert len(candidates) == 1, [c.name for c in candidates]
    return candidates[0]


def accept(actor, candidate: Candidate, project=None, **kw) -> Candidate:
    candidate.refresh_from_db()
    return services.accept_candidate(
        actor=actor, candidate=candidate, expected_version=candidate.version, project=project, **kw
    )


def edit(actor, candidate: Candidate, **fields) -> Candidate:
    candidate.refresh_from_db()
    return services.edit_candidate(
        actor=actor, candidate=candidate, expected_version=candidate.version, fields=fields
    )


# --- upload ---


def test_upload_stores_the_document_and_pending_candidates_without_touching_the_ledger(
    owner, wujie
):
    projects_before = Project.objects.count()

    document = ingest(owner, WUJIE_TEXT)

    assert (document.uploaded_by, document.encoding, document.published_on) == (
        owner, "utf-8", PUBLISHED,
    )  # fmt: skip
    assert len(document.sha256) == 64 and document.text == WUJIE_TEXT
    c = only_candidate(document)
    assert (c.name, c.town, c.investment_yuan, c.stage, c.fact_date, c.status) == (
        "华强光电项目", wujie, Decimal("800000000.00"), "completed", "2023-02-20", "pending",
    )  # fmt: skip
    assert "华强光电项目" in WUJIE_TEXT[c.evidence_start : c.evidence_end]
    assert c.evidence == WUJIE_TEXT
    assert Project.objects.count() == projects_before
    assert not StageEvent.objects.exists()
    entry = AuditEntry.objects.get(action="ingest")
    assert (entry.actor, entry.source, entry.object_id) == (owner, "user", str(document.pk))


def test_the_publication_date_is_found_in_the_text_when_not_given(owner):
    document = ingest(owner, "发布时间：2023-03-03\n\n" + WUJIE_TEXT, when=None)

    assert (document.published_on, document.date_found) == (date(2023, 3, 3), True)


def test_text_without_projects_gives_an_empty_queue(owner):
    document = ingest(owner, NO_PROJECTS)

    assert document.candidates.count() == 0
    assert Document.objects.count() == 1


def test_the_same_text_is_refused_a_second_time_even_with_other_line_endings(owner, colleague):
    first = ingest(owner, "第一段\n" + WUJIE_TEXT)

    with pytest.raises(services.DuplicateDocument) as refused:
        ingest(colleague, "第一段\r\n" + WUJIE_TEXT, name="另一个名字")

    assert refused.value.existing == first
    assert "已入库" in refused.value.messages[0] and f"文档#{first.pk}" in refused.value.messages[0]
    assert Document.objects.count() == 1


def test_gbk_bytes_are_decoded_and_read(owner):
    document = services.ingest_document(
        actor=owner, name="gbk.txt", data=WUJIE_TEXT.encode("gbk"), published_on=PUBLISHED,
        origin="upload", source="user",
    )  # fmt: skip

    assert document.encoding == "gb18030"
    assert only_candidate(document).name == "华强光电项目"


def test_big5_bytes_are_decoded_and_read(owner):
    text = "2月20日，總投資8億元的華強光電項目在五接鎮正式竣工。"
    document = services.ingest_document(
        actor=owner, name="big5.txt", data=text.encode("big5"), published_on=PUBLISHED,
        origin="upload", source="user",
    )  # fmt: skip

    assert document.encoding.startswith("big5")
    assert document.text == text
    assert only_candidate(document).investment_yuan == Decimal("800000000.00")


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" * 20, "二进制"),
        (b"", "文件为空"),
        (b"   \n\n  ", "文档为空"),
    ],
)
def test_bad_bytes_are_refused_with_a_clear_message_and_nothing_saved(owner, data, words):
    with pytest.raises(ValidationError) as refused:
        services.ingest_document(
            actor=owner, name="x.txt", data=data, origin="upload", source="user"
        )

    assert words in " ".join(refused.value.messages)
    assert not Document.objects.exists() and not AuditEntry.objects.filter(action="ingest").exists()


def test_oversize_text_is_refused(owner, settings):
    settings.HAOTONG_MAX_UPLOAD_BYTES = 50

    with pytest.raises(ValidationError, match="文档过大"):
        ingest(owner, WUJIE_TEXT * 3)

    assert not Document.objects.exists()


def test_a_leader_cannot_upload(district):
    leader = create_user(username="lead", password=PASSWORD, role=Role.LEADER, org_unit=district)

    with pytest.raises(PermissionDenied):
        ingest(leader, WUJIE_TEXT)


# --- accept ---


def test_accepting_creates_the_project_and_an_event_with_the_document_as_source(owner, wujie):
    document = ingest(owner, WUJIE_TEXT, name="通州日报")
    c = only_candidate(document)

    done = accept(owner, c)

    project = Project.objects.get(name="华强光电项目")
    assert (project.town, project.investment_yuan, project.stage) == (
        wujie, Decimal("800000000.00"), "completed",
    )  # fmt: skip
    event = project.events.get()
    assert (event.stage, event.date, event.date_precision, event.source) == (
        "completed", date(2023, 2, 20), "day", "document",
    )  # fmt: skip
    assert "通州日报" in event.source_detail and "2023-03-03" in event.source_detail
    assert "华强光电项目" in event.evidence and event.recorded_by == owner
    assert (done.status, done.project, done.stage_event, done.decided_by) == (
        "accepted", project, event, owner,
    )  # fmt: skip
    sources = set(AuditEntry.objects.filter(action__in=["create", "stage:completed", "accept"])
                  .values_list("action", "source"))  # fmt: skip
    assert sources == {
        ("create", "document"),
        ("stage:completed", "document"),
        ("accept", "document"),
    }


def test_accepting_into_an_existing_matched_project_records_a_month_precision_start(owner, project):
    c = only_candidate(ingest(owner, KANGHUI_TEXT))
    assert c.matched_project == project

    accept(owner, c, project=project)

    assert Project.objects.count() == 1
    event = project.events.get(stage="started")
    assert (event.date, event.date_precision, event.source) == (
        date(2022, 10, 1),
        "month",
        "document",
    )
    project.refresh_from_db()
    assert project.stage == "started"


def test_edit_then_accept_uses_the_clerks_values_and_keeps_the_machines(owner, wujie):
    c = only_candidate(ingest(owner, KANGYUAN_TEXT))
    assert c.town is None  # the sentence names no town

    edited = edit(
        owner, c, name="康源电路载板项目", town=wujie, investment_yuan=Decimal("5500000000"),
        investment_qualifier="about", stage="signed", fact_date="2023-01",
    )  # fmt: skip
    assert edited.status == "edited" and edited.original["name"] == "康源电路项目"
    accept(owner, edited)

    project = Project.objects.get(name="康源电路载板项目")
    assert (project.town, project.investment_yuan, project.investment_qualifier) == (
        wujie, Decimal("5500000000.00"), "about",
    )  # fmt: skip
    event = project.events.get()
    assert (event.stage, event.date, event.date_precision) == ("signed", date(2023, 1, 1), "month")
    assert AuditEntry.objects.filter(action="edit", source="document", actor=owner).exists()


def test_under_construction_is_recorded_as_started_not_after_the_article_date(owner, wujie):
    c = only_candidate(ingest(owner, WUJIE_TEXT))
    edit(owner, c, stage="under_construction", fact_date="")

    accept(owner, c)

    event = StageEvent.objects.get()
    assert (event.stage, event.date, event.date_precision) == ("started", PUBLISHED, "not_after")


def test_negotiating_is_a_lead_and_never_enters_the_ledger(owner, wujie):
    c = only_candidate(ingest(owner, WUJIE_TEXT))
    edit(owner, c, stage="negotiating")

    with pytest.raises(ValidationError, match="招商线索"):
        accept(owner, c)

    assert not Project.objects.exists()
    c.refresh_from_db()
    assert c.status == "edited"


def test_a_stage_the_machine_refuses_leaves_nothing_behind(owner, project):
    c = only_candidate(ingest(owner, KANGHUI_TEXT))
    edit(owner, c, stage="capacity", fact_date="2023-02")
    audit_before = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as refused:
        accept(owner, c, project=project)

    assert "不能从「签约」直接进入「达产」" in " ".join(refused.value.messages)
    assert project.events.count() == 1
    assert AuditEntry.objects.count() == audit_before
    c.refresh_from_db()
    assert (c.status, c.project) == ("edited", None)


def test_a_refused_event_does_not_leave_a_new_project_either(owner, wujie):
    c = only_candidate(ingest(owner, WUJIE_TEXT))
    edit(owner, c, fact_date="2099-01-01")

    with pytest.raises(ValidationError, match="晚于今天"):
        accept(owner, c)

    assert not Project.objects.exists() and not StageEvent.objects.exists()


def test_a_stage_already_in_the_ledger_is_confirmed_not_recorded_twice(owner, project):
    c = only_candidate(ingest(owner, KANGHUI_TEXT))
    accept(owner, c, project=project)
    again = only_candidate(ingest(owner, KANGHUI_TEXT + "\n补充。"))

    done = accept(owner, again, project=project)

    assert project.events.filter(stage="started").count() == 1
    assert "未重复登记" in done.note and done.status == "accepted"


def test_a_stale_form_is_refused(owner, colleague, wujie):
    c = only_candidate(ingest(owner, WUJIE_TEXT))
    stale = c.version
    edit(colleague, c, name="华强光电二期项目")

    with pytest.raises(ConflictError):
        services.accept_candidate(actor=owner, candidate=c, expected_version=stale, project=None)

    assert not Project.objects.exists()


# --- reject ---


def test_reject_needs_a_reason_and_is_audited(owner):
    c = only_candidate(ingest(owner, WUJIE_TEXT))

    with pytest.raises(ValidationError, match="驳回理由"):
        services.reject_candidate(actor=owner, candidate=c, expected_version=c.version, reason=" ")
    done = services.reject_candidate(
        actor=owner, candidate=c, expected_version=c.version, reason="不是本区项目"
    )

    assert (done.status, done.reason) == ("rejected", "不是本区项目")
    entry = AuditEntry.objects.get(action="reject")
    assert (entry.actor, entry.source) == (owner, "document")
    with pytest.raises(ValidationError, match="已驳回"):
        accept(owner, done)
    assert not Project.objects.exists()


# --- scope ---


def test_team_members_see_their_uploads_and_candidates_in_their_scope(owner, outsider, colleague):
    wujie_doc = ingest(colleague, WUJIE_TEXT)
    xiting_doc = ingest(owner, XITING_TEXT)

    assert set(Document.objects.visible_to(owner)) == {wujie_doc, xiting_doc}
    assert set(Document.objects.visible_to(outsider)) == {xiting_doc}
    assert set(Candidate.objects.visible_to(outsider)) == set(xiting_doc.candidates.all())
    assert Candidate.objects.visible_to(colleague).count() == 2


def test_a_team_member_cannot_accept_into_another_towns_scope(owner, xiting):
    c = only_candidate(ingest(owner, XITING_TEXT))
    assert c.town == xiting

    with pytest.raises(PermissionDenied):
        accept(owner, c)

    assert not Project.objects.exists()


def test_a_team_member_cannot_act_on_candidates_outside_their_scope(colleague, outsider):
    c = only_candidate(ingest(colleague, WUJIE_TEXT))

    with pytest.raises(PermissionDenied):
        accept(outsider, c)
