"""Writes to the knowledge base."""
from __future__ import annotations

import datetime
import re
from collections.abc import Mapping

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from fankui.accounts.models import Profile
from fankui.directory.guide import Guide
from fankui.directory.models import Person, System
from fankui.directory.services import SyncReport, handle_missing, upsert
from fankui.kb.models import Article, ArticleLink, Deflection
from fankui.notify.models import Notice
from fankui.notify.services import notify_person
from fankui.tickets.models import Ticket, TicketEvent
from fankui.tickets.secrets import mask_secrets


def sync_guide_articles(
    guide: Guide,
    *,
    systems: Mapping[str, System],
    people: Mapping[str, Person],
    report: SyncReport,
    actor: AbstractBaseUser | None,
    source: str,
) -> QuerySet[Article]:
    """Load the guide's 常见问题 as articles; return the guide articles the file no longer has."""
    sync = {"report": report, "actor": actor, "source": source}
    kept: list[int] = []
    for faq in guide.faqs:
        article = upsert(
            Article,
            lookup={"slug": faq.slug},
            values={"title": faq.title, "body": faq.body, "tags": faq.tags, "checklist": faq.checklist, "position": faq.position, "is_guide": True},
            **sync,
        )
        kept.append(article.pk)
        article.systems.set([systems[name] for name in faq.systems])
        # The people an answer names ("请联系余东金15507526322") link to their directory entries.
        article.contacts.set([person for name, person in people.items() if name in faq.body])
        links = [
            upsert(
                ArticleLink,
                lookup={"article": article, "label": link.label},
                values={
                    "title": link.title,
                    "url": link.url,
                    "valid_from": link.valid_from,
                    "valid_until": link.valid_until,
                    "position": position,
                },
                **sync,
            )
            for position, link in enumerate(faq.links)
        ]
        stale_links = ArticleLink.objects.filter(article=article).exclude(pk__in=[link.pk for link in links])
        handle_missing(list(stale_links), prune=True, **sync)
    # Articles written in fankui itself (drafts from tickets) have no place in the guide file.
    return Article.objects.filter(is_guide=True).exclude(pk__in=kept)


# --------------------------------------------------------------------------------------------
# Validity windows: remind owners before an article or a link runs out


def remind_expiring_articles(today: datetime.date | None = None) -> int:
    """Tell each article's owner that it, or one of its links, expires within
    FANKUI_KB_EXPIRY_REMINDER_DAYS; return how many reminders were queued.

    Safe to run daily (and twice): one reminder per article or link and end date.
    """
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=settings.FANKUI_KB_EXPIRY_REMINDER_DAYS)
    queued = 0
    soon = Q(valid_until__gte=today, valid_until__lte=horizon)
    for article in Article.objects.filter(soon, is_published=True, owner__isnull=False).select_related("owner__user"):
        queued += _remind(
            article.owner,  # type: ignore[arg-type]
            dedup_key=f"kb:article:{article.pk}:expires:{article.valid_until}",
            subject=f"知识库文章将于 {article.valid_until:%Y-%m-%d} 过期：{article.title}",
            body=f"您维护的文章《{article.title}》将于 {article.valid_until:%Y-%m-%d} 过期，过期后不再推荐给报告人。"
            f"如内容仍然有效，请更新失效日期：{settings.FANKUI_BASE_URL}/admin/kb/article/{article.pk}/change/",
        )
    links = ArticleLink.objects.filter(soon, article__is_published=True, article__owner__isnull=False).select_related("article__owner__user")
    for link in links:
        article = link.article
        queued += _remind(
            article.owner,  # type: ignore[arg-type]
            dedup_key=f"kb:link:{link.pk}:expires:{link.valid_until}",
            subject=f"文章链接将于 {link.valid_until:%Y-%m-%d} 过期：{article.title} · {link.label}",
            body=f"《{article.title}》中“{link.label}”的链接 {link.url} 将于 {link.valid_until:%Y-%m-%d} 过期，过期后页面会标记为已过期。"
            f"请换成新的链接并更新有效期：{settings.FANKUI_BASE_URL}/admin/kb/article/{article.pk}/change/",
        )
    return queued


def _remind(owner: Person, *, dedup_key: str, subject: str, body: str) -> int:
    if Notice.objects.filter(dedup_key=dedup_key).exists():
        return 0
    notice = notify_person(owner, kind=Notice.Kind.ARTICLE_EXPIRING, dedup_key=dedup_key, subject=subject, body=body)
    return 1 if notice is not None else 0


# --------------------------------------------------------------------------------------------
# Deflection: a suggested article solved the problem before anything was filed


class KbError(Exception):
    """A knowledge-base request refused; `code` is stable English, the message is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def record_deflection(*, article: Article, user: AbstractBaseUser, text: str) -> Deflection:
    """Count that `article` answered what `user` was about to report; the text keeps no passwords."""
    if not article.is_published or not article.is_valid_on(timezone.localdate()):
        raise KbError("article_not_available", "这篇文章已下线或已过期。")
    return Deflection.objects.create(article=article, user=user, text=mask_secrets(text.strip()[:2000]).text)


# --------------------------------------------------------------------------------------------
# Drafting an article from a resolved ticket

_PHONE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}(?!\d)|(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
REDACTED = "***"


def _personal_words(ticket: Ticket) -> list[str]:
    """The reporter's names and projects, as they may appear in the text."""
    reporter = ticket.reporter
    words = [
        getattr(reporter, "get_full_name", lambda: "")(),
        getattr(reporter, "first_name", ""),
        getattr(reporter, "last_name", ""),
        reporter.get_username(),
        ticket.project,
    ]
    person = Person.objects.filter(user=reporter).first()
    if person is not None:
        words.append(person.name)
    profile = Profile.objects.filter(user=reporter).first()
    if profile is not None:
        words.append(profile.project)
    # Longest first, so 张三丰 is removed before 张三; one-character words would eat ordinary text.
    return sorted({word.strip() for word in words if word and len(word.strip()) >= 2}, key=len, reverse=True)


def strip_personal_data(text: str, ticket: Ticket) -> str:
    """Passwords masked, phone numbers, emails, the reporter's names and projects → ***."""
    text = mask_secrets(text).text
    text = _EMAIL.sub(REDACTED, text)
    text = _PHONE.sub(REDACTED, text)
    for word in _personal_words(ticket):
        text = re.sub(re.escape(word), REDACTED, text, flags=re.IGNORECASE)
    return text


def resolving_reply(ticket: Ticket) -> TicketEvent | None:
    """The last public reply from someone other than the reporter: the answer that resolved it."""
    return (
        TicketEvent.objects.filter(ticket=ticket, kind=TicketEvent.Kind.REPLY, public=True)
        .exclude(actor_id=ticket.reporter_id)
        .order_by("-at", "-id")
        .first()
    )


@transaction.atomic
def draft_article_from_ticket(ticket: Ticket, by: AbstractBaseUser) -> Article:
    """An unpublished article: the problem as reported and the answer that resolved it, with the
    reporter's personal data and any secrets removed. Drafting the same ticket again returns the
    same draft."""
    if ticket.status not in {Ticket.Status.RESOLVED, Ticket.Status.CLOSED}:
        raise KbError("ticket_not_resolved", "只有已解决或已关闭的工单可以生成文章草稿。")
    reply = resolving_reply(ticket)
    if reply is None:
        raise KbError("no_answer", "这张工单没有处理人的公开回复，无法生成文章草稿。")
    slug = f"ticket-{ticket.ref.lower()}"[:60]
    existing = Article.objects.filter(slug=slug).first()
    if existing is not None:
        return existing
    body = (
        f"**问题**\n\n{strip_personal_data(ticket.description.strip(), ticket)}\n\n"
        f"**解决办法**\n\n{strip_personal_data(reply.body.strip(), ticket)}"
    )
    article = Article.objects.create(
        slug=slug,
        title=strip_personal_data(ticket.title, ticket)[:200],
        body=body,
        owner=Person.objects.filter(user=by).first(),
        is_published=False,
        is_guide=False,
        position=1000,
    )
    if ticket.system_id:
        article.systems.set([ticket.system_id])
    return article
