"""Creating, checking and revoking API tokens. Creation and revocation are audited."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from haotong.api.models import ApiToken
from haotong.core import audit
from haotong.core.models import User

KEY_PREFIX = "htk_"
PREFIX_LENGTH = len(KEY_PREFIX) + 8
# Writing last_used_at on every request would turn each read into a write;
# minute resolution is enough to tell a live integration from a dead one.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _token_summary(token: ApiToken) -> dict[str, object]:
    return {
        "user": token.user_id,
        "name": token.name,
        "prefix": token.prefix,
        "revoked_at": token.revoked_at and token.revoked_at.isoformat(),
    }


@transaction.atomic
def create_token(*, actor: User | None, user: User, name: str, source: str) -> tuple[ApiToken, str]:
    """Return the new token and its key. The key is not stored and cannot be shown again."""
    if not user.is_active:
        raise ValidationError(f"用户「{user.username}」已停用，不能创建令牌")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=name.strip(), prefix=key[:PREFIX_LENGTH], key_hash=hash_key(key)
    )
    token.full_clean()
    token.save()
    audit.record(
        actor=actor, action="create", obj=token, before=None, after=_token_summary(token),
        source=source, detail=f"为用户 {user.username} 创建接口令牌",
    )  # fmt: skip
    return token, key


@transaction.atomic
def revoke_token(*, actor: User | None, token: ApiToken, source: str) -> ApiToken:
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.is_revoked:
        return locked
    before = _token_summary(locked)
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at"])
    audit.record(
        actor=actor, action="revoke", obj=locked, before=before, after=_token_summary(locked),
        source=source, detail=f"吊销用户 {locked.user.username} 的接口令牌",
    )  # fmt: skip
    return locked


def check_key(key: str) -> ApiToken | None:
    """The active token whose key this is, with its user loaded for scoping; else None."""
    if not key.startswith(KEY_PREFIX):
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user__org_unit")
        .filter(key_hash=hash_key(key), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
