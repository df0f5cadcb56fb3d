"""How the blind mail corpus ends: each mail of benchmarks/eval/mail/ through the real mail intake.

    .venv/bin/python benchmarks/bench_mail.py            # per expected outcome, how many end right, and the total
    .venv/bin/python benchmarks/bench_mail.py --misses   # and which files end wrong, and why

A fresh data folder (SQLite), migrated, the guide imported, configured as the corpus's helpdesk
(fankui@cc-pg.cn, the group's relay mx.cc-pg.cn, the group's domains cc-pg.cn and einyun.com), with
the three tickets the corpus README assumes filed beforehand the way they would have been: their
reporters' mails through the same intake, then renamed to the corpus's references, and the
notices the README names recorded as sent. Then every mail goes, in file order, through
`fankui.tickets.mail.intake.handle_raw` — what the SMTP listener's handler calls — and its outcome
is judged against `manifest.json`.

The corpus is for measuring, never for tuning (benchmarks/eval/README.md): nothing of it belongs in
code, rules or tests.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass
from email.utils import format_datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "benchmarks" / "eval" / "mail"
HELPDESK = "fankui@cc-pg.cn"

ENVIRONMENT = {
    "FANKUI_MAIL_FROM": f"反馈 <{HELPDESK}>",
    "FANKUI_INTAKE_ADDRESS": HELPDESK,
    "FANKUI_MAIL_TRUSTED_RELAY": "mx.cc-pg.cn",
    "FANKUI_MAIL_STAFF_DOMAINS": "cc-pg.cn,einyun.com",
    "FANKUI_MAIL_RATE_LIMIT": "1000",
}

# The tickets the corpus README assumes: ref, reporter, their original mail's Message-ID and Cc,
# the handler's address, and the notices fankui had sent on it (Delivery.message_id).
PRIOR = [
    ("FK261201-A7K2Q", "zhangwei@cc-pg.cn", "<prior-a7k2q@cc-pg.cn>", (), "dingjiagui@cc-pg.cn", ["<fankui.FK261201-A7K2Q.n1.d1@cc-pg.cn>"]),
    ("FK261202-M3P8R", "13800001111@163.com", "<prior-m3p8r@163.com>", (), "wangshubin@cc-pg.cn", ["<fankui.FK261202-M3P8R.n5.d9@cc-pg.cn>"]),
    ("FK261202-X9Z4T", "lina@cc-pg.cn", "<20261202093011.1234@cc-pg.cn>", ("zhaogang@cc-pg.cn",), "", []),
]


def prepare(data_dir: str) -> None:
    os.environ.update(ENVIRONMENT, FANKUI_DATA_DIR=data_dir, DJANGO_SETTINGS_MODULE="fankui.settings")
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("import-guide", verbosity=0, stdout=open(os.devnull, "w"))


def prior_mail(sender: str, message_id: str, cc: tuple[str, ...]) -> bytes:
    import datetime
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = HELPDESK
    if cc:
        msg["Cc"] = ", ".join(cc)
    msg["Subject"] = "系统问题反馈"
    msg["Date"] = format_datetime(datetime.datetime(2026, 12, 1, 9, 30, tzinfo=datetime.timezone.utc))
    msg["Message-ID"] = message_id
    msg.set_content("您好，收费云的缴费单打不开，提示系统繁忙，麻烦看一下。")
    return bytes(msg)


def seed() -> None:
    """The handlers' logins and the three earlier tickets, filed through the intake."""
    from django.contrib.auth import get_user_model

    from fankui.accounts.models import Profile
    from fankui.accounts.services import set_profile
    from fankui.directory.models import Person, Region
    from fankui.notify.models import Delivery, Notice
    from fankui.tickets.mail.intake import handle_raw
    from fankui.tickets.models import Ticket

    User = get_user_model()
    handlers = {}
    for name, username, address, role, region in (
        ("丁家贵", "dingjiagui", "dingjiagui@cc-pg.cn", Profile.Role.CONSULTANT, "华南"),
        ("王书彬", "wangshubin", "wangshubin@cc-pg.cn", Profile.Role.OWNER, None),
    ):
        user = User.objects.create_user(username, email=address, password=None, first_name=name)
        set_profile(user, role=role, region=Region.objects.get(name=region) if region else None)
        person = Person.objects.get(name=name)
        person.user, person.email = user, person.email or address
        person.save(update_fields=["user", "email"])
        handlers[address] = person
    for region, address in (("华南", "zhangwei@cc-pg.cn"), ("华东", "lina@cc-pg.cn")):
        user = User.objects.create_user(address.split("@")[0], email=address, password=None)
        set_profile(user, role=Profile.Role.REPORTER, region=Region.objects.get(name=region), project=f"{region}一号项目")
    for ref, sender, message_id, cc, handler, notices in PRIOR:
        result = handle_raw(prior_mail(sender, message_id, cc), envelope_from=sender, envelope_to=[HELPDESK])
        assert result.action == "created" and result.ticket is not None, (ref, result)
        ticket = result.ticket
        Ticket.objects.filter(pk=ticket.pk).update(ref=ref)
        ticket.refresh_from_db()
        if handler:
            Ticket.objects.filter(pk=ticket.pk).update(assignee=handlers[handler])
        for n, mid in enumerate(notices):
            notice = Notice.objects.create(
                dedup_key=f"bench:{ref}:{n}", kind=Notice.Kind.REPLY, recipient=ticket.reporter, email=sender, ticket=ticket, subject=f"[{ref}] 已收到", body="-"
            )
            Delivery.objects.create(notice=notice, channel=Delivery.Channel.EMAIL, status=Delivery.Status.SENT, message_id=mid)


@dataclass
class Outcome:
    right: bool
    why: str = ""


def envelope(raw: bytes) -> str:
    from email import message_from_bytes
    from email.utils import parseaddr

    msg = message_from_bytes(raw)
    if msg.get("Return-Path") is not None:
        return parseaddr(str(msg["Return-Path"]))[1]
    return parseaddr(str(msg.get("From", "")))[1]


def _text_checks(text: str, expect: dict[str, Any]) -> str:
    missing = [s for s in expect.get("description_contains", []) if s not in text]
    leaked = [s for s in expect.get("description_excludes", []) if s in text]
    return "; ".join(([f"missing {missing}"] if missing else []) + ([f"kept {leaked}"] if leaked else []))


def judge(expect: dict[str, Any], raw: bytes) -> Outcome:
    from fankui.tickets.mail.intake import RateGuard, handle_raw
    from fankui.tickets.models import Ticket, TicketEvent

    before_tickets = set(Ticket.objects.values_list("pk", flat=True))
    before_events = TicketEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    result = handle_raw(raw, envelope_from=envelope(raw), envelope_to=[HELPDESK], guard=RateGuard())
    action, wanted = result.action, expect["action"]
    sender = expect.get("sender", "")
    new = [t for t in Ticket.objects.filter(pk__gt=0).exclude(pk__in=before_tickets)]
    appended = TicketEvent.objects.filter(pk__gt=before_events).exclude(ticket__in=new).select_related("ticket", "actor")
    if wanted.startswith("drop_"):
        kind = wanted.removeprefix("drop_")
        words = {"autoreply": ("auto",), "bounce": ("bounce",), "loop": ("loop",), "list": ("list", "precedence")}[kind]
        if action != "dropped" or new or appended.exists():
            return Outcome(False, f"{action} {result.reason}".strip())
        if not any(w in result.reason.lower() for w in words):
            return Outcome(False, f"dropped, but as {result.reason!r}")
        return Outcome(True)
    if wanted == "held_spam":
        return Outcome(action == "held" and not new, f"{action} {result.reason}".strip())
    if wanted in {"new_ticket", "linked_new_ticket"}:
        if action != "created" or len(new) != 1:
            return Outcome(False, f"{action} {result.ticket.ref if result.ticket else ''} {result.reason}".strip())
        ticket = new[0]
        problems = []
        if ticket.reporter.email.lower() != sender:
            problems.append(f"reporter {ticket.reporter.email}")
        if (problem := _text_checks(f"{ticket.title}\n{ticket.description}", expect)):
            problems.append(problem)
        if ticket.attachments.count() != expect.get("attachments", 0):
            problems.append(f"{ticket.attachments.count()} attachments, not {expect.get('attachments', 0)}")
        if wanted == "linked_new_ticket":
            linked = TicketEvent.objects.filter(ticket=ticket, data__linked_ref=expect["ticket"]).exists()
            if not linked:
                problems.append(f"not linked to {expect['ticket']}")
        return Outcome(not problems, "; ".join(problems))
    # An answer on an existing ticket: reply, third-party comment or unverified comment.
    if new:
        return Outcome(False, f"filed as a new ticket {new[0].ref}")
    events = [e for e in appended if e.ticket.ref == expect["ticket"] and e.data.get("channel") == "email"]
    if action not in {"replied", "unverified", "commented"} or not events:
        return Outcome(False, f"{action} {result.reason}".strip())
    event = events[0]
    if wanted == "unverified_comment":
        return Outcome(event.actor is None and not event.public, "shown as someone's words" if event.actor else "")
    if event.actor is None:
        return Outcome(False, "kept as unverified")
    problems = []
    if event.actor.email.lower() != sender:
        problems.append(f"attributed to {event.actor.email}")
    ticket = event.ticket
    role = expect.get("author_role")
    if role == "reporter" and event.actor_id != ticket.reporter_id:
        problems.append("not as the reporter")
    if role in {"handler", "participant", "colleague"} and event.actor_id == ticket.reporter_id:
        problems.append(f"as the reporter, not the {role}")
    if (problem := _text_checks(event.body, expect)):
        problems.append(problem)
    if wanted == "third_party_comment" and not event.public:
        problems.append("not on the public timeline")
    return Outcome(not problems, "; ".join(problems))


def login_accounts_made_by_mail(before: set[int]) -> list[str]:
    """Accounts mail created that could sign in (active, or with a password)."""
    from django.contrib.auth import get_user_model

    made = get_user_model().objects.exclude(pk__in=before)
    return sorted(u.email or u.username for u in made if u.is_active or u.has_usable_password())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--misses", action="store_true", help="list the files that end wrong, and why")
    args = parser.parse_args(argv)
    manifest = json.loads((CORPUS / "manifest.json").read_text())
    with tempfile.TemporaryDirectory(prefix="bench-mail-") as data_dir:
        prepare(data_dir)
        import logging

        logging.disable(logging.WARNING)
        seed()
        from django.contrib.auth import get_user_model

        users_before = set(get_user_model().objects.values_list("pk", flat=True))
        totals: Counter[str] = Counter()
        rights: Counter[str] = Counter()
        misses: list[tuple[str, str, str]] = []
        for item in manifest:
            raw = (CORPUS / item["file"]).read_bytes()
            kind = item["expect"]["action"]
            try:
                outcome = judge(item["expect"], raw)
            except Exception as exc:  # one broken mail must not hide the others' figures
                outcome = Outcome(False, f"crashed: {type(exc).__name__}: {exc}")
            totals[kind] += 1
            rights[kind] += outcome.right
            if not outcome.right:
                misses.append((item["file"], kind, outcome.why))
        accounts = login_accounts_made_by_mail(users_before)
    width = max(map(len, totals))
    for kind in sorted(totals):
        print(f"{kind:<{width}}  {rights[kind]:>2}/{totals[kind]}")
    print(f"{sum(rights.values())}/{sum(totals.values())} filed as expected")
    print(f"login accounts created by mail: {len(accounts)}")
    if args.misses:
        print()
        for file, kind, why in misses:
            print(f"MISS {file} ({kind}): {why}")
        if accounts:
            print(f"accounts: {', '.join(accounts)}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.exit(main())
