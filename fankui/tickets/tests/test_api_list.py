"""GET /api/v1/tickets: my reports (?mine=1) or what my role lets me see, paginated, in a fixed query budget."""
from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from fankui.tickets.tests.api_factories import Persona, file_report, make_personas

pytestmark = pytest.mark.django_db
URL = "/api/v1/tickets"

# Token lookup, role, person, deputies, the page, the count (+1 for recording the token's use).
LIST_QUERY_BUDGET = 7


@pytest.fixture
def people() -> dict[str, Persona]:
    return make_personas()


def refs(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["ref"] for item in response.json()["results"]]


def test_mine_lists_only_my_reports_newest_first(people: dict[str, Persona]) -> None:
    first = file_report(people["reporter_a"], "EAS 报销单卡住")
    second = file_report(people["reporter_a"], "一应之家打不开")
    file_report(people["reporter_b"], "CMP 白屏")
    assert refs(people["reporter_a"].api.get(URL, {"mine": 1})) == [second, first]


def test_a_consultant_sees_the_regions_tickets_without_mine_and_none_of_them_with_it(people: dict[str, Persona]) -> None:
    huanan = file_report(people["reporter_a"], "EAS 报销单卡住")
    file_report(people["reporter_b"], "CMP 白屏")
    ding = people["ding"].api
    assert refs(ding.get(URL)) == [huanan]
    assert refs(ding.get(URL, {"mine": 1})) == []


def test_the_admin_sees_everything(people: dict[str, Persona]) -> None:
    a = file_report(people["reporter_a"], "EAS 报销单卡住")
    b = file_report(people["reporter_b"], "CMP 白屏")
    assert refs(people["admin"].api.get(URL)) == [b, a]


def test_it_pages_and_counts(people: dict[str, Persona]) -> None:
    made = [file_report(people["reporter_a"], f"EAS 报销单卡住 {i}") for i in range(5)]
    page1 = people["reporter_a"].api.get(URL, {"mine": 1, "page_size": 2})
    page3 = people["reporter_a"].api.get(URL, {"mine": 1, "page_size": 2, "page": 3})
    assert page1.json()["count"] == 5 and page1.json()["page_size"] == 2
    assert refs(page1) == made[::-1][:2]
    assert refs(page3) == made[:1]
    assert refs(people["reporter_a"].api.get(URL, {"mine": 1, "page": 4, "page_size": 2})) == []


def test_it_filters_by_status(people: dict[str, Persona]) -> None:
    file_report(people["reporter_a"])
    assert len(refs(people["reporter_a"].api.get(URL, {"status": "open"}))) == 1
    assert refs(people["reporter_a"].api.get(URL, {"status": "closed"})) == []


def test_the_summary_contract(people: dict[str, Persona]) -> None:
    ref = file_report(people["reporter_a"], "EAS 报销单提交后一直卡在审批流", urgency="urgent", title="报销卡住")
    item = people["reporter_a"].api.get(URL, {"mine": 1}).json()["results"][0]
    assert set(item) == {"ref", "title", "status", "urgency", "tier", "channel", "region", "project", "system", "assignee", "created_at", "updated_at", "url"}
    assert (item["ref"], item["title"], item["urgency"], item["region"], item["system"], item["assignee"]) == (
        ref, "报销卡住", "urgent", "华南", "金蝶EAS", "丁家贵",
    )


@pytest.mark.parametrize(("params", "field"), [({"page": 0}, "page"), ({"page_size": 101}, "page_size"), ({"status": "lost"}, "status")])
def test_bad_parameters_answer_422(people: dict[str, Persona], params: dict[str, object], field: str) -> None:
    response = people["reporter_a"].api.get(URL, params)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


def test_anonymous_callers_get_401() -> None:
    assert Client().get(URL).status_code == 401


@pytest.mark.parametrize("who", ["reporter_a", "ding", "peng", "admin"])
def test_the_query_count_does_not_grow_with_the_page(people: dict[str, Persona], who: str, django_assert_max_num_queries: Any) -> None:
    for i in range(3):
        file_report(people["reporter_a"], f"EAS 报销单卡住 {i}")
    client = people[who].api
    client.get(URL)  # records the token's first use
    with django_assert_max_num_queries(LIST_QUERY_BUDGET - 1):
        small = client.get(URL)
    for i in range(22):
        file_report(people["reporter_a"], f"一应之家打不开 {i}")
    with django_assert_max_num_queries(LIST_QUERY_BUDGET - 1):
        full = client.get(URL, {"page_size": 100})
    assert full.status_code == small.status_code == 200


def test_the_budget_includes_recording_the_tokens_use(people: dict[str, Persona], django_assert_max_num_queries: Any) -> None:
    with django_assert_max_num_queries(LIST_QUERY_BUDGET):
        assert people["ding"].api.get(URL).status_code == 200
