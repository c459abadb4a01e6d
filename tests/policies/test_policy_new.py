"""Creating a policy from the catalogue: policy staff only, validated, audited."""

from __future__ import annotations

from haotong.core.models import AuditEntry
from haotong.policies.models import Policy
from tests.conftest import login

URL = "/policies/catalogue/new/"
GOOD = {
    "title": "通州区促进集成电路产业发展若干政策",
    "issuer": "通州区人民政府",
    "document_number": "通政规〔2023〕1号",
    "period_start": "2023-01-01",
    "period_end": "2025-12-31",
    "text": "第一条 ……",
}


def test_policy_staff_create_a_policy_and_it_is_audited(client, colleague):
    login(client, colleague)
    response = client.post(URL, GOOD)
    policy = Policy.objects.get(title=GOOD["title"])
    assert response.status_code == 302
    assert response["Location"] == policy.get_absolute_url()
    entry = AuditEntry.objects.get(model="policies.policy", object_id=str(policy.pk))
    assert (entry.actor, entry.action, entry.source) == (colleague, "create", "user")


def test_it_refuses_a_period_that_ends_before_it_starts(client, colleague):
    login(client, colleague)
    response = client.post(URL, {**GOOD, "period_end": "2022-12-31"})
    assert response.status_code == 400
    assert "有效期止不能早于有效期起" in response.content.decode()
    assert not Policy.objects.exists()


def test_team_members_cannot_open_or_post_the_form(client, owner, outsider):
    for user in (owner, outsider):
        login(client, user)
        assert client.get(URL).status_code == 404
        assert client.post(URL, GOOD).status_code == 404
    assert not Policy.objects.exists()


def test_the_catalogue_links_to_the_form_for_staff(client, colleague):
    login(client, colleague)
    assert URL in client.get("/policies/catalogue/").content.decode()
