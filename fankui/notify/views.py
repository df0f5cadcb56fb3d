"""The in-app inbox (通知): a user's notices, unread first; opening one marks it read."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _, ngettext
from django.views.decorators.http import require_POST

from fankui.notify.selectors import inbox
from fankui.notify.services import mark_read

PAGE_SIZE = 30


@login_required
def inbox_page(request: HttpRequest) -> HttpResponse:
    notices = inbox(request.user).order_by(F("read_at").desc(nulls_first=True), "-created_at", "-id")
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "notify/inbox.html", {"page": page})


@login_required
def open_notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    """Follow a notice to its ticket; opening it is reading it (like an e-mail)."""
    notice = inbox(request.user).filter(pk=notice_id).first()
    if notice is None:
        raise Http404(_("没有找到该通知。"))
    mark_read(request.user, [notice.pk])  # type: ignore[arg-type]
    if notice.ticket is not None:
        return redirect("tickets:detail", ref=notice.ticket.ref)
    return redirect("notify:inbox")


@login_required
@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = mark_read(request.user)  # type: ignore[arg-type]
    messages.success(request, ngettext("已将 %(n)d 条通知标为已读。", "已将 %(n)d 条通知标为已读。", count) % {"n": count})
    return redirect("notify:inbox")
