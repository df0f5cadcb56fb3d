"""The incidents API: list, the known-problem lookup for intake forms, follow, and the owners' decisions."""
from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, Literal

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from ninja import Field, Router, Schema

from fankui.core.api import ApiError, api_auth, errors, refuse_typed_text_in_url
from fankui.incidents import selectors, services
from fankui.incidents.models import Incident
from fankui.tickets.models import TEXT_MAX_LENGTH
from fankui.workflow import incidents as workflow

router = Router(tags=["incidents"])

NOT_FOUND = "共性问题不存在，或您无权查看。"
STATUS = {"incident_state": 409, "merge_same": 422, "split_empty": 422, "split_all": 422, "empty_update": 422, "empty_resolution": 422}


class KnownIn(Schema):
    text: str = Field("", max_length=TEXT_MAX_LENGTH, description="报告人正在输入的问题描述")
    system: str = Field("", max_length=50)
    region: str = Field("", max_length=20)


class IncidentOut(Schema):
    id: int
    state: Literal["proposed", "confirmed", "resolved", "dismissed"]
    system: str | None
    title: str
    tickets: list[str]
    regions: list[str]
    created_at: datetime.datetime


class IncidentDetailOut(IncidentOut):
    summary: str
    reason: str | None
    eta: datetime.datetime | None
    resolution: str
    followers: int
    merged_into: int | None
    can_manage: bool
    updates: list[dict[str, Any]]


class KnownOut(Schema):
    id: int
    title: str
    system: str | None
    summary: str
    eta: datetime.datetime | None
    score: float
    reports: int
    followers: int
    notice: str


class FollowOut(Schema):
    id: int
    following: bool
    created: bool
    followers: int


class ConfirmIn(Schema):
    title: str = Field("", max_length=200)
    summary: str = Field("", max_length=2000)
    eta: datetime.datetime | None = None


class DismissIn(Schema):
    reason: str = Field("", max_length=2000)


class MergeIn(Schema):
    source: int = Field(..., description="被合并的共性问题 id（其工单移入本问题）")


class SplitIn(Schema):
    refs: list[str] = Field(..., min_length=1, max_length=200)
    title: str = Field("", max_length=200)


class UpdateIn(Schema):
    body: str = Field(..., min_length=1, max_length=4000)
    eta: datetime.datetime | None = None


class ResolveIn(Schema):
    resolution: str = Field(..., min_length=1, max_length=4000)


def _row(user: AbstractBaseUser, incident: Incident, staff: bool) -> dict[str, Any]:
    links = list(incident.links.all())
    mine = [link for link in links if staff or link.ticket.reporter_id == user.pk]
    return {
        "id": incident.pk,
        "state": incident.state,
        "system": incident.system.name if incident.system else None,
        "title": selectors.title_for(incident, user),
        "tickets": [link.ticket.ref for link in mine],
        "regions": sorted({link.ticket.region.name for link in links if link.ticket.region}),
        "created_at": incident.created_at,
    }


def _get(user: AbstractBaseUser, incident_id: int) -> Incident:
    try:
        return selectors.get_incident_for(user, incident_id)
    except selectors.IncidentNotFound:
        raise ApiError(404, "not_found", NOT_FOUND) from None


def _managed(user: AbstractBaseUser, incident_id: int) -> Incident:
    incident = _get(user, incident_id)
    if not selectors.can_manage(user, incident):
        raise ApiError(403, "not_concerned", "只有该系统的对接人、相关大区的实施顾问或管理员可以处理该共性问题。")
    return incident


def _run(action: Callable[[], Any]) -> Any:
    try:
        return action()
    except services.IncidentError as exc:
        raise ApiError(STATUS.get(exc.code, 422), exc.code, exc.message) from None


def _detail(user: AbstractBaseUser, incident_id: int) -> dict[str, Any]:
    incident = selectors.with_members(selectors.visible_incidents(user).filter(pk=incident_id)).first()
    if incident is None:
        raise ApiError(404, "not_found", NOT_FOUND)
    staff = selectors.is_staff_user(user)
    updates = incident.updates.select_related("actor").order_by("at", "id")
    return {
        **_row(user, incident, staff),
        "summary": incident.summary,
        "reason": incident.reason if staff else None,
        "eta": incident.eta,
        "resolution": incident.resolution,
        "followers": incident.follower_count,  # type: ignore[attr-defined]
        "merged_into": incident.merged_into_id,
        "can_manage": selectors.can_manage(user, incident),
        "updates": [
            {"kind": u.kind, "at": u.at, "body": u.body, "public": u.public}
            for u in updates
            if staff or u.public
        ],
    }


@router.get("", response={200: list[IncidentOut], **errors()}, auth=api_auth(), summary="共性问题列表")
def list_incidents(request: HttpRequest, state: str = "") -> list[dict[str, Any]]:
    """Staff: every incident; reporters: the confirmed/resolved ones their tickets belong to or they follow."""
    user = request.auth  # type: ignore[attr-defined]
    incidents = selectors.with_members(selectors.visible_incidents(user)).order_by("-created_at", "-id")
    if state:
        incidents = incidents.filter(state=state)
    staff = selectors.is_staff_user(user)
    return [_row(user, incident, staff) for incident in incidents[:200]]


@router.get("/known", include_in_schema=False)
def known_by_url(request: HttpRequest) -> None:
    refuse_typed_text_in_url()


@router.post("/known", response={200: list[KnownOut], **errors(400)}, auth=api_auth(), summary="已知问题（提交前提示）")
def known(request: HttpRequest, payload: KnownIn) -> list[dict[str, Any]]:
    """Confirmed incidents matching a report being typed; the intake form shows them before submit."""
    text = payload.text[:2000]
    if len(text.strip()) < 4:
        return []
    return [k.as_dict() for k in selectors.known_incidents_for(text, payload.system or None, payload.region or None)[:3]]


@router.get("/{incident_id}", response={200: IncidentDetailOut, **errors(404)}, auth=api_auth(), summary="共性问题详情")
def detail(request: HttpRequest, incident_id: int) -> dict[str, Any]:
    return _detail(request.auth, incident_id)  # type: ignore[attr-defined]


@router.post("/{incident_id}/follow", response={200: FollowOut, **errors(400, 404, 409)}, auth=api_auth(), summary="关注共性问题")
def follow(request: HttpRequest, incident_id: int) -> dict[str, Any]:
    """Follow a confirmed incident instead of filing: you hear its updates and its resolution."""
    user = request.auth  # type: ignore[attr-defined]
    try:
        incident = selectors.followable_incident(user, incident_id)
    except selectors.IncidentNotFound:
        raise ApiError(404, "not_found", "该共性问题不存在或已不在处理中。") from None
    created = _run(lambda: services.follow_incident(incident=incident, user=user))
    return {"id": incident.pk, "following": True, "created": created, "followers": incident.followers.count()}


@router.post("/{incident_id}/confirm", response={200: IncidentDetailOut, **errors(400, 404, 409)}, auth=api_auth(), summary="确认为共性问题")
def confirm(request: HttpRequest, incident_id: int, data: ConfirmIn) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    incident = _managed(user, incident_id)
    _run(lambda: workflow.confirm_incident(incident=incident, by=user, title=data.title, summary=data.summary, eta=data.eta))
    return _detail(user, incident_id)


@router.post("/{incident_id}/dismiss", response={200: IncidentDetailOut, **errors(400, 404, 409)}, auth=api_auth(), summary="驳回（个性问题）")
def dismiss(request: HttpRequest, incident_id: int, data: DismissIn) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    incident = _managed(user, incident_id)
    _run(lambda: services.dismiss_incident(incident=incident, by=user, reason=data.reason))
    return _detail(user, incident_id)


@router.post("/{incident_id}/merge", response={200: IncidentDetailOut, **errors(400, 404, 409)}, auth=api_auth(), summary="合并另一个共性问题到本问题")
def merge(request: HttpRequest, incident_id: int, data: MergeIn) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    target, source = _managed(user, incident_id), _managed(user, data.source)
    _run(lambda: services.merge_incidents(target=target, source=source, by=user))
    return _detail(user, incident_id)


@router.post("/{incident_id}/split", response={200: IncidentDetailOut, **errors(400, 404, 409)}, auth=api_auth(), summary="拆分出部分工单")
def split(request: HttpRequest, incident_id: int, data: SplitIn) -> dict[str, Any]:
    """Move the given tickets into a new proposed incident; answers with the new incident."""
    user = request.auth  # type: ignore[attr-defined]
    incident = _managed(user, incident_id)
    new = _run(lambda: services.split_incident(incident=incident, by=user, refs=data.refs, title=data.title))
    return _detail(user, new.pk)


@router.post("/{incident_id}/updates", response={200: IncidentDetailOut, **errors(400, 404, 409)}, auth=api_auth(), summary="发布进展")
def update(request: HttpRequest, incident_id: int, data: UpdateIn) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    incident = _managed(user, incident_id)
    _run(lambda: services.post_update(incident=incident, by=user, body=data.body, eta=data.eta))
    return _detail(user, incident_id)


@router.post("/{incident_id}/resolve", response={200: IncidentDetailOut, **errors(400, 404, 409)}, auth=api_auth(), summary="解决（同时解决其工单）")
def resolve(request: HttpRequest, incident_id: int, data: ResolveIn) -> dict[str, Any]:
    user = request.auth  # type: ignore[attr-defined]
    incident = _managed(user, incident_id)
    _run(lambda: workflow.resolve_incident(incident=incident, by=user, resolution=data.resolution))
    return _detail(user, incident_id)
