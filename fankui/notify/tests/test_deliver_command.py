"""`fankui deliver-notifications`: drain the outbox by hand (cron, or when the worker is down)."""
from __future__ import annotations

from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command

from fankui.core import testing
from fankui.notify.tests import factories

pytestmark = pytest.mark.django_db


def test_it_sends_what_is_due_and_reports_counts() -> None:
    testing.consultant_ding()
    ticket = factories.file_report(testing.reporter_a())
    out = StringIO()
    call_command("check-sla", stdout=out)
    call_command("deliver-notifications", stdout=out)
    assert out.getvalue() == "新发现超时：0\n本次处理：1；待重试：0；已失败：0\n"
    assert [m.subject for m in mail.outbox] == [f"[{ticket.ref}] 新问题：{ticket.title}"]
