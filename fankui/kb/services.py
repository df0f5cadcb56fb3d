"""Writes to the knowledge base."""
from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from fankui.directory.guide import Guide
from fankui.directory.models import Person, System
from fankui.directory.services import SyncReport, handle_missing, upsert
from fankui.kb.models import Article, ArticleLink


def sync_guide_articles(
    guide: Guide,
    *,
    systems: Mapping[str, System],
    people: Mapping[str, Person],
    report: SyncReport,
    actor: AbstractBaseUser | None,
    source: str,
) -> QuerySet[Article]:
    """Load the guide's 常见问题 as articles; return the guide articles the file no longer has."""
    sync = {"report": report, "actor": actor, "source": source}
    kept: list[int] = []
    for faq in guide.faqs:
        article = upsert(
            Article,
            lookup={"slug": faq.slug},
            values={"title": faq.title, "body": faq.body, "tags": faq.tags, "checklist": faq.checklist, "position": faq.position, "is_guide": True},
            **sync,
        )
        kept.append(article.pk)
        article.systems.set([systems[name] for name in faq.systems])
        # The people an answer names ("请联系余东金15507526322") link to their directory entries.
        article.contacts.set([person for name, person in people.items() if name in faq.body])
        links = [
            upsert(
                ArticleLink,
                lookup={"article": article, "label": link.label},
                values={
                    "title": link.title,
                    "url": link.url,
                    "valid_from": link.valid_from,
                    "valid_until": link.valid_until,
                    "position": position,
                },
                **sync,
            )
            for position, link in enumerate(faq.links)
        ]
        stale_links = ArticleLink.objects.filter(article=article).exclude(pk__in=[link.pk for link in links])
        handle_missing(list(stale_links), prune=True, **sync)
    # Articles written in fankui itself (drafts from tickets) have no place in the guide file.
    return Article.objects.filter(is_guide=True).exclude(pk__in=kept)
