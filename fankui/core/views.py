from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from fankui.accounts.models import Profile
from fankui.accounts.selectors import role_of


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Send each role to where its work is: reporters file reports, handlers work the queue."""
    if role_of(request.user) in {Profile.Role.CONSULTANT, Profile.Role.OWNER, Profile.Role.ADMIN}:
        return redirect("tickets:queue")
    return redirect("tickets:new")
