"""会商纪要: open the generated .docx with python-docx and read it back."""

from __future__ import annotations

import io

from docx import Document

from haotong.review.minutes import build_minutes
from haotong.review.views import _invitations
from tests.conftest import login
from tests.review.conftest import answer, decide


def text_of(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_minutes_hold_facts_departments_every_opinion_and_the_verdict(
    review, env_reviewer, land_reviewer, colleague
):
    answer(review, env_reviewer, 9, conditions="落实能耗等量替代")
    services_comment = "用地符合国土空间规划"
    from haotong.review import services

    services.submit_opinion(
        actor=land_reviewer, review=review, scores={**_scores(7), "technology": 6},
        comments=services_comment, source="user",
    )  # fmt: skip
    decided = decide(review, colleague)

    text = text_of(build_minutes(decided, _invitations(decided)))

    assert "重大项目落户研判会商纪要" in text
    assert "高端封装载板项目" in text and "30亿元" in text and "五接镇" in text
    assert "总投资≥10亿元" in text
    assert "区生态环境局" in text and "区自然资源和规划分局" in text
    assert "env_reviewer" in text and "land_reviewer" in text
    assert services_comment in text and "原则同意" in text
    assert "技术先进性" in text and "能耗与环保" in text
    assert "结论：有条件通过" in text
    assert "区生态环境局：落实能耗等量替代" in text
    assert "草稿" not in text


def test_minutes_of_an_open_review_are_marked_draft_and_list_missing_opinions(review, env_reviewer):
    answer(review, env_reviewer)
    text = text_of(build_minutes(review, _invitations(review)))
    assert "草稿" in text and "未提交意见。" in text and "尚未作出结论。" in text


def test_minutes_record_the_veto(review, env_reviewer, land_reviewer, colleague):
    answer(review, env_reviewer, 9, energy_environment=1)
    answer(review, land_reviewer, 9)
    decided = decide(review, colleague)
    text = text_of(build_minutes(decided, _invitations(decided)))
    assert "结论：不通过" in text
    assert "一票否决：区生态环境局：能耗与环保1分，低于否决线4分" in text


def test_the_minutes_download_is_a_docx_for_those_who_see_the_review(client, review, env_reviewer):
    login(client, env_reviewer)
    response = client.get(f"/review/{review.pk}/minutes.docx")
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert "高端封装载板项目" in text_of(response.content)


def _scores(value):
    from tests.review.conftest import scores

    return scores(value)
