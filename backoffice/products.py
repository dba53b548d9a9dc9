"""Products in the back office: platform staff find any product (/quan-tri/san-pham/)
and a cooperative its own (/htx/san-pham/<pk>/); both edit the same page — the story,
the photos (upload, order, alt text, delete), price, stock and publishing — with the
OCOP facts read-only, since they come from the certificate. One template
(``backoffice/_product_editor.html``) serves both areas; the writes are
``marketplace.product_pages`` and ``marketplace.listings``."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from backoffice import views
from backoffice.security import BadRequest, number_param, portal_view, signed_in_area
from common.errors import DomainError, bilingual
from common.inputs import has_nul, whole_number
from common.units import provinces
from marketplace import access, listings, ports, product_pages
from marketplace.certification import valid_on
from marketplace.models import OcopProduct

PAGE_SIZE = 50
MAX_PAGE = 1000
MAX_SEARCH = 100
STARS = ("3", "4", "5")

staff_view = signed_in_area(
    may_enter=access.sees_all,
    refusal="Chỉ nhân viên sàn quản lý sản phẩm / Only platform staff may manage products.",
)


# -- the staff list -------------------------------------------------------------------


def _yes_no(request, name: str) -> bool | None:
    raw = request.GET.get(name, "")
    if raw not in ("", "1", "0"):
        raise BadRequest(bilingual(f"Tham số «{name}» không hợp lệ", f"Invalid «{name}»"))
    return None if raw == "" else raw == "1"


def _filters(request) -> dict:
    search = request.GET.get("q", "").strip()
    if len(search) > MAX_SEARCH or has_nul(search):
        raise BadRequest("Từ khoá không hợp lệ / Invalid search text.")
    province = request.GET.get("tinh", "").strip()
    if province and province not in dict(provinces()):
        raise BadRequest("Tỉnh không hợp lệ / Unknown province.")
    stars = request.GET.get("sao", "").strip()
    if stars and stars not in STARS:
        raise BadRequest("Hạng sao không hợp lệ / Stars must be 3, 4 or 5.")
    producer = number_param(request.GET, "htx")
    return {
        "q": search,
        "htx": producer or "",
        "tinh": province,
        "sao": stars,
        "dang_ban": _yes_no(request, "dang_ban"),
        "con_hang": _yes_no(request, "con_hang"),
    }


def filtered_products(filters: dict):
    products = OcopProduct.objects.all()
    if filters["q"]:
        products = products.filter(
            Q(product__name__icontains=filters["q"]) | Q(producer__name__icontains=filters["q"])
        )
    if filters["htx"]:
        products = products.filter(producer_id=filters["htx"])
    if filters["tinh"]:
        products = products.filter(producer__province_code=filters["tinh"])
    if filters["sao"]:
        products = products.filter(current_certificate__stars=int(filters["sao"]))
    if filters["dang_ban"] is not None:
        products = products.filter(product__is_published=filters["dang_ban"])
    if filters["con_hang"] is not None:
        # A semi-join, not a join: one row per product whatever its stock rows.
        stocked = OcopProduct.objects.filter(product__variants__stocks__quantity__gt=0)
        lookup = Q(pk__in=stocked.values("pk"))
        products = products.filter(lookup if filters["con_hang"] else ~lookup)
    return products


@staff_view
def product_list(request):
    filters = _filters(request)
    page = number_param(request.GET, "trang") or 1
    if page > MAX_PAGE:
        raise Http404("Trang không tồn tại / No such page.")
    start = (page - 1) * PAGE_SIZE
    # A bounded page and no COUNT: one more row than shown says whether a next page is.
    rows = list(
        filtered_products(filters)
        .select_related("product", "producer", "current_certificate")
        .only(
            "id", "product_id", "producer_id", "current_certificate_id",
            "product__name", "product__slug", "product__price_amount", "product__is_published",
            "producer__name", "producer__province_name", "producer__warehouse_id",
            "current_certificate__stars", "current_certificate__expiry_date",
        )
        .order_by("product__name", "pk")[start : start + PAGE_SIZE + 1]
    )  # fmt: skip
    if not rows and page > 1:
        raise Http404("Trang không tồn tại / No such page.")
    has_next, rows = len(rows) > PAGE_SIZE, rows[:PAGE_SIZE]
    levels = ports.catalogue().stock_levels(row.product_id for row in rows)
    for row in rows:
        level = levels.get((row.product_id, row.producer.warehouse_id))
        row.stock = level.quantity if level else 0
    query = urlencode(
        {
            k: ("1" if v is True else "0" if v is False else v)
            for k, v in filters.items()
            if v not in ("", None)
        }
    )
    return TemplateResponse(
        request,
        "backoffice/product_list.html",
        {
            "user": request.user,
            "rows": rows,
            "page": page,
            "has_next": has_next,
            "filters": filters,
            "query": query,
            "provinces": sorted(provinces(), key=lambda item: item[1]),
            "stars": STARS,
        },
    )


# -- one product's page, in both areas --------------------------------------------------


def _visible(user, pk: int) -> OcopProduct:
    ocop_product = (
        access.listings_for(user)
        .select_related("product", "producer", "current_certificate")
        .filter(pk=pk)
        .first()
    )
    if ocop_product is None:
        raise Http404("Không tìm thấy sản phẩm / No such product.")
    return ocop_product


def product_page(
    request, pk: int, *, area: str, error: DomainError | None = None, form=None, status=200
) -> TemplateResponse:
    """The product's page in ``area`` ("staff" or "portal")."""
    ocop_product = _visible(request.user, pk)
    listing = listings.listings(OcopProduct.objects.filter(pk=pk))[0]
    action = "backoffice-product-action" if area == "staff" else "portal:listing_action"
    return TemplateResponse(
        request,
        "backoffice/product_detail.html" if area == "staff" else "portal/product_detail.html",
        {
            "user": request.user,
            "sees_all": access.sees_all(request.user),
            "item": ocop_product,
            "listing": listing,
            "certificate": ocop_product.current_certificate,
            "certified": OcopProduct.objects.filter(valid_on(timezone.localdate()), pk=pk).exists(),
            "photos": ports.photos().photos([ocop_product.product_id])[ocop_product.product_id],
            "story": ocop_product.product.description,
            "actions": {
                slug.replace("-", "_"): reverse(action, args=[pk, slug]) for slug in ACTIONS
            },
            "storefront_url": reverse("storefront-product", args=[ocop_product.product.slug]),
            "limits": {
                "story": product_pages.STORY_MAX,
                "alt": product_pages.ALT_MAX,
                "photos": product_pages.MAX_PHOTOS,
            },
            "error": error,
            "form": form or {},
        },
        status=status,
    )


def _photo_id(post) -> int | None:
    return whole_number(post.get("photo_id", ""), max_digits=12)


def _sale(user, pk, request):
    published = {"tam-dung": False, "mo-ban": True, "": None}.get(request.POST.get("hien_thi", ""))
    if published is None and request.POST.get("hien_thi", ""):
        raise listings.ListingError(
            "invalid", bilingual("Lựa chọn không hợp lệ", "Invalid choice"), "published"
        )
    listings.update_listing(
        user, pk, price=request.POST.get("gia"), stock=request.POST.get("ton_kho"),
        published=published,
    )  # fmt: skip


ACTIONS = {
    "cau-chuyen": lambda user, pk, r: product_pages.set_story(user, pk, r.POST.get("story")),
    "them-anh": lambda user, pk, r: product_pages.add_photo(
        user, pk, r.FILES.get("photo"), r.POST.get("alt")
    ),
    "chu-thich-anh": lambda user, pk, r: product_pages.set_alt(
        user, pk, _photo_id(r.POST), r.POST.get("alt")
    ),
    "len": lambda user, pk, r: product_pages.move_photo(user, pk, _photo_id(r.POST), -1),
    "xuong": lambda user, pk, r: product_pages.move_photo(user, pk, _photo_id(r.POST), 1),
    "xoa-anh": lambda user, pk, r: product_pages.delete_photo(user, pk, _photo_id(r.POST)),
    "ban-hang": _sale,
}


def product_action(request, pk: int, action: str, *, area: str):
    """Apply ``action`` to the product; its page again with the field error (400)."""
    if action not in ACTIONS:
        raise Http404("Thao tác không tồn tại / No such action.")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    _visible(request.user, pk)  # 404 before anything else
    try:
        ACTIONS[action](request.user, pk, request)
    except LookupError:
        raise Http404("Không tìm thấy sản phẩm / No such product.") from None
    except DomainError as error:
        form = {
            key: request.POST.get(key, "") for key in request.POST if key != "csrfmiddlewaretoken"
        }
        return product_page(
            request, pk, area=area, error=error, form={"action": action, **form}, status=400
        )
    name = "backoffice-product" if area == "staff" else "portal:listing_update"
    anchor = "#anh" if action not in ("cau-chuyen", "ban-hang") else f"#{action}"
    return redirect(reverse(name, args=[pk]) + anchor)


@staff_view
def product_detail(request, pk: int):
    return product_page(request, pk, area="staff")


@staff_view
def staff_product_action(request, pk: int, action: str):
    return product_action(request, pk, action, area="staff")


# -- the cooperative portal's product pages (/htx/san-pham/…) ---------------------------


@portal_view
def listing_update(request, pk: int):
    """GET: the product's page (story, photos, price, stock); POST: the list's quick
    price, stock and pause form, answered on the list."""
    if request.method == "GET":
        return product_page(request, pk, area="portal")
    if request.method != "POST":
        return HttpResponseNotAllowed(["GET", "POST"])
    published = {"tam-dung": False, "mo-ban": True}.get(request.POST.get("hien_thi", ""))
    try:
        listings.update_listing(
            request.user,
            pk,
            price=request.POST.get("gia"),
            stock=request.POST.get("ton_kho"),
            published=published,
        )
    except LookupError:
        raise Http404("Không tìm thấy sản phẩm.") from None
    except listings.ListingError as error:
        return views.listing_page(request, error=error.message, error_id=pk)
    return redirect(reverse("portal:listing_list") + f"#sp-{pk}")


@portal_view
def listing_action(request, pk: int, action: str):
    return product_action(request, pk, action, area="portal")
