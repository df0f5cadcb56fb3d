"""Every signed call is checked before anything is stored: forged, expired, replayed, foreign, revoked."""
from __future__ import annotations

import datetime
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import override_settings
from django.utils import timezone

from fankui.integrations.models import AppIdentity, SigningSecret, UsedNonce
from fankui.integrations.services import forget_old_nonces, revoke_secrets, rotate_secret
from fankui.integrations.tests.factories import OWNER_X, register
from fankui.tickets.models import Ticket

pytestmark = pytest.mark.django_db

PATH = "/api/v1/integrations/tickets"
TEXT = "缴费页面一直转圈，付款失败"


def _nothing_stored() -> None:
    assert Ticket.objects.count() == 0
    assert AppIdentity.objects.count() == 0
    assert not get_user_model().objects.filter(username__startswith="app-").exists()


def _refused(response: object, status: int, code: str) -> None:
    assert response.status_code == status, response.content  # type: ignore[attr-defined]
    assert response.json()["error"]["code"] == code  # type: ignore[attr-defined]
    _nothing_stored()


def test_it_files_for_a_signed_app_user() -> None:
    app = register()
    response = app.file(OWNER_X, TEXT)
    assert response.status_code == 201, response.content
    identity = AppIdentity.objects.get()
    assert (identity.app_user_id, identity.display_name, identity.kind, identity.house) == ("owner-x-1001", "业主甲", "owner", "1栋101")
    assert not identity.user.has_usable_password()
    assert identity.user.profile.phone == "13800000001"


def test_it_refuses_a_signature_made_with_a_wrong_secret() -> None:
    app = register()
    _refused(app.send("POST", PATH, app.sign("POST", PATH, OWNER_X, json_body={"description": TEXT}, secret="fks_forged")), 401, "bad_signature")


def test_it_refuses_a_body_changed_after_signing() -> None:
    app = register()
    signed = app.sign("POST", PATH, OWNER_X, json_body={"description": TEXT})
    signed.body = signed.body.replace("付款失败".encode(), "退款成功".encode())
    _refused(app.send("POST", PATH, signed), 401, "bad_signature")


def test_it_refuses_an_identity_changed_after_signing() -> None:
    app = register()
    signed = app.sign("POST", PATH, OWNER_X, json_body={"description": TEXT})
    signed.headers["X-Fankui-Identity"] = app.headers({**OWNER_X, "id": "someone-else"}, "x")["X-Fankui-Identity"]
    _refused(app.send("POST", PATH, signed), 401, "bad_signature")


@pytest.mark.parametrize("age", [-301, 301, 3600])
def test_it_refuses_a_timestamp_more_than_five_minutes_off(age: int) -> None:
    app = register()
    _refused(app.send("POST", PATH, app.sign("POST", PATH, OWNER_X, json_body={"description": TEXT}, timestamp=int(time.time()) - age)), 401, "signature_expired")


def test_it_refuses_a_replayed_signature_and_files_only_once() -> None:
    app = register()
    signed = app.sign("POST", PATH, OWNER_X, json_body={"description": TEXT})
    assert app.send("POST", PATH, signed).status_code == 201
    again = app.send("POST", PATH, signed)
    assert again.status_code == 401
    assert again.json()["error"]["code"] == "replayed_signature"
    assert Ticket.objects.count() == 1


def test_it_refuses_an_identity_signed_by_another_integration() -> None:
    life = register()
    bms = register(name="BMS", key="bms", system="BMS")
    # BMS signs for its own key, but the call claims to come from 一应生活.
    signed = life.sign("POST", PATH, OWNER_X, json_body={"description": TEXT}, secret=bms.secret)
    _refused(life.send("POST", PATH, signed), 401, "bad_signature")


def test_it_refuses_an_unknown_or_inactive_integration() -> None:
    app = register()
    app.integration.active = False
    app.integration.save()
    _refused(app.file(OWNER_X, TEXT), 401, "unknown_integration")


def test_it_refuses_a_malformed_identity_with_its_field() -> None:
    app = register()
    response = app.file({**OWNER_X, "kind": "tenant"}, TEXT)
    _refused(response, 422, "invalid_identity")
    assert "kind" in response.json()["error"]["message"]


def test_it_refuses_an_unknown_region_code() -> None:
    app = register()
    _refused(app.file({**OWNER_X, "region": "mars"}, TEXT), 422, "unknown_region")


def test_a_call_without_any_signature_is_unauthenticated() -> None:
    app = register()
    response = app.client.post(PATH, {"description": TEXT}, content_type="application/json")
    _refused(response, 401, "unauthenticated")


def test_a_rotated_secret_works_until_its_grace_period_ends_and_a_revoked_one_never() -> None:
    app = register()
    old = app.secret
    new = rotate_secret(app.integration).secret
    assert app.file(OWNER_X, TEXT).status_code == 201  # the old one, within the grace period
    app.secret = new
    assert app.file(OWNER_X, TEXT + "2").status_code == 201
    with override_settings(FANKUI_INTEGRATION_SECRET_GRACE_HOURS=0):
        rotate_secret(app.integration)
    app.secret = old
    assert app.file(OWNER_X, TEXT + "3").json()["error"]["code"] == "bad_signature"
    revoke_secrets(app.integration)
    app.secret = new
    assert app.file(OWNER_X, TEXT + "4").json()["error"]["code"] == "bad_signature"
    assert Ticket.objects.count() == 2


def test_a_secret_revoked_by_another_server_is_refused_here_at_once() -> None:
    app = register()
    assert app.file(OWNER_X, TEXT).status_code == 201
    SigningSecret.objects.update(revoked_at=timezone.now())  # as another server's revoke writes it: no signal here
    assert app.file(OWNER_X, TEXT + "2").status_code == 201  # this process still holds its copy ...
    cache.set("fankui:integrations-changed", "moved by the other server")  # ... until the shared stamp moves
    assert app.file(OWNER_X, TEXT + "3").json()["error"]["code"] == "bad_signature"
    assert Ticket.objects.count() == 2


def test_later_calls_update_the_app_user_and_never_duplicate_them() -> None:
    app = register()
    app.file(OWNER_X, TEXT)
    app.file({**OWNER_X, "name": "业主甲（改名）", "phone": "13900000009", "region": "huanan"}, TEXT + "。又一次")
    identity = AppIdentity.objects.get()
    assert identity.display_name == "业主甲（改名）"
    assert (identity.user.profile.phone, identity.user.profile.region.name) == ("13900000009", "华南")
    assert identity.user.first_name == "业主甲（改名）"


def test_nonces_are_forgotten_only_once_the_clock_check_refuses_their_calls_anyway() -> None:
    app = register()
    signed = app.sign("POST", PATH, OWNER_X, json_body={"description": TEXT})
    assert app.send("POST", PATH, signed).status_code == 201
    assert forget_old_nonces(timezone.now() + datetime.timedelta(minutes=5)) == 0
    assert app.send("POST", PATH, signed).json()["error"]["code"] == "replayed_signature"
    assert forget_old_nonces(timezone.now() + datetime.timedelta(minutes=12)) == 1
    assert UsedNonce.objects.count() == 0
