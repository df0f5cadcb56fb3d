"""Knowledge-base pages: the article list, an article, staff search, deflection and drafting."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fankui.directory.models import Person, Region, System
from fankui.kb import selectors
from fankui.kb.markdown import render_markdown
from fankui.kb.models import Article
from fankui.kb.search import Filters, SearchRefused, can_search, search
from fankui.kb.services import KbError, draft_article_from_ticket, record_deflection
from fankui.kb.suggest import suggest
from fankui.tickets.models import Ticket
from fankui.tickets.selectors import TicketNotFound, get_ticket_for, is_handler


@login_required
@require_GET
def article_list_page(request: HttpRequest) -> HttpResponse:
    staff = can_search(request.user)
    query = request.GET.get("q", "").strip()[:200]
    found = [s.article for s in suggest(query, limit=10)] if query else None
    return render(
        request,
        "kb/list.html",
        {"articles": selectors.article_list(include_drafts=staff), "query": query, "found": found, "staff": staff, "today": timezone.localdate()},
    )


@login_required
@require_GET
def article_page(request: HttpRequest, slug: str) -> HttpResponse:
    article = selectors.article_for_page(slug, include_drafts=can_search(request.user))
    if article is None:
        raise Http404(_("没有这篇文章"))
    # The people an answer names link to the directory, whether or not the article lists them.
    names = {p.name for p in article.contacts.all()} | {name for name in Person.objects.values_list("name", flat=True) if name in article.body}
    return render(
        request,
        "kb/article.html",
        {
            "article": article,
            "body": render_markdown(article.body, contacts=names),
            "expired": not article.is_valid_on(timezone.localdate()),
            "links": article.links.all(),
        },
    )


@login_required
@require_GET
def search_page(request: HttpRequest) -> HttpResponse:
    filters = Filters(
        system=request.GET.get("system", "").strip()[:50],
        region=request.GET.get("region", "").strip()[:20],
        state=request.GET.get("state", "").strip()[:10],
    )
    query = request.GET.get("q", "").strip()[:200]
    # The pager's links keep the search and its filters and change only where the page starts.
    kept = request.GET.copy()
    for name in ("page", "cursor"):
        kept.pop(name, None)
    context: dict[str, object] = {
        "query": query,
        "kept": kept.urlencode(),
        "filters": filters,
        "systems": System.objects.order_by("department__position", "position").values_list("name", flat=True),
        "regions": Region.objects.order_by("position").values_list("name", flat=True),
        "states": Ticket.Status.choices,
    }
    try:
        page = int(request.GET.get("page", "1")) if request.GET.get("page", "1").isdigit() else 1
        cursor = request.GET.get("cursor", "")[:500]
        context["results"] = search(request.user, query, filters=filters, page=min(page, 1000), cursor=cursor) if query else None
    except SearchRefused as refused:
        if refused.code == "forbidden":
            return render(request, "kb/search.html", {**context, "error": refused.message}, status=403)
        context["error"] = refused.message
    return render(request, "kb/search.html", context)


@login_required
@require_POST
def deflect(request: HttpRequest) -> HttpResponse:
    wants_json = "application/json" in request.headers.get("Accept", "")
    article = Article.objects.filter(slug=request.POST.get("article", "")[:60]).first()
    try:
        if article is None:
            raise KbError("article_not_available", _("这篇文章已下线或已过期。"))
        record_deflection(article=article, user=request.user, text=request.POST.get("text", ""))
    except KbError as error:
        if wants_json:
            return JsonResponse({"error": {"code": error.code, "message": error.message}}, status=400)
        return render(request, "kb/thanks.html", {"error": error.message}, status=400)
    message = _("太好了！问题已自助解决，无需提交。感谢反馈。")
    if wants_json:
        return JsonResponse({"ok": True, "message": message, "url": reverse("kb:article", args=[article.slug])})
    return render(request, "kb/thanks.html", {"message": message, "article": article})


@login_required
@require_POST
def draft_from_ticket(request: HttpRequest, ref: str) -> HttpResponse:
    try:
        ticket = get_ticket_for(request.user, ref)
    except TicketNotFound as missing:
        raise Http404(_("没有这张工单")) from missing
    if not is_handler(request.user, ticket):
        raise Http404(_("没有这张工单"))
    try:
        article = draft_article_from_ticket(ticket, request.user)
    except KbError as error:
        return render(request, "kb/thanks.html", {"error": error.message}, status=400)
    return redirect("admin:kb_article_change", article.pk)
