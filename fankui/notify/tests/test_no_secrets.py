"""A password pasted into a report never leaves in a notice, an email, a push or a group message."""
from __future__ import annotations

import pytest
from django.test import override_settings

from fankui.core import testing
from fankui.directory.models import Person
from fankui.notify.delivery import deliver_due
from fankui.notify.models import Delivery, Notice
from fankui.notify.tests import factories
from fankui.notify.tests.receivers import http_receiver, smtp_server
from fankui.tickets.services import SecretInput, escalate_ticket

pytestmark = [pytest.mark.django_db, pytest.mark.service]

PASTED = "Xy7#pastedPw"
VAULTED = "Vpn!OnlyInVault9"


def test_no_secret_reaches_any_channel() -> None:
    ding = testing.consultant_ding()
    testing.owner_peng()
    with smtp_server() as inbox, http_receiver() as push, http_receiver() as group, override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=inbox.port,
        FANKUI_PUSH_WEBHOOK_URL=push.url,
        FANKUI_PUSH_WEBHOOK_SECRET="s3cret",
        FANKUI_WECOM_WEBHOOK_URL=group.url,
    ):
        ticket = factories.file_report(
            testing.reporter_a(),
            f"金蝶EAS 登录不了，账号 zhangsan 密码：{PASTED} 提示组织权限不足",
            secrets=(SecretInput("VPN 密码", VAULTED),),
        )
        escalate_ticket(ticket=ticket, by=ding, system=ticket.system, owner=Person.objects.get(name="彭戈"), reason="权限问题")
        deliver_due()
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}
    # 丁家贵 by email, push and group; 彭戈 (no email in the guide) by push and group.
    assert (len(inbox.messages), len(push.hits), len(group.hits)) == (1, 2, 2)
    texts = [f"{n.subject}\n{n.body}" for n in Notice.objects.all()]
    texts += [raw.decode(errors="replace") for raw in inbox.raw]
    texts += [message.get_content() for message in inbox.messages]
    texts += [hit.body.decode() for hit in [*push.hits, *group.hits]]
    assert any("******" in text for text in texts)  # the description went out, masked
    for text in texts:
        assert PASTED not in text and VAULTED not in text  # the account name stays: it is not a secret
