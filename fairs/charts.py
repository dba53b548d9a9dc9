"""A bar chart as inline SVG: no JavaScript, no CDN (the report must work offline and
print), readable by screen readers (a <title> per bar and a table beside it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from html import escape

from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
HEIGHT = 180
TOP = 18
BOTTOM = 22
LEFT = 8


def bar_chart(
    points: Sequence[tuple[str, Decimal | int]],
    title: str,
    fmt: Callable[[Decimal | int], str] = str,
    colour: str = "#1b7f3b",
) -> SafeString:
    """One bar per (label, value); empty string when there is nothing to draw."""
    if not points:
        return mark_safe("")
    peak = max((value for _, value in points), default=0) or 1
    plot_height = HEIGHT - TOP - BOTTOM
    step = (WIDTH - 2 * LEFT) / len(points)
    bar = min(48.0, max(1.0, step * 0.75))
    # Label at most ~12 bars along the axis, always the first and the last.
    every = max(1, round(len(points) / 12))
    parts = [
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH - LEFT}" y2="{HEIGHT - BOTTOM}" '
        'stroke="#9aa59a" stroke-width="1"/>',
        f'<text x="{LEFT}" y="12" font-size="11" fill="#52606d">{escape(fmt(peak))}</text>',
    ]
    for index, (label, value) in enumerate(points):
        height = 0 if not value else max(1.0, float(value) / float(peak) * plot_height)
        x = LEFT + index * step + (step - bar) / 2
        y = HEIGHT - BOTTOM - height
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{height:.1f}" '
            f'fill="{colour}"><title>{escape(label)}: {escape(fmt(value))}</title></rect>'
        )
        if index % every == 0 or index == len(points) - 1:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{HEIGHT - 6}" font-size="10" '
                f'text-anchor="middle" fill="#52606d">{escape(label)}</text>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))
