"""The public side of a fair: the short links a visitor scans, the landing page they
open, and the privacy note about the attribution cookie.

Every fair link records one visit (GET only: a HEAD from a link checker or a preview
bot counts nothing) and keeps working after the fair: the page says the fair is over
and still sells its products. A link that names nothing gets a friendly 404 in
Vietnamese and English, never a server error.
"""

from __future__ import annotations

from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from common.units import province_name
from fairs import attribution, links
from fairs.models import Booth, Fair, FairProduct
from marketplace.catalogue import listed_product_ids
from storefront.pages import page_context, product_cards, storefront_view


def fair_not_found(request, fair: Fair | None = None) -> TemplateResponse:
    response = TemplateResponse(
        request,
        "fairs/not_found.html",
        page_context(request, fair=fair, fair_path=links.fair_path(fair) if fair else ""),
        status=404,
    )
    response["Cache-Control"] = "no-store"
    return response


def _no_store(response):
    # A cached page or redirect would not reach us, and the visit would be lost.
    response["Cache-Control"] = "private, no-store"
    return response


def _sections(fair: Fair, booth: Booth | None) -> tuple[list[dict], int]:
    """Booth by booth, the listed products (the visited booth first); 5 queries."""
    featured = list(
        FairProduct.objects.filter(fair=fair)
        .filter(ocop_product__product_id__in=listed_product_ids())
        .values_list("ocop_product__product_id", "booth_id")
        .order_by("pk")
    )
    cards = {card.id: card for card in product_cards([pid for pid, _ in featured])}
    booths = list(fair.booths.select_related("producer"))
    if booth is not None:
        booths.sort(key=lambda b: b.pk != booth.pk)
    sections = []
    for item in booths:
        items = [cards[pid] for pid, bid in featured if bid == item.pk and pid in cards]
        sections.append({"booth": item, "cards": items, "current": item == booth})
    loose = [cards[pid] for pid, bid in featured if bid is None and pid in cards]
    if loose:
        sections.append({"booth": None, "cards": loose, "current": False})
    return sections, len(cards)


def _landing(request, fair: Fair, booth: Booth | None, unavailable: str = "") -> TemplateResponse:
    today = timezone.localdate()
    sections, product_count = _sections(fair, booth)
    return TemplateResponse(
        request,
        "fairs/landing.html",
        page_context(
            request,
            fair=fair,
            booth=booth,
            province=province_name(fair.province_code),
            is_over=fair.is_over(today),
            is_upcoming=fair.is_upcoming(today),
            sections=sections,
            product_count=product_count,
            cooperatives=fair.cooperatives.order_by("name"),
            unavailable=unavailable,
        ),
    )


@require_safe
@storefront_view
def fair_page(request, fair_slug: str):
    fair = links.resolve_fair(fair_slug)
    if fair is None:
        return fair_not_found(request)
    response = _landing(request, fair, None)
    if request.method == "GET":
        attribution.record_visit(request, response, fair)
    return _no_store(response)


@require_safe
@storefront_view
def booth_page(request, fair_slug: str, booth_slug: str):
    fair = links.resolve_fair(fair_slug)
    booth = links.resolve_booth(fair, booth_slug) if fair else None
    if booth is None:
        return fair_not_found(request, fair)
    response = _landing(request, fair, booth)
    if request.method == "GET":
        attribution.record_visit(request, response, fair, booth=booth)
    return _no_store(response)


@require_safe
@storefront_view
def product_link(request, fair_slug: str, product_slug: str):
    """Straight to the product page. A product no longer sold gets the fair's page (its
    booth first) with a note, so a printed card never leads to a dead end."""
    fair, fair_product = links.resolve_product_link(fair_slug, product_slug)
    if fair_product is None:
        return fair_not_found(request, fair)
    product = fair_product.ocop_product.product
    if listed_product_ids().filter(product_id=product.pk).exists():
        response = HttpResponseRedirect(f"/san-pham/{product.slug}/")
    else:
        response = _landing(request, fair, fair_product.booth, unavailable=product.name)
    if request.method == "GET":
        attribution.record_visit(
            request, response, fair, booth=fair_product.booth, fair_product=fair_product
        )
    return _no_store(response)


@require_safe
@storefront_view
def unknown_link(request, rest: str = ""):
    return fair_not_found(request)


@require_safe
@storefront_view
def privacy(request):
    return TemplateResponse(
        request,
        "fairs/privacy.html",
        page_context(
            request,
            cookie=attribution.COOKIE,
            days=attribution.window_days(),
        ),
    )
