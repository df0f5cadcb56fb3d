"""Credentials pasted into a report are found and masked."""
from __future__ import annotations

import pytest

from fankui.tickets.secrets import MASK, mask_secrets


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("账号 zhangsan 密码 Abc12345 登不上EAS", ["zhangsan", "Abc12345"]),
        ("EAS报错，pwd:Qwe!2024", ["Qwe!2024"]),
        ("我的密码是 hello123，帮忙看看", ["hello123"]),
        ("用户名：lisi，密码：P@ss w", ["lisi", "P@ss"]),
        ("Password=secret99", ["secret99"]),
    ],
)
def test_it_finds_and_masks_pasted_credentials(text: str, values: list[str]) -> None:
    result = mask_secrets(text)
    assert [s.value for s in result.secrets] == values
    for value in values:
        assert value not in result.text
    assert MASK in result.text
    assert result.found_password


@pytest.mark.parametrize("text", ["账号被锁了怎么办", "忘记密码了", "EAS 权限不够", "密码重置在哪里"])
def test_it_leaves_ordinary_reports_alone(text: str) -> None:
    result = mask_secrets(text)
    assert result.text == text and result.secrets == ()
