"""Pages for the people who handle tickets: the queue and the actions on a ticket."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fankui.accounts.models import Profile
from fankui.accounts.selectors import role_of
from fankui.directory.models import Person, Region
from fankui.tickets.bulk import BulkAction, bulk_act
from fankui.tickets.forms import QUEUE_VIEWS, BulkForm, CannedReplyForm, EscalateForm, QueueFilterForm, SaveViewForm, RequestInfoForm, ResolveForm, escalation_targets
from fankui.tickets.models import SavedView, Ticket
from fankui.tickets.presence import touch as touch_presence
from fankui.kb.search import SearchRefused, ticket_ids_matching
from fankui.tickets.selectors import (
    ACTIVE,
    acting_for_user,
    answers_since,
    builtin_view_q,
    canned_replies_for,
    count_new,
    due_of,
    filters_q,
    is_handler,
    queue_rows,
    saved_views_of,
    view_counts,
    visible_tickets,
    with_news,
)
from fankui.tickets.services import TicketError, save_canned_reply, save_queue_view, use_canned, escalate_ticket, request_information, resolve_ticket, reveal_secrets
from fankui.tickets.views.ticket import display_name, fetch, ticket_page

HANDLER_ROLES = {Profile.Role.CONSULTANT, Profile.Role.OWNER, Profile.Role.ADMIN}
QUEUE_PAGE_SIZE = 50


def _fetch_as_handler(request: HttpRequest, ref: str) -> Ticket:
    """A ticket the user may act on: 404 if they cannot see it, 403 if they may only read it."""
    ticket = fetch(request, ref)
    if not is_handler(request.user, ticket):  # type: ignore[arg-type]
        raise PermissionDenied(_("只有处理人可以执行此操作。"))
    return ticket


@dataclass(frozen=True)
class Desk:
    """What every view of the queue page starts from, looked up once per request."""

    user: AbstractBaseUser
    visible: QuerySet[Ticket]
    acting_for: list[Person]
    now: datetime.datetime

    @classmethod
    def of(cls, request: HttpRequest) -> Desk:
        now = timezone.now()
        user = request.user
        return cls(user, visible_tickets(user), acting_for_user(user, now), now)  # type: ignore[arg-type]

    def view_q(self, key: str) -> Q:
        return builtin_view_q(key, self.user, self.acting_for, self.now)


def _queue_q(desk: Desk, data: dict) -> tuple[Q, SearchRefused | None]:
    """One view's tickets as a condition: its filters, its built-in view and its text search."""
    q = filters_q(data) & desk.view_q(data.get("view") or "")
    text = (data.get("q") or "").strip()
    if text:
        try:
            q &= Q(pk__in=ticket_ids_matching(text, desk.visible.filter(q)))
        except SearchRefused as refused:
            return Q(pk__in=[]), refused
    return q, None


def _view_counts(desk: Desk, saved: list[SavedView]) -> dict[str, int]:
    views = {key: desk.view_q(key) & ACTIVE for key, _label in QUEUE_VIEWS}
    only_active = True
    for view in saved:
        form = QueueFilterForm(QueryDict(view.query))
        if form.is_valid():
            views[f"saved{view.pk}"] = _queue_q(desk, form.cleaned_data)[0]
            only_active &= form.cleaned_data.get("status") in {"", Ticket.Status.OPEN, Ticket.Status.WAITING}
    # Usually every view is about the work still to do: counting only active tickets lets the
    # database use the status index instead of reading every ticket the user ever could see.
    counts = view_counts(desk.visible.filter(ACTIVE) if only_active else desk.visible, views)
    # The queue's badge: active tickets with something new since the handler last opened them.
    counts["new"] = count_new(desk.visible.filter(ACTIVE), desk.user)
    return counts


def queue_tickets(desk: Desk, form: QueueFilterForm) -> QuerySet[Ticket]:
    """Deadline first by default (the guide's SLA), narrowed by the view, the filters and the text search."""
    data = form.cleaned_data if form.is_valid() else {}
    q, refused = _queue_q(desk, data)
    if refused is not None:
        form.add_error("q", refused.message)
    tickets = with_news(desk.visible.filter(q), desk.user)
    if data.get("new"):
        tickets = tickets.filter(is_new=1)
    return queue_rows(tickets, data.get("sort") or "due", by_incident=data.get("view") == "incidents")


@login_required
def queue(request: HttpRequest, save_form: SaveViewForm | None = None, bulk_form: BulkForm | None = None, selected: list[str] | None = None) -> HttpResponse:
    if role_of(request.user) not in HANDLER_ROLES:
        return redirect("tickets:mine")
    desk = Desk.of(request)
    form = QueueFilterForm(request.GET)
    page = Paginator(queue_tickets(desk, form), QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(ticket, due_of(ticket, desk.now)) for ticket in page]
    filters = request.GET.copy()
    filters.pop("page", None)
    saved = saved_views_of(request.user)  # type: ignore[arg-type]
    counts = _view_counts(desk, saved)
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "now": desk.now,
        "query": filters.urlencode(),
        "current_view": request.GET.get("view", ""),
        "new_count": counts["new"],
        "builtin_views": [(key, label, counts[key]) for key, label in QUEUE_VIEWS],
        "saved_views": [(view, counts.get(f"saved{view.pk}")) for view in saved],
        "save_form": save_form or SaveViewForm(initial={"query": filters.urlencode()}),
        "bulk_form": bulk_form or BulkForm(),
        "selected": set(selected or []),
    }
    failed = save_form is not None or bulk_form is not None
    return render(request, "tickets/queue.html", context, status=400 if failed else 200)


@login_required
@require_POST
def save_view(request: HttpRequest) -> HttpResponse:
    if role_of(request.user) not in HANDLER_ROLES:
        raise PermissionDenied(_("只有处理人可以保存队列视图。"))
    form = SaveViewForm(request.POST)
    if form.is_valid():
        query = QueryDict(form.cleaned_data["query"]).copy()
        query.pop("page", None)
        filters = QueueFilterForm(query)
        if not filters.is_valid():
            form.add_error(None, _("筛选条件无效，请重新筛选后再保存。"))
        else:
            save_queue_view(user=request.user, name=form.cleaned_data["name"], query=query.urlencode())  # type: ignore[arg-type]
            messages.success(request, _("已保存视图“%(name)s”。") % {"name": form.cleaned_data["name"]})
            return redirect(f"{reverse('tickets:queue')}?{query.urlencode()}")
    request.GET = QueryDict(request.POST.get("query", "")[:1000])
    return queue(request, save_form=form)


@login_required
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    """One action on the ticked rows; each ticket is checked and done (or refused) on its own."""
    if role_of(request.user) not in HANDLER_ROLES:
        raise PermissionDenied(_("只有处理人可以批量处理工单。"))
    back = QueryDict(request.POST.get("query", "")[:1000])
    refs = request.POST.getlist("refs")
    form = BulkForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        action = BulkAction(
            kind=data["action"],
            assignee=data.get("assignee"),
            owner=data.get("owner"),
            incident=data.get("incident_obj"),
            article=data.get("article"),
            text=data.get("text") or "",
            urgency=data.get("urgency") or "",
        )
        try:
            result = bulk_act(user=request.user, refs=refs, action=action)  # type: ignore[arg-type]
        except TicketError as error:
            form.add_error(None, error.message)
        else:
            if result.done:
                messages.success(request, _("已处理 %(n)d 个工单：%(refs)s") % {"n": len(result.done), "refs": "、".join(result.done)})
            for ref, reason in result.failed:
                messages.error(request, _("%(ref)s 未处理：%(reason)s") % {"ref": ref, "reason": reason})
            return redirect(f"{reverse('tickets:queue')}?{back.urlencode()}")
    request.GET = back
    return queue(request, bulk_form=form, selected=refs)


@login_required
@require_POST
def delete_view(request: HttpRequest, view_id: int) -> HttpResponse:
    # Only one's own views: someone else's is "not found", like a ticket one may not see.
    deleted, _rows = SavedView.objects.filter(pk=view_id, user=request.user).delete()
    if not deleted:
        raise Http404
    messages.success(request, _("已删除视图。"))
    return redirect("tickets:queue")


@login_required
@require_POST
def presence_ping(request: HttpRequest, ref: str) -> JsonResponse:
    """The ticket page's heartbeat: I have it open (typing or not); who else has?"""
    try:
        ticket = _fetch_as_handler(request, ref)
    except (Http404, PermissionDenied):
        return JsonResponse({"error": {"code": "not_found", "message": _("没有找到该问题。")}}, status=404)
    others = touch_presence(ticket.pk, user_id=request.user.pk, name=display_name(request.user), typing=request.POST.get("typing") == "1")  # type: ignore[arg-type]
    return JsonResponse({"others": [{"name": p.name, "typing": p.typing} for p in others]})


@login_required
@require_POST
def canned_insert(request: HttpRequest, ref: str) -> JsonResponse:
    """The text of a saved reply or a KB article for the reply box, placeholders filled."""
    try:
        ticket = _fetch_as_handler(request, ref)
    except (Http404, PermissionDenied):
        return JsonResponse({"error": {"code": "not_found", "message": _("没有找到该问题。")}}, status=404)
    kind, _sep, pk = request.POST.get("choice", "").partition(":")
    if not pk.isdigit():
        return JsonResponse({"error": {"code": "invalid_choice", "message": _("请选择要插入的内容。")}}, status=400)
    try:
        text = use_canned(user=request.user, ticket=ticket, kind=kind, pk=int(pk), allowed_replies=canned_replies_for(request.user, ticket))  # type: ignore[arg-type]
    except TicketError as error:
        return JsonResponse({"error": {"code": error.code, "message": error.message}}, status=404)
    return JsonResponse({"text": text})


@login_required
def canned_replies(request: HttpRequest) -> HttpResponse:
    """常用回复: one's own and the region's shared answers; add or remove them."""
    if role_of(request.user) not in HANDLER_ROLES:
        return redirect("tickets:mine")
    form = CannedReplyForm(request.POST or None, regions=Region.objects.filter(consultant__in=acting_for_user(request.user, timezone.now())))  # type: ignore[arg-type]
    if request.method == "POST":
        if "delete" in request.POST:
            # Only what one may use, and shared ones only by a handler of that region.
            deleted, _rows = canned_replies_for(request.user).filter(pk=request.POST.get("delete", "0") if request.POST.get("delete", "").isdigit() else 0).delete()  # type: ignore[arg-type]
            if not deleted:
                raise Http404
            messages.success(request, _("已删除。"))
            return redirect("tickets:canned_replies")
        if form.is_valid():
            save_canned_reply(user=request.user, title=form.cleaned_data["title"], body=form.cleaned_data["body"], region=form.cleaned_data["region"])  # type: ignore[arg-type]
            messages.success(request, _("已保存常用回复。"))
            return redirect("tickets:canned_replies")
    replies = canned_replies_for(request.user).select_related("region")  # type: ignore[arg-type]
    return render(request, "tickets/canned_replies.html", {"form": form, "replies": replies}, status=400 if form.errors else 200)


@login_required
@require_POST
def resolve(request: HttpRequest, ref: str) -> HttpResponse:
    ticket = _fetch_as_handler(request, ref)
    form = ResolveForm(request.POST)
    if form.is_valid():
        individual = form.cleaned_data["individual"]
        late = answers_since(ticket, request.user, form.cleaned_data["seen"])  # type: ignore[arg-type]
        if late:
            key = "individual_form" if individual else "resolve_form"
            return ticket_page(request, ticket, status=409, late_answers=late, **{key: form})
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
