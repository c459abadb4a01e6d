"""Document intake pages as owner (五接镇 team), colleague (发改委 analyst) and outsider (西亭镇 team)."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from haotong.core.models import Role
from haotong.core.services import create_user
from haotong.ingest.models import Candidate, Document
from haotong.ledger import services as ledger
from haotong.ledger.models import Project, StageEvent
from tests.conftest import PASSWORD, login
from tests.ingest.test_review_services import (
    KANGHUI_TEXT,
    NO_PROJECTS,
    WUJIE_TEXT,
    XITING_TEXT,
    ingest,
    only_candidate,
)

INDEX = "/ingest/"


def page(doc: Document) -> str:
    return reverse("ingest:document", args=[doc.pk])


def upload_text(client, text: str, **extra):
    return client.post(
        INDEX, {"text": text, "name": "网页粘贴", "published_on": "2023-03-03", **extra}
    )


def upload_file(client, content: bytes, name: str = "page.txt"):
    return client.post(
        INDEX, {"file": SimpleUploadedFile(name, content), "published_on": "2023-03-03"}
    )


# --- upload ---


def test_owner_pastes_text_and_lands_on_its_review_queue(client, owner, wujie):
    login(client, owner)

    response = upload_text(client, WUJIE_TEXT)

    document = Document.objects.get()
    assert response.status_code == 302 and response.url == page(document)
    assert (document.origin, document.uploaded_by, document.name) == ("paste", owner, "网页粘贴")
    body = client.get(page(document)).content.decode()
    c = only_candidate(document)
    assert f'id="ev-{c.pk}"' in body and '<mark class="ev main"' in body
    assert "华强光电项目" in body and "采纳后登记" in body


def test_a_gbk_file_is_decoded(client, owner, wujie):
    login(client, owner)

    response = upload_file(client, WUJIE_TEXT.encode("gbk"), "gbk-page.txt")

    assert response.status_code == 302
    document = Document.objects.get()
    assert (document.encoding, document.name) == ("gb18030", "gbk-page.txt")
    assert only_candidate(document).name == "华强光电项目"


def test_a_binary_file_is_refused_with_a_message(client, owner):
    login(client, owner)

    response = upload_file(client, b"\x00\x01\x02\x03PK\x03\x04" * 100, "photo.jpg")

    assert response.status_code == 400
    assert "二进制文件" in response.content.decode()
    assert not Document.objects.exists()


def test_an_oversize_file_is_refused(client, owner, settings):
    settings.HAOTONG_MAX_UPLOAD_BYTES = 40
    login(client, owner)

    response = upload_file(client, WUJIE_TEXT.encode() * 5)

    assert response.status_code == 400 and "文档过大" in response.content.decode()
    assert not Document.objects.exists()


def test_a_duplicate_upload_is_refused_and_links_to_the_first(client, owner):
    login(client, owner)
    upload_text(client, WUJIE_TEXT)

    response = upload_text(client, WUJIE_TEXT)

    body = response.content.decode()
    assert response.status_code == 400 and "不重复入库" in body
    assert page(Document.objects.get()) in body


def test_text_without_projects_shows_an_empty_queue_with_a_note(client, owner):
    login(client, owner)

    response = upload_text(client, NO_PROJECTS, published_on="")
    body = client.get(response.url).content.decode()

    assert "审核队列为空" in body


def test_the_source_text_is_escaped(client, colleague):
    login(client, colleague)
    document = ingest(colleague, "<script>alert(1)</script>\n\n" + WUJIE_TEXT)

    body = client.get(page(document)).content.decode()

    assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_an_enterprise_user_cannot_open_document_intake(client, wujie):
    firm_user = create_user(username="firm", password=PASSWORD, role=Role.ENTERPRISE, org_unit=None)
    login(client, firm_user)

    assert client.get(INDEX).status_code == 403


# --- who sees what ---


@pytest.fixture
def wujie_doc(colleague, wujie) -> Document:
    return ingest(colleague, WUJIE_TEXT)


def test_owner_sees_a_document_with_a_candidate_in_their_town(client, owner, wujie_doc):
    login(client, owner)

    assert client.get(page(wujie_doc)).status_code == 200
    assert wujie_doc.name in client.get(INDEX).content.decode()


def test_colleague_sees_every_document(client, colleague, owner):
    document = ingest(owner, XITING_TEXT)
    login(client, colleague)

    assert client.get(page(document)).status_code == 200


def test_outsider_cannot_see_another_towns_document(client, outsider, wujie_doc):
    login(client, outsider)

    assert client.get(page(wujie_doc)).status_code == 404
    assert wujie_doc.name not in client.get(INDEX).content.decode()


def test_outsider_sees_only_their_towns_candidate_in_a_shared_document(
    client, owner, outsider, xiting
):
    document = ingest(owner, WUJIE_TEXT + "\n\n" + XITING_TEXT)
    login(client, outsider)

    body = client.get(page(document)).content.decode()

    assert "宏达精密机械项目" in body and "华强光电项目</b>" not in body


# --- review actions ---


def post_accept(client, c: Candidate, target: str, town=""):
    c.refresh_from_db()
    url = reverse("ingest:accept", args=[c.pk])
    return client.post(url, {"version": c.version, "target": target, "town": town})


def test_owner_accepts_into_the_matched_project(client, owner, project):
    document = ingest(owner, KANGHUI_TEXT)
    c = only_candidate(document)
    login(client, owner)
    body = client.get(page(document)).content.decode()
    assert f'value="{project.pk}" checked' in body  # the strong match is preselected

    response = post_accept(client, c, str(project.pk))

    assert response.status_code == 302 and response.url.endswith(f"#cand-{c.pk}")
    assert project.events.filter(stage="started", source="document").exists()


def test_outsider_cannot_accept_a_candidate_they_cannot_see(client, outsider, wujie_doc):
    login(client, outsider)

    response = post_accept(client, only_candidate(wujie_doc), "new")

    assert response.status_code == 404
    assert not Project.objects.exists()


def test_owner_cannot_accept_into_a_project_outside_their_scope(client, owner, colleague, xiting):
    other = ledger.create_project(
        actor=None, fields={"name": "华强光电项目", "town": xiting}, source="system"
    )
    document = ingest(owner, WUJIE_TEXT)
    login(client, owner)

    response = post_accept(client, only_candidate(document), str(other.pk))

    assert response.status_code == 404 and not StageEvent.objects.exists()


def test_a_refused_stage_shows_the_machines_message(client, owner, project):
    document = ingest(owner, KANGHUI_TEXT)
    c = only_candidate(document)
    login(client, owner)
    client.post(reverse("ingest:edit", args=[c.pk]), {
        "version": c.version, "name": c.name, "town": c.town_id, "amount": "近125亿元",
        "stage": "capacity", "date": "2023年2月",
    })  # fmt: skip
    c.refresh_from_db()
    assert (c.status, c.stage, c.fact_date) == ("edited", "capacity", "2023-02")

    response = post_accept(client, c, str(project.pk))

    body = client.get(response.url).content.decode()
    assert "不能从「签约」直接进入「达产」" in body
    assert project.events.count() == 1


def test_colleague_edits_an_amount_with_a_bad_value_and_nothing_changes(
    client, colleague, wujie_doc
):
    c = only_candidate(wujie_doc)
    login(client, colleague)

    response = client.post(
        reverse("ingest:edit", args=[c.pk]),
        {
            "version": c.version,
            "name": c.name,
            "amount": "很多钱",
            "stage": "completed",
            "date": "",
        },
    )

    assert "无法识别的金额" in client.get(response.url).content.decode()
    c.refresh_from_db()
    assert c.status == "pending"


def test_colleague_rejects_with_a_reason(client, colleague, wujie_doc):
    c = only_candidate(wujie_doc)
    login(client, colleague)

    client.post(reverse("ingest:reject", args=[c.pk]), {"version": c.version, "reason": "重复报道"})

    c.refresh_from_db()
    assert (c.status, c.reason, c.decided_by) == ("rejected", "重复报道", colleague)


# --- queries ---


def _many_projects_text(n: int) -> str:
    words = ["华强", "宏达", "金鼎", "恒瑞", "天合", "中科", "博远", "通达"]
    names = ["".join(p) for p in itertools.permutations(words, 2)][:n]
    return "\n\n".join(
        f"2月{i % 27 + 1}日，总投资{i + 1}亿元的{name}光电项目在五接镇正式开工建设。"
        for i, name in enumerate(names)
    )


@pytest.mark.parametrize("n", [3, 30])
def test_the_queue_page_takes_the_same_queries_for_3_or_30_candidates(
    client, owner, colleague, project, n, django_assert_max_num_queries
):
    document = ingest(colleague, _many_projects_text(n), when=date(2023, 3, 3))
    assert document.candidates.count() == n
    first = document.candidates.order_by("position").first()
    assert first is not None
    ledger.create_project(actor=None, fields={"name": "华强宏达光电项目", "town": project.town},
                          source="system")  # fmt: skip
    login(client, owner)

    with django_assert_max_num_queries(12):
        response = client.get(page(document))

    assert response.status_code == 200
    assert response.content.decode().count('class="panel cand') == n
