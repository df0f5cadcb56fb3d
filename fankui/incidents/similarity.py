"""个性 or 共性: the counting rule applied to reports already found to describe one problem."""
from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Reporter:
    """Who filed one of the similar reports, as the common-problem rule counts them."""

    user: Hashable
    region: str | None


@dataclass(frozen=True)
class Verdict:
    common: bool
    reporters: int
    regions: tuple[str, ...]
    busiest_region: tuple[str | None, int]
    why: str


def assess(reports: Sequence[Reporter], *, min_reporters: int, min_regions: int, same_region_reporters: int) -> Verdict:
    """个性 or 共性: enough distinct reporters across enough regions, or enough in one region.

    One person filing the same thing three times is still one reporter. Reporters outside any region
    (owners through the app) show spread beyond one region only beside at least one staff region.
    """
    by_region: dict[str | None, set[Hashable]] = {}
    for report in reports:
        by_region.setdefault(report.region, set()).add(report.user)
    reporters = len({r.user for r in reports})
    regions = tuple(sorted(r for r in by_region if r))
    busiest = max(by_region.items(), key=lambda kv: len(kv[1]), default=(None, set()))
    busiest_count = len(busiest[1])
    # Owners (and staff without a region) are somewhere outside the known regions: together they count as
    # one more place, never as several.
    places = len(regions) + (None in by_region)
    across = reporters >= min_reporters and places >= min_regions and bool(regions)
    local = busiest_count >= same_region_reporters
    if across:
        why = f"{reporters} 位报告人、{len(regions)} 个大区（{'、'.join(regions)}）在时间窗内报告了相似问题"
    elif local:
        why = f"{busiest[0] or '未分大区'} 有 {busiest_count} 位报告人在时间窗内报告了相似问题"
    else:
        why = f"{reporters} 位报告人、{len(regions)} 个大区：未达到共性问题的阈值"
    return Verdict(across or local, reporters, regions, (busiest[0], busiest_count), why)
