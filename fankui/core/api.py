"""API conventions shared by every app: authentication and error bodies.

Every error is JSON `{"error": {"code": <stable English code>, "message": <Chinese text>}}`.
"""
from __future__ import annotations

from typing import Any, NoReturn

from django.http import HttpRequest, HttpResponse
from ninja import Field, NinjaAPI, Schema
from ninja.parser import Parser
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.renderers import JSONRenderer
from ninja.security import SessionAuth


class ChineseJSONRenderer(JSONRenderer):
    """UTF-8 JSON: Chinese stays readable with curl instead of becoming \\u escapes."""

    json_dumps_params = {"ensure_ascii": False}


class ApiError(Exception):
    """Raised by endpoints; only here does a domain problem become an HTTP status."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


class SessionUser(SessionAuth):
    """A logged-in browser session (the web UI calls the API too)."""

    def _get_key(self, request: HttpRequest) -> str | None:
        # No session cookie, nothing to authenticate: skip the CSRF check, so a caller with no
        # credentials at all hears 401 "unauthenticated" rather than 403 "CSRF check Failed".
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> object | None:
        return super().authenticate(request, key) if key else None


class ErrorDetail(Schema):
    code: str = Field(..., description="稳定的英文错误码，如 not_found、rate_limited")
    message: str = Field(..., description="中文说明")
    fields: list[dict[str, Any]] | None = Field(None, description="422：每个不合格字段的位置和原因")


class ErrorOut(Schema):
    error: ErrorDetail


# What any endpoint behind `api_auth()` may answer besides its success: not signed in, not allowed
# (or a session without its CSRF token), and input that fails validation.
SIGNED_IN = (401, 403, 422)


def errors(*statuses: int) -> dict[int, type[ErrorOut]]:
    """`response={200: Out, **errors(404)}`: the error answers an endpoint really gives, documented in
    OpenAPI with their body, always including those of SIGNED_IN."""
    return {status: ErrorOut for status in sorted({*SIGNED_IN, *statuses})}


# Endpoints take `auth=api_auth()`; the token scheme is appended by the tickets app.
AUTH_SCHEMES: list[object] = [SessionUser(csrf=True)]


def api_auth() -> list[object]:
    return AUTH_SCHEMES


def refuse_typed_text_in_url() -> NoReturn:
    """The answer of the old `GET …?q=` forms of endpoints that read what a reporter is typing.

    A URL lands in access logs and proxies' logs before any masking runs, and a report may hold a
    password: such text travels only in a POST body.
    """
    raise ApiError(405, "use_post_body", "请用 POST 在请求正文中提交文字：输入的内容不能放在网址里（网址会被记录到日志）。")


def error_body(api: NinjaAPI, request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    return api.create_response(request, {"error": {"code": code, "message": message}}, status=status)


def install_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(ApiError)
    def _api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return error_body(api, request, exc.status, exc.code, exc.message)

    @api.exception_handler(AuthenticationError)
    def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        return error_body(api, request, 401, "unauthenticated", "请先登录或提供有效的访问令牌。")

    @api.exception_handler(ValidationError)
    def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        body = {"error": {"code": "invalid_request", "message": "请求内容不符合要求，请检查各字段。", "fields": exc.errors}}
        return api.create_response(request, body, status=422)

    @api.exception_handler(HttpError)
    def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        codes = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed", 429: "rate_limited"}
        return error_body(api, request, exc.status_code, codes.get(exc.status_code, "error"), _IN_CHINESE.get(exc.status_code, str(exc)))


# django-ninja raises these in English; the API's messages are Chinese.
_IN_CHINESE = {
    400: "请求正文无法解析：应为 JSON 对象。",
    403: "没有权限，或缺少 CSRF 令牌（浏览器会话请求需要）。",
    404: "未找到。",
    405: "不支持该请求方法。",
}


class ObjectBodyParser(Parser):
    """Every request body of this API is a JSON object. Without this check django-ninja reads `[]`,
    `"x"` or `null` as an empty object and fills in the defaults."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = super().parse_body(request)
        if not isinstance(data, dict):
            raise ValueError("the request body must be a JSON object")
        return data
