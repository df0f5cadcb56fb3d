from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.shortcuts import redirect

from fankui.accounts.models import Profile
from fankui.accounts.selectors import role_of
from fankui.core.health import readiness


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to where its work is: reporters file reports, handlers work the queue."""
    if role_of(request.user) in {Profile.Role.CONSULTANT, Profile.Role.OWNER, Profile.Role.ADMIN}:
        return redirect("tickets:queue")
    return redirect("tickets:new")


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """The process is up (no database, no login: for a load balancer)."""
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Ready to serve: database, cache, storage, worker heartbeat, calendar; 503 naming what failed."""
    checks = readiness()
    ready = all(check.ok for check in checks if check.blocking)
    body = {"status": "ready" if ready else "not ready", "checks": {c.name: {"ok": c.ok, "detail": c.detail, "blocking": c.blocking} for c in checks}}
    return JsonResponse(body, status=200 if ready else 503, json_dumps_params={"ensure_ascii": False})
