"""The tickets API: file a report, read it back, reply, list.

Endpoints parse, fetch through `selectors`, call `services`, and only here does a domain refusal
become an HTTP status (`TICKET_ERROR_STATUS`). Request bodies are parsed by hand rather than by
ninja so that intake can take JSON or multipart on one URL, and so that every malformed request
gets the house error body with a Chinese message (ninja's own is English).
"""
from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import pydantic
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import RequestDataTooBig, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from ninja import Query, Router
from ninja.errors import ValidationError

from fankui.accounts.models import Profile
from fankui.core.api import ApiError, api_auth, errors
from fankui.core.counters import count_one
from fankui.core.links import absolute_url
from fankui.directory.models import Region, System
from fankui.directory.selectors import normalize
from fankui.incidents.selectors import incident_id_for
from fankui.kb.models import Article
from fankui.tickets import selectors
from fankui.tickets.api_schemas import (
    SecretIn,
    TicketIn,
    ReplyIn,
    RoutingOut,
    SuggestionOut,
    CreatedOut,
    AttachmentOut,
    EventOut,
    ReplyOut,
    TicketSummaryOut,
    TicketOut,
    TicketPageOut,
    ListQuery,
)
from fankui.tickets.attachments import UploadRejected
from fankui.tickets.files import signed_link
from fankui.tickets.upload_limits import upload_refusals
from fankui.tickets.models import Attachment, Ticket, TicketEvent
from fankui.tickets.services import VAULTED_NOTICE, Intake, IntakeResult, IncomingFile, SecretInput, TicketError, reply_to_ticket
from fankui.workflow.intake import file_report

log = logging.getLogger(__name__)
router = Router(tags=["tickets"])

# One place where workflow refusals become statuses; a code missing here answers 422.
TICKET_ERROR_STATUS: Mapping[str, int] = {
    "empty_description": 422,
    "empty_reply": 422,
    "no_owner": 422,
    "idempotency_conflict": 409,
    "ticket_not_active": 409,
    "ticket_not_resolved": 409,
    "reopen_window_passed": 409,
    "not_current_handler": 403,
}
NOT_FOUND_MESSAGE = "找不到该工单，或您无权查看。"


# ---- parsing ----------------------------------------------------------------------------------

M = TypeVar("M", bound=pydantic.BaseModel)


def validate_body(model: type[M], data: object) -> M:
    try:
        return model.model_validate(data)
    except pydantic.ValidationError as exc:
        # Same 422 body as ninja's own validation (core/api.py); .json() keeps it serialisable.
        raise ValidationError(json.loads(exc.json(include_url=False, include_context=False))) from exc


def _size_text(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{max(size // 1024, 1)} KB"


def check_size(request: HttpRequest) -> None:
    limit = settings.FANKUI_API_MAX_REQUEST_BYTES
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise ApiError(400, "bad_request", "请求头 Content-Length 无效。") from None
    if length > limit:
        raise ApiError(413, "request_too_large", f"请求内容过大（上限 {_size_text(limit)}）。")


def json_object(request: HttpRequest) -> object:
    if request.content_type != "application/json":
        raise ApiError(415, "unsupported_media_type", "请以 application/json 格式提交。")
    try:
        return json.loads(request.body.decode("utf-8"))
    except RequestDataTooBig:
        raise ApiError(413, "request_too_large", "请求内容过大。") from None
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "malformed_json", "请求内容不是有效的 JSON。") from None


def intake_payload(request: HttpRequest) -> tuple[object, list[IncomingFile]]:
    """The report's fields and files, from a JSON body or a multipart form (the apps' screenshots)."""
    if request.content_type != "multipart/form-data":
        if request.content_type != "application/json":
            raise ApiError(415, "unsupported_media_type", "请以 application/json 或 multipart/form-data 格式提交。")
        return json_object(request), []
    try:
        form, uploads = request.POST, request.FILES
    except (RequestDataTooBig, TooManyFilesSent):
        raise ApiError(413, "request_too_large", "上传的内容或文件数量超出上限。") from None
    except MultiPartParserError:
        raise ApiError(400, "malformed_multipart", "无法解析上传的表单内容。") from None
    for refusal in upload_refusals(request):
        raise ApiError(refusal.http_status, refusal.code, refusal.message)
    data: dict[str, object] = {key: form.get(key) for key in form if key != "secrets"}
    if form.get("secrets"):
        # A multipart form has no lists of objects: secrets come as one JSON-encoded field.
        try:
            data["secrets"] = json.loads(form["secrets"])
        except ValueError:
            raise ApiError(400, "malformed_json", "secrets 字段不是有效的 JSON。") from None
    files = [IncomingFile(filename=f.name or "upload", data=f.read()) for key in uploads for f in uploads.getlist(key)]
    return data, files


# ---- the guard rails every write passes ------------------------------------------------------


def rate_limited(request: HttpRequest) -> HttpResponse | None:
    """Fixed one-minute window per token (or per session user), counted in Django's cache, which every
    process shares (Redis, or the data folder's SQLite cache on one machine)."""
    limit = settings.FANKUI_API_POSTS_PER_MINUTE
    token = getattr(request, "api_token", None)
    who = f"token:{token.pk}" if token is not None else f"user:{request.auth.pk}"  # type: ignore[attr-defined]
    now = int(timezone.now().timestamp())
    key = f"fankui:api-posts:{who}:{now // 60}"
    if count_one(key, timeout=120) <= limit:
        return None
    body = {"error": {"code": "rate_limited", "message": f"提交过于频繁（每分钟最多 {limit} 次），请稍后再试。"}}
    response = JsonResponse(body, status=429, json_dumps_params={"ensure_ascii": False})
    response["Retry-After"] = str(60 - now % 60)
    return response


def ticket_error(exc: TicketError) -> ApiError:
    return ApiError(TICKET_ERROR_STATUS.get(exc.code, 422), exc.code, exc.message)


def get_ticket_or_404(user: AbstractBaseUser, ref: str) -> Ticket:
    try:
        return selectors.get_ticket_for(user, ref)
    except selectors.TicketNotFound:
        raise ApiError(404, "not_found", NOT_FOUND_MESSAGE) from None


# ---- lookups for intake ------------------------------------------------------------------------


def _system_named(name: str) -> System:
    wanted = normalize(name)
    for system in System.objects.only("name", "aliases"):
        if wanted == normalize(system.name) or wanted in {normalize(alias) for alias in system.aliases}:
            return system
    raise ApiError(422, "unknown_system", f"未知系统“{name}”，请使用通讯录中的系统名称或别名，或留空。")


def _region_named(name: str) -> Region:
    region = Region.objects.select_related("consultant").filter(name=name.strip()).first() or (
        Region.objects.select_related("consultant").filter(code=normalize(name)).first()
    )
    if region is None:
        raise ApiError(422, "unknown_region", f"未知大区“{name}”。")
    return region


def _profile(user: AbstractBaseUser) -> Profile | None:
    """The reporter's profile: already loaded with a bearer token (tokens.verify_token), else fetched."""
    if not Profile.user.field.remote_field.is_cached(user):
        return Profile.objects.select_related("region__consultant").filter(user=user).first()
    try:
        return user.profile  # type: ignore[attr-defined,no-any-return]
    except Profile.DoesNotExist:
        return None


def intake_from(user: AbstractBaseUser, data: TicketIn, files: Sequence[IncomingFile], key: str) -> Intake:
    profile = _profile(user)
    region = _region_named(data.region) if data.region else (profile.region if profile else None)
    return Intake(
        description=data.description,
        channel=data.channel,
        title=data.title,
        urgency=data.urgency,
        system=_system_named(data.system) if data.system else None,
        region=region,
        project=data.project if data.project is not None else (profile.project if profile else ""),
        reporter_kind=profile.kind if profile else Profile.Kind.STAFF,
        secrets=[SecretInput(s.label, s.value) for s in data.secrets],
        files=files,
        idempotency_key=key,
    )


# ---- rendering -------------------------------------------------------------------------------


def ticket_url(ticket: Ticket) -> str:
    return absolute_url("tickets:detail", ticket.ref)


def _attachment(user: AbstractBaseUser, ticket: Ticket, item: Attachment) -> dict[str, object]:
    url = absolute_url("tickets:attachment", ticket.ref, item.pk)
    return {
        "id": item.pk,
        "filename": item.filename,
        "content_type": item.content_type,
        "size": item.size,
        "width": item.width,
        "height": item.height,
        "url": url,
        "thumbnail_url": absolute_url("tickets:attachment_thumb", ticket.ref, item.pk) if item.has_thumbnail else None,
        "link": signed_link(user, ticket.ref, item),
        "thumbnail_link": signed_link(user, ticket.ref, item, thumbnail=True) if item.has_thumbnail else None,
    }


def _routing(ticket: Ticket) -> dict[str, object]:
    fields = RoutingOut.model_fields
    return {name: ticket.routing.get(name) for name in fields if name in ticket.routing}


def _suggestions(ticket: Ticket) -> list[dict[str, str]]:
    """The router's FAQ suggestions as {slug, title}.

    `Ticket.routing` keeps each suggestion's slug and title; tickets filed before it did keep the text the
    router prints ("title\nbody"), whose slug is found again by title (one query).
    """
    stored = ticket.routing.get("faq") or []
    if all(isinstance(item, Mapping) and item.get("slug") for item in stored):
        return [{"slug": str(item["slug"]), "title": str(item.get("title", ""))} for item in stored]
    titles: list[str] = []
    for item in stored:
        title = item.get("title") if isinstance(item, Mapping) else str(item).split("\n", 1)[0]
        if title and title not in titles:
            titles.append(str(title))
    if not titles:
        return []
    slugs: dict[str, str] = {}
    for title, slug in Article.objects.filter(title__in=titles).order_by("-position", "-id").values_list("title", "slug"):
        slugs[title] = slug  # the first by position wins: it is written last
    return [{"slug": slugs[title], "title": title} for title in titles if title in slugs]


def _actor(user: AbstractBaseUser | None) -> str | None:
    if user is None:
        return None
    return user.get_full_name() or user.get_username()  # type: ignore[attr-defined]


# What of an event's data a timeline shows; the rest (previous values, counts) stays internal.
_EVENT_DETAILS = ("status", "owner", "system", "channel")


def summary(ticket: Ticket) -> dict[str, object]:
    return {
        "ref": ticket.ref,
        "title": ticket.title,
        "status": ticket.status,
        "urgency": ticket.urgency,
        "tier": ticket.tier,
        "channel": ticket.channel,
        "region": ticket.region.name if ticket.region else None,
        "project": ticket.project,
        "system": ticket.system.name if ticket.system else None,
        "assignee": ticket.assignee.name if ticket.assignee else None,
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
        "url": ticket_url(ticket),
    }


def detail(user: AbstractBaseUser, ticket: Ticket) -> dict[str, object]:
    handler = selectors.is_handler(user, ticket)
    events = list(selectors.timeline_for(user, ticket))
    timeline = [
        {
            "id": event.pk,
            "kind": event.kind,
            "public": event.public,
            "at": event.at,
            "actor": _actor(event.actor),
            "body": event.body,
            "details": {k: event.data[k] for k in _EVENT_DETAILS if k in event.data},
            "attachments": [_attachment(user, ticket, a) for a in event.attachments.all()],
        }
        for event in events
    ]
    attachments = [a for event in timeline for a in event["attachments"]]  # type: ignore[attr-defined]
    if handler:
        # Files not tied to any event were never shown on a timeline: handlers only.
        attachments += [_attachment(user, ticket, a) for a in ticket.attachments.filter(event__isnull=True)]
    return {
        **summary(ticket),
        "description": ticket.description,
        "topic": ticket.topic,
        "reporter": _actor(ticket.reporter),
        "reporter_kind": ticket.reporter_kind,
        "consultant": ticket.consultant.name if ticket.consultant else None,
        "escalated_to": ticket.escalated_to,
        "first_response_due": ticket.first_response_due,
        "resolution_due": ticket.resolution_due,
        "first_responded_at": ticket.first_responded_at,
        "resolved_at": ticket.resolved_at,
        "closed_at": ticket.closed_at,
        "routing": _routing(ticket) if handler else None,
        "context": ticket.context if handler else None,
        "incident_id": incident_id_for(ticket),
        "timeline": timeline,
        "attachments": attachments,
    }


def event_out(ticket: Ticket, event: TicketEvent) -> dict[str, object]:
    return {
        "id": event.pk,
        "kind": event.kind,
        "public": event.public,
        "at": event.at,
        "actor": _actor(event.actor),
        "body": event.body,
        "details": {},
        "attachments": [],
    }


# ---- endpoints --------------------------------------------------------------------------------

def _inline_schema(model: type[pydantic.BaseModel]) -> dict[str, Any]:
    """The model's JSON schema with its nested models inlined, to embed in `openapi_extra`."""
    schema = model.model_json_schema()
    defs = schema.pop("$defs", {})

    def resolve(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return resolve(defs[node["$ref"].rsplit("/", 1)[-1]])
            return {key: resolve(value) for key, value in node.items()}
        if isinstance(node, list):
            return [resolve(item) for item in node]
        return node

    return resolve(schema)  # type: ignore[no-any-return]


_INTAKE_DOC = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": _inline_schema(TicketIn)},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "description": "TicketIn 的各字段作为表单字段；secrets 为 JSON 字符串；截图放在 files",
                    "properties": {"description": {"type": "string"}, "files": {"type": "array", "items": {"type": "string", "format": "binary"}}},
                    "required": ["description"],
                }
            },
        },
    },
    "parameters": [{"in": "header", "name": "Idempotency-Key", "required": False, "schema": {"type": "string", "maxLength": 100}}],
}


@router.post(
    "",
    response={200: CreatedOut, 201: CreatedOut, **errors(400, 409, 413, 415, 429)},
    auth=api_auth(),
    summary="提交问题 / file a report",
    openapi_extra=_INTAKE_DOC,
)
def create(request: HttpRequest) -> HttpResponse | tuple[int, dict[str, object]]:
    """201 with the new ticket; 200 with the first one when an Idempotency-Key is replayed."""
    limited = rate_limited(request)
    if limited is not None:
        return limited
    user: AbstractBaseUser = request.auth  # type: ignore[attr-defined]
    result = file_from_request(request, user, TicketIn, lambda intake, data: intake)
    return (201 if result.created else 200), created_body(result.ticket, result.notices)


T = TypeVar("T", bound=TicketIn)


def file_from_request(request: HttpRequest, user: AbstractBaseUser, schema: type[T], adapt: Callable[[Intake, T], Intake]) -> IntakeResult:
    """File the report a request carries (JSON or multipart) for `user`; `adapt` lets a channel
    add what only it knows (the integrations' app context) to the intake."""
    check_size(request)
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 100:
        raise ApiError(422, "invalid_idempotency_key", "Idempotency-Key 不能超过 100 个字符。")
    raw, files = intake_payload(request)
    data = validate_body(schema, raw)
    try:
        return file_report(reporter=user, intake=adapt(intake_from(user, data, files, key), data))
    except TicketError as exc:
        raise ticket_error(exc) from exc
    except UploadRejected as exc:
        # The attachments module owns its table of statuses: size 413, type 415, the rest 422.
        raise ApiError(exc.http_status, exc.code, exc.message) from exc


def created_body(ticket: Ticket, notices: Sequence[str]) -> dict[str, object]:
    return {
        "ref": ticket.ref,
        "status": ticket.status,
        "routing": _routing(ticket),
        "url": ticket_url(ticket),
        "notices": list(notices),
        "suggestions": _suggestions(ticket),
    }


@router.get("", response={200: TicketPageOut, **errors()}, auth=api_auth(), summary="工单列表 / list tickets")
def list_tickets(request: HttpRequest, params: Query[ListQuery]) -> dict[str, object]:
    """Without `mine`, everything the caller may see (a consultant's region, an owner's escalations)."""
    user: AbstractBaseUser = request.auth  # type: ignore[attr-defined]
    tickets = selectors.visible_tickets(user)
    if params.mine:
        tickets = tickets.filter(reporter=user)
    if params.status:
        tickets = tickets.filter(status=params.status)
    start = (params.page - 1) * params.page_size
    page = list(tickets.select_related("region", "system", "assignee")[start : start + params.page_size])
    return {"count": tickets.count(), "page": params.page, "page_size": params.page_size, "results": [summary(t) for t in page]}


@router.get("/{ref}", response={200: TicketOut, **errors(404)}, auth=api_auth(), summary="工单详情 / a ticket and its timeline")
def get_ticket(request: HttpRequest, ref: str) -> dict[str, object]:
    user: AbstractBaseUser = request.auth  # type: ignore[attr-defined]
    return detail(user, get_ticket_or_404(user, ref))


@router.post(
    "/{ref}/replies",
    response={201: ReplyOut, **errors(400, 404, 409, 413, 415, 429)},
    auth=api_auth(),
    summary="回复 / reply or add an internal note",
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": _inline_schema(ReplyIn)}}}},
)
def reply(request: HttpRequest, ref: str) -> HttpResponse | tuple[int, dict[str, object]]:
    limited = rate_limited(request)
    if limited is not None:
        return limited
    check_size(request)
    user: AbstractBaseUser = request.auth  # type: ignore[attr-defined]
    ticket = get_ticket_or_404(user, ref)
    data = validate_body(ReplyIn, json_object(request))
    if not data.public and not selectors.is_handler(user, ticket):
        raise ApiError(403, "forbidden", "只有处理人可以添加内部备注。")
    try:
        event = reply_to_ticket(ticket=ticket, by=user, body=data.body, public=data.public)
    except TicketError as exc:
        raise ticket_error(exc) from exc
    return 201, {**event_out(ticket, event), "notices": [VAULTED_NOTICE] if event.data.get("vaulted") else []}
