"""Who a mailed report is from: no mail ever makes a login (the real listener on loopback).

Personas: an owner on QQ Mail nobody knows (王先生), a colleague of the group with no fankui login
(钱峰, cc-pg.cn), consultants 丁家贵 (华南) and 陈坚 (华东), and junk that must leave no trace.
"""
from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.test import Client, override_settings

from fankui.accounts.models import Profile
from fankui.core import testing
from fankui.notify.models import Notice
from fankui.tickets.models import Ticket
from fankui.tickets.tests import mail_samples as samples
from fankui.tickets.tests.mail_server import Mailer

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]

OWNER = "owner.wang@qq.com"


def owner_mail(n: int = 1, **kwargs: object) -> bytes:
    return samples.utf8_plain(
        address="Owner.Wang@QQ.com", name="王先生", subject="APP 打不开满意度问卷", body=f"一应生活APP 打不开满意度问卷（第{n}次）",
        message_id=f"<qq-{n}@qq.com>", **kwargs,  # type: ignore[arg-type]
    )


def filed(answer: tuple[int, str]) -> Ticket:
    code, text = answer
    assert code == 250 and text.startswith("2.0.0 OK created"), text
    return Ticket.objects.get(ref=text.split()[-1])


def test_an_unknown_sender_becomes_a_contact_who_cannot_sign_in(smtp: Mailer) -> None:
    ticket = filed(smtp.send(owner_mail(), mail_from=OWNER))
    user = ticket.reporter
    assert (user.username, user.email, user.first_name) == (OWNER, OWNER, "王先生")
    assert (user.is_active, user.has_usable_password()) == (False, False)
    assert (user.profile.role, user.profile.kind, user.profile.mail_contact) == ("reporter", "owner", True)
    assert ticket.reporter_kind == "owner"
    user.set_password("guessed")  # even an admin's slip cannot turn a contact into a login
    user.save()
    assert not Client().login(username=OWNER, password="guessed")


def test_a_contacts_next_mail_files_under_the_same_contact(smtp: Mailer) -> None:
    first = filed(smtp.send(owner_mail(1), mail_from=OWNER))
    second = filed(smtp.send(owner_mail(2), mail_from=OWNER))
    assert first.reporter == second.reporter
    assert get_user_model().objects.filter(email=OWNER).count() == 1


@override_settings(FANKUI_MAIL_STAFF_DOMAINS=["cc-pg.cn"])
def test_a_colleague_without_a_login_files_as_a_staff_contact(smtp: Mailer) -> None:
    raw = samples.foxmail_gbk(address="qianfeng@cc-pg.cn", name="钱峰", subject="收费云打印收据报错", body="收费云打印收据时提示“模板不存在”", message_id="<qf-1@cc-pg.cn>")
    ticket = filed(smtp.send(raw, mail_from="qianfeng@cc-pg.cn"))
    assert (ticket.reporter_kind, ticket.reporter.is_active, ticket.reporter.profile.mail_contact) == ("staff", False, True)


def test_a_directory_persons_mail_files_as_their_login(smtp: Mailer) -> None:
    ding = testing.consultant_ding()
    get_user_model().objects.filter(pk=ding.pk).update(email="ding.ldap@corp.invalid")  # the login's address differs
    raw = samples.utf8_plain(address="dingjiagui@cc-pg.cn", subject="EAS 打印模板丢失", body="EAS 凭证打印模板丢失", message_id="<ding-new@cc-pg.cn>")
    assert filed(smtp.send(raw, mail_from="dingjiagui@cc-pg.cn")).reporter == ding


@pytest.mark.parametrize(
    ("address", "extra", "mail_from"),
    [
        ("it-support@mail-quota.example", {"X-Spam-Flag": "YES"}, "it-support@mail-quota.example"),
        ("mailer-daemon@qq.com", {}, ""),
        ("away@partner.example", {"Auto-Submitted": "auto-replied"}, "away@partner.example"),
        ("news@partner.example", {"List-Id": "<news.partner.example>", "Precedence": "bulk"}, "news@partner.example"),
        ("fankui@cc-pg.cn", {}, "fankui@cc-pg.cn"),
    ],
)
def test_junk_and_our_own_mail_leave_no_identity_behind(smtp: Mailer, address: str, extra: dict[str, str], mail_from: str) -> None:
    raw = samples.utf8_plain(address=address, subject="您的邮箱即将停用", body="请点击链接", message_id=f"<junk@{address.split('@')[1]}>", extra=extra)
    with override_settings(FANKUI_INTAKE_ADDRESS="fankui@cc-pg.cn"):
        code, text = smtp.send(raw, mail_from=mail_from)
    assert code == 250 and text in {"2.0.0 OK dropped", "2.0.0 OK held"}
    assert not get_user_model().objects.exists() and not Ticket.objects.exists()


def test_a_report_from_no_region_reaches_every_consultant_when_no_first_line_is_named(smtp: Mailer) -> None:
    ding, chen = testing.consultant_ding(), testing.consultant_chen()
    ticket = filed(smtp.send(owner_mail(), mail_from=OWNER))
    assert (ticket.region, ticket.assignee) == (None, None)
    told = set(Notice.objects.filter(ticket=ticket, kind=Notice.Kind.NEW_IN_QUEUE).values_list("recipient", flat=True))
    assert {ding.pk, chen.pk} <= told


def test_a_report_from_no_region_goes_to_the_first_line_consultant(smtp: Mailer) -> None:
    chen = testing.consultant_chen()
    with override_settings(FANKUI_FIRST_LINE_CONSULTANT="陈坚"):
        ticket = filed(smtp.send(owner_mail(), mail_from=OWNER))
    assert ticket.assignee.name == "陈坚"
    assert list(Notice.objects.filter(ticket=ticket, kind=Notice.Kind.NEW_IN_QUEUE).values_list("recipient", flat=True)) == [chen.pk]


def test_accounts_mail_made_before_become_contacts_and_no_one_else(guide_loaded: None) -> None:
    from importlib import import_module

    User = get_user_model()
    old = User.objects.create(username="old.owner@163.com", email="old.owner@163.com")
    old.set_unusable_password()
    old.save()
    Profile.objects.create(user=old, role=Profile.Role.REPORTER, kind=Profile.Kind.OWNER)
    signed_in = testing.reporter("13900001111@139.com", "华南", email="13900001111@139.com")  # has a password
    ding = testing.consultant_ding()
    import_module("fankui.accounts.migrations.0003_mail_contact").accounts_made_by_mail_become_contacts(apps, None)
    old.refresh_from_db()
    assert (old.is_active, old.profile.mail_contact) == (False, True)
    assert all(User.objects.get(pk=u.pk).is_active for u in (signed_in, ding))
    assert not Profile.objects.filter(mail_contact=True).exclude(user=old).exists()
