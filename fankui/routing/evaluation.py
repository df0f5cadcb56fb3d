"""Measure the router against labelled JSON lines (the format of /work/shared/eval/dev.jsonl)."""
from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fankui.routing.services import RouteResult, route_report


@dataclass
class Ratio:
    hits: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.hits += int(ok)
        self.total += 1

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 0.0

    def __str__(self) -> str:
        return f"{self.value:.3f} ({self.hits}/{self.total})"


@dataclass
class EvalReport:
    system: Ratio = field(default_factory=Ratio)
    department: Ratio = field(default_factory=Ratio)
    contact: Ratio = field(default_factory=Ratio)
    consultant: Ratio = field(default_factory=Ratio)
    abstention: Ratio = field(default_factory=Ratio)
    wrong_abstention: Ratio = field(default_factory=Ratio)
    faq_hit3: Ratio = field(default_factory=Ratio)
    faq_top1: Ratio = field(default_factory=Ratio)
    null_faq_silent: Ratio = field(default_factory=Ratio)
    errors: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        return [
            f"system accuracy        {self.system}",
            f"department accuracy    {self.department}",
            f"contact accuracy       {self.contact}",
            f"consultant accuracy    {self.consultant}",
            f"abstention correctness {self.abstention}  (ambiguous + noise items: router abstained)",
            f"abstained wrongly      {self.wrong_abstention}  (routable items the router left unrouted)",
            f"faq hit@3              {self.faq_hit3}",
            f"faq top-1              {self.faq_top1}",
            f"null faq → no suggestion {self.null_faq_silent}",
        ]


def is_abstention_item(expect: Mapping[str, Any]) -> bool:
    """Ambiguous items, and noise: every field null (the consultant aside)."""
    if expect.get("ambiguous"):
        return True
    return all(expect.get(key) is None for key in ("system", "department", "contact", "faq"))


def evaluate(items: Iterable[Mapping[str, Any]]) -> EvalReport:
    report = EvalReport()
    for item in items:
        expect = item["expect"]
        result = route_report(item["text"], region=item.get("region"), reporter=item.get("reporter", "staff"), channel=item.get("channel"))
        _score(report, item, expect, result)
    return report


def _score(report: EvalReport, item: Mapping[str, Any], expect: Mapping[str, Any], result: RouteResult) -> None:
    got = {"system": result.system, "department": result.department, "contact": result.contact, "consultant": result.consultant}
    report.system.add(got["system"] == expect.get("system"))
    report.department.add(got["department"] == expect.get("department"))
    report.contact.add(got["contact"] == expect.get("contact"))
    report.consultant.add(got["consultant"] == expect.get("consultant"))
    if is_abstention_item(expect):
        report.abstention.add(result.system is None and result.contact is None)
    elif expect.get("contact") or expect.get("system"):
        report.wrong_abstention.add(result.system is None and result.contact is None)
    slugs = result.faq_slugs
    if expect.get("faq"):
        report.faq_hit3.add(expect["faq"] in slugs[:3])
        report.faq_top1.add(bool(slugs) and slugs[0] == expect["faq"])
    else:
        report.null_faq_silent.add(not slugs)
    wrong = [k for k in ("system", "contact", "consultant") if got[k] != expect.get(k)]
    if wrong or (expect.get("faq") or None) != (slugs[0] if slugs else None):
        report.errors.append(
            f"{item.get('id')}: {item['text'][:60]!r}\n"
            f"    expected system={expect.get('system')} contact={expect.get('contact')} faq={expect.get('faq')}\n"
            f"    got      system={result.system} contact={result.contact} faq={slugs} conf={result.confidence:.2f}\n"
            f"    {result.explanation}"
        )


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]
