"""The 联系谁 and 通讯录 pages."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_in() -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_user("reporter-a", password="x"))
    return client


def test_whois_page_needs_login() -> None:
    response = Client().get("/contacts/?q=eas")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_whois_page_shows_consultant_then_owner(client_in: Client) -> None:
    html = client_in.get("/contacts/", {"q": "eas 权限", "region": "华东"}).content.decode()
    assert html.index("陈坚") < html.index("彭戈")


def test_whois_page_offers_a_copyable_wechat_id(client_in: Client) -> None:
    html = client_in.get("/contacts/", {"q": "满意度链接设置权限"}).content.decode()
    assert 'data-copy="13826493112"' in html


def test_whois_page_is_english_on_request(client_in: Client) -> None:
    html = client_in.get("/contacts/", {"q": "eas"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Who do I contact" in html


def test_directory_page_lists_regions_and_departments(client_in: Client) -> None:
    html = client_in.get("/contacts/directory/").content.decode()
    for name in ["韻竹君", "一应科技", "1@einyun.com", "周贤华", "李佳文", "各大区联盟购负责人"]:
        assert name in html


def test_query_text_is_escaped(client_in: Client) -> None:
    html = client_in.get("/contacts/", {"q": "<img src=x onerror=alert(1)>"}).content.decode()
    assert "<img src=x" not in html
