"""`fankui integration create|rotate|revoke`: the admin page's actions for scripts."""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from fankui.integrations.models import Integration, SigningSecret
from fankui.integrations.tests.factories import OWNER_X, AppBackend

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = StringIO()
    call_command("integration", *args, stdout=out)
    return out.getvalue().strip()


def test_create_prints_only_the_secret_and_it_signs_calls() -> None:
    secret = _run("create", "BMS", "--key", "bms", "--system", "BMS", "--origin", "https://bms.example.cn")
    integration = Integration.objects.get(key="bms")
    assert integration.origins == ["https://bms.example.cn"]
    assert AppBackend(integration=integration, secret=secret).file(OWNER_X, "审批页面打不开").status_code == 201


def test_rotate_and_revoke_by_key() -> None:
    _run("create", "BMS", "--key", "bms", "--system", "BMS")
    assert _run("rotate", "bms").startswith("fks_")
    assert _run("revoke", "bms") == "已撤销 2 个密钥。"
    assert not SigningSecret.objects.filter(revoked_at__isnull=True).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("create", "BMS", "--key", "bms", "--system", "火星系统"), "通讯录中没有系统“火星系统”"),
        (("create", "BMS", "--key", "not a slug", "--system", "BMS"), "字母，数字，下划线或连字符"),
        (("rotate", "nobody"), "没有标识为 nobody 的系统集成"),
    ],
)
def test_it_refuses_bad_input_with_the_reason_and_stores_nothing(args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        _run(*args)
    assert not Integration.objects.exists()
