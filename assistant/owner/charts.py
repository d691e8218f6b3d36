"""Small SVG charts for the owner page, drawn on the server: no script, no library, readable
by screen readers (each chart has a title and the table beside it holds the numbers)."""

from __future__ import annotations

import html
from collections.abc import Sequence

BLUE = "#175cd3"
GREEN = "#12b76a"
GREY = "#98a2b3"


def bars(title: str, rows: Sequence[tuple[str, float]], unit: str = "", width: int = 520) -> str:
    """Horizontal bars, largest first as given: one row per (label, value)."""
    if not rows:
        return ""
    e = html.escape
    row_h, label_w = 26, 170
    top = max(value for _, value in rows) or 1
    height = row_h * len(rows) + 8
    parts = [
        f'<svg class="chart" role="img" aria-label="{e(title)}" viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px">',
        f"<title>{e(title)}</title>",
    ]
    for n, (label, value) in enumerate(rows):
        y = n * row_h + 4
        span = (width - label_w - 60) * value / top
        short = label if len(label) <= 24 else label[:23] + "…"
        parts += [
            f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end" font-size="13" fill="#344054">{e(short)}</text>',
            f'<rect x="{label_w}" y="{y + 3}" width="{span:.1f}" height="{row_h - 8}" rx="3" fill="{BLUE}"></rect>',
            f'<text x="{label_w + span + 6:.1f}" y="{y + 16}" font-size="13" fill="#101828">{e(_number(value))}{e(unit)}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)


def stacked_days(title: str, days: Sequence[tuple[str, int, int]], width: int = 640) -> str:
    """One column per day: conversations the assistant resolved (green) under those handed to a person (grey)."""
    if not days:
        return ""
    e = html.escape
    height, bottom, left = 200, 28, 36
    top = max(total for _, total, _ in days) or 1
    step = (width - left - 8) / len(days)
    column = min(40.0, max(2.0, step * 0.7))
    plot = height - bottom - 8
    parts = [
        f'<svg class="chart" role="img" aria-label="{e(title)}" viewBox="0 0 {width} {height}" width="100%" style="max-width:{width}px">',
        f"<title>{e(title)}</title>",
        f'<text x="{left - 4}" y="14" text-anchor="end" font-size="12" fill="#475467">{top}</text>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 4}" y2="{height - bottom}" stroke="{GREY}"></line>',
    ]
    label_every = max(1, len(days) // 8)
    for n, (day, total, handed) in enumerate(days):
        x = left + n * step + (step - column) / 2
        resolved_h = plot * (total - handed) / top
        handed_h = plot * handed / top
        y = height - bottom - resolved_h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{column:.1f}" height="{resolved_h:.1f}" fill="{GREEN}"><title>{e(day)}: {total - handed} resolved</title></rect>'
        )
        if handed:
            parts.append(
                f'<rect x="{x:.1f}" y="{y - handed_h:.1f}" width="{column:.1f}" height="{handed_h:.1f}" fill="{GREY}"><title>{e(day)}: {handed} handed to a person</title></rect>'
            )
        if n % label_every == 0:
            parts.append(
                f'<text x="{x + column / 2:.1f}" y="{height - 8}" text-anchor="middle" font-size="11" fill="#475467">{e(day[5:])}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def _number(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"
