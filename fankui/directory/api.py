from __future__ import annotations

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from fankui.accounts.selectors import profile_of
from fankui.core.api import api_auth, errors
from fankui.directory.selectors import who_to_contact

router = Router(tags=["directory"])


class SystemOut(Schema):
    name: str
    department: str


class ContactOut(Schema):
    name: str
    topic: str | None
    phone: str | None
    email: str | None


class ConsultantOut(Schema):
    name: str
    region: str
    phone: str
    email: str


class WhoisOut(Schema):
    query: str
    system: SystemOut | None
    contacts: list[ContactOut]
    consultant: ConsultantOut | None


class WhoisQuery(Schema):
    q: str = Field(..., min_length=1, max_length=200, description="系统、别名或问题，如 eas 权限")
    region: str | None = Field(None, max_length=20)
    topic: str | None = Field(None, max_length=50)


@router.get("/whois", response={200: WhoisOut, **errors()}, auth=api_auth(), summary="联系谁 / who do I contact")
def whois(request: HttpRequest, params: Query[WhoisQuery]) -> dict[str, object]:
    # Without ?region=, the caller's own region: the same one their reports are routed by.
    region = params.region
    if not region and (profile := profile_of(request.auth)) and profile.region:  # type: ignore[attr-defined]
        region = profile.region.name
    return who_to_contact(params.q, region=region, topic=params.topic).as_dict()
