"""Mail intake end to end: a real aiosmtpd server on loopback, mail sent with smtplib.

The handler files mail in its own thread, so these tests are transactional and load the guide
themselves (`guide_loaded`). Personas: reporter A (张三, 华南), reporter B (李四, 华东),
consultant 丁家贵 (华南) with a login, and unknown senders (业主).
"""
from __future__ import annotations

import logging
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.test import override_settings

from fankui.core import testing
from fankui.directory.models import Region
from fankui.notify.channels.email import reply_address
from fankui.notify.models import Delivery, Notice
from fankui.notify.services import notify_user
from fankui.tickets.models import Ticket, TicketEvent
from fankui.tickets.services import Intake, create_ticket
from fankui.tickets.tests import mail_samples as samples
from fankui.tickets.tests.mail_server import Mailer

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]

A_MAIL = "zhangsan@cc-pg.cn"
B_MAIL = "lisi@cc-pg.cn"


def reporter(username: str, email: str, region: str) -> AbstractUser:
    return testing.reporter(username, region, email=email, project=f"{region}一号项目", first_name=username)


@pytest.fixture
def reporter_a(smtp: Mailer) -> AbstractUser:
    return reporter("张三", A_MAIL, "华南")


@pytest.fixture
def reporter_b(smtp: Mailer) -> AbstractUser:
    return reporter("李四", B_MAIL, "华东")


@pytest.fixture
def ding(smtp: Mailer) -> AbstractUser:
    """Consultant 丁家贵 (华南) with a login linked to his directory entry."""
    return testing.consultant_ding()


def file_ticket(user: AbstractUser, description: str = "EAS 报销单提交后一直卡在审批流") -> Ticket:
    return create_ticket(reporter=user, intake=Intake(description=description, channel=Ticket.Channel.WEB, region=Region.objects.get(name="华南"))).ticket


def mail_ticket(smtp: Mailer, raw: bytes, **kwargs: Any) -> Ticket:
    code, text = smtp.send(raw, **kwargs)
    assert code == 250, text
    assert "created" in text, text
    return Ticket.objects.get(ref=text.split()[-1])


# --- new tickets -------------------------------------------------------------------------------------


def test_it_files_a_foxmail_gbk_mail_with_a_chinese_named_screenshot(smtp: Mailer, reporter_a: AbstractUser) -> None:
    raw = samples.foxmail_gbk(
        address="ZhangSan@CC-PG.cn",  # addresses are matched case-insensitively
        name="张三",
        subject="EAS登录报错 王镕",
        body="您好：\nEAS 登录后提示“无权限”，同事王喆也一样。\n\n谢谢",
        message_id="<202611251030123456@cc-pg.cn>",
        attachments=[("报错截图 王喆.png", samples.png_bytes())],
    )
    ticket = mail_ticket(smtp, raw)
    assert (ticket.reporter, ticket.channel, ticket.reporter_kind) == (reporter_a, "email", "staff")
    assert ticket.title == "EAS登录报错 王镕"
    assert ticket.description == "您好：\nEAS 登录后提示“无权限”，同事王喆也一样。\n\n谢谢"
    assert (ticket.region.name, ticket.project) == ("华南", "华南一号项目")
    [attachment] = ticket.attachments.all()
    assert (attachment.filename, attachment.content_type, attachment.width) == ("报错截图 王喆.png", "image/png", 40)
    assert attachment.event == ticket.events.get(kind=TicketEvent.Kind.CREATED)


def test_it_files_a_big5_mail_readably(smtp: Mailer, reporter_a: AbstractUser) -> None:
    raw = samples.big5_plain(address=A_MAIL, name="張三", subject="資料庫無法連線", body="金蝶EAS資料庫無法連線\n請協助處理", message_id="<big5-1@cc-pg.cn>")
    ticket = mail_ticket(smtp, raw)
    assert (ticket.title, ticket.description) == ("資料庫無法連線", "金蝶EAS資料庫無法連線\n請協助處理")


def test_it_files_an_html_only_outlook_mail_as_text(smtp: Mailer, reporter_a: AbstractUser) -> None:
    raw = samples.outlook_html_only(
        address=A_MAIL,
        name="张三",
        subject="停车系统抬杆失败",
        html_body="<p class=MsoNormal>格美特停车系统&#8220;抬杆失败&#8221;<o:p></o:p></p><p class=MsoNormal>车牌&nbsp;粤B12345<br>时间 10:30<o:p></o:p></p>",
        message_id="<DM6PR11MB0001@namprd11.prod.outlook.com>",
    )
    ticket = mail_ticket(smtp, raw)
    assert ticket.description == "格美特停车系统“抬杆失败”\n车牌 粤B12345\n时间 10:30"


def test_a_deactivated_sender_is_not_brought_back(smtp: Mailer, reporter_a: AbstractUser) -> None:
    get_user_model().objects.filter(pk=reporter_a.pk).update(is_active=False, username=A_MAIL)
    code, text = smtp.send(samples.utf8_plain(address=A_MAIL, subject="EAS", body="EAS 无法登录", message_id="<gone@cc-pg.cn>"))
    assert (code, text) == (250, "2.0.0 OK dropped")
    assert not Ticket.objects.exists()


def test_a_refused_attachment_is_named_in_a_public_note_and_the_mail_is_still_filed(smtp: Mailer, reporter_a: AbstractUser) -> None:
    raw = samples.foxmail_gbk(
        address=A_MAIL,
        name="张三",
        subject="门禁刷卡无反应",
        body="太川门禁刷卡无反应，截图和安装包见附件",
        message_id="<att-1@cc-pg.cn>",
        attachments=[("门禁截图.png", samples.png_bytes()), ("门禁客户端.exe", b"MZ\x90\x00" + b"\x00" * 100)],
    )
    ticket = mail_ticket(smtp, raw)
    assert [a.filename for a in ticket.attachments.all()] == ["门禁截图.png"]
    note = ticket.events.get(kind=TicketEvent.Kind.REPLY)
    assert note.public
    assert note.body.startswith("邮件中的以下附件未能保存，如有需要请重新发送：\n- “门禁客户端.exe”不是支持的文件类型。")


def test_a_mail_with_priority_high_is_urgent(smtp: Mailer, reporter_a: AbstractUser) -> None:
    raw = samples.outlook_html_only(
        address=A_MAIL, name="张三", subject="收费云无法收费", html_body="<p>全项目无法收费</p>", message_id="<urgent@x>", extra={"Importance": "high", "X-Priority": "1"}
    )
    assert mail_ticket(smtp, raw).urgency == "urgent"


def test_a_redelivered_mail_is_filed_once(smtp: Mailer, reporter_a: AbstractUser) -> None:
    raw = samples.utf8_plain(address=A_MAIL, subject="EAS 审批流卡住", body="报销单卡在审批流", message_id="<twice@cc-pg.cn>")
    first = mail_ticket(smtp, raw)
    code, text = smtp.send(raw)
    assert (code, text) == (250, f"2.0.0 OK duplicate {first.ref}")
    assert Ticket.objects.count() == 1


# --- replies -----------------------------------------------------------------------------------------


def reply_notice(ticket: Ticket, message_id: str) -> Delivery:
    """The reporter was mailed about a reply: the notice, and the delivery the worker sent with this Message-ID."""
    notice = notify_user(ticket.reporter, kind=Notice.Kind.REPLY, dedup_key=f"{ticket.ref}:test", subject=f"[{ticket.ref}] 您的问题有新回复", body="请再试一次", ticket=ticket)
    assert notice is not None
    delivery = notice.deliveries.get(channel=Delivery.Channel.EMAIL)
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SENT, message_id=message_id.format(notice=notice.pk, ref=ticket.ref))
    delivery.refresh_from_db()
    return delivery


def test_a_reply_threads_by_in_reply_to_a_mail_we_sent(smtp: Mailer, reporter_a: AbstractUser, ding: AbstractUser) -> None:
    ticket = file_ticket(reporter_a)
    # The relay rewrote our Message-ID, so only the Delivery row knows which ticket it was.
    delivery = reply_notice(ticket, "<20261125103000.{notice}@relay.cc-pg.cn>")
    raw = samples.utf8_plain(
        address=A_MAIL,
        subject="回复：您的问题有新回复",
        body="试过了，还是不行，截图见附件\n\n发自我的iPhone\n\n------------------ 原始邮件 ------------------\n发件人: \"反馈\"<fankui@cc-pg.cn>;\n发送时间: 2026年11月25日(星期三) 上午10:00\n请再试一次",
        message_id="<reply-1@cc-pg.cn>",
        in_reply_to=delivery.message_id,
        attachments=[("还是报错.png", samples.png_bytes(60, 20))],
    )
    code, text = smtp.send(raw, to=reply_address(ticket.ref, A_MAIL))
    assert (code, text) == (250, f"2.0.0 OK replied {ticket.ref}")
    assert Ticket.objects.count() == 1
    reply = ticket.events.get(kind=TicketEvent.Kind.REPLY)
    assert (reply.actor, reply.public, reply.body) == (reporter_a, True, "试过了，还是不行，截图见附件")
    assert reply.data == {"channel": "email", "message_id": "<reply-1@cc-pg.cn>"}
    assert [(a.filename, a.event) for a in ticket.attachments.all()] == [("还是报错.png", reply)]
    # The consultant hears about the reporter's addition.
    assert Notice.objects.filter(ticket=ticket, recipient=ding, subject__startswith=f"[{ticket.ref}] 报告人补充").exists()


def test_a_reply_threads_by_references_to_our_message_id(smtp: Mailer, reporter_a: AbstractUser) -> None:
    ticket = file_ticket(reporter_a)
    # No Delivery row has this id (say the outbox was pruned): the ref inside it is enough.
    ours = f"<fankui.999.{ticket.ref}@cc-pg.cn>"
    raw = samples.foxmail_gbk(
        address=A_MAIL,
        name="张三",
        subject="Re: 审批流",
        body="补充：单号 BX-2026-1125\n\n-----原始邮件-----\n发件人: 反馈\n发送时间: 2026年11月25日 10:00\n主题: 请补充信息",
        message_id="<reply-2@cc-pg.cn>",
        references=f"<other@cc-pg.cn> {ours}",
    )
    assert smtp.send(raw, to=reply_address(ticket.ref, A_MAIL)) == (250, f"2.0.0 OK replied {ticket.ref}")
    assert ticket.events.get(kind=TicketEvent.Kind.REPLY).body == "补充：单号 BX-2026-1125"


def test_a_reply_threads_by_the_ref_in_the_subject_alone(smtp: Mailer, reporter_a: AbstractUser) -> None:
    ticket = file_ticket(reporter_a)
    raw = samples.outlook_html_only(
        address=A_MAIL,
        name="张三",
        subject=f"答复: [{ticket.ref}] 您的问题已解决",
        html_body=(
            "<p class=MsoNormal>已确认恢复，谢谢！<o:p></o:p></p><p class=MsoNormal>张三 | 华南区<o:p></o:p></p>"
            "<div style='border:none;border-top:solid #E1E1E1 1.0pt'><p class=MsoNormal><b>发件人:</b> 反馈 &lt;fankui@cc-pg.cn&gt;<br>"
            "<b>发送时间:</b> 2026年11月25日 10:00<br><b>收件人:</b> 张三<br><b>主题:</b> 您的问题已解决</p></div><p>问题已处理</p>"
        ),
        message_id="<reply-3@cc-pg.cn>",
    )
    assert smtp.send(raw, to=reply_address(ticket.ref, A_MAIL)) == (250, f"2.0.0 OK replied {ticket.ref}")
    assert ticket.events.get(kind=TicketEvent.Kind.REPLY).body == "已确认恢复，谢谢！\n张三 | 华南区"


def test_a_follow_up_to_ones_own_mail_joins_its_ticket(smtp: Mailer, reporter_a: AbstractUser) -> None:
    first = mail_ticket(smtp, samples.utf8_plain(address=A_MAIL, subject="EAS 凭证打印空白", body="EAS 凭证打印出来是空白", message_id="<orig@cc-pg.cn>"))
    # No reply token here (the reporter answers their own sent mail): the group's relay vouches instead.
    follow_up = samples.utf8_plain(
        address=A_MAIL, subject="Re: EAS 凭证打印空白", body="补充截图", message_id="<follow@cc-pg.cn>", in_reply_to="<orig@cc-pg.cn>",
        attachments=[("打印预览.png", samples.png_bytes())],
        extra={"Authentication-Results": "mx.cc-pg.cn; spf=pass smtp.mailfrom=cc-pg.cn; dmarc=pass header.from=cc-pg.cn"},
    )
    with override_settings(FANKUI_MAIL_TRUSTED_RELAY="mx.cc-pg.cn"):
        assert smtp.send(follow_up) == (250, f"2.0.0 OK replied {first.ref}")
    assert [a.filename for a in first.attachments.all()] == ["打印预览.png"]


def test_a_consultant_may_answer_by_mail(smtp: Mailer, reporter_a: AbstractUser, ding: AbstractUser) -> None:
    ticket = file_ticket(reporter_a)
    raw = samples.utf8_plain(address="dingjiagui@cc-pg.cn", subject=f"Re: [{ticket.ref}] 新问题", body="请清除浏览器缓存后重试", message_id="<ding-1@cc-pg.cn>")
    answer_to = reply_address(ticket.ref, "dingjiagui@cc-pg.cn")  # from the new-report notice he received
    assert smtp.send(raw, mail_from="dingjiagui@cc-pg.cn", to=answer_to) == (250, f"2.0.0 OK replied {ticket.ref}")
    reply = ticket.events.get(kind=TicketEvent.Kind.REPLY)
    assert (reply.actor, reply.body) == (ding, "请清除浏览器缓存后重试")
    ticket.refresh_from_db()
    assert ticket.first_responded_at is not None


def test_a_forged_consultant_reply_is_never_shown_as_his(smtp: Mailer, reporter_a: AbstractUser, ding: AbstractUser) -> None:
    ticket = file_ticket(reporter_a)
    forged = samples.utf8_plain(address="dingjiagui@cc-pg.cn", subject=f"Re: [{ticket.ref}] 新问题", body="请把密码发到 helper@evil.example", message_id="<forged@evil.example>")
    assert smtp.send(forged, mail_from="dingjiagui@cc-pg.cn") == (250, f"2.0.0 OK unverified {ticket.ref}")
    assert not ticket.events.filter(kind=TicketEvent.Kind.REPLY).exists()
    note = ticket.events.get(kind=TicketEvent.Kind.NOTE)
    assert (note.actor, note.public, note.data["unverified_sender"]) == (None, False, "dingjiagui@cc-pg.cn")
    assert note.body.startswith("【未经验证的邮件】发件人自称 dingjiagui@cc-pg.cn")
    ticket.refresh_from_db()
    assert ticket.first_responded_at is None  # the SLA clock is not stopped by a forgery
    assert not Notice.objects.filter(ticket=ticket, recipient=reporter_a, kind=Notice.Kind.REPLY).exists()


def test_a_token_of_another_recipient_or_another_ticket_proves_nothing(smtp: Mailer, reporter_a: AbstractUser, ding: AbstractUser) -> None:
    ticket, other = file_ticket(reporter_a), file_ticket(reporter_a, "CMP 合同审批打不开")
    for n, to in enumerate((reply_address(ticket.ref, A_MAIL), reply_address(other.ref, "dingjiagui@cc-pg.cn"))):
        raw = samples.utf8_plain(address="dingjiagui@cc-pg.cn", subject=f"Re: [{ticket.ref}]", body="已处理", message_id=f"<stolen-{n}@cc-pg.cn>")
        assert smtp.send(raw, mail_from="dingjiagui@cc-pg.cn", to=to)[1].startswith("2.0.0 OK unverified")
    assert not ticket.events.filter(kind=TicketEvent.Kind.REPLY).exists()


@pytest.mark.parametrize(
    ("relay_header", "verified"),
    [
        ("mx.cc-pg.cn; dmarc=pass header.from=cc-pg.cn", True),
        ("mx.cc-pg.cn; dmarc=fail header.from=cc-pg.cn", False),
        ("mx.evil.example; dmarc=pass header.from=cc-pg.cn", False),  # not the relay we trust
        ("mx.cc-pg.cn; spf=pass smtp.mailfrom=evil.example", False),  # passed, but for another domain
    ],
)
def test_only_the_trusted_relay_vouching_for_the_senders_domain_counts(
    smtp: Mailer, reporter_a: AbstractUser, ding: AbstractUser, relay_header: str, verified: bool
) -> None:
    ticket = file_ticket(reporter_a)
    raw = samples.utf8_plain(address="dingjiagui@cc-pg.cn", subject=f"Re: [{ticket.ref}]", body="已处理", message_id="<relay@cc-pg.cn>",
                             extra={"Authentication-Results": relay_header})
    with override_settings(FANKUI_MAIL_TRUSTED_RELAY="mx.cc-pg.cn"):
        answer = smtp.send(raw, mail_from="dingjiagui@cc-pg.cn")[1]
    assert answer.startswith("2.0.0 OK replied" if verified else "2.0.0 OK unverified")


def test_a_strangers_reply_is_not_appended_but_filed_as_their_own(smtp: Mailer, reporter_a: AbstractUser, reporter_b: AbstractUser) -> None:
    ticket = file_ticket(reporter_a)
    delivery = reply_notice(ticket, "<fankui.{notice}.{ref}@cc-pg.cn>")
    raw = samples.utf8_plain(
        address=B_MAIL, subject=f"Re: [{ticket.ref}] 您的问题有新回复", body="我这边也一样", message_id="<b-1@cc-pg.cn>", in_reply_to=delivery.message_id
    )
    code, text = smtp.send(raw, mail_from=B_MAIL)
    assert code == 250 and "created" in text
    assert not ticket.events.filter(kind=TicketEvent.Kind.REPLY).exists()
    theirs = Ticket.objects.get(ref=text.split()[-1])
    assert (theirs.reporter, theirs.description, theirs.region.name) == (reporter_b, "我这边也一样", "华东")


def test_a_reply_to_a_closed_ticket_opens_a_new_one(smtp: Mailer, reporter_a: AbstractUser) -> None:
    ticket = file_ticket(reporter_a)
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CLOSED)
    raw = samples.utf8_plain(address=A_MAIL, subject=f"Re: [{ticket.ref}] 已关闭", body="又出现了", message_id="<again@cc-pg.cn>")
    new = mail_ticket(smtp, raw)
    assert new != ticket and new.title == f"[{ticket.ref}] 已关闭"


def test_a_redelivered_reply_is_appended_once(smtp: Mailer, reporter_a: AbstractUser) -> None:
    ticket = file_ticket(reporter_a)
    raw = samples.utf8_plain(address=A_MAIL, subject=f"[{ticket.ref}]", body="补充信息", message_id="<twice-reply@cc-pg.cn>")
    to = reply_address(ticket.ref, A_MAIL)
    assert smtp.send(raw, to=to) == (250, f"2.0.0 OK replied {ticket.ref}")
    assert smtp.send(raw, to=to) == (250, f"2.0.0 OK duplicate {ticket.ref}")
    assert ticket.events.filter(kind=TicketEvent.Kind.REPLY).count() == 1


# --- never answered, never filed --------------------------------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [
        {"Auto-Submitted": "auto-replied"},
        {"X-Autoreply": "yes"},
        {"Precedence": "bulk"},
        {"List-Id": "<all.cc-pg.cn>"},
    ],
)
def test_an_auto_reply_is_dropped(smtp: Mailer, reporter_a: AbstractUser, extra: dict[str, str], caplog: pytest.LogCaptureFixture) -> None:
    raw = samples.utf8_plain(address=A_MAIL, subject="EAS", body="我正在休假，11月30日返回", message_id="<auto@cc-pg.cn>", extra=extra)
    with caplog.at_level(logging.INFO, logger="fankui.tickets.mail.intake"):
        assert smtp.send(raw) == (250, "2.0.0 OK dropped")
    assert not Ticket.objects.exists()
    assert "mail dropped:" in caplog.text


def test_an_out_of_office_subject_from_a_stranger_creates_no_account(smtp: Mailer) -> None:
    raw = samples.utf8_plain(address="someone@partner.cn", subject="自动回复: 您的问题有新回复", body="我不在办公室", message_id="<oof@partner.cn>")
    assert smtp.send(raw, mail_from="someone@partner.cn") == (250, "2.0.0 OK dropped")
    assert not get_user_model().objects.filter(email="someone@partner.cn").exists()


def test_our_own_notification_coming_back_is_dropped(smtp: Mailer, reporter_a: AbstractUser) -> None:
    ticket = file_ticket(reporter_a)
    raw = samples.utf8_plain(
        address="fankui@cc-pg.cn",
        subject=f"[{ticket.ref}] 您的问题有新回复",
        body="请再试一次",
        message_id=f"<fankui.7.{ticket.ref}@cc-pg.cn>",
        extra={"Auto-Submitted": "auto-generated", "X-Fankui-Ticket": ticket.ref},
    )
    assert smtp.send(raw, mail_from="fankui@cc-pg.cn") == (250, "2.0.0 OK dropped")
    assert Ticket.objects.count() == 1 and not ticket.events.filter(kind=TicketEvent.Kind.REPLY).exists()


def test_a_bounce_is_dropped(smtp: Mailer, reporter_a: AbstractUser) -> None:
    raw = samples.utf8_plain(address="mailer-daemon@cc-pg.cn", subject="Undeliverable: EAS", body="550 user unknown", message_id="<bounce@cc-pg.cn>")
    assert smtp.send(raw, mail_from="") == (250, "2.0.0 OK dropped")
    assert not Ticket.objects.exists()


@override_settings(FANKUI_MAIL_RATE_LIMIT=2)
def test_a_sender_flooding_the_desk_is_dropped_with_a_log_line(smtp: Mailer, reporter_a: AbstractUser, caplog: pytest.LogCaptureFixture) -> None:
    answers = [smtp.send(samples.utf8_plain(address=A_MAIL, subject=f"EAS {i}", body=f"EAS 问题 {i}", message_id=f"<flood-{i}@cc-pg.cn>"))[1] for i in range(3)]
    assert [a.split()[2] for a in answers[:2]] == ["created", "created"]
    assert answers[2] == "2.0.0 OK dropped"
    assert Ticket.objects.count() == 2
    assert f"more than 2 mails from {A_MAIL} within an hour" in caplog.text


def test_a_failure_asks_the_sender_to_retry(smtp: Mailer, reporter_a: AbstractUser) -> None:
    raw = samples.utf8_plain(address=A_MAIL, subject="EAS", body="EAS 无法登录", message_id="<retry@cc-pg.cn>")
    with mock.patch("fankui.tickets.mail.server.handle_raw", side_effect=RuntimeError("database is down")):
        code, text = smtp.send(raw)
    assert (code, text) == (451, "4.3.0 Temporary failure filing the mail, please retry later")
    assert smtp.send(raw)[0] == 250  # the retry is filed


def test_a_new_mailed_report_keeps_only_the_senders_words_and_the_whole_mail_for_handlers(smtp: Mailer, reporter_a: AbstractUser) -> None:
    body = "满意度问卷链接打开后一直白屏\n\n-- \n张三 客服主管\n手机 13911112222\n\n-----原始邮件-----\n发件人: 项目群\n请大家填写问卷"
    ticket = mail_ticket(smtp, samples.utf8_plain(address=A_MAIL, subject="问卷打不开", body=body, message_id="<sig@cc-pg.cn>"))
    assert ticket.description == "满意度问卷链接打开后一直白屏"
    original = ticket.events.get(kind=TicketEvent.Kind.NOTE)
    assert (original.public, original.actor) == (False, None) and "13911112222" in original.body and "请大家填写问卷" in original.body


def test_mail_from_the_helpdesks_own_address_is_never_filed(smtp: Mailer) -> None:
    with override_settings(DEFAULT_FROM_EMAIL="反馈 <fankui@cc-pg.cn>"):
        raw = samples.utf8_plain(address="fankui@cc-pg.cn", subject="您的问题有新回复", body="退回的通知", message_id="<back@cc-pg.cn>")
        assert smtp.send(raw, mail_from="fankui@cc-pg.cn") == (250, "2.0.0 OK dropped")
    assert not Ticket.objects.exists()


@pytest.mark.parametrize("flag", [{"X-Spam-Flag": "YES"}, {"X-Spam-Status": "Yes, score=12.4 required=5.0"}, {"X-QQ-SPAM": "true"}])
def test_mail_the_server_marked_as_spam_is_held_for_review_not_queued(smtp: Mailer, flag: dict[str, str]) -> None:
    from fankui.tickets.models import HeldMail

    raw = samples.utf8_plain(address="it-support@mail-quota.example", subject="邮箱容量已满，请立即验证", body="点击链接验证 密码 Abc12345!",
                             message_id="<phish@mail-quota.example>", extra=flag)
    assert smtp.send(raw, mail_from="it-support@mail-quota.example") == (250, "2.0.0 OK held")
    assert not Ticket.objects.exists()
    assert not get_user_model().objects.filter(email="it-support@mail-quota.example").exists()  # no account either
    held = HeldMail.objects.get()
    assert held.sender == "it-support@mail-quota.example" and "Abc12345" not in held.excerpt
