"""A report filer and a screenshot for the ticket page tests; the personas are `fankui.core.testing`'s."""
from __future__ import annotations

import io
from typing import Any

from django.contrib.auth.models import AbstractUser
from PIL import Image

from fankui.core.testing import after_commit
from fankui.tickets.models import Ticket
from fankui.tickets.services import Intake, SecretInput, create_ticket


def file_report(reporter: AbstractUser, description: str = "EAS 新用户开通权限，登录提示没有权限", **fields: Any) -> Ticket:
    """File a report the way the web form does, from the reporter's profile region, and let the worker's
    share (indexing it for search) run as it would once the report commits."""
    profile = reporter.profile  # type: ignore[attr-defined]
    secrets = [SecretInput(label, value) for label, value in fields.pop("secrets", {}).items()]
    intake = Intake(description=description, channel="web", region=profile.region, project=profile.project, secrets=secrets, **fields)
    with after_commit():
        return create_ticket(reporter=reporter, intake=intake).ticket


def png_bytes(width: int = 40, height: int = 30) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 16, 46)).save(buffer, format="PNG")
    return buffer.getvalue()
