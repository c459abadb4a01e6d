"""Review pages as owner (invited reviewer), colleague (发改委 analyst) and outsider
(reviewer of a department that was not invited)."""

from __future__ import annotations

from datetime import date

import pytest

from haotong.core.models import DistrictSetting
from haotong.review import services
from haotong.review.models import Opinion, Reminder, Review, ReviewPolicy
from tests.conftest import login
from tests.review.conftest import answer, make_project, scores


@pytest.fixture
def owner(env_reviewer):
    return env_reviewer


@pytest.fixture
def outsider(uninvited_reviewer):
    return uninvited_reviewer


def opinion_post(value="8", **over: str) -> dict[str, str]:
    data = {f"score_{k}": str(v) for k, v in scores(value).items()}
    return data | {f"score_{k}": v for k, v in over.items()} | {"comments": "原则同意"}


# --- list ---------------------------------------------------------------------


def test_owner_lists_the_reviews_they_are_invited_to(client, owner, review):
    login(client, owner)
    body = client.get("/review/").content.decode()
    assert "高端封装载板项目" in body
    assert "发起研判" not in body  # reviewers do not call reviews


def test_colleague_lists_every_review_and_the_projects_awaiting_one(
    client, colleague, review, wujie
):
    make_project(wujie, name="待研判的载板项目", yi=12)
    login(client, colleague)
    body = client.get("/review/").content.decode()
    assert "高端封装载板项目" in body and "待研判的载板项目" in body and "发起研判" in body


def test_outsider_lists_nothing(client, outsider, review):
    login(client, outsider)
    body = client.get("/review/").content.decode()
    assert "高端封装载板项目" not in body and "暂无研判会商" in body


def test_a_late_department_shows_its_working_days_overdue(client, colleague, review, env_reviewer):
    DistrictSetting.objects.create(key="ledger_as_of", value="2023-03-03")
    answer(review, env_reviewer)
    login(client, colleague)
    body = client.get("/review/").content.decode()
    assert "区自然资源和规划分局 逾期4个工作日" in body
    assert "区生态环境局 逾期" not in body


@pytest.mark.parametrize("n", [3, 30])
def test_the_list_runs_a_fixed_number_of_queries(
    client, colleague, wujie, env_dept, land_dept, n, django_assert_max_num_queries
):
    for i in range(n):
        services.start_review(
            actor=colleague, project=make_project(wujie, name=f"项目{i}"),
            departments=[env_dept, land_dept], source="user", on=date(2023, 2, 20),
        )  # fmt: skip
    login(client, colleague)
    with django_assert_max_num_queries(8):
        response = client.get("/review/")
    assert response.content.decode().count("/review/") >= n


# --- detail -------------------------------------------------------------------


def test_owner_sees_the_review_and_their_opinion_form(client, owner, review):
    login(client, owner)
    body = client.get(f"/review/{review.pk}/").content.decode()
    assert "区生态环境局意见" in body and "score_energy_environment" in body
    assert "按规则作出结论" not in body and ">催办</button>" not in body


def test_colleague_sees_the_review_with_verdict_and_chase_forms(client, colleague, review):
    login(client, colleague)
    body = client.get(f"/review/{review.pk}/").content.decode()
    assert "按规则作出结论" in body and body.count(">催办</button>") == 2
    assert "score_energy_environment" not in body


def test_outsider_gets_404_for_the_review_and_its_minutes(client, outsider, review):
    login(client, outsider)
    assert client.get(f"/review/{review.pk}/").status_code == 404
    assert client.get(f"/review/{review.pk}/minutes.docx").status_code == 404


def test_a_town_team_member_gets_404(client, review, wujie):
    from haotong.core.services import create_user
    from tests.conftest import PASSWORD

    member = create_user(username="m", password=PASSWORD, role="team_member", org_unit=wujie)
    login(client, member)
    assert client.get(f"/review/{review.pk}/").status_code == 404


# --- opinion ------------------------------------------------------------------


def test_owner_submits_an_opinion(client, owner, review):
    login(client, owner)
    response = client.post(f"/review/{review.pk}/opinion/", opinion_post(), follow=True)
    assert "已提交本部门意见" in response.content.decode()
    assert Opinion.objects.get().reviewer == owner


def test_an_out_of_range_score_is_refused_on_the_page(client, owner, review):
    login(client, owner)
    response = client.post(
        f"/review/{review.pk}/opinion/", opinion_post(technology="11"), follow=True
    )
    assert "「技术先进性」的评分11超出范围（0–10）" in response.content.decode()
    assert not Opinion.objects.exists()


def test_a_score_that_is_not_a_number_is_refused_in_chinese(client, owner, review):
    login(client, owner)
    response = client.post(
        f"/review/{review.pk}/opinion/", opinion_post(technology="高"), follow=True
    )
    assert "技术先进性" in response.content.decode() and "数字" in response.content.decode()
    assert not Opinion.objects.exists()


def test_colleague_cannot_give_a_departments_opinion(client, colleague, review):
    login(client, colleague)
    assert client.post(f"/review/{review.pk}/opinion/", opinion_post()).status_code == 403


def test_outsider_cannot_give_an_opinion(client, outsider, review):
    login(client, outsider)
    assert client.post(f"/review/{review.pk}/opinion/", opinion_post()).status_code == 404
    assert not Opinion.objects.exists()


# --- chase and verdict --------------------------------------------------------


def test_colleague_chases_a_department(client, colleague, review):
    inv = review.invitations.first()
    login(client, colleague)
    response = client.post(
        f"/review/{review.pk}/invitations/{inv.pk}/chase/", {"note": "请反馈"}, follow=True
    )
    assert "已催办" in response.content.decode()
    assert Reminder.objects.get().note == "请反馈"


def test_owner_cannot_chase(client, owner, review):
    login(client, owner)
    inv = review.invitations.first()
    assert client.post(f"/review/{review.pk}/invitations/{inv.pk}/chase/").status_code == 403
    assert not Reminder.objects.exists()


def test_colleague_records_the_verdict(client, colleague, review, env_reviewer, land_reviewer):
    answer(review, env_reviewer, 9)
    answer(review, land_reviewer, 9)
    review.refresh_from_db()
    login(client, colleague)
    response = client.post(
        f"/review/{review.pk}/verdict/", {"version": review.version}, follow=True
    )
    assert "研判结论：通过" in response.content.decode()
    review.refresh_from_db()
    assert review.verdict == "passed"


def test_a_verdict_without_all_opinions_is_refused_on_the_page(
    client, colleague, review, env_reviewer
):
    answer(review, env_reviewer)
    review.refresh_from_db()
    login(client, colleague)
    response = client.post(
        f"/review/{review.pk}/verdict/", {"version": review.version}, follow=True
    )
    assert "尚有1个部门未提交意见" in response.content.decode()
    assert Review.objects.get().status == "open"


def test_owner_cannot_record_a_verdict(client, owner, review):
    login(client, owner)
    assert (
        client.post(f"/review/{review.pk}/verdict/", {"version": review.version}).status_code == 403
    )


# --- start and policy ---------------------------------------------------------


def test_colleague_starts_a_review(client, colleague, major, env_dept):
    login(client, colleague)
    response = client.post(
        f"/review/start/{major.pk}/", {"departments": [env_dept.pk], "note": "首次会商"}
    )
    review = Review.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/review/{review.pk}/"
    assert review.called_by == colleague


@pytest.mark.parametrize("who", ["owner", "outsider"])
def test_reviewers_cannot_start_a_review(client, who, request, major):
    login(client, request.getfixturevalue(who))
    assert client.get(f"/review/start/{major.pk}/").status_code == 403


def test_colleague_publishes_a_policy_version_from_the_page(client, colleague):
    login(client, colleague)
    page = client.get("/review/policy/")
    assert page.status_code == 200 and "投资强度" in page.content.decode()
    data = {
        "min_investment_yuan": "2000000000", "manufacturing_min_yuan": "100000000",
        "manufacturing_sections": "C", "pass_score": "80", "conditional_score": "60",
        "opinion_working_days": "5", "note": "门槛调整为20亿", "expected_version": "0",
        "c-TOTAL_FORMS": "1", "c-INITIAL_FORMS": "0",
        "c-0-code": "fit", "c-0-name": "产业契合度", "c-0-min_score": "0", "c-0-max_score": "10",
        "c-0-weight": "1",
    }  # fmt: skip
    response = client.post("/review/policy/", data, follow=True)
    assert "已发布研判规则第1版" in response.content.decode()
    assert ReviewPolicy.objects.get().min_investment_yuan == 2000000000


def test_weights_that_do_not_parse_are_refused(client, colleague):
    login(client, colleague)
    data = {
        "min_investment_yuan": "1000000000", "manufacturing_min_yuan": "100000000",
        "manufacturing_sections": "C", "pass_score": "75", "conditional_score": "60",
        "opinion_working_days": "5", "expected_version": "0",
        "c-TOTAL_FORMS": "1", "c-INITIAL_FORMS": "0",
        "c-0-code": "fit", "c-0-name": "产业契合度", "c-0-min_score": "0", "c-0-max_score": "10",
        "c-0-weight": "一点五",
    }  # fmt: skip
    body = client.post("/review/policy/", data).content.decode()
    assert "规则未发布：评分细则第1行「权重」：输入一个数字。" in body
    assert not ReviewPolicy.objects.exists()


@pytest.mark.parametrize("who", ["owner", "outsider"])
def test_reviewers_cannot_edit_the_policy(client, who, request):
    login(client, request.getfixturevalue(who))
    assert client.get("/review/policy/").status_code == 403
