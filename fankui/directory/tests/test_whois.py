"""联系谁: the guide's routing for every system and topic."""
from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from fankui.directory.selectors import who_to_contact

pytestmark = pytest.mark.django_db

MAILBOX = "1@einyun.com"

# (query, expected system, expected department, expected contact names), from the guide's table.
GUIDE_ROUTES = [
    ("CSS", "CSS", "一应科技", [MAILBOX]),
    ("bms", "BMS", "一应科技", [MAILBOX]),
    ("saas", "SAAS", "一应科技", [MAILBOX]),
    ("主数据平台", "主数据平台", "一应科技", [MAILBOX]),
    ("一应智能APP", "一应智能APP", "一应科技", [MAILBOX]),
    ("基础架构平台", "基础架构平台", "一应科技", [MAILBOX]),
    ("微服务平台", "微服务平台", "一应科技", [MAILBOX]),
    ("新版收费云", "新版收费云", "一应科技", [MAILBOX]),
    ("新版物业管理云", "新版物业管理云", "一应科技", [MAILBOX]),
    ("长城自用收费云", "长城自用收费云", "集团信息技术中心", ["梁上湖"]),
    ("一应之家", "一应之家", "集团信息技术中心", ["王书彬"]),
    ("企业邮箱", "腾讯企业邮箱", "集团信息技术中心", ["王书彬"]),
    ("KM", "KM", "集团信息技术中心", ["林焕婷"]),
    ("销售易", "销售易", "集团信息技术中心", ["王腾"]),
    ("一应青藤学院", "一应青藤学院", "集团信息技术中心", ["张仝"]),
    ("EAS-HR", "EAS-HR", "集团信息技术中心", []),
    ("悦帮", "悦帮", "集团信息技术中心", ["张海旋"]),
    ("srm", "SRM", "集团信息技术中心", ["彭戈"]),
    ("账务清分系统", "账务清分系统", "集团信息技术中心", ["刘新超"]),
    ("云屋", "云屋", "集团信息技术中心", ["王会宗"]),
    ("一应生活APP", "一应生活APP", "一应社商", ["小U"]),
    ("一应生活微信公众号", "一应生活微信公众号", "一应社商", ["小U"]),
    ("一应活动小程序", "一应活动小程序", "一应社商", ["小U"]),
    ("一应优选小程序", "一应优选小程序", "一应社商", ["小U"]),
    ("一应扫码购小程序", "一应扫码购小程序", "一应社商", ["小U"]),
    ("IM后台", "IM后台", "一应社商", ["小U"]),
    ("社商云", "社商云", "一应社商", ["小U"]),
    ("结算中心微服务", "结算中心微服务", "一应社商", ["小U"]),
    ("ACRM", "ACRM", "一应社商", ["小U"]),
    ("进销存", "进销存", "一应社商", ["小U"]),
    ("一应驿站", "一应驿站", "一应社商", ["小U"]),
    ("停车", "格美特停车系统", "楼宇科技", ["周贤华"]),
    ("楼控", "海亿达智能楼控", "楼宇科技", ["周贤华"]),
    ("门禁", "太川门禁", "楼宇科技", ["周贤华"]),
    ("业主钱包", "业主钱包", "长藤科技", ["陈旭"]),
    ("业主卡微信公众号", "业主卡微信公众号", "长藤科技", ["陈旭"]),
    # Topics inside one system.
    ("eas 权限", "金蝶EAS", "集团信息技术中心", ["彭戈"]),
    ("EAS 报销单审批流", "金蝶EAS", "集团信息技术中心", ["肖睿"]),
    ("金蝶 服务器连不上", "金蝶EAS", "集团信息技术中心", ["王书彬"]),
    ("cmp 报错", "CMP", "集团信息技术中心", ["刘新超"]),
    ("CMP 合同类型怎么选", "CMP", "集团信息技术中心", ["林焕婷"]),
    ("Eas", "金蝶EAS", "集团信息技术中心", ["王书彬", "肖睿", "彭戈"]),
]


@pytest.mark.parametrize(("query", "system", "department", "contacts"), GUIDE_ROUTES)
def test_it_answers_the_guides_routing(query: str, system: str, department: str, contacts: list[str]) -> None:
    answer = who_to_contact(query).as_dict()
    assert answer["system"] == {"name": system, "department": department}
    assert [c["name"] for c in answer["contacts"]] == contacts


@pytest.mark.parametrize(
    ("query", "name", "topic"),
    [
        ("满意度调查有效数据", "余东金", "满意度调查有效数据"),
        ("满意度链接设置权限", "江博梓", "满意度链接设置权限"),
        ("uv数", "李佳文", "UV数统计"),
        ("联盟购", "各大区联盟购负责人", "联盟购订单采购和系统问题"),
    ],
)
def test_it_answers_topic_contacts_outside_any_system(query: str, name: str, topic: str) -> None:
    answer = who_to_contact(query).as_dict()
    assert answer["system"] is None
    assert answer["contacts"][0]["name"] == name
    assert answer["contacts"][0]["topic"] == topic


def test_the_mailbox_is_the_contact_for_yiying_keji() -> None:
    answer = who_to_contact("主数据").as_dict()
    assert answer["contacts"] == [{"name": MAILBOX, "topic": None, "phone": None, "email": MAILBOX}]


def test_it_puts_the_regions_consultant_first() -> None:
    answer = who_to_contact("eas 权限", region="华东").as_dict()
    assert answer["consultant"] == {"name": "陈坚", "region": "华东", "phone": "17625768446", "email": "chenjian@cc-pg.cn"}


def test_full_width_and_case_fold_together() -> None:
    assert who_to_contact("ＥＡＳ　权限").as_dict()["contacts"][0]["name"] == "彭戈"


def test_a_latin_alias_must_stand_alone() -> None:
    assert who_to_contact("sim卡").system is None


def test_unknown_query_names_nobody() -> None:
    answer = who_to_contact("食堂的饭太咸了", region="华南").as_dict()
    assert answer["system"] is None
    assert answer["contacts"] == []
    assert answer["consultant"]["name"] == "丁家贵"


def test_the_cli_prints_the_json_contract() -> None:
    out = StringIO()
    call_command("whois", "eas 权限", "--region", "华东", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {
        "query": "eas 权限",
        "system": {"name": "金蝶EAS", "department": "集团信息技术中心"},
        "contacts": [{"name": "彭戈", "topic": "账号、组织、权限", "phone": "13510992494", "email": None}],
        "consultant": {"name": "陈坚", "region": "华东", "phone": "17625768446", "email": "chenjian@cc-pg.cn"},
    }


def test_the_cli_takes_an_explicit_topic() -> None:
    out = StringIO()
    call_command("whois", "CMP", "--topic", "业务", "--json", stdout=out)
    assert [c["name"] for c in json.loads(out.getvalue())["contacts"]] == ["林焕婷"]


def test_the_cli_prints_the_path_in_order() -> None:
    out = StringIO()
    call_command("whois", "eas 权限", "--region", "华东", stdout=out)
    text = out.getvalue()
    assert text.index("陈坚") < text.index("彭戈")


def test_without_a_region_the_cli_lists_every_regions_consultant() -> None:
    out = StringIO()
    call_command("whois", "EAS 付款单", stdout=out)
    assert "--region" in out.getvalue() and "华东 陈坚" in out.getvalue() and "华南 丁家贵" in out.getvalue()
