"""The printable A4 PDF of a fair: a poster with the fair's QR code, then, booth by booth,
a card for the booth and one per featured product (name, star badge, origin, price and
the product's own QR code), six cards to a page, ready to cut.

Rendered by WeasyPrint (already a Saleor dependency) from ``fairs/poster.html``. QR
codes are inline SVG in millimetres, never below ``fairs.qr``'s safe printed size;
badges are the storefront's own SVG badges.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from common.badges import badge_svg
from common.money import format_vnd
from common.units import province_name
from fairs import links, qr
from fairs.models import Fair, FairProduct
from marketplace.catalogue import ocop_facts
from marketplace.verification_codes import product_code

POSTER_QR_MM = 120.0
CARD_QR_MM = 32.0


@dataclass(frozen=True)
class Card:
    kind: str  # "booth" or "product"
    title: str
    booth: str
    url: str
    qr_svg: SafeString
    qr_mm: float
    stars: int = 0
    badge_svg: str = ""  # marked safe: our own SVG
    origin: str = ""
    price: str = ""
    producer: str = ""
    verify_url: str = ""  # the product's public verification page (/xac-minh/<code>)


@dataclass(frozen=True)
class Section:
    title: str
    cards: list[Card]


def _qr(url: str, at_least_mm: float) -> tuple[SafeString, float]:
    svg, size = qr.svg_for_print(url, at_least_mm)
    return mark_safe(svg), size.total_mm


def _product_card(fair: Fair, fair_product: FairProduct, facts, product) -> Card:
    url = links.absolute_url(links.product_path(fair_product, fair))
    code, size = _qr(url, CARD_QR_MM)
    origin = ""
    badge = ""
    stars = 0
    if facts is not None:
        stars = facts.stars
        origin = ", ".join(p for p in (facts.origin.commune, facts.origin.province) if p)
        if facts.shows_badge:
            # Many badges on one page: their shared title id would be defined twice.
            svg = badge_svg(facts.stars, "classic")
            badge = mark_safe(svg.replace(' aria-labelledby="t"', "").replace(' id="t"', ""))
    return Card(
        kind="product",
        title=product.name,
        booth=str(fair_product.booth) if fair_product.booth else "",
        url=url,
        qr_svg=code,
        qr_mm=size,
        stars=stars,
        badge_svg=badge,
        origin=origin,
        price=format_vnd(product.minimal_variant_price_amount),
        producer=fair_product.ocop_product.producer.name,
        verify_url=links.absolute_url(
            reverse("verification:product", args=[product_code(fair_product.ocop_product_id)])
        ),
    )


def sections_of(fair: Fair) -> list[Section]:
    featured = list(
        fair.featured.select_related("ocop_product__product", "ocop_product__producer", "booth")
    )
    facts = ocop_facts([fp.ocop_product.product_id for fp in featured])
    by_booth: dict[int | None, list[FairProduct]] = {}
    for fair_product in featured:
        by_booth.setdefault(fair_product.booth_id, []).append(fair_product)

    def cards_for(items: list[FairProduct]) -> list[Card]:
        return [
            _product_card(fair, fp, facts.get(fp.ocop_product.product_id), fp.ocop_product.product)
            for fp in items
        ]

    sections = []
    for booth in fair.booths.select_related("producer"):
        url = links.absolute_url(links.booth_path(booth, fair))
        code, size = _qr(url, CARD_QR_MM)
        booth_card = Card(
            kind="booth", title=str(booth), booth=str(booth), url=url, qr_svg=code, qr_mm=size,
            producer=booth.producer.name if booth.producer else "",
        )  # fmt: skip
        sections.append(Section(str(booth), [booth_card, *cards_for(by_booth.get(booth.pk, []))]))
    if by_booth.get(None):
        sections.append(Section("Sản phẩm trưng bày chung", cards_for(by_booth[None])))
    return sections


def render_html(fair: Fair) -> str:
    url = links.absolute_url(links.fair_path(fair))
    code, size = _qr(url, POSTER_QR_MM)
    return render_to_string(
        "fairs/poster.html",
        {
            "fair": fair,
            "province": province_name(fair.province_code),
            "url": url,
            "qr_svg": code,
            "qr_mm": size,
            "sections": sections_of(fair),
            "printed_at": timezone.localtime(),
        },
    )


def render_pdf(fair: Fair) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(fair)).write_pdf()
