"""The QA engineer's blind set (written without seeing the router): the release bar on unseen wording."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from fankui.routing.evaluation import evaluate, read_jsonl

pytestmark = pytest.mark.django_db

BLIND = Path(__file__).resolve().parent / "data" / "blind.jsonl"


def test_blind_set_meets_the_bar() -> None:
    items = read_jsonl(BLIND)
    assert len(items) == 150
    started = time.perf_counter()
    report = evaluate(items)
    elapsed = time.perf_counter() - started
    details = "\n".join(report.lines() + report.errors)
    assert report.contact.value >= 0.95, details
    assert report.abstention.value >= 0.90, details
    assert report.faq_hit3.value >= 0.95, details
    assert elapsed < 5.0, f"blind evaluation took {elapsed:.1f}s"
