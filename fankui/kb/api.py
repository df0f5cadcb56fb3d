"""The knowledge base's JSON API (/api/v1/kb): self-check lists, suggestions while typing, search."""
from __future__ import annotations

import datetime
import re

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import Field

from fankui.core.api import ApiError, api_auth, errors, refuse_typed_text_in_url
from fankui.directory.models import System
from fankui.kb.models import Article, ArticleLink
from fankui.kb.search import Filters, SearchRefused, search
from fankui.kb.selectors import checklists_for
from fankui.kb.matcher import articles_for
from fankui.tickets.models import TEXT_MAX_LENGTH

router = Router(tags=["kb"])

SUGGESTIONS = 3
EXCERPT = 80


class ChecklistOut(Schema):
    slug: str
    title: str
    url: str
    items: list[str]


class SuggestIn(Schema):
    text: str = Field("", max_length=TEXT_MAX_LENGTH, description="报告人正在输入的问题描述")


class LinkOut(Schema):
    label: str
    title: str
    url: str = Field(..., description="过期的链接为空：从不作为有效链接提供")
    valid_until: str | None
    expired: bool


class SuggestionOut(Schema):
    slug: str
    title: str
    excerpt: str
    url: str
    links: list[LinkOut] = Field(default_factory=list, description="文章给出的链接（如满意度问卷），每条注明有效期")


class ArticleHitOut(Schema):
    slug: str
    title: str
    url: str
    title_html: str
    snippet_html: str
    score: float


class TicketHitOut(Schema):
    ref: str
    title: str
    url: str
    status: str
    system: str | None
    region: str | None
    created_at: str
    title_html: str
    snippet_html: str
    score: float


class SearchOut(Schema):
    query: str
    articles: list[ArticleHitOut] = Field(..., description="只在第 1 页")
    tickets: list[TicketHitOut]
    capped: bool = Field(..., description="匹配超过 1000 条：总数只数到 1000；最新的 1000 条按相关度排序，更早的按时间从新到旧接在后面")
    page: int
    total: int = Field(..., description="你可以查看的匹配工单数（capped 时为 1000，意为 1000 条以上）")
    total_text: str = Field(..., description="如 302 或 1,000+")
    total_articles: int = Field(..., description="匹配的文章数（文章与工单一起分页）")
    next_page: int | None = Field(..., description="下一页的页码；没有下一页、或只能用 next_cursor 继续时为 null")
    next_cursor: str | None = Field(..., description="下一页的翻页标记：作为 cursor 传回，按第 1 页定下的顺序继续，任意深度都一样快；没有下一页时为 null")


def _system_name(raw: str) -> str:
    """The intake form's select sends a System's id; people and scripts send its name."""
    raw = raw.strip()[:50]
    if raw.isdigit():
        return System.objects.filter(pk=int(raw)).values_list("name", flat=True).first() or ""
    return raw


def _excerpt(body: str) -> str:
    plain = re.sub(r"\*\*|^\s*\d{1,3}[.、)]\s*", "", body, flags=re.MULTILINE)
    plain = re.sub(r"\s+", " ", plain).strip()
    return plain if len(plain) <= EXCERPT else plain[:EXCERPT] + "…"


@router.get("/checklists", response={200: list[ChecklistOut], **errors()}, auth=api_auth(), summary="提交前的自查清单")
def checklists(request: HttpRequest, system: str = Query("", max_length=50)) -> list[dict[str, object]]:  # type: ignore[type-arg]
    name = _system_name(system)
    if not name:
        return []
    return [{"slug": c.slug, "title": c.title, "url": f"/kb/{c.slug}/", "items": c.items} for c in checklists_for(name)]


@router.get("/suggest", include_in_schema=False)
def suggestions_by_url(request: HttpRequest) -> None:
    refuse_typed_text_in_url()


@router.post("/suggest", response={200: list[SuggestionOut], **errors(400)}, auth=api_auth(), summary="输入时推荐的知识库文章（最多 3 篇）")
def suggestions(request: HttpRequest, payload: SuggestIn) -> list[dict[str, str]]:
    """The same articles `fankui route` and the filed report's answer give for this text (fankui.kb.matcher)."""
    text = payload.text[:2000]
    if len(text.strip()) < 2:
        return []
    today = timezone.localdate()
    return [
        {"slug": article.slug, "title": article.title, "excerpt": _excerpt(article.body), "url": f"/kb/{article.slug}/",
         "links": [_link_out(link, today) for link in article.links.all()]}
        for article in articles_for(text, limit=SUGGESTIONS)
    ]


def _link_out(link: ArticleLink, today: datetime.date) -> dict[str, object]:
    expired = not link.is_valid_on(today)
    return {"label": link.label, "title": link.title, "url": "" if expired else link.url,
            "valid_until": link.valid_until.isoformat() if link.valid_until else None, "expired": expired}


@router.get("/search", response={200: SearchOut, **errors(400)}, auth=api_auth(), summary="全文搜索工单和文章（员工）")
def search_endpoint(
    request: HttpRequest,
    q: str = Query(..., max_length=200),  # type: ignore[type-arg]
    system: str = Query("", max_length=50),  # type: ignore[type-arg]
    region: str = Query("", max_length=20),  # type: ignore[type-arg]
    state: str = Query("", max_length=10),  # type: ignore[type-arg]
    page: int = Query(1, ge=1, le=1000),  # type: ignore[type-arg]
    cursor: str = Query("", max_length=500, description="上一页返回的 next_cursor；给出时忽略 page"),  # type: ignore[type-arg]
) -> dict[str, object]:
    try:
        results = search(request.auth, q, page=page, cursor=cursor, filters=Filters(system=_system_name(system) if system else "", region=region.strip(), state=state.strip()))  # type: ignore[arg-type]
    except SearchRefused as refused:
        raise ApiError(403 if refused.code == "forbidden" else 400, refused.code, refused.message) from refused
    return {
        "query": results.query,
        "articles": [
            {"slug": h.article.slug, "title": h.article.title, "url": f"/kb/{h.article.slug}/", "title_html": h.title_html, "snippet_html": h.snippet_html, "score": h.score}
            for h in results.articles
        ],
        "tickets": [
            {
                "ref": h.ticket.ref,
                "title": h.ticket.title,
                "url": f"/tickets/{h.ticket.ref}/",
                "status": h.ticket.status,
                "system": h.ticket.system.name if h.ticket.system else None,
                "region": h.ticket.region.name if h.ticket.region else None,
                "created_at": h.ticket.created_at.isoformat(),
                "title_html": h.title_html,
                "snippet_html": h.snippet_html,
                "score": h.score,
            }
            for h in results.tickets
        ],
        "capped": results.capped,
        "page": results.page,
        "total": results.total_tickets,
        "total_text": results.total_text,
        "total_articles": results.total_articles,
        "next_page": results.next_page,
        "next_cursor": results.next_cursor,
    }
