"""Storefront pages: home, product list with facets, search, product detail.

Server-rendered Django templates, Vietnamese by default (English by a cookie switch),
a fixed number of queries per page whatever its size. Cart, checkout and order pages
are in ``storefront.cart``; staff settings in ``backoffice.shop_settings``.
"""

from __future__ import annotations

import hashlib
import logging
import math
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

import graphene
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_safe

from common.groups import GROUPS
from common.inputs import whole_number
from common.units import province_name, provinces
from marketplace import cooperatives
from marketplace.catalogue import STAR_LEVELS, OcopFacts, listed_product_ids, ocop_facts
from marketplace.models import ProducerType
from marketplace.verification_codes import product_code
from saleor_adapter import storefront_data
from storefront.models import StorefrontConfiguration
from storefront.search import (
    MAX_QUERY_LENGTH,
    FacetCounts,
    SearchFacets,
    clean_query,
    get_search_engine,
)

logger = logging.getLogger(__name__)

LANGUAGE_COOKIE = "ocop_lang"
MAX_PAGE_NUMBER = 100_000
HOME_FEATURED_LIMIT = 8


# -- reference data shown on pages ---------------------------------------------------


def group_choices() -> list[tuple[int, str]]:
    english = translation.get_language() == "en"
    return [(g.code, g.name_en if english else g.name_vi) for g in GROUPS]


PRODUCER_TYPE_LABELS = {
    ProducerType.COOPERATIVE: ("Hợp tác xã", "Cooperative"),
    ProducerType.COOPERATIVE_GROUP: ("Tổ hợp tác", "Cooperative group"),
    ProducerType.ENTERPRISE: ("Doanh nghiệp", "Enterprise"),
    ProducerType.HOUSEHOLD: ("Hộ kinh doanh", "Household business"),
}
# The raw-material area's quality marks (catalog_sync.validation.QUALITY_MARKS).
QUALITY_MARK_LABELS = {
    "vietgap": ("VietGAP", "VietGAP"),
    "huu_co": ("Hữu cơ", "Organic"),
    "globalgap": ("GlobalGAP", "GlobalGAP"),
    "gacp_who": ("GACP-WHO", "GACP-WHO"),
}
ISSUING_LEVEL_LABELS = {
    "central": ("Trung ương", "Central"),
    "province": ("Cấp tỉnh", "Provincial"),
    "district": ("Cấp huyện", "District"),
}


def _label(labels: dict, key: str) -> str:
    vi, en = labels.get(key, (key, key))
    return en if translation.get_language() == "en" else vi


# -- the page frame: configuration and language, once per request -------------------


def language_for(request, config: StorefrontConfiguration) -> str:
    codes = [code for code, _ in settings.STOREFRONT_LANGUAGES]
    chosen = request.COOKIES.get(LANGUAGE_COOKIE)
    if chosen in codes:
        return chosen
    return config.default_language if config.default_language in codes else codes[0]


class StorefrontUnavailable(Exception):
    """A service the page needs failed; the shopper gets a page saying so, not a 500."""


def storefront_view(view):
    """Loads the configuration, activates the shopper's language and renders in it."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        config = StorefrontConfiguration.current(request)
        language = language_for(request, config)
        with translation.override(language):
            request.LANGUAGE_CODE = language
            try:
                response = view(request, *args, **kwargs)
            except StorefrontUnavailable:
                logger.exception("Storefront page failed: %s", request.path)
                response = TemplateResponse(
                    request,
                    "storefront/not_found.html",
                    page_context(
                        request,
                        title=_("Tạm thời chưa phục vụ được"),
                        message=_("Xin lỗi, hệ thống đang bận. Vui lòng thử lại sau ít phút."),
                    ),
                    status=503,
                )
            if isinstance(response, TemplateResponse):
                response.render()
        response.setdefault("Content-Language", language)
        return response

    return wrapper


def page_context(request, **extra) -> dict:
    config = StorefrontConfiguration.current(request)
    return {
        "config": config,
        "language": translation.get_language(),
        "languages": settings.STOREFRONT_LANGUAGES,
        "current_path": request.get_full_path(),
        "max_query_length": MAX_QUERY_LENGTH,
        **extra,
    }


def not_found(request, message: str = "") -> TemplateResponse:
    return TemplateResponse(
        request,
        "storefront/not_found.html",
        page_context(request, message=message or _("Không tìm thấy trang bạn cần.")),
        status=404,
    )


# -- product cards: a fixed number of queries for any number of products ------------


@dataclass(frozen=True)
class ProductCard:
    id: int
    slug: str
    name: str
    price: object
    image_url: str
    image_alt: str
    facts: OcopFacts | None
    image_url_2x: str = ""

    @property
    def initial(self) -> str:
        return self.name[:1].upper()

    @property
    def province(self) -> str:
        return self.facts.origin.province if self.facts else ""


def product_cards(product_ids: list[int]) -> list[ProductCard]:
    """Cards in the order of ``product_ids``: 3 queries (products, images, OCOP facts)."""
    if not product_ids:
        return []
    products = storefront_data.card_products(product_ids)
    images = storefront_data.first_photos(product_ids)
    facts = ocop_facts(product_ids)
    cards = []
    for pk in product_ids:
        product = products.get(pk)
        if product is None:
            continue
        image = images.get(pk)
        cards.append(
            ProductCard(
                id=pk,
                slug=product.slug,
                name=product.name,
                price=product.minimal_variant_price_amount,
                image_url=image.card_url if image else "",
                image_url_2x=image.card_url_2x if image else "",
                image_alt=(image.alt or product.name) if image else product.name,
                facts=facts.get(pk),
            )
        )
    return cards


# -- facets and paging from the query string -----------------------------------------


@dataclass(frozen=True)
class ListRequest:
    query: str
    facets: SearchFacets
    page: int
    ignored: tuple[str, ...]  # parameters whose values made no sense (shown, not fatal)


def _small_int(raw: str | None) -> int | None:
    return whole_number(raw, max_digits=7)


def parse_list_request(params) -> ListRequest:
    ignored = []
    stars = _small_int(params.get("stars"))
    if params.get("stars") and stars not in STAR_LEVELS:
        ignored.append("stars")
        stars = None
    province = (params.get("province") or "").strip()
    if province and province not in dict(provinces()):
        ignored.append("province")
        province = ""
    group = _small_int(params.get("group"))
    if params.get("group") and group not in {g.code for g in GROUPS}:
        ignored.append("group")
        group = None
    page = _small_int(params.get("page"))
    if params.get("page") and (page is None or not 1 <= page <= MAX_PAGE_NUMBER):
        ignored.append("page")
    if page is None or not 1 <= page <= MAX_PAGE_NUMBER:
        page = 1
    return ListRequest(
        query=clean_query(params.get("q", "")),
        facets=SearchFacets(min_stars=stars, province_code=province or None, product_group=group),
        page=page,
        ignored=tuple(ignored),
    )


def page_links(page: int, pages: int) -> list[int | None]:
    """Page numbers to link: first, last and two around the current; None is a gap."""
    wanted = {1, pages, *range(page - 2, page + 3)}
    links: list[int | None] = []
    for number in sorted(n for n in wanted if 1 <= n <= pages):
        if links and links[-1] is not None and number - links[-1] > 1:
            links.append(None)
        links.append(number)
    return links


# -- views ------------------------------------------------------------------------------


@require_safe
@storefront_view
def home(request):
    config = StorefrontConfiguration.current(request)
    featured_ids: list[int] = []
    if not config._state.adding:  # saved by staff: may name featured products
        featured_ids = list(
            config.featured_products.filter(id__in=listed_product_ids()).values_list(
                "id", flat=True
            )[:HOME_FEATURED_LIMIT]
        )
    if not featured_ids:
        featured_ids = (
            get_search_engine()
            .search("", limit=HOME_FEATURED_LIMIT, facets=SearchFacets(min_stars=5))
            .product_ids
        )
    featured_provinces = [
        (code, province_name(code))
        for code in config.featured_province_codes
        if province_name(code)
    ]
    return TemplateResponse(
        request,
        "storefront/home.html",
        page_context(
            request,
            products=product_cards(featured_ids),
            featured_provinces=featured_provinces,
            groups=group_choices(),
        ),
    )


def _page_cache_key(request, config: StorefrontConfiguration) -> str:
    """Same page, language and configuration: same HTML (lists carry no per-shopper data)."""
    parts = (request.get_full_path(), translation.get_language(), str(config.updated_at))
    return "storefront:page:v1:" + hashlib.sha1(repr(parts).encode()).hexdigest()


@require_safe
@storefront_view
def product_list(request):
    """List and search pages, kept rendered for STOREFRONT_SEARCH_CACHE_SECONDS."""
    config = StorefrontConfiguration.current(request)
    seconds = settings.STOREFRONT_SEARCH_CACHE_SECONDS
    key = _page_cache_key(request, config)
    cached = cache.get(key) if seconds else None
    if cached is not None:
        return HttpResponse(cached)
    response = _product_list(request, config)
    if seconds:
        cache.set(key, response.render().content, seconds)
    return response


def _product_list(request, config):
    wanted = parse_list_request(request.GET)
    size = max(1, min(config.products_per_page, 96))
    engine = get_search_engine()
    result = engine.search(
        wanted.query,
        limit=size,
        offset=(wanted.page - 1) * size,
        facets=wanted.facets,
        with_counts=True,
    )
    pages = max(1, math.ceil(result.total / size))
    page, past_the_end = wanted.page, False
    if not result.product_ids and result.total and wanted.page > pages:
        past_the_end, page = True, pages
        result = engine.search(
            wanted.query,
            limit=size,
            offset=(page - 1) * size,
            facets=wanted.facets,
            with_counts=True,
        )
    counts = result.counts or FacetCounts()
    query_params = {
        key: value
        for key, value in (
            ("q", wanted.query),
            ("stars", wanted.facets.min_stars),
            ("province", wanted.facets.province_code),
            ("group", wanted.facets.product_group),
        )
        if value
    }
    return TemplateResponse(
        request,
        "storefront/product_list.html",
        page_context(
            request,
            products=product_cards(result.product_ids),
            total=result.total,
            query=wanted.query,
            facets=wanted.facets,
            page=page,
            pages=pages,
            page_links=page_links(page, pages),
            past_the_end=past_the_end,
            ignored=wanted.ignored,
            query_params=query_params,
            # Each option with how many products it would show ("Thái Nguyên (12)").
            provinces=[(code, name, counts.province.get(code, 0)) for code, name in provinces()],
            groups=[(code, name, counts.group.get(code, 0)) for code, name in group_choices()],
            star_levels=[(level, counts.at_least(level)) for level in STAR_LEVELS],
            is_search=bool(wanted.query),
        ),
    )


SUGGESTIONS = 8


@require_safe
@storefront_view
def suggest(request):
    """Names to offer as the shopper types: JSON for the search box's script
    (``?format=json``), else a page of links (the same without JavaScript)."""
    query = clean_query(request.GET.get("q", ""))
    ids = get_search_engine().suggest(query, limit=SUGGESTIONS) if query else []
    cards = product_cards(ids)
    if request.GET.get("format") == "json":
        return JsonResponse(
            {
                "query": query,
                "suggestions": [
                    {"name": card.name, "url": reverse("storefront-product", args=[card.slug])}
                    for card in cards
                ],
            },
            json_dumps_params={"ensure_ascii": False},
        )
    return TemplateResponse(
        request,
        "storefront/suggest.html",
        page_context(request, query=query, products=cards, search_link=search_url(query)),
    )


@require_safe
@csrf_protect  # the page carries the add-to-cart form: it sets the CSRF cookie
@storefront_view
def product_detail(request, slug: str):
    product = storefront_data.published_product(slug)
    facts = ocop_facts([product.pk]).get(product.pk) if product else None
    if product is None or facts is None:
        return not_found(request, _("Không có sản phẩm này, hoặc sản phẩm đã ngừng bán."))
    available = storefront_data.available_by_variant(product.pk)
    in_stock = [pk for pk, units in available.items() if units > 0]
    images = storefront_data.product_photos(product)
    return TemplateResponse(
        request,
        "storefront/product_detail.html",
        page_context(
            request,
            product=product,
            price=product.minimal_variant_price_amount,
            facts=facts,
            for_sale=facts.shows_badge,
            available=sum(available.values()),
            variant_id=(
                graphene.Node.to_global_id("ProductVariant", in_stock[0]) if in_stock else ""
            ),
            images=images,
            story=[p for p in product.description.split("\n") if p.strip()],
            producer_type=_label(PRODUCER_TYPE_LABELS, facts.producer.producer_type),
            issuing_level=_label(ISSUING_LEVEL_LABELS, facts.certificate.issuing_level),
            cart_error=request.GET.get("loi") == "gio-hang",
            verification_code=product_code(facts.ocop_product_id),
            quality_marks=[_label(QUALITY_MARK_LABELS, mark) for mark in facts.quality_marks],
            cooperative=cooperatives.public_profile(facts.ocop_product_id),
        ),
    )


@require_safe
def set_language(request, code: str):
    """A plain link switches language: ``/ngon-ngu/en/?next=/san-pham/``."""
    target = request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if code in dict(settings.STOREFRONT_LANGUAGES):
        response.set_cookie(
            LANGUAGE_COOKIE, code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True
        )
    return response


def search_url(query: str) -> str:
    return "/tim-kiem/?" + urlencode({"q": query})


def page_not_found(request, exception=None):
    """handler404 (used when DEBUG is off): the storefront's own page, in its language;
    a plain one if even that cannot be built (a 404 must never become a 500)."""
    from django.http import HttpResponseNotFound

    try:
        return storefront_view(lambda request: not_found(request))(request)
    except Exception as error:  # the database may be what is missing
        logger.warning("Plain 404 page for %s: %r", request.path, error)
        return HttpResponseNotFound(
            "<!doctype html><meta charset=utf-8><title>Không tìm thấy / Not found</title>"
            "<h1>Không tìm thấy trang này.</h1><p>Page not found.</p><a href=/>Trang chủ</a>"
        )


ERROR_PAGES = {
    400: (
        "Yêu cầu không hợp lệ",
        "Trình duyệt đã gửi một yêu cầu mà cửa hàng không đọc được.",
        "Bad request",
        "Your browser sent a request the shop cannot read.",
    ),
    403: (
        "Không được phép",
        "Bạn không có quyền xem trang này, hoặc phiên làm việc đã hết hạn: hãy tải lại trang.",
        "Forbidden",
        "You may not see this page, or your session expired: reload the page.",
    ),
    500: (
        "Xin lỗi, đã có lỗi",
        "Cửa hàng gặp sự cố khi trả lời. Vui lòng thử lại sau ít phút.",
        "Sorry, something went wrong",
        "The shop could not answer. Please try again in a few minutes.",
    ),
}


def error_page(status: int) -> HttpResponse:
    """A bilingual error page in the storefront's look that needs neither the database
    nor the shopper's language (it is shown when those may be what failed); plain HTML
    if even the template cannot render."""
    from django.template.loader import render_to_string

    title_vi, message_vi, title_en, message_en = ERROR_PAGES[status]
    try:
        body = render_to_string(
            "storefront/error.html",
            {
                "shop_name": settings.OCOP_SHOP_NAME,
                "title_vi": title_vi,
                "message_vi": message_vi,
                "title_en": title_en,
                "message_en": message_en,
            },
        )
    except Exception as error:
        logger.warning("Plain %s page: %r", status, error)
        body = (
            f"<!doctype html><meta charset=utf-8><title>{title_vi} / {title_en}</title>"
            f"<h1>{title_vi}</h1><p>{title_en}</p><a href=/>Trang chủ / Home</a>"
        )
    return HttpResponse(body, status=status)


def bad_request(request, exception=None):
    """handler400 (a malformed request, e.g. a refused multipart body)."""
    return error_page(400)


def permission_denied(request, exception=None):
    """handler403, and CSRF_FAILURE_VIEW (a form sent from a stale page)."""
    return error_page(403)


def csrf_failure(request, reason=""):
    return error_page(403)


def server_error(request):
    """handler500: no database, no request data."""
    return error_page(500)
