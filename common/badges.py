"""OCOP star badges as SVG: one per star level and style, served at stable URLs.

Vector, so crisp at any size; the text is real text with a <title> for screen readers.
5★ is marked as the national level ("cấp quốc gia").
"""

from __future__ import annotations

from functools import cache
from html import escape

from django.urls import reverse

BADGE_STYLES = ("classic", "flat")
LEVEL_LABELS = {
    3: ("OCOP 3 sao", "OCOP 3-star product"),
    4: ("OCOP 4 sao", "OCOP 4-star product"),
    5: ("OCOP 5 sao – cấp quốc gia", "OCOP 5-star national product"),
}
COLOURS = {3: "#b45309", 4: "#b91c1c", 5: "#7c2d12"}


def badge_url(stars: int, style: str = "classic") -> str:
    return reverse("ocop-badge", kwargs={"style": style, "stars": stars})


def _star(cx: float, cy: float, r: float) -> str:
    import math

    points = []
    for i in range(10):
        radius = r if i % 2 == 0 else r * 0.42
        angle = math.pi / 2 + i * math.pi / 5
        points.append(f"{cx + radius * math.cos(angle):.2f},{cy - radius * math.sin(angle):.2f}")
    return " ".join(points)


@cache
def badge_svg(stars: int, style: str = "classic") -> str:
    """The SVG document for a star level; raises ValueError for anything but 3–5."""
    if stars not in LEVEL_LABELS or style not in BADGE_STYLES:
        raise ValueError(f"no badge for {stars} stars in style {style!r}")
    label_vi, label_en = LEVEL_LABELS[stars]
    colour = COLOURS[stars]
    national = stars == 5
    width = 168 if national else 120
    stars_svg = "".join(
        f'<polygon points="{_star(22 + i * 17, 34, 7)}" fill="#facc15"/>' for i in range(stars)
    )
    frame = (
        f'<rect x="1" y="1" width="{width - 2}" height="54" rx="10" fill="{colour}" '
        'stroke="#facc15" stroke-width="2"/>'
        if style == "classic"
        else f'<rect width="{width}" height="56" rx="6" fill="{colour}"/>'
    )
    national_text = (
        f'<text x="{width - 8}" y="50" text-anchor="end" font-family="Arial, sans-serif" '
        'font-size="9" fill="#fef3c7">'
        "CẤP QUỐC GIA</text>"
        if national
        else ""
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} 56" '
        f'width="{width}" height="56" role="img" aria-labelledby="t">'
        f'<title id="t">{escape(label_vi)} / {escape(label_en)}</title>'
        f"{frame}"
        '<text x="12" y="20" font-family="Arial, sans-serif" font-weight="700" '
        'font-size="14" fill="#fff">OCOP</text>'
        f"{stars_svg}{national_text}</svg>"
    )
