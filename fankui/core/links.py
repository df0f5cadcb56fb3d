"""Absolute links for what leaves the site (mail, push, API answers): FANKUI_BASE_URL + a reversed path."""
from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def absolute_url(viewname: str, *args: object) -> str:
    return f"{str(settings.FANKUI_BASE_URL).rstrip('/')}{reverse(viewname, args=args)}"
