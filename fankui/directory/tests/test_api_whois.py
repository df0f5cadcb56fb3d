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
