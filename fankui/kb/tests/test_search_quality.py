"""Search precision and recall on 240 synthetic tickets plus the guide's articles (printed)."""
from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model

from fankui.kb.indexing import article_text, reindex
from fankui.kb.models import Article
from fankui.kb.search import search
from fankui.kb.tests.search_corpus import QUERIES, synthetic_tickets
from fankui.kb.textsearch import fold, parse_query
from fankui.tickets.models import Ticket

pytestmark = pytest.mark.django_db

TICKETS = 240


def _expected_tickets(query: str, labels: dict[int, frozenset[str]]) -> set[int]:
    words = [term.text for term in parse_query(query).terms]
    return {pk for pk, have in labels.items() if all(word in have for word in words)}


def _expected_articles(query: str) -> set[str]:
    # The guide's own text has no 和服-style traps; a word occurs in an article where it is written.
    words = [term.text for term in parse_query(query).terms]
    return {a.slug for a in Article.objects.all() if all(word in fold(article_text(a)) for word in words)}


def test_precision_and_recall(capsys: Any) -> None:
    admin = get_user_model().objects.create_superuser("search-admin", password="x")
    corpus = list(synthetic_tickets(TICKETS))
    Ticket.objects.bulk_create(
        [Ticket(ref=f"SYN-{i:05d}", reporter=admin, channel="web", title=t.title, description=t.description) for i, t in enumerate(corpus)]
    )
    reindex()  # bulk_create sends no signals: this is what `fankui kb reindex` is for
    labels = {pk: corpus[int(ref[4:])].labels for pk, ref in Ticket.objects.values_list("pk", "ref")}

    tp = fp = fn = 0
    misses: list[str] = []
    for query in QUERIES:
        results = search(admin, query, limit=10_000)
        got = {hit.ticket.pk for hit in results.tickets} | {f"a:{hit.article.slug}" for hit in results.articles}
        want = _expected_tickets(query, labels) | {f"a:{slug}" for slug in _expected_articles(query)}
        tp += len(got & want)
        fp += len(got - want)
        fn += len(want - got)
        if got != want:
            misses.append(f"  {query}: {len(got - want)} wrong, {len(want - got)} missed")
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    with capsys.disabled():
        print(f"\nsearch quality: {len(QUERIES)} queries, {TICKETS} tickets + {Article.objects.count()} articles, "
              f"{tp + fn} expected hits: precision {precision:.3f}, recall {recall:.3f}")
        print("\n".join(misses))
    assert len(QUERIES) >= 30
    assert precision >= 0.95 and recall >= 0.95
