"""Grouping quality on realistic clusters, with a background window; pure (no database)."""
from __future__ import annotations

import datetime
import itertools

import pytest
import yaml

from fankui.directory.guide import SHIPPED_GUIDE
from fankui.incidents.similarity import Reporter, Row, WindowIndex, assess, ngrams, prepare, strip_terms_for
from fankui.incidents.tests.corpus import CLUSTERS, NEAR_MISSES, background

SAME_SYSTEM = 0.2  # the shipped default, FANKUI_INCIDENT_SIMILARITY
# Known limit: a short report that shares only two words with the others (离线, 刷卡) scores 0.17.
# It is not grouped automatically and stays an individual ticket for its consultant.
KNOWN_MISSES = {"太川门禁离线了，业主刷卡进不来"}
NOW = datetime.datetime(2026, 5, 6, 10, 0, tzinfo=datetime.timezone.utc)


@pytest.fixture(scope="module")
def index() -> WindowIndex:
    guide = yaml.safe_load(SHIPPED_GUIDE.read_text(encoding="utf-8"))
    names = [name for system in guide["systems"] for name in [system["name"], *system.get("aliases", [])]]
    index = WindowIndex(strip_terms=strip_terms_for(names))
    for i, (system, text) in enumerate(background(2000)):
        index.add(Row(key=i, at=NOW - datetime.timedelta(minutes=i % 120), text=text, meta=(system,)))
    return index


def test_system_names_and_fillers_are_cut_before_comparing() -> None:
    terms = strip_terms_for(["一应生活APP", "一应生活", "生活app", "im"])
    assert prepare("麻烦看下，一应生活APP登录不了", terms).split() == [",", "登录不了"]
    assert "im" not in terms  # a two-letter alias would cut letters out of words


def test_ngrams_stay_inside_runs_of_text() -> None:
    assert set(ngrams("离线，刷卡")) == {"离线", "刷卡"}


@pytest.mark.parametrize("name", sorted(CLUSTERS))
def test_every_report_of_an_outage_resembles_another_report_of_it(index: WindowIndex, name: str) -> None:
    _, reports = CLUSTERS[name]
    for report in [r for r in reports if r not in KNOWN_MISSES]:
        best = max(index.score(report, other) for other in reports if other != report)
        assert best >= SAME_SYSTEM, f"{report} is close to nothing in its cluster ({best:.2f})"


@pytest.mark.parametrize("name", sorted(CLUSTERS))
def test_same_system_different_problem_is_never_grouped(index: WindowIndex, name: str) -> None:
    _, reports = CLUSTERS[name]
    for report, miss in itertools.product(reports, NEAR_MISSES[name]):
        assert index.score(report, miss) < SAME_SYSTEM, f"{report} ≈ {miss}"


def test_the_window_finds_the_earlier_reports_of_an_outage(index: WindowIndex) -> None:
    _, reports = CLUSTERS["app_login"]
    window = WindowIndex(strip_terms=index.strip_terms)
    for i, (system, text) in enumerate(background(500, seed=11)):
        window.add(Row(key=f"bg{i}", at=NOW - datetime.timedelta(minutes=30), text=text, meta=(system,)))
    window.add(Row(key="r1", at=NOW - datetime.timedelta(minutes=9), text=reports[0], meta=("一应生活APP",)))
    window.add(Row(key="r2", at=NOW - datetime.timedelta(minutes=5), text=reports[1], meta=("一应生活APP",)))
    window.add(Row(key="old", at=NOW - datetime.timedelta(hours=3), text=reports[0], meta=("一应生活APP",)))
    found = window.query(reports[4], since=NOW - datetime.timedelta(hours=2), threshold=SAME_SYSTEM)
    keys = [m.row.key for m in found if m.row.meta == ("一应生活APP",)]
    assert "r1" in keys and "r2" in keys
    assert "old" not in keys  # outside the two-hour window


def test_eviction_forgets_old_blocks_and_their_document_counts() -> None:
    window = WindowIndex(block_rows=2)
    for i in range(4):
        window.add(Row(key=i, at=NOW - datetime.timedelta(hours=4 - i), text="道闸不抬杆"))
    assert window.evict_before(NOW - datetime.timedelta(hours=2, minutes=30)) == 2
    assert len(window) == 2
    assert int(window.df[window.vocab["道闸"]]) == 2


@pytest.mark.parametrize(
    ("reports", "common", "why"),
    [
        ([("a", "华南"), ("b", "华东"), ("c", "华北")], True, "3 位报告人、3 个大区（华东、华北、华南）在时间窗内报告了相似问题"),
        ([("a", "华南"), ("b", "华南"), ("c", "华东")], True, "3 位报告人、2 个大区（华东、华南）在时间窗内报告了相似问题"),
        ([("a", "华南"), ("a", "华东"), ("b", "华北")], False, "2 位报告人、3 个大区：未达到共性问题的阈值"),
        ([("a", "华南"), ("b", "华南"), ("c", "华南")], False, "3 位报告人、1 个大区：未达到共性问题的阈值"),
        ([(u, "华南") for u in "abcde"], True, "华南 有 5 位报告人在时间窗内报告了相似问题"),
    ],
)
def test_common_needs_distinct_reporters_across_regions_or_many_in_one(reports: list, common: bool, why: str) -> None:
    verdict = assess([Reporter(u, r) for u, r in reports], min_reporters=3, min_regions=2, same_region_reporters=5)
    assert (verdict.common, verdict.why) == (common, why)
