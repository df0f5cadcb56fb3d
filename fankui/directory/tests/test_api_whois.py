"""GET /api/v1/directory/whois: the same answer as the CLI, for logged-in users only."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_in() -> Client:
    user = get_user_model().objects.create_user("reporter-a", password="x")
    client = Client()
    client.force_login(user)
    return client


def test_it_answers_with_the_whois_contract(client_in: Client) -> None:
    response = client_in.get("/api/v1/directory/whois", {"q": "eas 权限", "region": "华东"})
    assert response.status_code == 200
    body = response.json()
    assert body["system"] == {"name": "金蝶EAS", "department": "集团信息技术中心"}
    assert body["contacts"][0]["name"] == "彭戈"
    assert body["consultant"]["name"] == "陈坚"


def test_it_refuses_anonymous_callers_with_a_json_error() -> None:
    response = Client().get("/api/v1/directory/whois", {"q": "eas"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_it_rejects_an_empty_query(client_in: Client) -> None:
    response = client_in.get("/api/v1/directory/whois", {"q": ""})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid_request"


def test_openapi_document_is_served() -> None:
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    assert "/api/v1/directory/whois" in response.json()["paths"]


def test_without_a_region_it_answers_with_the_callers_own_consultant() -> None:
    from fankui.core import testing

    client = testing.client_for(testing.reporter_b())  # reporter B works in 华东
    body = client.get("/api/v1/directory/whois", {"q": "eas 权限"}).json()
    assert body["consultant"]["name"] == "陈坚"


def test_answers_are_readable_utf8_not_escaped(client_in: Client) -> None:
    response = client_in.get("/api/v1/directory/whois", {"q": "eas 权限", "region": "华东"})
    assert "金蝶EAS".encode() in response.content and b"\\u" not in response.content
