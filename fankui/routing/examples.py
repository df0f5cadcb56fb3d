"""Labelled examples for training the routing model.

`training_examples()` is the one place training data comes from: the shipped examples in
data/examples.txt, every stored `RoutingExample` (final escalation decisions from tickets), and any
source another app registers with `register_example_source`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

EXAMPLES_FILE = Path(__file__).resolve().parent / "data" / "examples.txt"


@dataclass(frozen=True)
class Example:
    text: str
    label: str
    source: str = "shipped"


ExampleSource = Callable[[], Iterable[Example]]
_SOURCES: list[ExampleSource] = []


def register_example_source(source: ExampleSource) -> ExampleSource:
    """Add a source of labelled examples (e.g. the tickets app's resolved tickets); usable as a decorator."""
    if source not in _SOURCES:
        _SOURCES.append(source)
    return source


def shipped_examples(path: Path = EXAMPLES_FILE) -> list[Example]:
    found: list[Example] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        label, sep, text = line.partition("\t")
        if not sep or not text.strip():
            raise ValueError(f"{path.name}:{number}: expected 'label<TAB>text'")
        found.append(Example(text.strip(), label.strip()))
    return found


def stored_examples() -> list[Example]:
    from fankui.routing.models import RoutingExample

    return [Example(text, label, source) for text, label, source in RoutingExample.objects.values_list("text", "label", "source")]


def training_examples() -> list[Example]:
    """Every labelled example, shipped first; a later duplicate text overrides an earlier label."""
    merged: dict[str, Example] = {}
    for example in [*shipped_examples(), *stored_examples(), *(e for source in _SOURCES for e in source())]:
        merged[example.text] = example
    return list(merged.values())
