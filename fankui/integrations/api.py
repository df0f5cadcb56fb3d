"""The on-behalf-of API: an integration files and reads reports for its own signed-in users.

Every call is signed (fankui/integrations/signing.py) and made for the one app user it names; that
user's reporter login is the `request.auth` of every endpoint, so the tickets chokepoint
(`tickets.selectors.get_ticket_for`) shows them their own reports and nothing else.
"""
from __future__ import annotations

import dataclasses
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.security.base import AuthBase
from pydantic import Field

from fankui.core.api import ApiError, errors
from fankui.core.links import absolute_url
from fankui.integrations.handoff import HANDOFF_SECONDS, issue_handoff, safe_next
from fankui.integrations.models import AppIdentity
from fankui.integrations.services import SignatureRefused, SignedCall, accept_call, accept_filing_call, app_intake
from fankui.integrations.signing import request_purpose
from fankui.tickets import api as tickets_api
from fankui.tickets import selectors
from fankui.tickets.api_schemas import CreatedOut, ListQuery, ReplyOut, TicketIn, TicketOut, TicketPageOut, TicketSummaryOut
from fankui.tickets.models import TEXT_MAX_LENGTH
from fankui.tickets.services import Intake, TicketError, confirm_resolution, reopen_ticket, reply_to_ticket

router = Router(tags=["integrations"])

HEADERS = ("X-Fankui-Integration", "X-Fankui-Timestamp", "X-Fankui-Nonce", "X-Fankui-Identity", "X-Fankui-Signature")


class SignedIdentity(AuthBase):
    """`X-Fankui-*` headers: the integration, and the app user it signs for (see signing.py).

    `files_report`: the endpoint files a report, whose transaction records the call's nonce
    (`request.nonce_claim`), so a report takes the database's write lock once."""

    def __init__(self, *, files_report: bool = False) -> None:
        super().__init__()
        self.files_report = files_report

    openapi_type = "apiKey"
    openapi_in = "header"
    openapi_name = "X-Fankui-Signature"

    def __call__(self, request: HttpRequest) -> object | None:
        key, timestamp, nonce, identity, signature = (request.headers.get(name, "").strip() for name in HEADERS)
        if not (key or signature):
            return None  # not an integration call at all: 401 unauthenticated
        tickets_api.check_size(request)
        if not hasattr(request, "_body"):
            # Read the stream ourselves: `request.body` refuses anything over Django's 2.5 MB in-memory
            # limit, which a screenshot passes. Django parses a multipart form from this same copy, and
            # check_size has already bounded it by FANKUI_API_MAX_REQUEST_BYTES.
            request._body = request.read()  # type: ignore[attr-defined]
        body: bytes = request.body
        call = SignedCall(
            key=key,
            timestamp=timestamp,
            nonce=nonce,
            signature=signature,
            identity=identity,
            purpose=request_purpose(request.method or "GET", request.get_full_path(), body),
        )
        try:
            if self.files_report:
                app_identity, request.nonce_claim = accept_filing_call(call)  # type: ignore[attr-defined]
            else:
                app_identity = accept_call(call)
        except SignatureRefused as exc:
            raise ApiError(exc.status, exc.code, exc.message) from None
        request.app_identity = app_identity  # type: ignore[attr-defined]
        return app_identity.user


signed = [SignedIdentity()]
signed_filing = [SignedIdentity(files_report=True)]


class ContextIn(Schema):
    """Where the report was filed from, as the app or page knows it; shown to handlers."""

    app_version: str = Field("", max_length=50)
    device_model: str = Field("", max_length=100)
    os: str = Field("", max_length=100, description="如 iOS 17.5、Android 14")
    page: str = Field("", max_length=200, description="App 内的页面或屏幕")
    network: str = Field("", max_length=50, description="如 wifi、4g")
    page_url: str = Field("", max_length=2000, description="网页系统中的当前网址")
    browser: str = Field("", max_length=300)


class OnBehalfTicketIn(TicketIn):
    context: ContextIn = Field(default_factory=ContextIn)


class ReasonIn(Schema):
    reason: str = Field("", max_length=TEXT_MAX_LENGTH)


class ReplyBodyIn(Schema):
    body: str = Field(..., min_length=1, max_length=TEXT_MAX_LENGTH)


def _app_identity(request: HttpRequest) -> AppIdentity:
    return request.app_identity  # type: ignore[attr-defined,no-any-return]


@router.post("/tickets", response={200: CreatedOut, 201: CreatedOut, **errors(400, 409, 413, 415, 429)}, auth=signed_filing, summary="代用户提交问题")
def create(request: HttpRequest) -> HttpResponse | tuple[int, dict[str, object]]:
    """As `POST /api/v1/tickets` (JSON or multipart with screenshots), plus `context`."""
    limited = tickets_api.rate_limited(request)
    if limited is not None:
        return limited
    identity = _app_identity(request)

    def adapt(intake: Intake, data: OnBehalfTicketIn) -> Intake:
        return dataclasses.replace(app_intake(identity, intake, data.context.model_dump()), claims=[request.nonce_claim])  # type: ignore[attr-defined]

    try:
        result = tickets_api.file_from_request(request, identity.user, OnBehalfTicketIn, adapt)
    except SignatureRefused as exc:  # the nonce was used meanwhile: nothing was written
        raise ApiError(exc.status, exc.code, exc.message) from None
    return (201 if result.created else 200), tickets_api.created_body(result.ticket, result.notices)


@router.get("/tickets", response={200: TicketPageOut, **errors()}, auth=signed, summary="该用户的反馈")
def list_mine(request: HttpRequest, params: Query[ListQuery]) -> dict[str, object]:
    user = _app_identity(request).user
    tickets = selectors.visible_tickets(user).filter(reporter=user)
    if params.status:
        tickets = tickets.filter(status=params.status)
    start = (params.page - 1) * params.page_size
    page = list(tickets.select_related("region", "system", "assignee")[start : start + params.page_size])
    results = [tickets_api.summary(ticket) for ticket in page]
    return {"count": tickets.count(), "page": params.page, "page_size": params.page_size, "results": results}


@router.get("/tickets/{ref}", response={200: TicketOut, **errors(404)}, auth=signed, summary="该用户的一条反馈")
def get_one(request: HttpRequest, ref: str) -> dict[str, object]:
    user = _app_identity(request).user
    return tickets_api.detail(user, tickets_api.get_ticket_or_404(user, ref))


@router.post("/tickets/{ref}/replies", response={201: ReplyOut, **errors(400, 404, 409, 413, 415, 429)}, auth=signed, summary="用户补充回复")
def reply(request: HttpRequest, ref: str) -> HttpResponse | tuple[int, dict[str, object]]:
    limited = tickets_api.rate_limited(request)
    if limited is not None:
        return limited
    user = _app_identity(request).user
    ticket = tickets_api.get_ticket_or_404(user, ref)
    data = tickets_api.validate_body(ReplyBodyIn, tickets_api.json_object(request))
    try:
        event = reply_to_ticket(ticket=ticket, by=user, body=data.body)
    except TicketError as exc:
        raise tickets_api.ticket_error(exc) from exc
    return 201, tickets_api.event_out(ticket, event)


@router.post("/tickets/{ref}/confirm", response={200: TicketSummaryOut, **errors(404, 409)}, auth=signed, summary="确认已解决")
def confirm(request: HttpRequest, ref: str) -> dict[str, object]:
    user = _app_identity(request).user
    try:
        ticket = confirm_resolution(ticket=tickets_api.get_ticket_or_404(user, ref), by=user)
    except TicketError as exc:
        raise tickets_api.ticket_error(exc) from exc
    return tickets_api.summary(ticket)


@router.post("/tickets/{ref}/reopen", response={200: TicketSummaryOut, **errors(404, 409)}, auth=signed, summary="未解决，重新打开")
def reopen(request: HttpRequest, ref: str) -> dict[str, object]:
    user = _app_identity(request).user
    ticket = tickets_api.get_ticket_or_404(user, ref)
    data = tickets_api.validate_body(ReasonIn, tickets_api.json_object(request))
    try:
        ticket = reopen_ticket(ticket=ticket, by=user, reason=data.reason or "报告人表示问题未解决")
    except TicketError as exc:
        raise tickets_api.ticket_error(exc) from exc
    return tickets_api.summary(ticket)


class HandoffIn(Schema):
    next: str = Field("", max_length=200, description="打开后进入的 H5 页面路径，如推送中的 /integrations/h5/tickets/FK…/；默认 提交反馈")
    context: ContextIn = Field(default_factory=ContextIn, description="App 版本、机型等，随在 H5 中提交的反馈保存")


class HandoffOut(Schema):
    url: str = Field(..., description="一次性链接，在 App 的 webview 中打开")
    expires_in: int = Field(..., description="秒")


@router.post("/h5-links", response={201: HandoffOut, **errors()}, auth=signed, summary="H5 一次性登录链接")
def h5_link(request: HttpRequest) -> tuple[int, dict[str, object]]:
    """A one-time link (valid 2 minutes) that opens the H5 pages as this app user in the app's webview."""
    data = tickets_api.validate_body(HandoffIn, tickets_api.json_object(request))
    token = issue_handoff(_app_identity(request), context={name: value for name, value in data.context.model_dump().items() if value})
    url = absolute_url("integrations:h5_start", token) + "?" + urlencode({"next": safe_next(data.next)})
    return 201, {"url": url, "expires_in": HANDOFF_SECONDS}
