"""Server-rendered SVG charts (no CDN, no JavaScript): horizontal bars and lines.

Labels are escaped here; the result is marked safe for templates. Each chart has a <title> and
role="img" with an aria-label, and the page shows the same numbers as a table beside it.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from fankui.dashboard.formats import cell, short_label

PALETTE = ("#c8102e", "#1f6feb", "#2da44e", "#bf8700", "#8250df")
WIDTH = 640


def _num(value: object) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _nice_max(value: float) -> float:
    """The axis top: the value rounded up to 1, 2, 2.5 or 5 × a power of ten."""
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    return next(m * magnitude for m in (1, 2, 2.5, 5, 10) if value <= m * magnitude)


def bars(title: str, labels: Sequence[object], values: Sequence[object], *, series_name: str = "") -> SafeString:
    """Horizontal bars: one row per label (system, region, channel…), value printed at the bar's end."""
    if not labels:
        return _empty(title)
    row, left, right = 26, 150, 60
    height = row * len(labels) + 20
    top = max([_num(v) for v in values] + [0.0]) or 1.0
    span = WIDTH - left - right
    parts = [_open(title, height)]
    for i, (label, value) in enumerate(zip(labels, values)):
        y = 10 + i * row
        w = span * _num(value) / top
        text = escape(short_label(label))
        parts.append(
            f'<text x="{left - 6}" y="{y + 16}" text-anchor="end" class="lbl">{text[:18]}</text>'
            f'<rect x="{left}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" fill="{PALETTE[0]}"><title>{text}: {escape(cell(value))}</title></rect>'
            f'<text x="{left + w + 4:.1f}" y="{y + 16}" class="val">{escape(cell(value))}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def lines(title: str, xs: Sequence[object], series: Sequence[tuple[str, Sequence[object]]]) -> SafeString:
    """A line per series over the x axis (days, weeks); None values break the line."""
    if not xs:
        return _empty(title)
    height, left, bottom, top_pad, right = 220, 44, 40, 24, 16
    plot_w, plot_h = WIDTH - left - right, height - bottom - top_pad
    top = _nice_max(max([_num(v) for _name, values in series for v in values] + [0.0]))
    step = plot_w / max(len(xs) - 1, 1)
    parts = [_open(title, height)]
    for k in range(5):  # grid and y labels
        y = top_pad + plot_h - plot_h * k / 4
        parts.append(f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>')
        parts.append(f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" class="val">{escape(cell(round(top * k / 4, 1) if top < 10 else int(top * k / 4)))}</text>')
    every = max(1, len(xs) // 8)
    for i, x in enumerate(xs):
        if i % every == 0 or i == len(xs) - 1:
            parts.append(f'<text x="{left + i * step:.1f}" y="{height - bottom + 16}" text-anchor="middle" class="lbl">{escape(short_label(x))}</text>')
    for n, (name, values) in enumerate(series):
        color = PALETTE[n % len(PALETTE)]
        path, pen = [], "M"
        for i, value in enumerate(values):
            if value is None:
                pen = "M"
                continue
            x, y = left + i * step, top_pad + plot_h - plot_h * _num(value) / top
            path.append(f"{pen}{x:.1f},{y:.1f}")
            pen = "L"
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{color}"><title>{escape(short_label(xs[i]))} {escape(name)}: {escape(cell(value))}</title></circle>')
        if path:
            parts.append(f'<path d="{" ".join(path)}" fill="none" stroke="{color}" stroke-width="2"/>')
        parts.append(f'<rect x="{left + n * 150}" y="{height - 14}" width="10" height="10" fill="{color}"/><text x="{left + n * 150 + 14}" y="{height - 5}" class="lbl">{escape(name)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _open(title: str, height: int) -> str:
    t = escape(title)
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-label="{t}" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet"><title>{t}</title>'
        '<style>.lbl{font-size:12px;fill:#1f2328}.val{font-size:11px;fill:#656d76}.grid{stroke:#d0d7de;stroke-width:1}</style>'
    )


def _empty(title: str) -> SafeString:
    return mark_safe(_open(title, 40) + f'<text x="8" y="24" class="val">{escape(_("暂无数据"))}</text></svg>')
