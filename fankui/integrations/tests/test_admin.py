"""An admin registers an integration, sees its secret once, and copies the example request."""
from __future__ import annotations

import pytest

from fankui.core import testing
from fankui.directory.models import System
from fankui.integrations.models import Integration, SigningSecret
from fankui.integrations.tests.factories import OWNER_X, AppBackend, register

pytestmark = pytest.mark.django_db


def test_an_admin_registers_an_integration_and_the_secret_shown_once_signs_calls() -> None:
    admin = testing.client_for(testing.admin())
    system = System.objects.get(name="一应生活APP")
    response = admin.post(
        "/admin/integrations/integration/add/",
        {"name": "一应生活APP后端", "key": "yiying-life", "system": system.pk, "allowed_origins": "", "active": "on",
         "secrets-TOTAL_FORMS": "0", "secrets-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200, response.content
    secret = response.context["secret"]
    assert secret.startswith("fks_") and secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    stored = SigningSecret.objects.get()
    assert secret not in stored.ciphertext and stored.prefix == secret[:12]

    integration = Integration.objects.get()
    assert AppBackend(integration=integration, secret=secret).file(OWNER_X, "门禁卡开不了门").status_code == 201
    page = admin.get(f"/admin/integrations/integration/{integration.pk}/change/").content.decode()
    assert "X-Fankui-Signature" in page and "/integrations/yiying-life/button.js" in page and secret not in page


def test_rotating_from_the_admin_shows_the_new_secret_once() -> None:
    admin = testing.client_for(testing.admin())
    app = register()
    response = admin.post("/admin/integrations/integration/", {"action": "rotate", "_selected_action": [app.integration.pk]})
    backend_secret = response.context["secret"]
    assert backend_secret != app.secret
    assert SigningSecret.objects.filter(integration=app.integration, expires_at__isnull=False).count() == 1
