"""Serving attachments: only through the permission chokepoint, never from a public URL.

Files come from reporters, so a response must never let a browser run them: the type is the
one established at upload (`nosniff` stops guessing), `default-src 'none'` keeps any script or
style inside from loading anything, and everything but images downloads instead of opening.

Who asks: a browser session, an app with its bearer token on the same URL, or anyone holding a signed
link that the API handed to a user who may see the file (an app's image view cannot send headers). A
link names that user and expires after FANKUI_ATTACHMENT_LINK_SECONDS; the user's access is checked
again when it is used, so a link outlives neither the access nor its minutes.
"""
from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from fankui.accounts.tokens import verify_token
from fankui.core.links import absolute_url
from fankui.tickets import selectors
from fankui.tickets.attachments import open_attachment
from fankui.tickets.models import Attachment

log = logging.getLogger(__name__)

_LINK_SALT = "fankui.tickets.attachment-link"


def signed_link(user: AbstractBaseUser, ref: str, attachment: Attachment, *, thumbnail: bool = False) -> str:
    """A link to one attachment (or its thumbnail) for `user`, usable without a session for a few minutes."""
    token = signing.dumps({"u": user.pk, "r": ref, "a": attachment.pk, "t": int(thumbnail)}, salt=_LINK_SALT, compress=True)
    return absolute_url("tickets:attachment_link", token)


def _serve(user: AbstractBaseUser, ref: str, attachment_id: int, *, thumbnail: bool) -> FileResponse:
    try:
        attachment = selectors.get_attachment_for(user, ref, attachment_id)
    except selectors.TicketNotFound:
        raise Http404(gettext("找不到该附件，或您无权查看。")) from None
    try:
        stored = open_attachment(attachment, thumbnail=thumbnail)
    except FileNotFoundError:
        log.error("attachment %s of %s: file missing from storage (thumbnail=%s)", attachment.pk, ref[:40], thumbnail)
        raise Http404(gettext("附件文件不存在。")) from None
    if thumbnail:
        content_type, filename, inline = "image/jpeg", f"{attachment.filename}.thumb.jpg", True
    else:
        content_type, filename, inline = attachment.content_type, attachment.filename, attachment.content_type.startswith("image/")
    response = FileResponse(stored, content_type=content_type, as_attachment=not inline, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    # Content-addressed, so it never changes; private, because access is per user.
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _viewer(request: HttpRequest) -> AbstractBaseUser | None:
    """The signed-in user, or the owner of the bearer token the request carries (the apps)."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        record = verify_token(header[7:].strip())
        return record.user if record is not None else None
    return request.user if request.user.is_authenticated else None  # type: ignore[return-value]


def _serve_to_viewer(request: HttpRequest, ref: str, attachment_id: int, *, thumbnail: bool) -> HttpResponse:
    user = _viewer(request)
    if user is None:
        if "Authorization" in request.headers:
            return HttpResponse(gettext("令牌无效或已被吊销。"), status=401, content_type="text/plain; charset=utf-8")
        return redirect_to_login(request.get_full_path())
    return _serve(user, ref, attachment_id, thumbnail=thumbnail)


@require_GET
def download(request: HttpRequest, ref: str, attachment_id: int) -> HttpResponse:
    """The original file: images inline, everything else as a download."""
    return _serve_to_viewer(request, ref, attachment_id, thumbnail=False)


@require_GET
def thumbnail(request: HttpRequest, ref: str, attachment_id: int) -> HttpResponse:
    """The 320 px JPEG preview of an image attachment (404 for files without one)."""
    return _serve_to_viewer(request, ref, attachment_id, thumbnail=True)


@require_GET
def by_link(request: HttpRequest, token: str) -> HttpResponse:
    """A signed link from the API: the file, for the user it was made for, while it is fresh."""
    try:
        claim = signing.loads(token, salt=_LINK_SALT, max_age=settings.FANKUI_ATTACHMENT_LINK_SECONDS)
    except signing.SignatureExpired:
        return HttpResponse(gettext("链接已过期，请重新打开工单获取新链接。"), status=410, content_type="text/plain; charset=utf-8")
    except signing.BadSignature:
        raise Http404(gettext("找不到该附件，或您无权查看。")) from None
    user = get_user_model().objects.filter(pk=claim["u"], is_active=True).first()
    if user is None:
        raise Http404(gettext("找不到该附件，或您无权查看。"))
    return _serve(user, str(claim["r"]), int(claim["a"]), thumbnail=bool(claim["t"]))
