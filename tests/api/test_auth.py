from __future__ import annotations

import hashlib

from django.test import Client

from haotong.api.models import ApiToken
from haotong.api.services import create_token, revoke_token
from haotong.core.models import AuditEntry
from tests.api.conftest import bearer, key_for
from tests.conftest import login

LIST = "/api/v1/projects"


def test_valid_token_authenticates_as_its_user(client, owner, project):
    response = client.get(LIST, headers=bearer(key_for(owner)))

    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_token_is_scoped_like_its_user(client, outsider, project):
    response = client.get(LIST, headers=bearer(key_for(outsider)))

    assert response.json()["count"] == 0


def test_wrong_token_gets_401(client, owner, project):
    key = key_for(owner)

    response = client.get(LIST, headers=bearer(key[:-1] + ("A" if key[-1] != "A" else "B")))

    assert response.status_code == 401
    assert response.json()["detail"] == "接口令牌无效或已吊销"


def test_revoked_token_gets_401(client, owner, project):
    token, key = create_token(actor=None, user=owner, name="旧对接", source="system")
    revoke_token(actor=None, token=token, source="system")

    assert client.get(LIST, headers=bearer(key)).status_code == 401


def test_token_of_a_deactivated_user_gets_401(client, owner, project):
    key = key_for(owner)
    owner.is_active = False
    owner.save()

    assert client.get(LIST, headers=bearer(key)).status_code == 401


def test_wrong_token_is_401_even_with_a_logged_in_session(client, owner, project):
    login(client, owner)

    assert client.get(LIST, headers=bearer("htk_not-a-real-key")).status_code == 401


def test_only_the_hash_of_the_key_is_stored(owner):
    token, key = create_token(actor=None, user=owner, name="统计平台", source="system")

    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key.startswith(token.prefix) and len(token.prefix) < len(key) // 3
    assert not ApiToken.objects.filter(key_hash=key).exists()
    assert key not in str(AuditEntry.objects.values_list("before", "after", "source_detail"))


def test_use_stamps_last_used(client, owner, project):
    token, key = create_token(actor=None, user=owner, name="统计平台", source="system")

    client.get(LIST, headers=bearer(key))

    token.refresh_from_db()
    assert token.last_used_at is not None


def test_creation_and_revocation_are_audited(owner, colleague):
    token, _ = create_token(actor=colleague, user=owner, name="统计平台", source="user")
    revoke_token(actor=colleague, token=token, source="user")

    entries = AuditEntry.objects.filter(model="api.apitoken", object_id=str(token.pk)).order_by(
        "id"
    )
    assert [(e.action, e.actor) for e in entries] == [("create", colleague), ("revoke", colleague)]
    assert entries[0].after["prefix"] == token.prefix
    assert entries[1].before["revoked_at"] is None and entries[1].after["revoked_at"]


def test_session_post_needs_the_csrf_token(owner, project):
    browser = Client(enforce_csrf_checks=True)
    login(browser, owner)
    body = {"stage": "land", "date": "2022-09-01"}
    url = f"{LIST}/{project.pk}/events"

    refused = browser.post(url, body, content_type="application/json")
    secret = "a" * 32
    browser.cookies["csrftoken"] = secret
    accepted = browser.post(
        url, body, content_type="application/json", headers={"X-CSRFToken": secret}
    )

    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert accepted.status_code == 201


def test_token_post_needs_no_csrf_token(owner, project):
    machine = Client(enforce_csrf_checks=True)

    response = machine.post(
        f"{LIST}/{project.pk}/events",
        {"stage": "land", "date": "2022-09-01"},
        content_type="application/json",
        headers=bearer(key_for(owner)),
    )

    assert response.status_code == 201
