"""An incident's decisions that reach every ticket in it: confirming notes it on each timeline, resolving
resolves each open ticket. They sit above incidents and tickets, so neither app calls the other's services.

Notifications are outbox rows in the same transaction, each with a dedup key per incident and person.
"""
from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from fankui.incidents import services as incidents
from fankui.incidents.models import Incident, IncidentUpdate
from fankui.tickets.models import Ticket
from fankui.tickets.services import reply_to_ticket, resolve_ticket


@transaction.atomic
def confirm_incident(
    *, incident: Incident, by: AbstractBaseUser, title: str = "", summary: str = "", eta: datetime.datetime | None = None
) -> Incident:
    """It is 共性: group the tickets (a note on each timeline) and show it to new reporters at intake."""
    incident = incidents.locked(incident)
    incidents.require_state(incident, Incident.State.PROPOSED)
    incident.state = Incident.State.CONFIRMED
    incident.confirmed_at, incident.confirmed_by = timezone.now(), by
    incident.title = incidents.masked(title).strip()[:200] or incident.title
    incident.summary = incidents.masked(summary).strip() or incident.summary
    incident.eta = eta or incident.eta
    incident.save()
    IncidentUpdate.objects.create(incident=incident, kind=IncidentUpdate.Kind.CONFIRMED, actor=by, body=incident.summary, public=True)
    for ticket in Ticket.objects.filter(incident_link__incident=incident, status__in=[Ticket.Status.OPEN, Ticket.Status.WAITING]):
        reply_to_ticket(ticket=ticket, by=by, body=f"已归入共性问题 #{incident.pk}：{incident.title}", public=False)
    return incident


@transaction.atomic
def resolve_incident(*, incident: Incident, by: AbstractBaseUser, resolution: str) -> Incident:
    """Resolve the incident and, through `resolve_ticket`, each of its open tickets (each keeps its record).

    Exactly one resolution notice per person: a reporter whose ticket is resolved now hears it through
    that ticket (its notice carries the incident's answer and the reopen link); followers and reporters
    whose tickets were already closed get one incident notice, `incident:{id}:resolved:{user_id}`.
    """
    resolution = incidents.masked(resolution).strip()
    if not resolution:
        raise incidents.IncidentError("empty_resolution", "请写明处理结果，所有报告人都会收到。")
    incident = incidents.locked(incident)
    incidents.require_state(incident, *Incident.OPEN_STATES)
    incident.state = Incident.State.RESOLVED
    incident.resolution = resolution
    incident.resolved_at, incident.resolved_by = timezone.now(), by
    incident.save()
    IncidentUpdate.objects.create(incident=incident, kind=IncidentUpdate.Kind.RESOLVED, actor=by, body=resolution, public=True)
    heard: set[int] = set()
    active = Ticket.objects.filter(incident_link__incident=incident, status__in=[Ticket.Status.OPEN, Ticket.Status.WAITING]).order_by("created_at")
    for ticket in active:
        # A reporter with several tickets in the incident hears it once: through the first of them.
        resolve_ticket(ticket=ticket, by=by, reply=f"【共性问题 #{incident.pk} 已解决】{resolution}", tell_reporter=ticket.reporter_id not in heard)
        heard.add(ticket.reporter_id)
    incidents.tell_audience(incident, event="resolved", subject=f"已解决：{incident.title}", body=resolution, skip=heard)
    return incident
