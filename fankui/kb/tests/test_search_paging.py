"""Search reaches every match: past the ranked head, by cursor or page number, with permissions and the word check on every page."""
from __future__ import annotations

import pytest
from django.contrib.auth.models import AbstractUser
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from fankui.core.testing import client_for, make_personas
from fankui.directory.models import Region
from fankui.kb import search as kb_search
from fankui.kb.indexing import reindex
from fankui.kb.search import search
from fankui.kb.tests.factories import file_report
from fankui.tickets.models import Ticket

pytestmark = pytest.mark.django_db

HEAD = 5


@pytest.fixture
def people() -> dict[str, AbstractUser]:
    return make_personas()


@pytest.fixture
def small_head(monkeypatch: pytest.MonkeyPatch) -> None:
    """A head of HEAD candidates instead of 1000: a few dozen tickets reach far into the tail."""
    monkeypatch.setattr(kb_search, "CANDIDATES", HEAD)


@pytest.fixture
def tickets(people: dict[str, AbstractUser]) -> dict[str, set[str]]:
    """Refund tickets in 华南 (丁家贵 may open them) and 华东 (he may not), with 和服 traps between them."""
    huanan, huadong = Region.objects.get(name="华南"), Region.objects.get(name="华东")
    rows: list[Ticket] = []
    kinds: dict[str, set[str]] = {"huanan": set(), "huadong": set(), "kimono": set(), "trap": set()}
    for i in range(40):
        region, kind = (huadong, "huadong") if i % 3 == 0 else (huanan, "huanan")
        text = f"联盟购申请退款第{i}单没到账" + ("，活动用的和服也要退" if i % 4 == 0 else "，已经和服务中心联系过")
        rows.append(Ticket(ref=f"PG{i:04d}", reporter=people["admin"], channel="web", region=region, title=text[:30], description=text))
        kinds[kind].add(rows[-1].ref)
        kinds["kimono" if i % 4 == 0 else "trap"].add(rows[-1].ref)
    Ticket.objects.bulk_create(rows)
    reindex()
    return kinds


def all_pages(user: AbstractUser, query: str, *, limit: int) -> list[str]:
    """Every page by following next_cursor, checking the cursor never skips or repeats."""
    refs: list[str] = []
    results = search(user, query, limit=limit)
    pages = 1
    while True:
        assert results.page == pages
        refs += [hit.ticket.ref for hit in results.tickets]
        if results.next_cursor is None:
            return refs
        results = search(user, query, limit=limit, cursor=results.next_cursor)
        pages += 1


@pytest.mark.usefixtures("small_head")
def test_cursors_reach_every_match_past_the_head_once(people: dict, tickets: dict[str, set[str]]) -> None:
    refs = all_pages(people["admin"], "退款", limit=3)
    assert len(refs) == len(set(refs)) == 40
    assert set(refs) == tickets["huanan"] | tickets["huadong"]
    first = search(people["admin"], "退款", limit=3)
    assert first.capped and first.total_text == f"{HEAD}+"


@pytest.mark.usefixtures("small_head")
def test_page_numbers_give_the_same_order_as_cursors(people: dict, tickets: dict) -> None:
    by_cursor = all_pages(people["admin"], "退款", limit=7)
    by_number = [hit.ticket.ref for page in range(1, 8) for hit in search(people["admin"], "退款", limit=7, page=page).tickets]
    assert by_number == by_cursor
    assert search(people["admin"], "退款", limit=7, page=6).next_page is None  # 40 = 5 pages of 7 and one of 5


@pytest.mark.usefixtures("small_head")
def test_deep_pages_show_only_tickets_the_user_may_open(people: dict, tickets: dict[str, set[str]]) -> None:
    refs = all_pages(people["ding"], "退款", limit=4)
    assert sorted(refs) == sorted(tickets["huanan"])
    assert not set(refs) & tickets["huadong"]


@pytest.mark.usefixtures("small_head")
def test_several_words_page_the_same_way(people: dict, tickets: dict[str, set[str]]) -> None:
    # On PostgreSQL several words take the GIN path, which reads the first rows below the head with it.
    assert sorted(all_pages(people["ding"], "申请 退款", limit=4)) == sorted(tickets["huanan"])
    assert len(all_pages(people["admin"], "申请 退款", limit=30)) == 40


@pytest.mark.usefixtures("small_head")
def test_a_deep_page_of_several_words_checks_rows_in_small_chunks_from_one_scan(people: dict, tickets: dict[str, set[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    # On PostgreSQL every read of several words scans all their matches: the rows a page needs below
    # the head come with the head's own scan, however small the chunks they are checked in.
    monkeypatch.setattr(kb_search, "TAIL_STEP", 3)
    expected = all_pages(people["ding"], "申请 退款", limit=4)[16:20]
    with CaptureQueriesContext(connection) as queries:
        results = search(people["ding"], "申请 退款", limit=4, page=5)
    assert [hit.ticket.ref for hit in results.tickets] == expected and len(expected) == 4
    if connection.vendor == "postgresql":
        assert len([query for query in queries if "@@" in query["sql"] and "'ticket'" in query["sql"]]) == 1


@pytest.mark.usefixtures("small_head")
def test_the_word_check_holds_on_every_page(people: dict, tickets: dict[str, set[str]]) -> None:
    # 和服 is in every ticket's characters, but 和服务中心 is not the word 和服.
    refs = all_pages(people["admin"], "和服", limit=2)
    assert sorted(refs) == sorted(tickets["kimono"])


def test_the_total_is_exact_when_the_head_holds_every_match(people: dict, tickets: dict[str, set[str]]) -> None:
    results = search(people["ding"], "和服", limit=2)
    assert not results.capped
    assert results.total_tickets == len(tickets["kimono"] & tickets["huanan"])


@pytest.mark.usefixtures("small_head")
def test_a_ticket_filed_after_the_first_page_does_not_shift_the_pages(people: dict, tickets: dict[str, set[str]]) -> None:
    first = search(people["admin"], "退款", limit=10)
    assert first.next_cursor
    late = file_report(people["reporter_a"], "联盟购申请退款还没到账，再催一下")
    refs = [hit.ticket.ref for hit in first.tickets]
    results = search(people["admin"], "退款", limit=10, cursor=first.next_cursor)
    while True:
        refs += [hit.ticket.ref for hit in results.tickets]
        if not results.next_cursor:
            break
        results = search(people["admin"], "退款", limit=10, cursor=results.next_cursor)
    assert len(refs) == len(set(refs)) == 40 and late.ref not in refs
    assert late.ref in [hit.ticket.ref for hit in search(people["admin"], "退款", limit=10).tickets]  # a new search finds it first


@pytest.mark.usefixtures("small_head")
def test_a_page_cut_short_by_the_budget_goes_on_by_cursor(people: dict, tickets: dict[str, set[str]], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kb_search, "TAIL_BUDGET", 3)
    monkeypatch.setattr(kb_search, "TAIL_STEP", 3)
    refs = all_pages(people["ding"], "退款", limit=20)
    assert sorted(refs) == sorted(tickets["huanan"])


@pytest.mark.usefixtures("small_head")
def test_the_api_pages_by_cursor(people: dict, tickets: dict[str, set[str]]) -> None:
    client = client_for(people["admin"])
    body = client.get("/api/v1/kb/search", {"q": "退款"}).json()
    assert (body["total"], body["total_text"], body["capped"], body["next_page"]) == (HEAD, f"{HEAD}+", True, 2)
    refs = [hit["ref"] for hit in body["tickets"]]
    while body["next_cursor"]:
        response = client.get("/api/v1/kb/search", {"q": "退款", "cursor": body["next_cursor"]})
        assert response.status_code == 200, response.content
        body = response.json()
        refs += [hit["ref"] for hit in body["tickets"]]
    assert body["page"] == 2 and body["next_page"] is None
    assert sorted(refs) == sorted(tickets["huanan"] | tickets["huadong"])


def test_the_api_refuses_a_forged_or_foreign_cursor(people: dict, tickets: dict) -> None:
    client = client_for(people["admin"])
    cursor = search(people["admin"], "退款", limit=3).next_cursor
    assert cursor
    expected = {"code": "invalid_cursor", "message": "翻页标记无效或不属于这次搜索，请重新搜索。"}
    for params in ({"q": "退款", "cursor": cursor[:-2] + "xx"}, {"q": "到账", "cursor": cursor}, {"q": "退款", "region": "华南", "cursor": cursor}, {"q": "退款", "cursor": "x"}):
        response = client.get("/api/v1/kb/search", params)
        assert response.status_code == 400, params
        assert response.json()["error"] == expected
    assert client.get("/api/v1/kb/search", {"q": "退款", "cursor": cursor}).status_code == 200


@pytest.mark.usefixtures("small_head")
def test_the_search_page_links_to_the_next_page_by_cursor(people: dict, tickets: dict) -> None:
    client = client_for(people["admin"])
    html = client.get("/kb/search", {"q": "退款", "region": "华南"}).content.decode()
    assert f"共 {HEAD}+ 条" in html and 'rel="prev"' not in html
    next_url = html.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    assert "region=%E5%8D%8E%E5%8D%97" in next_url and "cursor=" in next_url
    page_two = client.get("/kb/search" + next_url).content.decode()
    assert "第 2 页" in page_two and 'rel="prev"' in page_two
    assert "翻页标记无效" in client.get("/kb/search", {"q": "退款", "cursor": "nonsense"}).content.decode()


def test_bearer_tokens_page_too(people: dict, tickets: dict) -> None:
    from fankui.accounts.tokens import create_token

    token = create_token(user=people["ding"], name="desk").token
    client = Client(headers={"Authorization": f"Bearer {token}"})
    first = client.get("/api/v1/kb/search", {"q": "退款"}).json()
    assert first["next_cursor"]
    second = client.get("/api/v1/kb/search", {"q": "退款", "cursor": first["next_cursor"]})
    assert second.status_code == 200 and second.json()["page"] == 2
