"""Who is calling: a bearer token (machine clients) or the browser session (with CSRF)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import APIKeyCookie, HttpBearer
from ninja.utils import check_csrf

from haotong.api.services import check_key
from haotong.core.models import User


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User:
        found = check_key(token.strip())
        if found is None:
            # A key was offered and is wrong or revoked: answer 401 now rather than
            # falling through to the session check and its CSRF 403.
            raise AuthenticationError(message=_("接口令牌无效或已吊销"))
        request.api_token = found  # type: ignore[attr-defined]
        return found.user


class Session(APIKeyCookie):
    """The logged-in browser session; unsafe methods must carry the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def _get_key(self, request: HttpRequest) -> str | None:
        if check_csrf(request):
            raise HttpError(403, _("CSRF 校验失败：请刷新页面后重试"))
        return request.COOKIES.get(self.param_name)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        return user if user.is_authenticated else None


def caller(request: HttpRequest) -> User:
    """The authenticated user of an API request, whichever way they authenticated."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)
    return user


def caller_label(request: HttpRequest) -> str:
    """How the call was authenticated, for the audit trail's source detail."""
    token = getattr(request, "api_token", None)
    return f"API 令牌 {token.prefix}" if token is not None else "API 浏览器会话"
