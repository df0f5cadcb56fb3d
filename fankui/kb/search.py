"""Full-text search over articles and tickets for staff, on SQLite (FTS5) or PostgreSQL (tsvector).

Three steps:
1. the index returns the newest CANDIDATES matches for all query words, with their relevance
   (PostgreSQL: ts_rank; SQLite: `textsearch.relevance` over the candidates' own bigram text, since
   FTS5's bm25() first counts every match of each phrase in the whole index) — ranking every match
   of a common word costs up to 0.8 s at 1M rows (notes, section d), ranking the newest thousand
   costs milliseconds;
2. tickets go through `visible_tickets(user)` and the filters (one query for all candidates), so
   nobody finds what they may not open;
3. best first, each candidate's own text is checked word by word (和服 is not in 和服务中心) and
   highlighted, until the page is full.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext

from fankui.accounts.models import Profile
from fankui.accounts.selectors import role_of
from fankui.directory.models import Region, System
from fankui.kb.indexing import article_text, ticket_words
from fankui.kb.models import Article, SearchDoc
from fankui.kb.textsearch import Query, accepted_spans, fold, highlight, parse_query, relevance
from fankui.tickets.models import Ticket, TicketEvent
from fankui.tickets.selectors import visible_tickets

CANDIDATES = 1000
PAGE = 20
SNIPPET = 90
STAFF_ROLES = frozenset({Profile.Role.CONSULTANT, Profile.Role.OWNER, Profile.Role.ADMIN})


class SearchRefused(Exception):
    """The search cannot run; `code` is stable English, the message is for people."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def can_search(user: AbstractBaseUser | AnonymousUser) -> bool:
    return role_of(user) in STAFF_ROLES


@dataclass(frozen=True)
class Filters:
    system: str = ""
    region: str = ""
    state: str = ""

    @property
    def ticket_only(self) -> bool:
        """Articles have no region or state: those filters mean "tickets only"."""
        return bool(self.region or self.state)


@dataclass
class TicketHit:
    ticket: Ticket
    score: float
    title_html: str
    snippet_html: str


@dataclass
class ArticleHit:
    article: Article
    score: float
    title_html: str
    snippet_html: str


@dataclass
class SearchResults:
    query: str
    articles: list[ArticleHit] = field(default_factory=list)
    tickets: list[TicketHit] = field(default_factory=list)
    # The index had CANDIDATES matches or more: only the newest of them were ranked.
    capped: bool = False
    page: int = 1
    # Tickets the caller may open among the index's matches: exact unless `capped` ("1000+").
    total_tickets: int = 0
    has_next: bool = False

    @property
    def total_text(self) -> str:
        return f"{CANDIDATES:,}+" if self.capped else f"{self.total_tickets:,}"


# --------------------------------------------------------------------------------------------
# Step 1: the index


def _candidates(query: Query, kind: str, *, system_id: int | None = None, region_id: int | None = None, state: str = "") -> list[tuple[int, float]]:
    """(object_id, relevance) for the newest CANDIDATES matches, higher relevance is better."""
    where = ["d.kind = %s"]
    params: list[object] = [kind]
    for column, value in (("system_id", system_id), ("region_id", region_id), ("state", state or None)):
        if value is not None:
            where.append(f"d.{column} = %s")
            params.append(value)
    if connection.vendor == "postgresql":
        tsquery = " && ".join(["phraseto_tsquery('simple', %s)"] * len(query.phrases()))
        selective = len(query.phrases()) > 1 or any(len(term.tokens) > 1 for term in query.indexable)
        # One common word: walking the primary key backwards and stopping at CANDIDATES is fastest.
        # Several words (or a long one) match few rows, and that walk would read most of the table
        # (measured 250 ms+ at 1M rows); a MATERIALIZED CTE makes PostgreSQL use the GIN index.
        materialized = "MATERIALIZED " if selective else ""
        sql = (
            f"WITH q AS (SELECT {tsquery} AS q), m AS {materialized}("
            f"SELECT d.id, d.object_id, ts_rank(d.tsv, q.q) AS rank FROM kb_searchdoc d, q "
            f"WHERE d.tsv @@ q.q AND {' AND '.join(where)}) "
            "SELECT object_id, rank FROM m ORDER BY id DESC LIMIT %s"
        )
        args: list[object] = [*query.phrases(), *params, CANDIDATES]
    else:
        return _sqlite_candidates(query, kind, where, params)
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        return [(int(object_id), float(score)) for object_id, score in cursor.fetchall()]


def _sqlite_candidates(query: Query, kind: str, where: list[str], params: list[object]) -> list[tuple[int, float]]:
    """FTS5: the newest CANDIDATES matches straight from the doclists, ranked here.

    No bm25(): it counts every document holding each phrase before scoring the first row, which
    grows with the index. `relevance` scores the candidates from their own bigram text instead.
    Articles are a few hundred docs among a million tickets: walking the matches newest first
    and dropping tickets would read every ticket match (measured 35 ms at 200k rows for one common
    word, linear in rows), so each article doc is looked up in the index by rowid instead.
    """
    if kind == SearchDoc.Kind.ARTICLE:
        sql = (
            "SELECT d.object_id, d.text_bigrams FROM kb_searchdoc d CROSS JOIN kb_searchdoc_fts f ON f.rowid = d.id "
            f"WHERE f.kb_searchdoc_fts MATCH %s AND {' AND '.join(where)} ORDER BY d.id DESC LIMIT %s"
        )
    else:
        sql = (
            "SELECT d.object_id, d.text_bigrams FROM kb_searchdoc_fts f JOIN kb_searchdoc d ON d.id = f.rowid "
            f"WHERE f.kb_searchdoc_fts MATCH %s AND {' AND '.join(where)} ORDER BY f.rowid DESC LIMIT %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [query.fts5(), *params, CANDIDATES])
        rows = cursor.fetchall()
    scores = relevance([text for _, text in rows], query)
    return [(int(object_id), score) for (object_id, _), score in zip(rows, scores)]


# --------------------------------------------------------------------------------------------
# Steps 2 and 3


def _ranked(candidates: list[tuple[int, float]], allowed: set[int]) -> list[tuple[int, float]]:
    # Best first; among equals, the newer (larger id) first.
    return sorted(((pk, score) for pk, score in candidates if pk in allowed), key=lambda c: (-c[1], -c[0]))


def _ticket_hits(user: AbstractBaseUser, query: Query, filters: Filters, limit: int, results: SearchResults) -> None:
    """The tickets of `results.page`, best first; earlier pages are checked again (cheap: a page is
    at most a few hundred word checks) so every page is the same slice of one ranking."""
    system = System.objects.filter(name=filters.system).first() if filters.system else None
    region = Region.objects.filter(name=filters.region).first() if filters.region else None
    if (filters.system and system is None) or (filters.region and region is None):
        return
    candidates = _candidates(query, SearchDoc.Kind.TICKET, system_id=system.pk if system else None, region_id=region.pk if region else None, state=filters.state)
    results.capped = len(candidates) >= CANDIDATES
    if not candidates:
        return
    visible = visible_tickets(user).select_related("system", "region")
    # The index's copies of system/region/state can lag a queryset.update(); the tickets cannot.
    if system is not None:
        visible = visible.filter(system=system)
    if region is not None:
        visible = visible.filter(region=region)
    if filters.state:
        visible = visible.filter(status=filters.state)
    # Who may open which candidate: one query for all of them, the ids passed as one parameter
    # (a thousand-id IN list took ~20 ms just to compile, and a chunk at a time cost a compile per chunk).
    allowed = set(visible.filter(pk__in=_id_list([pk for pk, _ in candidates])).order_by().values_list("pk", flat=True))
    ranked = _ranked(candidates, allowed)
    results.total_tickets = len(ranked)
    visible = visible.order_by()
    skip, wanted = (results.page - 1) * limit, results.page * limit
    found = 0
    # Best first, a chunk at a time: the word check (and reading the replies) stops once the page is full.
    offset, step = 0, wanted + 5
    while offset < len(ranked):
        chunk = ranked[offset : offset + step]
        offset, step = offset + step, min(step * 2, 400)
        tickets = {t.pk: t for t in visible.filter(pk__in=[pk for pk, _ in chunk])}
        replies: dict[int, list[str]] = {}
        for ticket_id, body in TicketEvent.objects.filter(
            ticket_id__in=list(tickets), kind=TicketEvent.Kind.REPLY, public=True
        ).order_by("at", "id").values_list("ticket_id", "body"):
            replies.setdefault(ticket_id, []).append(body)
        for pk, score in chunk:
            ticket = tickets.get(pk)
            if ticket is None or not _matches(ticket, replies.get(pk, []), query):
                continue
            found += 1
            if found > wanted:
                results.has_next = True
                return
            if found > skip:
                body = "\n".join([ticket.description, *replies.get(pk, [])])
                results.tickets.append(TicketHit(ticket, score, highlight(ticket.title, query), highlight(body, query, around=SNIPPET)))


def _matches(ticket: Ticket, replies: list[str], query: Query) -> bool:
    """Every word is in the ticket's text, or the query is the ticket's number. A word is never
    matched inside the number: "vpn" must not find FK261203-VPN8D."""
    if [term.text for term in query.terms] == [fold(ticket.ref)]:
        return True
    return accepted_spans(fold(ticket_words(ticket, replies)), query) is not None


def _id_list(ids: list[int]) -> RawSQL:
    """`pk__in` for many ids as a single parameter: a JSON array (SQLite) or a bigint[] (PostgreSQL)."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])


def _article_hits(query: Query, filters: Filters, limit: int, results: SearchResults) -> None:
    candidates = _candidates(query, SearchDoc.Kind.ARTICLE)
    articles = Article.objects.filter(pk__in=[pk for pk, _ in candidates])
    if filters.system:
        articles = articles.filter(systems__name=filters.system)
    found = articles.in_bulk()
    for pk, score in _ranked(candidates, set(found)):
        article = found[pk]
        if accepted_spans(fold(article_text(article)), query) is None:
            continue
        results.articles.append(ArticleHit(article, score, highlight(article.title, query), highlight(article.body, query, around=SNIPPET)))
        if len(results.articles) >= limit:
            return


def search(user: AbstractBaseUser, raw: str, *, filters: Filters | None = None, page: int = 1, limit: int = PAGE) -> SearchResults:
    """Articles (on the first page) and one page of tickets matching every word of `raw`, best first, highlighted."""
    if not can_search(user):
        raise SearchRefused("forbidden", gettext("只有系统实施顾问、系统对接人和管理员可以搜索工单。"))
    filters = filters or Filters()
    if filters.state and filters.state not in Ticket.Status.values:
        raise SearchRefused("invalid_state", gettext("未知的工单状态“%(state)s”。") % {"state": filters.state})
    results = SearchResults(query=raw.strip(), page=max(1, page))
    query = parse_query(raw[:200])
    if not query.terms:
        return results
    if not query.indexable:
        raise SearchRefused("query_too_short", gettext("请至少输入两个字（或一个英文单词）再搜索。"))
    if not filters.ticket_only and results.page == 1:
        _article_hits(query, filters, limit, results)
    _ticket_hits(user, query, filters, limit, results)
    return results


def ticket_ids_matching(raw: str, within: QuerySet[Ticket]) -> list[int]:
    """The tickets of `within` (already narrowed to what the user may see) that match every word of
    `raw`, with the same index and word check as `search`: the handler's queue searches like the KB.

    Only the newest CANDIDATES index matches are considered, as in `search`; the caller's filters
    usually leave far fewer."""
    query = parse_query(raw[:200])
    if not query.indexable:
        raise SearchRefused("query_too_short", gettext("请至少输入两个字（或一个英文单词）再搜索。"))
    candidates = _candidates(query, SearchDoc.Kind.TICKET)
    if not candidates:
        return []
    tickets = list(within.filter(pk__in=_id_list([pk for pk, _ in candidates])).order_by().only("pk", "ref", "title", "project", "description"))
    replies: dict[int, list[str]] = {}
    for ticket_id, body in TicketEvent.objects.filter(
        ticket_id__in=[t.pk for t in tickets], kind=TicketEvent.Kind.REPLY, public=True
    ).order_by("at", "id").values_list("ticket_id", "body"):
        replies.setdefault(ticket_id, []).append(body)
    return [t.pk for t in tickets if _matches(t, replies.get(t.pk, []), query)]
