from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from haotong.api.models import ApiToken
from haotong.core.models import AuditEntry
from tests.api.conftest import bearer


def run(*args: str) -> str:
    out = StringIO()
    call_command("api_token", *args, stdout=out)
    return out.getvalue()


def test_create_prints_a_working_key_once(client, owner, project):
    output = run("create", "owner", "--name", "市统计平台对接")

    key = output.strip().splitlines()[-1]
    assert key.startswith("htk_")
    assert client.get("/api/v1/projects", headers=bearer(key)).json()["count"] == 1
    token = ApiToken.objects.get()
    assert (token.user, token.name) == (owner, "市统计平台对接")
    assert AuditEntry.objects.filter(
        model="api.apitoken", action="create", source="system"
    ).exists()
    assert key not in run("list")


def test_revoke_by_prefix_stops_the_key(client, owner, project):
    key = run("create", "owner", "--name", "临时").strip().splitlines()[-1]
    token = ApiToken.objects.get()

    run("revoke", token.prefix)

    assert client.get("/api/v1/projects", headers=bearer(key)).status_code == 401
    assert AuditEntry.objects.filter(model="api.apitoken", action="revoke").count() == 1


def test_unknown_user_is_a_clear_error(db):
    with pytest.raises(CommandError, match="没有用户「nobody」"):
        run("create", "nobody", "--name", "x")
