"""Staff full-text search: /kb/search and GET /api/v1/kb/search, on whichever database runs the tests."""
from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from fankui.core.testing import client_for, make_personas
from fankui.directory.models import Region
from fankui.kb.models import SearchDoc
from fankui.kb.tests.factories import file_report
from fankui.tickets.models import Ticket
from fankui.tickets.services import reply_to_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> dict:
    return make_personas()


@pytest.fixture
def tickets(people: dict) -> dict[str, Ticket]:
    a, b = people["reporter_a"], people["reporter_b"]
    return {
        "gate": file_report(a, "太川门禁门口机离线，刷卡开不了门"),
        "crash": file_report(a, "一应生活APP打开就閃退，华为手机"),
        "vpn": file_report(b, "ＶＰＮ连不上，在家没法访问内网"),
        "invoice": file_report(b, "报销单提交不了，發票验真失败"),
        "service": file_report(a, "已经和服务中心联系过了，道闸还是不抬杆"),
        "kimono": file_report(b, "活动用的和服订单在联盟购下不了单"),
    }


def refs(body: dict) -> set[str]:
    return {hit["ref"] for hit in body["tickets"]}


def api(client: Client, **params: str) -> dict:
    response = client.get("/api/v1/kb/search", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_reporters_may_not_search(people: dict, tickets: dict) -> None:
    response = client_for(people["reporter_a"]).get("/api/v1/kb/search", {"q": "门禁"})
    assert response.status_code == 403
    assert response.json()["error"] == {"code": "forbidden", "message": "只有系统实施顾问、系统对接人和管理员可以搜索工单。"}
    assert client_for(people["reporter_a"]).get("/kb/search", {"q": "门禁"}).status_code == 403


def test_two_character_words_match(people: dict, tickets: dict) -> None:
    assert refs(api(client_for(people["admin"]), q="门禁")) == {tickets["gate"].ref}
    assert refs(api(client_for(people["admin"]), q="闪退")) == {tickets["crash"].ref}


def test_all_words_must_match(people: dict, tickets: dict) -> None:
    client = client_for(people["admin"])
    assert refs(api(client, q="门禁 离线")) == {tickets["gate"].ref}
    assert refs(api(client, q="门禁 闪退")) == set()


def test_full_width_and_traditional_fold(people: dict, tickets: dict) -> None:
    client = client_for(people["admin"])
    assert refs(api(client, q="vpn")) == {tickets["vpn"].ref}
    assert refs(api(client, q="ＶＰＮ")) == {tickets["vpn"].ref}
    assert refs(api(client, q="发票")) == {tickets["invoice"].ref}
    assert refs(api(client, q="發票 驗真")) == {tickets["invoice"].ref}


def test_a_word_does_not_match_across_the_texts_own_words(people: dict, tickets: dict) -> None:
    assert refs(api(client_for(people["admin"]), q="和服")) == {tickets["kimono"].ref}


def test_a_ticket_is_found_by_its_whole_number_never_by_a_word_inside_it(people: dict, tickets: dict) -> None:
    crash = tickets["crash"]
    Ticket.objects.filter(pk=crash.pk).update(ref="FK261203-VPN8D")
    call_command("kb", "reindex", stdout=StringIO())
    client = client_for(people["admin"])
    assert refs(api(client, q="vpn")) == {tickets["vpn"].ref}
    assert refs(api(client, q="fk261203-vpn8d")) == {"FK261203-VPN8D"}


def test_hits_are_highlighted_and_escaped(people: dict) -> None:
    ticket = file_report(people["reporter_a"], "<script>x</script> 门禁离线")
    hit = api(client_for(people["admin"]), q="门禁")["tickets"][0]
    assert hit["ref"] == ticket.ref
    assert hit["snippet_html"] == "&lt;script&gt;x&lt;/script&gt; <mark>门禁</mark>离线"


def test_consultants_find_only_tickets_they_may_open(people: dict, tickets: dict) -> None:
    # 丁家贵 (华南) sees reporter A's tickets, not reporter B's from 华东.
    assert refs(api(client_for(people["ding"]), q="vpn")) == set()
    assert refs(api(client_for(people["chen"]), q="vpn")) == {tickets["vpn"].ref}


def test_filters_by_region_state_and_system(people: dict, tickets: dict) -> None:
    client = client_for(people["admin"])
    assert refs(api(client, q="门禁", region="华东")) == set()
    assert refs(api(client, q="门禁", region="华南")) == {tickets["gate"].ref}
    assert refs(api(client, q="门禁", state="closed")) == set()
    assert refs(api(client, q="门禁", state="open")) == {tickets["gate"].ref}
    gate = Ticket.objects.get(pk=tickets["gate"].pk)
    if gate.system is not None:
        assert refs(api(client, q="门禁", system=gate.system.name)) == {gate.ref}
    assert refs(api(client, q="门禁", system="金蝶EAS")) == set()


def test_articles_are_found_ranked_first_by_relevance(people: dict) -> None:
    body = api(client_for(people["ding"]), q="显示访客")
    assert body["articles"][0]["slug"] == "binding_visitor"
    assert "<mark>显示访客</mark>" in body["articles"][0]["snippet_html"]


def test_replies_are_searchable(people: dict, tickets: dict) -> None:
    reply_to_ticket(ticket=tickets["gate"], by=people["ding"], body="已远程重启门口机，请再试")
    assert refs(api(client_for(people["admin"]), q="重启")) == {tickets["gate"].ref}


def test_a_single_character_alone_is_refused(people: dict) -> None:
    response = client_for(people["admin"]).get("/api/v1/kb/search", {"q": "门"})
    assert response.status_code == 400
    assert response.json()["error"]["message"] == "请至少输入两个字（或一个英文单词）再搜索。"


def test_unknown_state_is_refused(people: dict) -> None:
    response = client_for(people["admin"]).get("/api/v1/kb/search", {"q": "门禁", "state": "lost"})
    assert response.status_code == 400 and response.json()["error"]["message"] == "未知的工单状态“lost”。"


def test_the_search_page_lists_articles_and_tickets(people: dict, tickets: dict) -> None:
    html = client_for(people["ding"]).get("/kb/search", {"q": "闪退"}).content.decode()
    assert "app最新版本及<mark>闪退</mark>问题处理" in html
    assert tickets["crash"].ref in html and "<mark>閃退</mark>" in html


def test_the_index_follows_saves_and_deletes(people: dict, tickets: dict) -> None:
    ticket = tickets["gate"]
    assert SearchDoc.objects.filter(kind="ticket", object_id=ticket.pk, state="open").exists()
    Ticket.objects.filter(pk=ticket.pk).update(region=Region.objects.get(name="华东"))  # bypasses signals
    assert refs(api(client_for(people["admin"]), q="门禁", region="华东")) == set()  # the index copy lags…
    out = StringIO()
    call_command("kb", "reindex", stdout=out)
    assert "工单：6/6" in out.getvalue() and "更新 1" in out.getvalue()
    assert refs(api(client_for(people["admin"]), q="门禁", region="华东")) == {ticket.ref}  # …until reindex
    ticket.delete()
    assert not SearchDoc.objects.filter(kind="ticket", object_id=ticket.pk).exists()
    assert refs(api(client_for(people["admin"]), q="门禁")) == set()


def test_api_clients_search_with_a_bearer_token(people: dict, tickets: dict) -> None:
    from fankui.accounts.tokens import create_token

    token = create_token(user=people["ding"], name="desk").token
    response = Client(headers={"Authorization": f"Bearer {token}"}).get("/api/v1/kb/search", {"q": "门禁"})
    assert response.status_code == 200, response.content
    assert tickets["gate"].ref in refs(response.json())


def test_every_match_is_reachable_page_by_page_with_a_total(people: dict) -> None:
    from fankui.kb.search import PAGE

    reporter = people["reporter_a"]
    filed = {file_report(reporter, f"联盟购订单退款第{i}单还没到账").ref for i in range(PAGE * 2 + 3)}
    client = client_for(people["ding"])
    seen: list[str] = []
    page: int | None = 1
    while page:
        body = api(client, q="退款 到账", page=str(page))
        assert body["total"] == len(filed) and body["total_text"] == f"{len(filed)}"
        seen += [hit["ref"] for hit in body["tickets"]]
        page = body["next_page"]
    assert len(seen) == len(set(seen)) and set(seen) == filed  # no ticket twice, none missed
    html = client.get("/kb/search", {"q": "退款 到账", "page": "2"}).content.decode()
    assert f"共 {len(filed)} 条" in html and 'rel="next"' in html and 'rel="prev"' in html
