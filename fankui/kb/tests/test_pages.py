"""The article pages: /kb/ and /kb/<slug>/."""
from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from fankui.core.testing import client_for, make_personas
from fankui.kb.models import Article, ArticleLink

pytestmark = pytest.mark.django_db


@pytest.fixture
def people() -> dict:
    return make_personas()


def test_pages_need_login() -> None:
    response = Client().get("/kb/binding_visitor/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_list_shows_the_guide_articles(people: dict) -> None:
    html = client_for(people["reporter_a"]).get("/kb/").content.decode()
    for title in ["年度满意度链接", "绑定了房产还是显示访客或无法打开满意度问卷", "app最新版本及闪退问题处理"]:
        assert title in html


def test_list_search_box_finds_the_matching_article(people: dict) -> None:
    html = client_for(people["reporter_a"]).get("/kb/", {"q": "一应生活显示访客"}).content.decode()
    found = html[html.index('id="found"') :]
    assert found.index("绑定了房产还是显示访客") < found.index("全部文章")


def test_article_renders_numbered_steps_and_links_contacts(people: dict) -> None:
    html = client_for(people["reporter_a"]).get("/kb/binding_visitor/").content.decode()
    assert "<ol><li>检查下一应生活我的里面选择的社区" in html
    survey = client_for(people["reporter_a"]).get("/kb/survey_link/").content.decode()
    assert '<a class="contact" href="/contacts/?q=%E4%BD%99%E4%B8%9C%E9%87%91">余东金</a>' in survey


def test_survey_links_have_copy_buttons_and_are_marked_expired(people: dict) -> None:
    html = client_for(people["reporter_a"]).get("/kb/survey_link/").content.decode()
    assert '<button type="button" class="copy" data-copy="https://www.wjx.cn/jq/48151729.aspx">' in html
    # The guide's 2019 links ran out long ago.
    assert html.count('<strong class="expired">已过期</strong>') == 5


def test_a_link_still_valid_is_not_marked(people: dict) -> None:
    link = ArticleLink.objects.get(article__slug="survey_link", label="销售案场")
    ArticleLink.objects.filter(pk=link.pk).update(valid_until=timezone.localdate() + datetime.timedelta(days=30))
    html = client_for(people["reporter_a"]).get("/kb/survey_link/").content.decode()
    assert html.count('<strong class="expired">已过期</strong>') == 4


def test_an_expired_article_says_so(people: dict) -> None:
    Article.objects.filter(slug="uv_stats").update(valid_until=datetime.date(2020, 1, 31))
    html = client_for(people["reporter_a"]).get("/kb/uv_stats/").content.decode()
    assert "已过期（有效期至 2020-01-31）" in html


def test_article_body_is_escaped(people: dict) -> None:
    Article.objects.create(slug="xss", title="<script>t</script>", body="**粗体** <img src=x onerror=alert(1)>")
    html = client_for(people["reporter_a"]).get("/kb/xss/").content.decode()
    assert "<strong>粗体</strong> &lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script>t</script>" not in html


def test_drafts_are_hidden_from_reporters_but_shown_to_staff(people: dict) -> None:
    Article.objects.create(slug="draft-one", title="草稿文章", body="内容", is_published=False)
    assert client_for(people["reporter_a"]).get("/kb/draft-one/").status_code == 404
    assert "草稿文章" not in client_for(people["reporter_a"]).get("/kb/").content.decode()
    assert client_for(people["ding"]).get("/kb/draft-one/").status_code == 200


def test_unknown_article_is_404(people: dict) -> None:
    assert client_for(people["reporter_a"]).get("/kb/no-such-thing/").status_code == 404
