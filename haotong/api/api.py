"""The NinjaAPI instance behind /api/v1: authentication, error shapes, routers.

Errors always answer ``{"detail": "<中文说明>", "errors": ...}``: 401 no or bad
credentials, 403 not allowed, 404 not found *or not visible to the caller* (the
API never reveals that a record outside the caller's scope exists), 422 refused
input (schema errors and the stage machine's refusals).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError
from ninja.renderers import JSONRenderer

from haotong.api.auth import BearerToken, Session
from haotong.api.enterprises import router as enterprises_router
from haotong.api.projects import router as projects_router


class ReadableJSON(JSONRenderer):
    """UTF-8 JSON with Chinese as characters, not \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


api = NinjaAPI(
    title="好通 haotong API",
    version="1",
    description=(
        "通州区项目台账接口。认证：请求头 `Authorization: Bearer <令牌>`"
        "（用 `haotong api_token create 用户名 --name 用途` 创建），"
        "或浏览器登录会话（写操作需带 CSRF 令牌）。所有结果按调用者的权限范围过滤。"
    ),
    urls_namespace="api-v1",
    auth=[BearerToken(), Session()],
    renderer=ReadableJSON(),
    # The Swagger page is served only from the copy django-ninja ships, which Django
    # finds when "ninja" is an installed app; otherwise ninja would load it from a CDN,
    # which government intranets cannot reach, so there is no docs page at all.
    docs_url="/docs" if "ninja" in settings.INSTALLED_APPS else None,
)
api.add_router("/projects", projects_router)
api.add_router("/enterprises", enterprises_router)
api.add_router("/ingest", "haotong.ingest.api.router")


def _error(request: HttpRequest, status: int, detail: str, errors: object = None) -> HttpResponse:
    return api.create_response(request, {"detail": detail, "errors": errors}, status=status)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = exc.message if exc.message != "Unauthorized" else _("请先登录，或提供有效的接口令牌")
    response = _error(request, 401, message)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return _error(request, exc.status_code, exc.message)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, 403, str(exc) or _("您无权执行此操作"))


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, _("未找到该记录，或您无权查看"))


@api.exception_handler(ValidationError)
def on_refused(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return _error(request, 422, "；".join(exc.messages), errors)


@api.exception_handler(SchemaError)
def on_schema_error(request: HttpRequest, exc: SchemaError) -> HttpResponse:
    return _error(request, 422, _("请求数据格式有误，请检查各字段"), exc.errors)
