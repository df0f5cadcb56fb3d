"""Incident pages: the status page for all staff, and one incident with the owners' actions."""
from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fankui.incidents import selectors, services
from fankui.incidents.models import Incident
from fankui.workflow import incidents as workflow


@login_required
def status(request: HttpRequest) -> HttpResponse:
    """Open and recently resolved incidents by system. 业主 see it only when configured, without personal data."""
    if not selectors.is_public_reader(request.user):
        raise PermissionDenied(_("共性问题状态页仅对员工开放。"))
    board = selectors.status_board()
    if not selectors.is_staff_user(request.user):
        # Reporters (staff and 业主) see what is being handled, not the unconfirmed guesses.
        board = {system: [i for i in items if i.state != Incident.State.PROPOSED] for system, items in board.items()}
        board = {system: items for system, items in board.items() if items}
    context = {"board": board, "personal": selectors.shows_personal_data(request.user), "staff": selectors.is_staff_user(request.user)}
    return render(request, "incidents/status.html", context)


def _incident(request: HttpRequest, incident_id: int) -> Incident:
    try:
        return selectors.get_incident_for(request.user, incident_id)
    except selectors.IncidentNotFound:
        raise Http404(_("共性问题不存在，或您无权查看。")) from None


@login_required
def detail(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = _incident(request, incident_id)
    staff = selectors.is_staff_user(request.user)
    members = selectors.with_members(Incident.objects.filter(pk=incident.pk)).get()
    links = [link for link in members.links.all() if staff or link.ticket.reporter_id == request.user.pk]
    updates = [u for u in incident.updates.select_related("actor") if staff or u.public]
    others = Incident.objects.filter(state__in=Incident.OPEN_STATES).exclude(pk=incident.pk).order_by("-created_at")[:20] if staff else []
    context = {
        "incident": members,
        "title": selectors.title_for(members, request.user),
        "links": links,
        "updates": updates,
        "staff": staff,
        "can_manage": selectors.can_manage(request.user, incident),
        "others": others,
        "eta_text": selectors.display_eta(incident.eta) if incident.eta else "",
    }
    return render(request, "incidents/detail.html", context)


def _eta(value: str) -> datetime.datetime | None:
    """The form's datetime-local value, read as Asia/Shanghai."""
    parsed = parse_datetime(value.strip()) if value and value.strip() else None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


@login_required
@require_POST
def act(request: HttpRequest, incident_id: int, action: str) -> HttpResponse:
    """One form per decision; each calls one service and comes back to the incident."""
    incident = _incident(request, incident_id)
    if action == "follow":
        target = incident
    elif not selectors.can_manage(request.user, incident):
        raise PermissionDenied(_("只有该系统的对接人、相关大区的实施顾问或管理员可以处理该共性问题。"))
    post, user = request.POST, request.user
    try:
        if action == "confirm":
            target = workflow.confirm_incident(incident=incident, by=user, title=post.get("title", ""), summary=post.get("summary", ""), eta=_eta(post.get("eta", "")))  # type: ignore[arg-type]
            messages.success(request, _("已确认为共性问题，新的报告人提交时会看到它。"))
        elif action == "dismiss":
            target = services.dismiss_incident(incident=incident, by=user, reason=post.get("reason", ""))  # type: ignore[arg-type]
            messages.success(request, _("已驳回，这些工单按个性问题分别处理。"))
        elif action == "merge":
            source = _incident(request, int(post.get("source") or 0))
            if not selectors.can_manage(request.user, source):
                raise PermissionDenied(_("只有该系统的对接人、相关大区的实施顾问或管理员可以处理该共性问题。"))
            target = services.merge_incidents(target=incident, source=source, by=user)  # type: ignore[arg-type]
            messages.success(request, _("已合并。"))
        elif action == "split":
            target = services.split_incident(incident=incident, by=user, refs=post.getlist("refs"), title=post.get("title", ""))  # type: ignore[arg-type]
            messages.success(request, _("已拆分为新的共性问题，请确认或驳回。"))
        elif action == "update":
            services.post_update(incident=incident, by=user, body=post.get("body", ""), eta=_eta(post.get("eta", "")))  # type: ignore[arg-type]
            target = incident
            messages.success(request, _("进展已发布，已通知所有报告人和关注人。"))
        elif action == "resolve":
            target = workflow.resolve_incident(incident=incident, by=user, resolution=post.get("resolution", ""))  # type: ignore[arg-type]
            messages.success(request, _("已解决，其工单已一并解决并通知报告人。"))
        elif action == "follow":
            services.follow_incident(incident=incident, user=user)  # type: ignore[arg-type]
            messages.success(request, _("已关注，解决后会通知您。"))
        else:
            raise Http404(action)
    except services.IncidentError as exc:
        messages.error(request, exc.message)
        target = incident
    return redirect("incidents:detail", incident_id=target.pk)
