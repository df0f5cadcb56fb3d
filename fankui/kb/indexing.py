"""Keep the full-text index (kb.SearchDoc) in step with tickets and articles.

The index is derived data, not business state: it can be thrown away and rebuilt with
`fankui kb reindex`. That is why it is maintained by post_save/post_delete receivers (connected in
KbConfig.ready) rather than by the ticket services: every write path that saves a ticket, an article
or a reply is covered without the ticket services knowing search exists. A change is indexed in its
own transaction, except a new ticket: reporters wait for intake, so the worker indexes new tickets
after they commit (woken at once, coalesced; its once-a-minute pass indexes whatever a lost wake-up
or a stopped worker left out). Bulk writes (`update()`, `bulk_create`) bypass signals; run
`fankui kb reindex` after them.
"""
from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from fankui.core.wakeup import Wakeup

from fankui.kb.models import Article, SearchDoc
from fankui.kb.textsearch import bigram_text
from fankui.tickets.models import Ticket, TicketEvent

BATCH = 2000


def ticket_words(ticket: Ticket, replies: Iterable[str] = ()) -> str:
    """The words staff can find a ticket by: title, project, description and public replies."""
    return "\n".join([ticket.title, ticket.project, ticket.description, *replies])


def ticket_text(ticket: Ticket, replies: Iterable[str] = ()) -> str:
    """What the index holds: the words and the ticket number (found only whole, see kb.search)."""
    return "\n".join([ticket.ref, ticket_words(ticket, replies)])


def article_text(article: Article) -> str:
    return "\n".join([article.title, " ".join(str(tag) for tag in article.tags), article.body])


def _public_replies(ticket_ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    rows = TicketEvent.objects.filter(ticket_id__in=ticket_ids, kind=TicketEvent.Kind.REPLY, public=True).order_by("at", "id")
    for ticket_id, body in rows.values_list("ticket_id", "body"):
        found.setdefault(ticket_id, []).append(body)
    return found


def _ticket_fields(ticket: Ticket, replies: Iterable[str]) -> dict[str, Any]:
    return {
        "text_bigrams": bigram_text(ticket_text(ticket, replies)),
        "system_id": ticket.system_id,
        "region_id": ticket.region_id,
        "state": ticket.status,
    }


def _article_fields(article: Article) -> dict[str, Any]:
    return {"text_bigrams": bigram_text(article_text(article)), "system_id": None, "region_id": None, "state": ""}


def _upsert(kind: str, object_id: int, fields: dict[str, Any]) -> None:
    doc = SearchDoc.objects.filter(kind=kind, object_id=object_id).first()
    if doc is None:
        SearchDoc.objects.create(kind=kind, object_id=object_id, **fields)
    elif any(getattr(doc, name) != value for name, value in fields.items()):
        for name, value in fields.items():
            setattr(doc, name, value)
        doc.save()


def index_ticket(ticket: Ticket) -> None:
    _upsert(SearchDoc.Kind.TICKET, ticket.pk, _ticket_fields(ticket, _public_replies([ticket.pk]).get(ticket.pk, [])))


def index_article(article: Article) -> None:
    _upsert(SearchDoc.Kind.ARTICLE, article.pk, _article_fields(article))


# Tickets commit in a different order than they took their ids (several servers at once): a woken pass
# also looks this far below the newest indexed id.
OUT_OF_ORDER = 500


def index_new_tickets() -> int:
    """Index the tickets that arrived since the newest one indexed; return how many. Cheap enough to run
    on every wake-up: it reads only ids above the newest doc's (less OUT_OF_ORDER)."""
    newest = SearchDoc.objects.filter(kind=SearchDoc.Kind.TICKET).aggregate(newest=Max("object_id"))["newest"] or 0
    return _index_missing(Ticket.objects.filter(pk__gt=newest - OUT_OF_ORDER))


def index_missed_tickets(*, minutes: int) -> int:
    """Index the tickets created in the last `minutes` that have no doc yet (a lost wake-up, a stopped
    worker, a ticket that committed long after its id was taken); return how many."""
    return _index_missing(Ticket.objects.filter(created_at__gte=timezone.now() - datetime.timedelta(minutes=minutes)))


def _index_missing(tickets: QuerySet[Ticket]) -> int:
    unindexed = tickets.exclude(Exists(SearchDoc.objects.filter(kind=SearchDoc.Kind.TICKET, object_id=OuterRef("pk"))))
    total = 0
    while missing := list(unindexed.order_by("pk")[:BATCH]):
        replies = _public_replies([t.pk for t in missing])
        created, _updated = _sync_batch(SearchDoc.Kind.TICKET, {t.pk: _ticket_fields(t, replies.get(t.pk, [])) for t in missing})
        total += created
        if len(missing) < BATCH:
            break
    return total


wake_indexing = Wakeup("fankui.kb.tasks:index_new_tickets", 0.5)


# --------------------------------------------------------------------------------------------
# Receivers (connected in KbConfig.ready)


def _ticket_saved(sender: type, instance: Ticket, raw: bool = False, created: bool = False, **kwargs: Any) -> None:
    if raw:
        return
    if created:
        transaction.on_commit(wake_indexing, robust=True)
        return
    index_ticket(instance)


def _event_saved(sender: type, instance: TicketEvent, raw: bool = False, **kwargs: Any) -> None:
    if not raw and instance.kind == TicketEvent.Kind.REPLY and instance.public:
        index_ticket(instance.ticket)


def _article_saved(sender: type, instance: Article, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        index_article(instance)


def _ticket_deleted(sender: type, instance: Ticket, **kwargs: Any) -> None:
    SearchDoc.objects.filter(kind=SearchDoc.Kind.TICKET, object_id=instance.pk).delete()


def _article_deleted(sender: type, instance: Article, **kwargs: Any) -> None:
    SearchDoc.objects.filter(kind=SearchDoc.Kind.ARTICLE, object_id=instance.pk).delete()


def connect_receivers() -> None:
    post_save.connect(_ticket_saved, sender=Ticket, dispatch_uid="kb.index.ticket")
    post_save.connect(_event_saved, sender=TicketEvent, dispatch_uid="kb.index.ticket_event")
    post_save.connect(_article_saved, sender=Article, dispatch_uid="kb.index.article")
    post_delete.connect(_ticket_deleted, sender=Ticket, dispatch_uid="kb.unindex.ticket")
    post_delete.connect(_article_deleted, sender=Article, dispatch_uid="kb.unindex.article")


# --------------------------------------------------------------------------------------------
# Rebuild


def _sync_batch(kind: str, fields_by_id: dict[int, dict[str, Any]]) -> tuple[int, int]:
    """Create missing docs and update changed ones; return (created, updated)."""
    existing = {doc.object_id: doc for doc in SearchDoc.objects.filter(kind=kind, object_id__in=list(fields_by_id))}
    create: list[SearchDoc] = []
    update: list[SearchDoc] = []
    for object_id, fields in fields_by_id.items():
        doc = existing.get(object_id)
        if doc is None:
            create.append(SearchDoc(kind=kind, object_id=object_id, **fields))
        elif any(getattr(doc, name) != value for name, value in fields.items()):
            for name, value in fields.items():
                setattr(doc, name, value)
            update.append(doc)
    SearchDoc.objects.bulk_create(create, batch_size=500)
    if update:
        SearchDoc.objects.bulk_update(update, ["text_bigrams", "system_id", "region_id", "state"], batch_size=500)
    return len(create), len(update)


def reindex(*, progress: Callable[[str], None] | None = None, batch: int = BATCH) -> dict[str, int]:
    """Bring the whole index in line with the database; safe to run at any time, repeatedly."""
    say = progress or (lambda message: None)
    totals = {"created": 0, "updated": 0, "removed": 0}
    articles = {a.pk: _article_fields(a) for a in Article.objects.all()}
    created, updated = _sync_batch(SearchDoc.Kind.ARTICLE, articles)
    totals["created"] += created
    totals["updated"] += updated
    say(f"文章：{len(articles)} 篇")
    count = Ticket.objects.count()
    done = 0
    last = 0
    while True:
        tickets = list(
            Ticket.objects.filter(pk__gt=last)
            .order_by("pk")
            .only("pk", "ref", "title", "project", "description", "system_id", "region_id", "status")[:batch]
        )
        if not tickets:
            break
        replies = _public_replies([t.pk for t in tickets])
        with transaction.atomic():  # one commit per batch, not one per statement
            created, updated = _sync_batch(SearchDoc.Kind.TICKET, {t.pk: _ticket_fields(t, replies.get(t.pk, [])) for t in tickets})
        totals["created"] += created
        totals["updated"] += updated
        done += len(tickets)
        last = tickets[-1].pk
        say(f"工单：{done}/{count}")
    stale_tickets = SearchDoc.objects.filter(kind=SearchDoc.Kind.TICKET).exclude(object_id__in=Ticket.objects.values("pk"))
    stale_articles = SearchDoc.objects.filter(kind=SearchDoc.Kind.ARTICLE).exclude(object_id__in=Article.objects.values("pk"))
    totals["removed"] = stale_tickets.delete()[0] + stale_articles.delete()[0]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO kb_searchdoc_fts(kb_searchdoc_fts) VALUES ('optimize')")
    say(f"完成：新增 {totals['created']}，更新 {totals['updated']}，删除 {totals['removed']}")
    return totals


def rebuild_fts() -> None:
    """SQLite only: rebuild the FTS5 table from kb_searchdoc (repairs an index out of step)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO kb_searchdoc_fts(kb_searchdoc_fts) VALUES ('rebuild')")
