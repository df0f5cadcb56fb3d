"""Full-text search over articles and tickets for staff, on SQLite (FTS5) or PostgreSQL (tsvector).

Every ticket that matches is reachable, page after page, in one order that the first page fixes:
1. the head: the newest CANDIDATES index matches, best first by relevance (PostgreSQL: ts_rank;
   SQLite: `textsearch.relevance` over the candidates' own bigram text, since FTS5's bm25() first
   counts every match of each phrase in the whole index) — ranking every match of a common word
   costs up to 0.8 s at 1M rows (notes, section d), ranking the newest thousand costs milliseconds;
2. the tail: the older matches, newest first, read from the index a chunk at a time below the last
   one shown (keyset paging: the 500th page costs what the 2nd does);
3. on every page, tickets go through `visible_tickets(user)` and the filters, so nobody finds what
   they may not open, and each candidate's own text is checked word by word (和服 is not in
   和服务中心) and highlighted.
A `Cursor` carries the position from one page to the next and pins the order: the newest index row
the first page saw (reports filed later wait for a new search, so nothing shifts between pages) and
the oldest row of the head (where the tail starts). The total is exact when the head holds every
match (each of them checked), otherwise it stops counting at "1,000+".
"""
from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core import signing
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
# Index rows one request reads below the head at most: a page for someone who may open few of the
# matches ends early with a cursor to go on, instead of reading a million rows in one request.
TAIL_BUDGET = 20_000
TAIL_STEP = 2000
# Index rows one read takes below the head, at most, where the index reads every match anyway
# (`_scans_every_match`): each read costs a whole scan (measured 14-19 ms at 1M rows for 7,000
# matches, whatever the LIMIT), handing over 4,000 rows instead of 800 costs about 2 ms more.
TAIL_READ = 4000
STAFF_ROLES = frozenset({Profile.Role.CONSULTANT, Profile.Role.OWNER, Profile.Role.ADMIN})
_CURSOR_SALT = "fankui.kb.search.cursor"


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


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts, handed out signed (`encode`) so a position cannot be forged.

    `top` is the newest index row of the search and `floor` the oldest of its ranked head (0: the
    head holds every match). While `after` is 0 the page goes on in the head at `ranked` (a place in
    the head's ranking); otherwise below index row `after`. `articles` is the number of matching
    articles (they page beside the tickets) and `tickets_done` says only articles are left. `key`
    ties the cursor to one query and its filters, without their text (the cursor travels in URLs).
    """

    key: str
    page: int
    top: int
    floor: int
    ranked: int = 0
    after: int = 0
    total: int = 0
    capped: bool = False
    articles: int = 0
    tickets_done: bool = False

    def encode(self) -> str:
        fields = [self.key, self.page, self.top, self.floor, self.ranked, self.after, self.total, int(self.capped), self.articles, int(self.tickets_done)]
        return signing.dumps(fields, salt=_CURSOR_SALT, compress=True)

    @classmethod
    def decode(cls, token: str, key: str) -> Cursor:
        refused = SearchRefused("invalid_cursor", gettext("翻页标记无效或不属于这次搜索，请重新搜索。"))
        try:
            fields = signing.loads(token, salt=_CURSOR_SALT)
        except signing.BadSignature as bad:
            raise refused from bad
        if not isinstance(fields, list) or len(fields) != 10 or fields[0] != key:
            raise refused
        found, page, top, floor, ranked, after, total, capped, articles, tickets_done = fields
        return cls(found, page, top, floor, ranked, after, total, bool(capped), articles, bool(tickets_done))


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
    # The index had CANDIDATES matches or more: the total stopped counting there.
    capped: bool = False
    page: int = 1
    # Tickets the caller may open that match every word: exact unless `capped`.
    total_tickets: int = 0
    total_articles: int = 0
    has_next: bool = False
    # Where the next page starts (opaque); `next_page` is None when only the cursor can go on.
    next_cursor: str | None = None
    next_page: int | None = None

    @property
    def total_text(self) -> str:
        return f"{CANDIDATES:,}+" if self.capped else f"{self.total_tickets:,}"


# --------------------------------------------------------------------------------------------
# The index


@dataclass(frozen=True)
class _Scope:
    """The filters as the index's own columns; the tickets themselves are filtered again later."""

    system_id: int | None = None
    region_id: int | None = None
    state: str = ""


class _Row(NamedTuple):
    """An index match (a tuple: a thousand are built per search, dataclasses cost 3 µs each)."""

    doc: int
    object_id: int
    score: float


def _candidates(query: Query, kind: str, scope: _Scope = _Scope(), *, newest: int = 0, oldest: int = 0, limit: int = 0, rank: bool = True) -> list[_Row]:
    """The newest `limit` (0: CANDIDATES) matches with index rows in [oldest, newest] (0: unbounded),
    newest first; with `rank`, their relevance (higher is better), else 0."""
    limit = limit or CANDIDATES
    where = ["d.kind = %s"]
    params: list[object] = [kind]
    for column, value in (("system_id", scope.system_id), ("region_id", scope.region_id), ("state", scope.state or None)):
        if value is not None:
            where.append(f"d.{column} = %s")
            params.append(value)
    for condition, bound in (("d.id <= %s", newest), ("d.id >= %s", oldest)):
        if bound:
            where.append(condition)
            params.append(bound)
    if connection.vendor != "postgresql":
        return _sqlite_candidates(query, kind, where, params, limit=limit, rank=rank)
    tsquery = " && ".join(["phraseto_tsquery('simple', %s)"] * len(query.phrases()))
    # One common word: walking the primary key backwards and stopping at `limit` is fastest.
    # Several words (or a long one) match few rows, and that walk would read most of the table
    # (measured 250 ms+ at 1M rows); a MATERIALIZED CTE makes PostgreSQL use the GIN index.
    materialized = "MATERIALIZED " if _scans_every_match(query) else ""
    # ts_rank costs about 1 µs a row: ranking every match in the MATERIALIZED scan beat looking the
    # kept rows up again to rank only them (measured 5 vs 9 ms for 761 matches at 300k rows).
    score = "ts_rank(d.tsv, q.q)" if rank else "0"
    sql = (
        f"WITH q AS (SELECT {tsquery} AS q), m AS {materialized}("
        f"SELECT d.id, d.object_id, {score} AS rank FROM kb_searchdoc d, q "
        f"WHERE d.tsv @@ q.q AND {' AND '.join(where)}) "
        "SELECT id, object_id, rank FROM m ORDER BY id DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*query.phrases(), *params, limit])
        return [_Row(int(doc), int(object_id), float(score)) for doc, object_id, score in cursor.fetchall()]


def _scans_every_match(query: Query) -> bool:
    """Does the index read every match of `query`, however few rows are asked for (PostgreSQL's GIN path)?"""
    return connection.vendor == "postgresql" and (len(query.phrases()) > 1 or any(len(term.tokens) > 1 for term in query.indexable))


def _tail_step(wanted: int) -> int:
    """Index rows to check below the head at first: enough for `wanted` hits of someone who may open a quarter."""
    return min(max(wanted * 4, 50), TAIL_STEP)


def _scan_read(wanted: int) -> int:
    """Index rows to read below the head at once where every read is a whole scan (`_scans_every_match`):
    enough for `wanted` hits of a consultant (a sixth of the matches, as few as half of them passing
    the word check), so that a page rarely pays for a second scan."""
    return min(wanted * 16, TAIL_READ)


def _next_chunk(missing: int, checked: int, found: int) -> int:
    """Rows to check next for `missing` more hits, by the share of the rows checked so far that were
    hits (a quarter more, so one chunk usually does): a consultant sees a sixth of the matches, and
    doubling blindly checked up to twice the rows a page needs (each row costs a heap visit)."""
    if not found:
        return min(checked * 2, TAIL_STEP)
    return min(max(math.ceil(max(missing, 1) * checked / found * 1.25), 50), TAIL_STEP)


def _sqlite_candidates(query: Query, kind: str, where: list[str], params: list[object], *, limit: int, rank: bool) -> list[_Row]:
    """FTS5: the newest matches straight from the doclists, ranked here.

    No bm25(): it counts every document holding each phrase before scoring the first row, which
    grows with the index. `relevance` scores the candidates from their own bigram text instead.
    Articles are a few hundred docs among a million tickets: walking the matches newest first
    and dropping tickets would read every ticket match (measured 35 ms at 200k rows for one common
    word, linear in rows), so each article doc is looked up in the index by rowid instead.
    """
    text = "d.text_bigrams" if rank else "''"
    if kind == SearchDoc.Kind.ARTICLE:
        sql = (
            f"SELECT d.id, d.object_id, {text} FROM kb_searchdoc d CROSS JOIN kb_searchdoc_fts f ON f.rowid = d.id "
            f"WHERE f.kb_searchdoc_fts MATCH %s AND {' AND '.join(where)} ORDER BY d.id DESC LIMIT %s"
        )
    else:
        # The row bounds on f.rowid (d.id is the same number) let FTS5 start its doclist walk there.
        where = [condition.replace("d.id", "f.rowid") for condition in where]
        sql = (
            f"SELECT d.id, d.object_id, {text} FROM kb_searchdoc_fts f JOIN kb_searchdoc d ON d.id = f.rowid "
            f"WHERE f.kb_searchdoc_fts MATCH %s AND {' AND '.join(where)} ORDER BY f.rowid DESC LIMIT %s"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [query.fts5(), *params, limit])
        rows = cursor.fetchall()
    scores = relevance([text for _, _, text in rows], query) if rank else [0.0] * len(rows)
    return [_Row(int(doc), int(object_id), score) for (doc, object_id, _), score in zip(rows, scores)]


# --------------------------------------------------------------------------------------------
# Tickets: the head, then the tail


def _id_list(ids: list[int]) -> RawSQL:
    """`pk__in` for many ids as a single parameter: a JSON array (SQLite) or a bigint[] (PostgreSQL).
    A thousand-id IN list took ~20 ms just to compile, and a chunk at a time cost a compile per chunk."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", [ids])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])


def _matches(ticket: Ticket, replies: list[str], query: Query) -> bool:
    """Every word is in the ticket's text, or the query is the ticket's number. A word is never
    matched inside the number: "vpn" must not find FK261203-VPN8D."""
    if len(query.terms) == 1 and query.terms[0].text == fold(ticket.ref):
        return True
    return accepted_spans(fold(ticket_words(ticket, replies)), query) is not None


def _public_replies(ticket_ids: list[int]) -> dict[int, list[str]]:
    replies: dict[int, list[str]] = {}
    for ticket_id, body in TicketEvent.objects.filter(
        ticket_id__in=_id_list(ticket_ids), kind=TicketEvent.Kind.REPLY, public=True
    ).order_by("at", "id").values_list("ticket_id", "body"):
        replies.setdefault(ticket_id, []).append(body)
    return replies


@dataclass(frozen=True)
class _Hit:
    ticket: Ticket
    score: float
    replies: list[str]
    # The hit's place: in the head's ranking, or (in the tail, `ranked` None) its index row.
    ranked: int | None
    doc: int


def _checked(visible: QuerySet[Ticket], rows: list[tuple[int | None, _Row]], query: Query) -> Iterator[_Hit]:
    """The rows, in order, whose ticket is in `visible` and whose text has every word.

    Only the words are read (whole tickets with their system and region cost three model
    instances each), and the ids go as one parameter (`_id_list`)."""
    found = visible.filter(pk__in=_id_list([row.object_id for _, row in rows])).only("pk", "ref", "title", "project", "description")
    tickets = {ticket.pk: ticket for ticket in found}
    replies = _public_replies(list(tickets))
    for ranked, row in rows:
        ticket = tickets.get(row.object_id)
        if ticket is not None and _matches(ticket, replies.get(row.object_id, []), query):
            yield _Hit(ticket, row.score, replies.get(row.object_id, []), ranked, row.doc)


class _Tickets:
    """One search's tickets in page order, from wherever a cursor says the page starts."""

    def __init__(self, user: AbstractBaseUser, query: Query, filters: Filters, cursor: Cursor | None) -> None:
        self.query, self.cursor = query, cursor
        system = System.objects.filter(name=filters.system).first() if filters.system else None
        region = Region.objects.filter(name=filters.region).first() if filters.region else None
        self.unknown_filter = bool((filters.system and system is None) or (filters.region and region is None))
        self.scope = _Scope(system.pk if system else None, region.pk if region else None, filters.state)
        visible = visible_tickets(user)
        # The index's copies of system/region/state can lag a queryset.update(); the tickets cannot.
        if system is not None:
            visible = visible.filter(system=system)
        if region is not None:
            visible = visible.filter(region=region)
        if filters.state:
            visible = visible.filter(status=filters.state)
        self.visible = visible.order_by()
        self.top, self.floor = (cursor.top, cursor.floor) if cursor else (0, 0)
        self.total, self.capped = (cursor.total, cursor.capped) if cursor else (0, False)
        self.head: list[_Row] = []
        self.allowed: set[int] = set()
        # The whole head, checked, when it holds every match (a first page counts them all).
        self.checked: list[_Hit] | None = None
        # Index rows below the head read with it, and whether more may follow them.
        self.below_head: tuple[list[_Row], bool] = ([], True)
        # Index rows read below the head by this request, and where TAIL_BUDGET stopped it. Only a
        # page reached by cursor has a budget: a page number must count every hit before it.
        self.tail_read, self.cut_at = 0, 0

    def load_head(self, wanted: int) -> None:
        """Rank the head; on a first page also pin it (`top`, `floor`) and count the total.

        Where the index reads every match anyway (`_scans_every_match`), the first rows below the
        head come in the same query: a page that runs on into the tail needs no second scan."""
        prefetch = _scan_read(wanted) if _scans_every_match(self.query) else 0
        limit = CANDIDATES + prefetch
        rows = _candidates(self.query, SearchDoc.Kind.TICKET, self.scope, newest=self.top, oldest=0 if prefetch else self.floor, limit=limit)
        if not rows:
            return
        if not self.cursor:
            self.top = rows[0].doc
            self.capped = len(rows) >= CANDIDATES
            self.floor = rows[CANDIDATES - 1].doc if self.capped else 0
        head = [row for row in rows if row.doc >= self.floor][:CANDIDATES]
        self.below_head = (rows[len(head) :], len(rows) == limit)
        # Best first; among equals, the newer (larger id) first.
        self.head = sorted(head, key=lambda row: (-row.score, -row.object_id))
        # Who may open which candidate: one query for all of them, the ids passed as one parameter.
        self.allowed = set(self.visible.filter(pk__in=_id_list([row.object_id for row in head])).values_list("pk", flat=True))
        if not self.cursor and not self.capped:
            # Every match is in the head: checking each of them makes the total exact (and the page is among them).
            self.checked = list(self._head_hits(0, len(self.head)))
            self.total = len(self.checked)

    def hits(self, wanted: int) -> Iterator[_Hit]:
        """From the cursor's place on; `wanted` hits are expected, so the first chunks stay that small."""
        if self.checked is not None:
            yield from self.checked
            return
        found = 0
        if not self.cursor or not self.cursor.after:
            for hit in self._head_hits(self.cursor.ranked if self.cursor else 0, wanted):
                found += 1
                yield hit
            if not self.floor:
                return
        yield from self._tail_hits(self.cursor.after if self.cursor and self.cursor.after else self.floor, max(wanted - found, 1))

    def _head_hits(self, start: int, wanted: int) -> Iterator[_Hit]:
        # Best first, a chunk at a time: the word check (and reading the replies) stops once the page is full.
        ranked = [(place, row) for place, row in enumerate(self.head) if place >= start and row.object_id in self.allowed]
        offset, step = 0, wanted + 5
        while offset < len(ranked):
            # `allowed` already holds the permission and filters: the chunk needs only the text.
            yield from _checked(Ticket.objects.all(), ranked[offset : offset + step], self.query)
            offset, step = offset + step, min(step * 2, 400)

    def _tail_hits(self, below: int, wanted: int) -> Iterator[_Hit]:
        step = _tail_step(wanted)
        read = _scan_read(wanted) if _scans_every_match(self.query) else step
        rows, more = self.below_head
        checked = found = 0
        while True:
            # The rows read are checked a chunk at a time: the page is often full long before the last.
            while rows:
                chunk, rows = rows[:step], rows[step:]
                self.tail_read += len(chunk)
                below = chunk[-1].doc
                for hit in _checked(self.visible, [(None, row) for row in chunk], self.query):
                    found += 1
                    yield hit
                checked += len(chunk)
                step = _next_chunk(wanted - found, checked, found)
            if not more:
                return
            if self.cursor and self.tail_read >= TAIL_BUDGET:
                self.cut_at = below
                return
            read = max(read, step)
            rows = _candidates(self.query, SearchDoc.Kind.TICKET, self.scope, newest=below - 1, limit=read, rank=False)
            more = len(rows) == read


def _ticket_page(stream: _Tickets, *, key: str, skip: int, limit: int, results: SearchResults) -> Cursor | None:
    """Fill `results.tickets` with `limit` hits after skipping `skip`; the cursor after them, if more may follow."""
    if stream.unknown_filter:
        return None
    if not stream.cursor or not stream.cursor.after:
        stream.load_head(skip + limit + 1)
    shown: list[_Hit] = []
    following: Cursor | None = None
    for hit in stream.hits(skip + limit + 1):
        if skip:
            skip -= 1
        elif len(shown) < limit:
            shown.append(hit)
        else:
            # One hit beyond the page: there is a next page, and where it starts is known.
            following = _cursor_after(stream, key, results, shown[-1], hit)
            break
    if stream.cut_at:
        # The budget ran out before the page was full: go on below the last index row read.
        following = Cursor(key, results.page + 1, stream.top, stream.floor, after=stream.cut_at, total=stream.total, capped=stream.capped)
    # The word check read only the text: the page's own tickets are loaded whole, in one query.
    whole = Ticket.objects.select_related("system", "region").in_bulk([hit.ticket.pk for hit in shown])
    for hit in shown:
        body = "\n".join([hit.ticket.description, *hit.replies])
        results.tickets.append(TicketHit(whole[hit.ticket.pk], hit.score, highlight(hit.ticket.title, stream.query), highlight(body, stream.query, around=SNIPPET)))
    return following


def _cursor_after(stream: _Tickets, key: str, results: SearchResults, last: _Hit, following: _Hit) -> Cursor:
    common = {"key": key, "page": results.page + 1, "top": stream.top, "floor": stream.floor, "total": stream.total, "capped": stream.capped}
    if following.ranked is not None:
        return Cursor(**common, ranked=following.ranked)
    # The next hit is in the tail: start below the last hit shown there, or just below the head.
    return Cursor(**common, after=last.doc if last.ranked is None else stream.floor)


# --------------------------------------------------------------------------------------------
# Articles: a few hundred, ranked whole on every page that shows some


def _article_page(query: Query, filters: Filters, *, skip: int, limit: int, results: SearchResults) -> None:
    candidates = _candidates(query, SearchDoc.Kind.ARTICLE)
    articles = Article.objects.filter(pk__in=[row.object_id for row in candidates])
    if filters.system:
        articles = articles.filter(systems__name=filters.system)
    found = articles.in_bulk()
    accepted = [
        row
        for row in sorted(candidates, key=lambda row: (-row.score, -row.object_id))
        if row.object_id in found and accepted_spans(fold(article_text(found[row.object_id])), query) is not None
    ]
    results.total_articles = len(accepted)
    for row in accepted[skip : skip + limit]:
        article = found[row.object_id]
        results.articles.append(ArticleHit(article, row.score, highlight(article.title, query), highlight(article.body, query, around=SNIPPET)))


def _key(raw: str, filters: Filters) -> str:
    text = json.dumps([raw, filters.system, filters.region, filters.state], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def search(user: AbstractBaseUser, raw: str, *, filters: Filters | None = None, page: int = 1, cursor: str = "", limit: int = PAGE) -> SearchResults:
    """One page of articles and tickets matching every word of `raw`, best first, highlighted.

    `cursor` (the previous page's `next_cursor`) goes on where that page ended, in its order, at
    any depth; `page` alone counts again from the first hit (fine for the first few pages)."""
    if not can_search(user):
        raise SearchRefused("forbidden", gettext("只有系统实施顾问、系统对接人和管理员可以搜索工单。"))
    filters = filters or Filters()
    if filters.state and filters.state not in Ticket.Status.values:
        raise SearchRefused("invalid_state", gettext("未知的工单状态“%(state)s”。") % {"state": filters.state})
    raw = raw.strip()[:200]
    key = _key(raw, filters)
    position = Cursor.decode(cursor, key) if cursor else None
    results = SearchResults(query=raw, page=position.page if position else max(1, page))
    query = parse_query(raw)
    if not query.terms:
        return results
    if not query.indexable:
        raise SearchRefused("query_too_short", gettext("请至少输入两个字（或一个英文单词）再搜索。"))
    skip = (results.page - 1) * limit
    if not filters.ticket_only and (position is None or skip < position.articles):
        _article_page(query, filters, skip=skip, limit=limit, results=results)
    elif position is not None:
        results.total_articles = position.articles
    stream = _Tickets(user, query, filters, position)
    following = None if position and position.tickets_done else _ticket_page(stream, key=key, skip=0 if position else skip, limit=limit, results=results)
    results.capped, results.total_tickets = stream.capped, CANDIDATES if stream.capped else stream.total
    if following is None and results.total_articles <= skip + limit:
        return results
    # More articles after the last ticket: the next pages carry on with them alone.
    following = following or Cursor(key, results.page + 1, stream.top, stream.floor, total=stream.total, capped=stream.capped, tickets_done=True)
    results.has_next = True
    results.next_cursor = replace(following, articles=results.total_articles).encode()
    # A page cut short by TAIL_BUDGET does not end where page + 1 would start: only the cursor goes on.
    results.next_page = results.page + 1 if following.tickets_done or len(results.tickets) == limit else None
    return results


def ticket_ids_matching(raw: str, within: QuerySet[Ticket]) -> list[int]:
    """The tickets of `within` (already narrowed to what the user may see) that match every word of
    `raw`, with the same index and word check as `search`: the handler's queue searches like the KB.

    Only the newest CANDIDATES index matches are considered, as in `search`'s head; the caller's
    filters usually leave far fewer."""
    query = parse_query(raw[:200])
    if not query.indexable:
        raise SearchRefused("query_too_short", gettext("请至少输入两个字（或一个英文单词）再搜索。"))
    candidates = _candidates(query, SearchDoc.Kind.TICKET)
    if not candidates:
        return []
    tickets = list(within.filter(pk__in=_id_list([row.object_id for row in candidates])).order_by().only("pk", "ref", "title", "project", "description"))
    replies = _public_replies([t.pk for t in tickets])
    return [t.pk for t in tickets if _matches(t, replies.get(t.pk, []), query)]
