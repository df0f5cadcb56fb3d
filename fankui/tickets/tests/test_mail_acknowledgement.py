"""The acknowledgement of a mailed report, end to end: the real listener takes the report, the outbox
worker mails the answer to a real SMTP server on loopback, and the sender's reply to it threads.

Personas: an owner on QQ Mail nobody knows (王先生, a mail contact), consultant 丁家贵 (华南).
"""
from __future__ import annotations

from collections.abc import Iterator
from email.message import EmailMessage

import pytest
from django.test import override_settings

from fankui.core import testing
from fankui.kb.models import Article
from fankui.notify.delivery import deliver_all_due
from fankui.notify.models import Notice
from fankui.notify.tests.receivers import SmtpInbox, smtp_server
from fankui.tickets.models import Ticket, TicketEvent
from fankui.tickets.tests import mail_samples as samples
from fankui.tickets.tests.mail_server import Mailer

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]

OWNER = "owner.wang@qq.com"
HELPDESK = "fankui@cc-pg.cn"


@pytest.fixture
def outgoing(smtp: Mailer) -> Iterator[SmtpInbox]:
    """Where fankui's own mail goes: a real SMTP server on loopback."""
    with smtp_server() as inbox, override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=inbox.port,
        DEFAULT_FROM_EMAIL=f"反馈 <{HELPDESK}>", FANKUI_INTAKE_ADDRESS=HELPDESK,
    ):
        yield inbox


def report(n: int = 1, body: str = "一应生活APP 打不开满意度问卷，点了没反应", subject: str = "APP 问卷打不开 密码 Abc12345!") -> bytes:
    return samples.utf8_plain(address=OWNER, name="王先生", subject=subject, body=body, message_id=f"<qq-{n}@qq.com>")


def filed(smtp: Mailer, raw: bytes) -> Ticket:
    code, text = smtp.send(raw, mail_from=OWNER, to=HELPDESK)
    assert code == 250 and text.startswith("2.0.0 OK created"), text
    return Ticket.objects.get(ref=text.split()[-1])


def mails_to(inbox: SmtpInbox, address: str) -> list[EmailMessage]:
    deliver_all_due()  # the worker's step (it may already have run on the intake's commit)
    return [m for m in inbox.messages if m["To"] == address]


def test_the_sender_receives_the_reference_and_their_reply_threads_onto_the_ticket(smtp: Mailer, outgoing: SmtpInbox) -> None:
    testing.consultant_ding()
    ticket = filed(smtp, report())
    [ack] = mails_to(outgoing, OWNER)
    subject = ack["Subject"].strip()  # Django folds a long encoded subject onto its own line
    assert subject == f"[{ticket.ref}] 已收到您的问题：{ticket.title}"
    assert "Abc12345" not in subject and "Abc12345" not in ack.get_content()  # the title is masked
    assert (ack["In-Reply-To"], ack["References"], ack["Auto-Submitted"]) == ("<qq-1@qq.com>", "<qq-1@qq.com>", "auto-replied")
    assert ack["Message-ID"].startswith("<fankui.") and ack["Reply-To"].startswith(f"fankui+{ticket.ref.lower()}.")
    text = ack.get_content()
    assert f"编号 {ticket.ref}" in text and "接下来：一线客服会查看并回复您" in text
    assert "/tickets/" not in text  # a mail contact cannot sign in, so no link to a login page
    # 王先生 answers from QQ Mail: 回复全部 to the acknowledgement, quoting it.
    answer = samples.utf8_plain(
        address=OWNER, name="王先生", subject=f"回复：{subject}", body=f"补充：是苹果手机，版本 18.1\n\n------------------ 原始邮件 ------------------\n{text}",
        message_id="<qq-2@qq.com>", in_reply_to=ack["Message-ID"], references=f"<qq-1@qq.com> {ack['Message-ID']}",
    )
    assert smtp.send(answer, mail_from=OWNER, to=ack["Reply-To"]) == (250, f"2.0.0 OK replied {ticket.ref}")
    reply = ticket.events.get(kind=TicketEvent.Kind.REPLY)
    assert (reply.actor, reply.body) == (ticket.reporter, "补充：是苹果手机，版本 18.1")
    assert mails_to(outgoing, OWNER) == [ack]  # a reply is not acknowledged again


def test_a_staff_reporter_is_told_who_answers_and_gets_the_link(smtp: Mailer, outgoing: SmtpInbox) -> None:
    testing.consultant_ding()
    testing.reporter("张三", "华南", email="zhangsan@cc-pg.cn")
    raw = samples.foxmail_gbk(address="zhangsan@cc-pg.cn", name="张三", subject="EAS 凭证打印空白", body="EAS 凭证打印出来是空白", message_id="<zs-1@cc-pg.cn>")
    code, text = smtp.send(raw, mail_from="zhangsan@cc-pg.cn", to=HELPDESK)
    ticket = Ticket.objects.get(ref=text.split()[-1])
    [ack] = mails_to(outgoing, "zhangsan@cc-pg.cn")
    assert "接下来：华南大区的系统实施顾问会查看并回复您，最迟在工作时间" in ack.get_content()
    assert f"/tickets/{ticket.ref}/" in ack.get_content()


def test_confident_knowledge_base_answers_are_listed_and_weak_ones_are_not(smtp: Mailer, outgoing: SmtpInbox) -> None:
    Article.objects.create(
        slug="parking-plate", title="停车场道闸车牌识别失败怎么办", tags=["道闸", "车牌识别", "抬杆"],
        body="道闸车牌识别失败不抬杆时，请岗亭先手动抬杆放行，再在停车系统里补录车牌。",
    )
    strong = filed(smtp, report(1, body="停车场道闸车牌识别失败，不抬杆，车主在闸口等着", subject="道闸车牌识别失败 不抬杆"))
    weak = filed(smtp, report(2, body="收费云打印收据时提示模板不存在", subject="收费云打印报错"))
    strong_ack, weak_ack = (Notice.objects.get(ticket=t, kind=Notice.Kind.RECEIVED).body for t in (strong, weak))
    assert "以下知识库文章可能已经能解决您的问题" in strong_ack and "请岗亭先手动抬杆放行" in strong_ack
    assert "知识库" not in weak_ack


@override_settings(FANKUI_MAIL_ACKS_PER_HOUR=2)
def test_a_sender_gets_at_most_the_hours_allowance_of_acknowledgements(smtp: Mailer, outgoing: SmtpInbox) -> None:
    tickets = [filed(smtp, report(n, body=f"问卷打不开（第{n}次）")) for n in range(1, 4)]
    assert [Notice.objects.filter(ticket=t, kind=Notice.Kind.RECEIVED).exists() for t in tickets] == [True, True, False]


@pytest.mark.parametrize(
    "extra", [{"Auto-Submitted": "auto-replied"}, {"Precedence": "list", "List-Id": "<all.cc-pg.cn>"}, {"Return-Path": "<>"}]
)
def test_machines_and_lists_are_never_answered(smtp: Mailer, outgoing: SmtpInbox, extra: dict[str, str]) -> None:
    raw = samples.utf8_plain(address=OWNER, subject="自动回复：我在休假", body="我在休假", message_id="<away@qq.com>", extra=extra)
    assert smtp.send(raw, mail_from=OWNER, to=HELPDESK) == (250, "2.0.0 OK dropped")
    assert mails_to(outgoing, OWNER) == [] and not Notice.objects.exists()
