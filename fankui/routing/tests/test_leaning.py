"""leaning_systems: where a report the router leaves unrouted may belong, for grouping only."""
from __future__ import annotations

import pytest

from fankui.routing.services import leaning_systems, route_report

pytestmark = pytest.mark.django_db


def test_a_name_two_systems_share_leans_to_both_without_routing() -> None:
    text = "公众号上的账单一直打不开"
    assert route_report(text, region=None).system is None
    leaning = leaning_systems(text)
    assert set(leaning.named) == {"一应生活微信公众号", "业主卡微信公众号"}
    assert leaning.systems == leaning.named  # a name outweighs business words, as in routing


def test_a_systems_business_word_leans_to_it() -> None:
    leaning = leaning_systems("今天下午定位打卡一直转圈")
    assert leaning.named == ()
    assert "一应之家" in leaning.guessed


def test_a_report_about_nothing_in_the_directory_leans_nowhere() -> None:
    assert leaning_systems("楼下装修的声音太吵了，晚上睡不着").systems == ()


@pytest.mark.parametrize(("text", "system"), [
    ("超市的退货单提交了一直待审核", "进销存"),
    ("业主搬家的放行条保安扫了说无效", "新版物业管理云"),
    ("小区摄影比赛的票数全清零了", "一应活动小程序"),
])
def test_a_document_only_one_system_keeps_leans_to_it(text: str, system: str) -> None:
    assert system in leaning_systems(text).guessed


def test_a_receipt_leans_to_both_billing_systems() -> None:
    # Both 收费云 print the receipts: a receipt-number fault is either one's, whatever the router guesses.
    leaning = leaning_systems("收银台刚收完一笔，打出来的收据号和上一张一模一样")
    assert {"长城自用收费云", "新版收费云"} <= set(leaning.guessed)


def test_a_bare_app_leans_to_the_owners_app_unless_its_words_name_another_system() -> None:
    paying = leaning_systems("app交物业费点了微信支付就弹支付失败")
    assert (paying.named, paying.guessed) == ((), ("一应生活APP",))  # a lean, not a name: it may still join another system's outage
    assert "一应生活APP" not in leaning_systems("业主在app上申请的搬家放行条，保安扫了说无效").systems
    assert "一应生活APP" not in leaning_systems("楼下装修的声音太吵了").systems
