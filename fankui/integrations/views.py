"""The H5 pages an app's webview or the 问题反馈 panel shows: 提交反馈, 我的反馈, one conversation.

They run on the H5 session (`handoff`), not on a fankui login, fetch every ticket through the
tickets chokepoint as the app user, and may be framed only by the integration's registered origins.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from urllib.parse import urlsplit

import pydantic
from django.conf import settings
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from fankui.core.links import absolute_url
from fankui.integrations import handoff
from fankui.integrations.forms import H5ReopenForm, H5ReplyForm, H5ReportForm
from fankui.integrations.handoff import H5Session
from fankui.integrations.models import Integration
from fankui.integrations.services import SignatureRefused, SignedCall, accept_call, app_intake
from fankui.integrations.signing import PURPOSE_PANEL
from fankui.tickets import files as ticket_files
from fankui.tickets import selectors
from fankui.tickets.attachments import UploadRejected
from fankui.tickets.models import Ticket
from fankui.tickets.services import IncomingFile, Intake, TicketError, confirm_resolution, reopen_ticket, reply_to_ticket
from fankui.tickets.upload_limits import upload_refusals
from fankui.workflow.intake import file_report

MY_PAGE_SIZE = 30
H5View = Callable[..., HttpResponse]


def frame_ancestors(integration: Integration | None) -> str:
    origins = " ".join(integration.origins) if integration is not None else ""
    return "frame-ancestors " + (origins or "'none'")


def _guard(response: HttpResponse, integration: Integration | None) -> HttpResponse:
    # CSP frame-ancestors replaces X-Frame-Options DENY on these pages only: the panel lives in an
    # iframe on the integration's own pages, and nowhere else.
    response["Content-Security-Policy"] = frame_ancestors(integration)
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


def _expired(request: HttpRequest) -> HttpResponse:
    return _guard(render(request, "integrations/h5_expired.html", status=403), None)


def h5_page(view: H5View) -> H5View:
    """Load the H5 session (or say it has ended), check the form token on a POST, add the framing rules."""

    @csrf_exempt  # the form token below does CSRF's work without a cookie that may not cross sites
    @xframe_options_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        session = handoff.load_session(request)
        if session is None or (request.method == "POST" and not handoff.form_token_ok(request, session)):
            return _expired(request)
        _speak(session)
        return _guard(view(request, session, *args, **kwargs), session.identity.integration)

    return wrapper


def _speak(session: H5Session) -> None:
    # The panel speaks the host page's language (the button's data-lang); LocaleMiddleware activates
    # the browser's afresh on every request, so this lasts for this one only.
    if session.language:
        translation.activate(session.language)


def _host_origin(session: H5Session) -> str:
    """The registered origin of the page the panel sits on: the only one the panel talks to (to step
    aside while the user's screenshot is taken)."""
    parts = urlsplit(session.context.get("page_url", ""))
    origin = f"{parts.scheme}://{parts.netloc}"
    return origin if session.panel and origin in session.identity.integration.origins else ""


def _render(request: HttpRequest, session: H5Session, template: str, context: dict[str, object], status: int = 200) -> HttpResponse:
    return render(request, template, {**context, "h5": session, "integration": session.identity.integration}, status=status)


def _files(request: HttpRequest, form: H5ReportForm | H5ReplyForm) -> list[IncomingFile]:
    return [IncomingFile(f.name or "upload", f.read()) for f in form.cleaned_data["files"]]


@xframe_options_exempt
@require_GET
def start(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time hand-off link: start the session and go to the page the app asked for.

    The panel shows its form right here, with the session in the form rather than in a cookie."""
    session = handoff.consume_handoff(token)
    if session is None:
        return _expired(request)
    if session.panel:
        _speak(session)
        return _guard(_new_page(request, session), session.identity.integration)
    response = redirect(handoff.safe_next(request.GET.get("next", "")))
    handoff.set_cookie(response, request, session)
    return _guard(response, session.identity.integration)


@h5_page
def new(request: HttpRequest, session: H5Session) -> HttpResponse:
    return _new_page(request, session)


def _new_page(request: HttpRequest, session: H5Session) -> HttpResponse:
    form, status = H5ReportForm(request.POST or None, request.FILES or None), 200
    if request.method == "POST":
        for refusal in upload_refusals(request):
            form.add_error("files", refusal.message)
        if form.is_valid():
            user, profile = session.identity.user, session.identity.user.profile
            intake = Intake(
                description=form.cleaned_data["description"],
                channel=Ticket.Channel.APP,
                region=profile.region,
                project=profile.project,
                files=_files(request, form),
            )
            try:
                result = file_report(reporter=user, intake=app_intake(session.identity, intake, session.context))
            except UploadRejected as error:
                form.add_error("files", error.message)
            except TicketError as error:
                form.add_error(None, error.message)
            else:
                if session.panel:
                    return _render(request, session, "integrations/h5_sent.html", {"ticket": result.ticket})
                return redirect(reverse("integrations:h5_ticket", args=[result.ticket.ref]) + "?sent=1")
        status = 400
    return _render(request, session, "integrations/h5_new.html", {"form": form, "tab": "new", "host_origin": _host_origin(session)}, status=status)


@h5_page
def mine(request: HttpRequest, session: H5Session) -> HttpResponse:
    user = session.identity.user
    tickets = selectors.visible_tickets(user).filter(reporter=user).select_related("system").order_by("-created_at", "-id")
    return _render(request, session, "integrations/h5_mine.html", {"page": Paginator(tickets, MY_PAGE_SIZE).get_page(request.GET.get("page")), "tab": "mine"})


def _ticket_for(session: H5Session, ref: str) -> Ticket:
    try:
        return selectors.get_ticket_for(session.identity.user, ref)
    except selectors.TicketNotFound:
        raise Http404(_("找不到该反馈，或您无权查看。")) from None


@h5_page
def ticket(request: HttpRequest, session: H5Session, ref: str) -> HttpResponse:
    """The conversation; POST `action` = reply, confirm or reopen."""
    user = session.identity.user
    item = _ticket_for(session, ref)
    reply_form, reopen_form, error, status = H5ReplyForm(), H5ReopenForm(), "", 200
    action = request.POST.get("action") if request.method == "POST" else None
    try:
        if action == "reply":
            reply_form = H5ReplyForm(request.POST, request.FILES)
            for refusal in upload_refusals(request):
                reply_form.add_error("files", refusal.message)
            if reply_form.is_valid():
                reply_to_ticket(ticket=item, by=user, body=reply_form.cleaned_data["body"], files=_files(request, reply_form))
                return redirect("integrations:h5_ticket", ref=item.ref)
            status = 400
        elif action == "confirm":
            confirm_resolution(ticket=item, by=user)
            return redirect("integrations:h5_ticket", ref=item.ref)
        elif action == "reopen":
            reopen_form = H5ReopenForm(request.POST)
            if reopen_form.is_valid():
                reopen_ticket(ticket=item, by=user, reason=reopen_form.cleaned_data["reason"] or _("报告人表示问题未解决"))
                return redirect("integrations:h5_ticket", ref=item.ref)
            status = 400
    except UploadRejected as exc:
        reply_form.add_error("files", exc.message)
        status = 400
    except TicketError as exc:
        error, status = exc.message, 400
    events = selectors.timeline_for(user, item).order_by("at", "id")
    context = {"ticket": item, "events": events, "reply_form": reply_form, "reopen_form": reopen_form, "error": error, "sent": "sent" in request.GET}
    return _render(request, session, "integrations/h5_ticket.html", context, status=status)


@h5_page
def attachment(request: HttpRequest, session: H5Session, ref: str, attachment_id: int, thumbnail: bool = False) -> FileResponse:
    """A screenshot on the conversation, served by the tickets app's own view as the app user."""
    request.user = session.identity.user
    view = ticket_files.thumbnail if thumbnail else ticket_files.download
    return view(request, ref, attachment_id)  # type: ignore[return-value]


# ---- the 问题反馈 button for web systems ----------------------------------------------------------


# What the script itself shows, before the panel (which is a fankui page) takes over.
BUTTON_STRINGS = {
    "label": gettext_lazy("问题反馈"),
    "close": gettext_lazy("关闭"),
    "unreachable": gettext_lazy("本网站未在 fankui 登记，或网络不通，无法打开问题反馈。"),
    "refused": gettext_lazy("无法打开问题反馈。"),
}


def button_strings() -> dict[str, dict[str, str]]:
    """BUTTON_STRINGS in every language of the site: the host page, not the request, picks one."""
    strings: dict[str, dict[str, str]] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            strings[code] = {name: str(text) for name, text in BUTTON_STRINGS.items()}
    return strings


def panel_language(requested: str) -> str:
    """The site's language closest to what the host page asked for (`en-US` is `en`); else the default."""
    try:
        return translation.get_supported_language_variant(requested.strip().lower())
    except LookupError:
        return str(settings.LANGUAGE_CODE)


@require_GET
def button_js(request: HttpRequest, key: str) -> HttpResponse:
    """The script an integration's pages include; served by fankui itself (no CDN)."""
    integration = Integration.objects.filter(key=key, active=True).first()
    if integration is None:
        raise Http404
    context = {
        "base": str(settings.FANKUI_BASE_URL).rstrip("/"),
        "key": integration.key,
        "strings": json.dumps(button_strings(), ensure_ascii=False),
        "default_language": settings.LANGUAGE_CODE,
    }
    response = render(request, "integrations/button.js", context, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    return response


def _json_error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status, json_dumps_params={"ensure_ascii": False})


def _cors(response: HttpResponse, origin: str) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = origin
    response["Access-Control-Allow-Methods"] = "POST"
    response["Access-Control-Allow-Headers"] = "Content-Type"
    response["Access-Control-Max-Age"] = "600"
    response["Vary"] = "Origin"
    return response


@csrf_exempt  # called cross-origin by the button; the signature, not a cookie, vouches for the caller
@require_http_methods(["OPTIONS", "POST"])
def panel_start(request: HttpRequest, key: str) -> HttpResponse:
    """Open the panel: a registered page sends its signed user and the page's context; the answer is
    a one-time link for the iframe. Other origins get no CORS headers and a 403."""
    integration = Integration.objects.filter(key=key, active=True).first()
    origin = request.headers.get("Origin", "").rstrip("/")
    if integration is None or not origin or origin not in integration.origins:
        return _json_error(403, "origin_not_allowed", "该网站未登记为此系统集成的来源，不能打开问题反馈。")
    if request.method == "OPTIONS":
        return _cors(HttpResponse(status=204), origin)
    try:
        data = PanelStart.model_validate_json(request.body)
    except pydantic.ValidationError:
        return _cors(_json_error(422, "invalid_request", "请求内容不符合要求。"), origin)
    call = SignedCall(key=key, timestamp=data.timestamp, nonce=data.nonce, signature=data.signature, identity=data.identity, purpose=PURPOSE_PANEL)
    try:
        identity = accept_call(call)
    except SignatureRefused as exc:
        return _cors(_json_error(exc.status, exc.code, exc.message), origin)
    context = {"page_url": data.page_url, "browser": data.browser}
    token = handoff.issue_handoff(identity, context=context, panel=True, language=panel_language(data.lang))
    url = absolute_url("integrations:h5_start", token)
    return _cors(JsonResponse({"url": url, "expires_in": handoff.HANDOFF_SECONDS}, status=201), origin)


class PanelStart(pydantic.BaseModel):
    identity: str = pydantic.Field(..., max_length=4096)
    timestamp: str = pydantic.Field(..., max_length=12)
    nonce: str = pydantic.Field(..., max_length=64)
    signature: str = pydantic.Field(..., max_length=64)
    page_url: str = pydantic.Field("", max_length=2000)
    browser: str = pydantic.Field("", max_length=300)
    lang: str = pydantic.Field("", max_length=35)
