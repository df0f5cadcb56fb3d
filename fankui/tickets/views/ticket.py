"""The ticket page, shared by reporters and handlers, and its reply form."""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fankui.accounts.selectors import person_of
from fankui.directory.models import Person, System
from fankui.directory.selectors import primary_contact
from fankui.tickets.forms import EscalateForm, ReopenForm, ReplyForm, RequestInfoForm, ResolveForm, escalation_targets
from fankui.tickets.models import Ticket, TicketEvent
from fankui.tickets.presence import touch as touch_presence
from fankui.tickets.selectors import TicketNotFound, answers_since, canned_choices, get_ticket_for, is_current_handler, is_handler, live_secrets, timeline_for
from fankui.tickets.services import VAULTED_NOTICE, TicketError, mark_seen, reply_to_ticket


def fetch(request: HttpRequest, ref: str) -> Ticket:
    """The one way these views get a ticket: missing and not-yours are both 404."""
    try:
        return get_ticket_for(request.user, ref)
    except TicketNotFound:
        raise Http404(_("没有找到该问题。")) from None


def proposed_system(ticket: Ticket) -> System | None:
    name = ticket.routing.get("system") if isinstance(ticket.routing, dict) else None
    return ticket.system or (System.objects.filter(name=name).first() if name else None)


def proposed_target(ticket: Ticket, system: System | None) -> str:
    """The escalation target the directory proposes, as an EscalateForm `target` value ('' if none)."""
    contact = ticket.routing.get("contact") if isinstance(ticket.routing, dict) else None
    if isinstance(contact, dict):
        contact = contact.get("name") or contact.get("email")
    if not contact and system is not None:
        card = primary_contact(system, ticket.description)
        contact = card.name if card else None
    if not contact:
        return ""
    if "@" in contact:
        return f"m:{contact}"
    person = Person.objects.filter(name=contact).only("pk").first()
    return f"p:{person.pk}" if person else ""


def display_name(user: Any) -> str:
    person = person_of(user)
    return person.name if person else (user.get_full_name() or user.get_username())


def handler_forms(ticket: Ticket) -> dict[str, Any]:
    system = proposed_system(ticket)
    escalate = EscalateForm(
        targets=escalation_targets(),
        initial={"system": system.pk if system else None, "target": proposed_target(ticket, system)},
    )
    return {
        "resolve_form": ResolveForm(),
        "individual_form": ResolveForm(initial={"individual": True}),
        "info_form": RequestInfoForm(),
        "escalate_form": escalate,
    }


def _with_status_labels(events: Iterable[TicketEvent]) -> list[TicketEvent]:
    """Status events store the raw value; the page shows its Chinese label."""
    labels = dict(Ticket.Status.choices)
    timeline = list(events)
    for event in timeline:
        event.status_label = labels.get(event.data.get("status", ""), "")  # type: ignore[attr-defined]
    return timeline


def ticket_page(request: HttpRequest, ticket: Ticket, *, status: int = 200, **overrides: Any) -> HttpResponse:
    """Render the ticket page; `overrides` carry a bound form with its errors, or revealed secrets."""
    user = request.user
    handler = is_handler(user, ticket)  # type: ignore[arg-type]
    events = _with_status_labels(timeline_for(user, ticket))  # type: ignore[arg-type]
    context: dict[str, Any] = {
        "ticket": ticket,
        "events": events,
        "seen_event": max((event.pk for event in events), default=0),
        "attachments": ticket.attachments.all(),
        "secret_count": live_secrets(ticket).count(),
        "is_handler": handler,
        "is_reporter": ticket.reporter_id == user.pk,
        "reply_form": ReplyForm(),
    }
    if handler:
        context.update(handler_forms(ticket))
        mark_seen(ticket=ticket, user=user)  # type: ignore[arg-type]
        context["canned"] = canned_choices(user, ticket)  # type: ignore[arg-type]
        context["present"] = touch_presence(ticket.pk, user_id=user.pk, name=display_name(user))  # type: ignore[arg-type]
        context["can_reveal"] = bool(context["secret_count"]) and is_current_handler(user, ticket)  # type: ignore[arg-type]
    if ticket.status == Ticket.Status.RESOLVED:
        context["reopen_form"] = ReopenForm()
    context.update(overrides)
    response = render(request, "tickets/detail.html", context, status=status)
    if "revealed" in overrides:
        # Decrypted credentials must not sit in any cache or in the browser's back/forward history.
        response["Cache-Control"] = "no-store"
    return response


@login_required
def detail(request: HttpRequest, ref: str) -> HttpResponse:
    return ticket_page(request, fetch(request, ref))


@login_required
@require_POST
def reply(request: HttpRequest, ref: str) -> HttpResponse:
    ticket = fetch(request, ref)
    form = ReplyForm(request.POST)
    if form.is_valid():
        # Only handlers may write internal notes; a reporter's reply is always public.
        internal = form.cleaned_data["internal"] and is_handler(request.user, ticket)  # type: ignore[arg-type]
        late = [] if internal else answers_since(ticket, request.user, form.cleaned_data["seen"])  # type: ignore[arg-type]
        if late:
            return ticket_page(request, ticket, status=409, reply_form=form, late_answers=late)
        try:
            event = reply_to_ticket(ticket=ticket, by=request.user, body=form.cleaned_data["body"], public=not internal)  # type: ignore[arg-type]
        except TicketError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已添加内部备注。") if internal else _("回复已发送。"))
            if event.data.get("vaulted"):
                messages.info(request, VAULTED_NOTICE)
            return redirect("tickets:detail", ref=ticket.ref)
    return ticket_page(request, ticket, status=400, reply_form=form)
