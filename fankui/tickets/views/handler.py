"""Pages for the people who handle tickets: the queue and the actions on a ticket."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fankui.accounts.models import Profile
from fankui.accounts.selectors import role_of
from fankui.tickets.forms import EscalateForm, QueueFilterForm, RequestInfoForm, ResolveForm, escalation_targets
from fankui.tickets.models import Ticket
from fankui.kb.search import SearchRefused, ticket_ids_matching
from fankui.tickets.selectors import due_of, is_handler, queue_rows, visible_tickets
from fankui.tickets.services import TicketError, escalate_ticket, request_information, resolve_ticket, reveal_secrets
from fankui.tickets.views.ticket import fetch, ticket_page

HANDLER_ROLES = {Profile.Role.CONSULTANT, Profile.Role.OWNER, Profile.Role.ADMIN}
QUEUE_PAGE_SIZE = 50


def _fetch_as_handler(request: HttpRequest, ref: str) -> Ticket:
    """A ticket the user may act on: 404 if they cannot see it, 403 if they may only read it."""
    ticket = fetch(request, ref)
    if not is_handler(request.user, ticket):  # type: ignore[arg-type]
        raise PermissionDenied(_("只有处理人可以执行此操作。"))
    return ticket


def queue_tickets(request: HttpRequest, form: QueueFilterForm) -> QuerySet[Ticket]:
    """Deadline first by default (the guide's SLA), narrowed by the filters and the text search."""
    tickets = visible_tickets(request.user)
    data = form.cleaned_data if form.is_valid() else {}
    status = data.get("status", "")
    if not status:
        tickets = tickets.filter(status__in=[Ticket.Status.OPEN, Ticket.Status.WAITING])
    elif status != "all":
        tickets = tickets.filter(status=status)
    if data.get("tier"):
        tickets = tickets.filter(tier=data["tier"])
    text = (data.get("q") or "").strip()
    if text:
        try:
            tickets = tickets.filter(pk__in=ticket_ids_matching(text, tickets))
        except SearchRefused as refused:
            form.add_error("q", refused.message)
            tickets = tickets.none()
    return queue_rows(tickets, data.get("sort") or "due")


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) not in HANDLER_ROLES:
        return redirect("tickets:mine")
    form = QueueFilterForm(request.GET)
    page = Paginator(queue_tickets(request, form), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [(ticket, due_of(ticket, now)) for ticket in page]
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(request, "tickets/queue.html", {"form": form, "page": page, "rows": rows, "now": now, "query": filters.urlencode()})


@login_required
@require_POST
def resolve(request: HttpRequest, ref: str) -> HttpResponse:
    ticket = _fetch_as_handler(request, ref)
    form = ResolveForm(request.POST)
    if form.is_valid():
        individual = form.cleaned_data["individual"]
        try:
            resolve_ticket(ticket=ticket, by=request.user, reply=form.cleaned_data["reply"], individual=individual)  # type: ignore[arg-type]
        except TicketError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已标记为个性问题并解决，报告人会收到回复。") if individual else _("已解决，报告人会收到回复。"))
            return redirect("tickets:detail", ref=ticket.ref)
    key = "individual_form" if request.POST.get("individual") else "resolve_form"
    return ticket_page(request, ticket, status=400, **{key: form})


@login_required
@require_POST
def request_info(request: HttpRequest, ref: str) -> HttpResponse:
    ticket = _fetch_as_handler(request, ref)
    form = RequestInfoForm(request.POST)
    if form.is_valid():
        try:
            request_information(ticket=ticket, by=request.user, question=form.cleaned_data["question"])  # type: ignore[arg-type]
        except TicketError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已请报告人补充信息，期间暂停计时。"))
            return redirect("tickets:detail", ref=ticket.ref)
    return ticket_page(request, ticket, status=400, info_form=form)


@login_required
@require_POST
def escalate(request: HttpRequest, ref: str) -> HttpResponse:
    ticket = _fetch_as_handler(request, ref)
    form = EscalateForm(request.POST, targets=escalation_targets())
    if form.is_valid():
        owner, label = form.owner_and_label()
        try:
            ticket = escalate_ticket(
                ticket=ticket,
                by=request.user,  # type: ignore[arg-type]
                system=form.cleaned_data["system"],
                owner=owner,
                contact_label=label,
                reason=form.cleaned_data["reason"],
            )
        except TicketError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已升级给 %(who)s。") % {"who": ticket.escalated_to})
            # After handing it over a consultant may no longer see it; the queue is where they continue.
            if not visible_tickets(request.user).filter(pk=ticket.pk).exists():
                return redirect("tickets:queue")
            return redirect("tickets:detail", ref=ticket.ref)
    return ticket_page(request, ticket, status=400, escalate_form=form)


@login_required
@require_POST
def reveal(request: HttpRequest, ref: str) -> HttpResponse:
    """Show the ticket's credentials once, in this response only (never stored, never logged)."""
    ticket = _fetch_as_handler(request, ref)
    try:
        revealed = reveal_secrets(ticket=ticket, by=request.user)  # type: ignore[arg-type]
    except TicketError as error:
        messages.error(request, error.message)
        return ticket_page(request, ticket, status=403)
    return ticket_page(request, ticket, revealed=revealed)
