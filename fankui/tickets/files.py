"""Serving attachments: only through the permission chokepoint, never from a public URL.

Files come from reporters, so a response must never let a browser run them: the type is the
one established at upload (`nosniff` stops guessing), `default-src 'none'` keeps any script or
style inside from loading anything, and everything but images downloads instead of opening.
"""
from __future__ import annotations

import logging

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from fankui.tickets import selectors
from fankui.tickets.attachments import open_attachment

log = logging.getLogger(__name__)


def _serve(request: HttpRequest, ref: str, attachment_id: int, *, thumbnail: bool) -> FileResponse:
    try:
        attachment = selectors.get_attachment_for(request.user, ref, attachment_id)  # type: ignore[arg-type]
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


@login_required
@require_GET
def download(request: HttpRequest, ref: str, attachment_id: int) -> FileResponse:
    """The original file: images inline, everything else as a download."""
    return _serve(request, ref, attachment_id, thumbnail=False)


@login_required
@require_GET
def thumbnail(request: HttpRequest, ref: str, attachment_id: int) -> FileResponse:
    """The 320 px JPEG preview of an image attachment (404 for files without one)."""
    return _serve(request, ref, attachment_id, thumbnail=True)
