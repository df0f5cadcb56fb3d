from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fankui.directory.models import System
from fankui.directory.selectors import (
    directory_by_department,
    directory_by_region,
    standalone_topics,
    who_to_contact,
)


def _default_region(request: HttpRequest) -> str:
    profile = getattr(request.user, "profile", None)
    return profile.region.name if profile is not None and profile.region else ""


@login_required
def whois_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    region = request.GET.get("region", _default_region(request)).strip()[:20]
    answer = who_to_contact(query, region=region) if query else None
    return render(
        request,
        "directory/whois.html",
        {
            "query": query,
            "region": region,
            "answer": answer,
            "regions": directory_by_region(),
            "systems": System.objects.order_by("department__position", "position"),
        },
    )


@login_required
def directory_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/directory.html",
        {"regions": directory_by_region(), "departments": directory_by_department(), "topics": standalone_topics()},
    )
