"""Pages for reporters: file a report, follow my reports, confirm or reopen a resolved one."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fankui.accounts.models import Profile
from fankui.accounts.selectors import profile_of
from fankui.tickets.attachments import UploadRejected
from fankui.tickets.forms import ReopenForm, ReportForm
from fankui.tickets.models import Ticket
from fankui.tickets.selectors import visible_tickets
from fankui.tickets.services import IncomingFile, Intake, SecretInput, TicketError, confirm_resolution, reopen_ticket
from fankui.workflow.intake import file_report
from fankui.tickets.upload_limits import upload_refusals
from fankui.tickets.views.ticket import fetch, ticket_page

MY_PAGE_SIZE = 30


def _intake(form: ReportForm, profile: Profile | None) -> Intake:
    data = form.cleaned_data
    secrets = [SecretInput(_("账号"), data["account"].strip()), SecretInput(_("密码"), data["password"])]
    return Intake(
        description=data["description"],
        channel=Ticket.Channel.WEB,
        title=data["title"],
        urgency=data["urgency"],
        system=data["system"],
        region=data["region"],
        project=data["project"].strip(),
        reporter_kind=profile.kind if profile else Ticket.Kind.STAFF,
        secrets=[s for s in secrets if s.value],
        files=[IncomingFile(f.name, f.read()) for f in data["files"]],
        suggested_articles=data["suggested_articles"],
    )


@login_required
def new_ticket(request: HttpRequest) -> HttpResponse:
    profile = profile_of(request.user)  # type: ignore[arg-type]
    if request.method == "POST":
        form = ReportForm(request.POST, request.FILES)
        for refusal in upload_refusals(request):  # dropped while streaming in, before any read
            form.add_error("files", refusal.message)
        if form.is_valid():
            try:
                result = file_report(reporter=request.user, intake=_intake(form, profile))  # type: ignore[arg-type]
            except UploadRejected as error:
                form.add_error("files", error.message)
            except TicketError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("问题已提交，编号 %(ref)s。处理人会尽快回复。") % {"ref": result.ticket.ref})
                for notice in result.notices:
                    messages.warning(request, notice)
                return redirect("tickets:detail", ref=result.ticket.ref)
        status = 400
    else:
        form = ReportForm(initial={"region": profile.region if profile else None, "project": profile.project if profile else ""})
        status = 200
    context = {
        "form": form,
        # The kb app ships suggestions as a separate script; the form works without it.
        "has_suggest": finders.find("kb/suggest.js") is not None,
    }
    return render(request, "tickets/new.html", context, status=status)


@login_required
def my_tickets(request: HttpRequest) -> HttpResponse:
    tickets = visible_tickets(request.user).filter(reporter=request.user).select_related("system").order_by("-created_at", "-id")
    page = Paginator(tickets, MY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "tickets/mine.html", {"page": page})


def _fetch_as_reporter(request: HttpRequest, ref: str) -> Ticket:
    ticket = fetch(request, ref)
    if ticket.reporter_id != request.user.pk:
        raise PermissionDenied(_("只有报告人可以确认或重新打开。"))
    return ticket


@login_required
@require_POST
def confirm(request: HttpRequest, ref: str) -> HttpResponse:
    ticket = _fetch_as_reporter(request, ref)
    try:
        confirm_resolution(ticket=ticket, by=request.user)  # type: ignore[arg-type]
    except TicketError as error:
        messages.error(request, error.message)
        return ticket_page(request, ticket, status=400)
    messages.success(request, _("感谢确认，问题已关闭。"))
    return redirect("tickets:detail", ref=ticket.ref)


@login_required
@require_POST
def reopen(request: HttpRequest, ref: str) -> HttpResponse:
    ticket = _fetch_as_reporter(request, ref)
    form = ReopenForm(request.POST)
    if form.is_valid():
        try:
            reopen_ticket(ticket=ticket, by=request.user, reason=form.cleaned_data["reason"])  # type: ignore[arg-type]
        except TicketError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("已重新打开，处理人会继续跟进。"))
            return redirect("tickets:detail", ref=ticket.ref)
    return ticket_page(request, ticket, status=400, reopen_form=form)
