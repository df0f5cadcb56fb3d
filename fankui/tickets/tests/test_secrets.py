"""Credentials typed into a report are found and masked; account names, labels and ordinary text stay."""
from __future__ import annotations

import pytest

from fankui.tickets.secrets import MASK, mask_secrets


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("账号 zhangsan 密码 Abc12345 登不上EAS", ["Abc12345"]),
        ("EAS报错，pwd:Qwe!2024", ["Qwe!2024"]),
        ("我的密码是 hello123，帮忙看看", ["hello123"]),
        ("用户名：lisi，密码：P@ss w", ["P@ss"]),
        ("Password=secret99", ["secret99"]),
        ("新密碼為Kq7788zz。", ["Kq7788zz"]),
        ("密码：\nWz#2025ok\n谢谢", ["Wz#2025ok"]),
        ("密码“Ty-8810”不对吗", ["Ty-8810"]),
        ("短信验证码 482913 输入后没反应", ["482913"]),
        ("门禁密码改成了 5521# 还是进不去", ["5521#"]),
        ("OA账号/密码：caiwu3/Cw3pass88", ["Cw3pass88"]),
        ("登录不了，试过 admin / Adm2024pw", ["Adm2024pw"]),
        ("配置里 API_KEY=9f8e7d6c5b4a39281706 还有用吗", ["9f8e7d6c5b4a39281706"]),
        ("Authorization: Bearer 0123456789abcdef0123456789abcdef", ["0123456789abcdef0123456789abcdef"]),
        ("连接串 postgres://report:Rp2024x@10.0.0.8:5432/eas", ["Rp2024x"]),
        ("https://oa.example.cn/login?user=wang&password=Wg2024x&lang=zh", ["Wg2024x"]),
        ("同事发来的 Hq@2026xy 是什么", ["Hq@2026xy"]),
    ],
)
def test_it_finds_and_masks_typed_credentials(text: str, values: list[str]) -> None:
    result = mask_secrets(text)
    assert [s.value for s in result.secrets] == values
    for value in values:
        assert value not in result.text
    assert MASK in result.text and result.found_password


def test_the_account_name_and_the_label_stay_readable() -> None:
    assert mask_secrets("账号 zhangsan 密码 Abc12345").text == "账号 zhangsan 密码 ******"


@pytest.mark.parametrize(
    "text",
    [
        "账号被锁了怎么办",
        "忘记密码了",
        "EAS 权限不够",
        "密码重置在哪里",
        "密码是对的，就是登不上",
        "输错密码3次被锁了",
        "密码长度要求8-16位",
        "FATAL: password authentication failed for user",
        "提示用户名或密码错误(code 401)",
        "账号：wangwu，密码我单独发你微信",
        "订单号 SO-20261203-0042 退款没到账，电话 139****5678",
        "版本 8.6.2 在 2026-12-03 10:30 更新后打不开",
        "联系 Wangrui@cc-pg.cn 处理",
    ],
)
def test_it_leaves_talk_about_passwords_and_ordinary_identifiers_alone(text: str) -> None:
    result = mask_secrets(text)
    assert result.text == text and result.secrets == ()
