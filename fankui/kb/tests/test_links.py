"""Saving an article link: stray spaces, full-width characters and past end dates are refused."""
from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fankui.core.testing import client_for, make_personas
from fankui.kb.admin import ArticleLinkForm
from fankui.kb.links import url_problems
from fankui.kb.models import Article, ArticleLink

TODAY = datetime.date(2026, 11, 25)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        (" https://www.wjx.cn/jq/1.aspx", "链接开头有空格"),
        ("https://www.wjx.cn/jq/1.aspx ", "链接末尾有空格"),
        ("https://www.wjx.cn/jq/1.aspx\u3000", "链接末尾有全角空格"),
        ("\u00a0https://www.wjx.cn/jq/1.aspx", "链接开头有不间断空格"),
        ("https://www.wjx.cn/jq/ 1.aspx", "链接中间第 23 个字符是空格"),
        ("https\uff1a//www.wjx.cn/jq/1.aspx", "链接第 6 个字符“：”是全角字符，请改为半角“:”"),
        ("https://www.wjx.cn\uff0fjq/1.aspx", "“／”是全角字符，请改为半角“/”"),
        ("https://www.wjx.cn/jq/1.aspx\u3002", "“。”是全角字符，请删除或改为半角字符"),
        ("https://www.wjx.cn/jq/1\u200b.aspx", "零宽空格"),
    ],
)
def test_url_problems_name_the_problem(url: str, message: str) -> None:
    assert any(message in problem for problem in url_problems(url)), url_problems(url)


def test_a_clean_link_has_no_problems() -> None:
    assert url_problems("https://www.wjx.cn/jq/48151729.aspx") == []


@pytest.mark.django_db
def test_clean_refuses_a_link_with_a_trailing_space_with_its_own_message() -> None:
    link = ArticleLink(article=Article.objects.get(slug="survey_link"), label="新", url="https://www.wjx.cn/jq/1.aspx ")
    with pytest.raises(ValidationError) as caught:
        link.full_clean()
    assert caught.value.message_dict["url"] == ["链接末尾有空格，复制到一应生活APP后台后问卷会打不开，请删除。"]


@pytest.mark.django_db
def test_clean_refuses_a_new_link_that_has_already_expired() -> None:
    link = ArticleLink(
        article=Article.objects.get(slug="survey_link"), label="新", url="https://www.wjx.cn/jq/1.aspx", valid_until=datetime.date(2019, 11, 30)
    )
    with pytest.raises(ValidationError) as caught:
        link.full_clean()
    assert caught.value.message_dict["valid_until"] == ["失效日期 2019-11-30 已过，过期链接不能保存；请换成新的链接并更新有效期。"]


@pytest.mark.django_db
def test_clean_refuses_an_end_date_before_the_start() -> None:
    today = timezone.localdate()
    link = ArticleLink(
        article=Article.objects.get(slug="survey_link"),
        label="新",
        url="https://www.wjx.cn/jq/1.aspx",
        valid_from=today + datetime.timedelta(days=10),
        valid_until=today + datetime.timedelta(days=5),
    )
    with pytest.raises(ValidationError) as caught:
        link.full_clean()
    assert "晚于失效日期" in caught.value.message_dict["valid_until"][0]


@pytest.mark.django_db
def test_an_old_expired_link_left_unchanged_does_not_block_editing() -> None:
    link = ArticleLink.objects.get(article__slug="survey_link", label="销售案场")
    link.title = "改个名称"
    link.full_clean()  # no error: its 2019 end date is shown as 已过期 instead


@pytest.mark.django_db
def test_admin_form_keeps_the_typed_space_and_refuses_it() -> None:
    article = Article.objects.get(slug="survey_link")
    form = ArticleLinkForm(
        data={"label": "新", "title": "", "url": " https://www.wjx.cn/jq/1.aspx", "position": 0}, instance=ArticleLink(article=article)
    )
    assert not form.is_valid()
    assert form.errors["url"] == ["链接开头有空格，复制到一应生活APP后台后问卷会打不开，请删除。"]


@pytest.mark.django_db
def test_admin_change_page_refuses_a_full_width_colon() -> None:
    people = make_personas()
    article = Article.objects.get(slug="uv_stats")
    response = client_for(people["admin"]).post(
        f"/admin/kb/article/{article.pk}/change/",
        {
            "slug": article.slug,
            "title": article.title,
            "body": article.body,
            "tags": '["UV"]',
            "checklist": "[]",
            "position": 0,
            "is_published": "on",
            "links-TOTAL_FORMS": "1",
            "links-INITIAL_FORMS": "0",
            "links-MIN_NUM_FORMS": "0",
            "links-MAX_NUM_FORMS": "1000",
            "links-0-label": "统计表",
            "links-0-url": "https\uff1a//example.com/uv",
            "links-0-position": "0",
        },
    )
    assert response.status_code == 200
    assert "链接第 6 个字符“：”是全角字符，请改为半角“:”。" in response.content.decode()
    assert not ArticleLink.objects.filter(article=article).exists()
