"""Who may add to a ticket by mail, beyond its reporter and handlers (the real listener on loopback).

Personas: reporter A (张三, 华南) with a ticket, consultant 丁家贵 (华南) working it, a colleague of
the group who is not on the ticket (王海, 一应科技, einyun.com — no fankui login), and an outside
neighbour on QQ Mail. The group's domains are cc-pg.cn and einyun.com; its relay is mx.cc-pg.cn.
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth.models import AbstractUser
from django.contrib.auth import get_user_model
from django.test import override_settings

from fankui.core import testing
from fankui.directory.models import Region
from fankui.notify.channels.email import reply_address
from fankui.notify.models import Notice
from fankui.tickets.models import Ticket, TicketEvent
from fankui.tickets.services import Intake, create_ticket, reply_to_ticket
from fankui.tickets.tests import mail_samples as samples
from fankui.tickets.tests.mail_server import Mailer

pytestmark = [
    pytest.mark.service,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("group_mail"),
]

HELPDESK = "1@einyun.com"
COLLEAGUE = "wanghai@einyun.com"
RELAY_PASS = {"Authentication-Results": "mx.cc-pg.cn; spf=pass smtp.mailfrom=einyun.com; dmarc=pass header.from=einyun.com"}


@pytest.fixture
def group_mail() -> Iterator[None]:
    with override_settings(FANKUI_INTAKE_ADDRESS=HELPDESK, FANKUI_MAIL_STAFF_DOMAINS=["cc-pg.cn", "einyun.com"], FANKUI_MAIL_TRUSTED_RELAY="mx.cc-pg.cn"):
        yield


@pytest.fixture
def ticket(smtp: Mailer) -> Ticket:
    testing.consultant_ding()
    reporter = testing.reporter("张三", "华南", email="zhangsan@cc-pg.cn", first_name="张三")
    intake = Intake(description="一应生活APP 门禁二维码刷不开", channel=Ticket.Channel.WEB, region=Region.objects.get(name="华南"))
    return create_ticket(reporter=reporter, intake=intake).ticket


def colleague_reply(ticket: Ticket, *, extra: dict[str, str] | None = None, message_id: str = "<wh-1@einyun.com>") -> bytes:
    """王海 answers from Foxmail, the helpdesk in Cc, the reporter's forward quoted below."""
    return samples.foxmail_gbk(
        address=COLLEAGUE,
        name="王海",
        subject=f"回复：[{ticket.ref}] 门禁二维码刷不开",
        body=(
            "我们一号项目昨天也这样，是门禁网关掉线了，重启网关后恢复。\n\n"
            "王海\n一应科技 实施工程师\n\n"
            "-----原始邮件-----\n发件人: 张三\n发送时间: 2026年12月3日 9:12\n收件人: 王海\n抄送: 1@einyun.com\n主题: 门禁二维码刷不开\n"
            "一应生活APP 门禁二维码刷不开"
        ),
        message_id=message_id,
        extra={"Cc": HELPDESK, **(extra or {})},
    )


def test_a_colleagues_reply_with_the_reference_is_a_comment_on_that_ticket(smtp: Mailer, ticket: Ticket) -> None:
    answer = smtp.send(colleague_reply(ticket, extra=RELAY_PASS), mail_from=COLLEAGUE, to=HELPDESK)
    assert answer == (250, f"2.0.0 OK commented {ticket.ref}")
    assert Ticket.objects.count() == 1
    comment = ticket.events.get(kind=TicketEvent.Kind.REPLY)
    assert (comment.actor.email, comment.public, comment.data["third_party"]) == (COLLEAGUE, True, True)
    assert comment.body == "我们一号项目昨天也这样，是门禁网关掉线了，重启网关后恢复。\n\n王海\n一应科技 实施工程师"
    ticket.refresh_from_db()
    assert ticket.first_responded_at is None  # a colleague's word is not the handler's answer
    assert Notice.objects.filter(ticket=ticket, recipient__username="dingjiagui", subject__contains="同事补充").exists()
    page = testing.client_for(ticket.reporter).get(f"/tickets/{ticket.ref}/").content.decode()
    assert "王海" in page and "同事来信" in page and "已关注此工单" in page and "重启网关后恢复" in page


def test_a_colleague_who_commented_hears_the_handlers_answer_and_can_answer_back(smtp: Mailer, ticket: Ticket) -> None:
    smtp.send(colleague_reply(ticket, extra=RELAY_PASS), mail_from=COLLEAGUE, to=HELPDESK)
    ding = get_user_model().objects.get(username="dingjiagui")
    reply_to_ticket(ticket=ticket, by=ding, body="已远程重启门禁网关，请再试")
    notice = Notice.objects.get(ticket=ticket, email=COLLEAGUE)
    assert notice.subject.startswith(f"[{ticket.ref}] 您关注的问题有新回复") and notice.body == "已远程重启门禁网关，请再试"
    # His answer to that notice carries his reply token: it threads without the relay's word.
    answer = samples.utf8_plain(address=COLLEAGUE, subject=f"回复：{notice.subject}", body="好的，我们这边也恢复了", message_id="<wh-2@einyun.com>")
    assert smtp.send(answer, mail_from=COLLEAGUE, to=reply_address(ticket.ref, COLLEAGUE)) == (250, f"2.0.0 OK commented {ticket.ref}")
    assert ticket.followers.count() == 1


def test_a_redelivered_colleague_reply_is_added_once(smtp: Mailer, ticket: Ticket) -> None:
    raw = colleague_reply(ticket, extra=RELAY_PASS)
    assert smtp.send(raw, mail_from=COLLEAGUE, to=HELPDESK)[1].startswith("2.0.0 OK commented")
    assert smtp.send(raw, mail_from=COLLEAGUE, to=HELPDESK) == (250, f"2.0.0 OK duplicate {ticket.ref}")
    assert ticket.events.filter(kind=TicketEvent.Kind.REPLY).count() == 1


def test_a_colleague_the_relay_does_not_vouch_for_is_kept_unverified(smtp: Mailer, ticket: Ticket) -> None:
    answer = smtp.send(colleague_reply(ticket), mail_from=COLLEAGUE, to=HELPDESK)
    assert answer == (250, f"2.0.0 OK unverified {ticket.ref}")
    assert not ticket.events.filter(kind=TicketEvent.Kind.REPLY).exists()
    assert ticket.events.get(data__unverified_sender=COLLEAGUE).public is False


def test_a_reply_all_from_someone_copied_on_the_original_mail_joins_its_ticket(smtp: Mailer, guide_loaded: None) -> None:
    testing.reporter("李娜", "华东", email="lina@cc-pg.cn")
    original = samples.utf8_plain(address="lina@cc-pg.cn", name="李娜", subject="收费云缴费单打不开", body="收费云缴费单点开是空白页",
                                  message_id="<lina-orig@cc-pg.cn>", extra={"Cc": "zhaogang@cc-pg.cn"})
    code, text = smtp.send(original, mail_from="lina@cc-pg.cn", to=HELPDESK)
    ticket = Ticket.objects.get(ref=text.split()[-1])
    # 赵刚 answers the original from 腾讯企业邮 with 回复全部: no reference, only In-Reply-To.
    reply_all = samples.utf8_plain(
        address="zhaogang@cc-pg.cn", name="赵刚", subject="回复：收费云缴费单打不开", body="我这边也打不开，麻烦尽快处理\n\n发自我的企业微信",
        message_id="<zg-1@cc-pg.cn>", in_reply_to="<lina-orig@cc-pg.cn>",
        extra={"Authentication-Results": "mx.cc-pg.cn; dmarc=pass header.from=cc-pg.cn"},
    )
    assert smtp.send(reply_all, mail_from="zhaogang@cc-pg.cn", to=HELPDESK) == (250, f"2.0.0 OK commented {ticket.ref}")
    assert ticket.events.get(kind=TicketEvent.Kind.REPLY).body == "我这边也打不开，麻烦尽快处理"


def test_an_outsider_naming_a_ticket_files_a_new_one_linked_for_handlers(smtp: Mailer, ticket: Ticket) -> None:
    raw = samples.utf8_plain(address="2233445566@qq.com", name="业主刘女士", subject=f"关于{ticket.ref}门禁的问题",
                             body="我家楼下门禁也刷不开，3栋2单元", message_id="<qq-liu@qq.com>")
    code, text = smtp.send(raw, mail_from="2233445566@qq.com", to=HELPDESK)
    assert code == 250 and text.startswith("2.0.0 OK created")
    theirs = Ticket.objects.get(ref=text.split()[-1])
    assert theirs != ticket and not ticket.events.filter(kind=TicketEvent.Kind.REPLY).exists()
    link = theirs.events.get(data__linked_ref=ticket.ref)
    assert link.public is False  # the outsider learns nothing about the other ticket
