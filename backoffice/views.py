"""The cooperative portal ("Cổng HTX"): server-rendered, mobile-first, Vietnamese.

Every query starts from ``marketplace.access`` (the user's own cooperatives, or all of
them for platform staff); another cooperative's id is answered exactly like a missing
one (404). Changes go through ``marketplace.lifecycle`` / ``marketplace.listings``.
"""

from __future__ import annotations

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe

from backoffice.security import BadRequest, date_param, number_param, portal_view
from common import spreadsheets
from common.errors import DomainError
from common.inputs import has_nul
from common.money import format_vnd
from common.phones import normalise_phone
from fairs import links, qr
from marketplace import access, lifecycle, listings, parcels, refunds, settlement
from marketplace.models import (
    CooperativeOrder,
    CooperativeOrderLine,
    CooperativeOrderStatus,
    OrderRouting,
)
from marketplace.verification_codes import product_code

PAGE_SIZE = 25
LIST_FIELDS = [
    "id", "number", "status", "created_at", "customer_name", "subtotal_amount",
    "shipping_amount", "producer__name", "order",
]  # fmt: skip
MAX_SEARCH = 100


# -- login ----------------------------------------------------------------------------


# -- shared ---------------------------------------------------------------------------


def _producer_filter(request, queryset, field="producer_id"):
    """The ?htx= filter: one of the user's cooperatives (404 otherwise). A member of
    several chooses among them; platform staff, who work for every cooperative (8,000 of
    them), arrive with one named by the cooperatives section's links, so no page lists
    every producer."""
    producer_id = number_param(request.GET, "htx")
    scoped = access.producers_for(request.user)
    producer = None
    if producer_id is not None:
        producer = scoped.filter(pk=producer_id).first()
        if producer is None:
            raise Http404("Không tìm thấy hợp tác xã.")
        queryset = queryset.filter(**{field: producer.pk})
    return queryset, producer, _choosable_producers(request.user)


def _choosable_producers(user) -> list:
    if access.sees_all(user):
        return []
    return list(access.producers_for(user).order_by("name"))


def _context(request, **extra) -> dict:
    return {
        "user": request.user,
        "sees_all": access.sees_all(request.user),
        "format_vnd": format_vnd,
        **extra,
    }


def filtered_orders(request):
    """The order list's queryset and its filters, from the query string (400 on bad)."""
    queryset = access.cooperative_orders_for(request.user)
    queryset, producer, producers = _producer_filter(request, queryset)
    status = request.GET.get("trang_thai", "").strip()
    if status:
        if status not in CooperativeOrderStatus.values:
            raise BadRequest("Trạng thái không hợp lệ.")
        queryset = queryset.filter(status=status)
    date_from, date_to = date_param(request.GET, "tu_ngay"), date_param(request.GET, "den_ngay")
    if date_from:
        queryset = queryset.filter(created_at__date__gte=date_from)
    if date_to:
        queryset = queryset.filter(created_at__date__lte=date_to)
    search = request.GET.get("q", "").strip()
    if len(search) > MAX_SEARCH:
        raise BadRequest("Từ khoá tìm kiếm quá dài.")
    if has_nul(search):
        raise BadRequest("Từ khoá tìm kiếm không được chứa ký tự NUL (\\x00).")
    phone = normalise_phone(search) if search else None
    if phone:
        # A whole phone number, however it is typed: the parts' indexed copy, exactly
        # (a LIKE over four columns and the lines took 1.4 s at 130,000 parts).
        queryset = queryset.filter(customer_phone=phone)
    elif search:
        matches = (
            Q(number__icontains=search)
            | Q(customer_name__icontains=search)
            | Q(customer_email__icontains=search)
            | Q(customer_phone__icontains=search)
        )
        lines = CooperativeOrderLine.objects.filter(
            Q(product_name__icontains=search) | Q(sku__icontains=search)
        )
        if (ids := access.producer_ids(request.user)) is not None:
            # A member's search reads their cooperatives' lines, not every line of the shop.
            lines = lines.filter(cooperative_order__producer_id__in=ids)
        line_orders = lines.values("cooperative_order_id")
        queryset = queryset.filter(matches | Q(pk__in=line_orders))
    # Platform staff's queue: orders flagged when a part was rejected or cancelled.
    attention = access.sees_all(request.user) and request.GET.get("can_xu_ly") == "1"
    if attention:
        queryset = queryset.filter(order__routing__needs_attention=True)
    filters = {
        "htx": producer.pk if producer else "",
        "can_xu_ly": "1" if attention else "",
        "trang_thai": status,
        "tu_ngay": date_from.isoformat() if date_from else "",
        "den_ngay": date_to.isoformat() if date_to else "",
        "q": search,
    }
    return queryset.order_by("-created_at", "-id"), filters, producers, producer


# -- orders ---------------------------------------------------------------------------


@portal_view
def home(request):
    return redirect("portal:order_list")


@portal_view
def order_list(request):
    queryset, filters, producers, producer = filtered_orders(request)
    page_number = number_param(request.GET, "trang") or 1
    paginator = Paginator(
        queryset.select_related("producer").only(*LIST_FIELDS),
        PAGE_SIZE,
    )
    try:
        page = paginator.page(page_number)
    except EmptyPage:
        raise Http404("Trang không tồn tại.") from None
    query = urlencode({k: v for k, v in filters.items() if v})
    money = parcels.parts_money(page.object_list)
    # Read for the page's rows only: as an annotation, the join made every page's COUNT
    # read the routing of all 130,000 parts (bench/backoffice_lists.py).
    flagged = (
        set(
            OrderRouting.objects.filter(
                order_id__in=[co.order_id for co in page.object_list], needs_attention=True
            ).values_list("order_id", flat=True)
        )
        if access.sees_all(request.user)
        else set()
    )
    for co in page.object_list:
        co.money = money[co.pk]
        co.needs_attention = co.order_id in flagged
    return TemplateResponse(
        request,
        "portal/order_list.html",
        _context(
            request,
            page=page,
            filters=filters,
            query=query,
            producers=producers,
            producer=producer,
            statuses=CooperativeOrderStatus.choices,
        ),
    )


def _visible_order(request, pk: int) -> CooperativeOrder:
    cooperative_order = (
        access.cooperative_orders_for(request.user)
        .select_related("producer", "order__shipping_address", "fulfillment", "refund")
        .prefetch_related(
            Prefetch("lines", queryset=CooperativeOrderLine.objects.order_by("pk")), "events"
        )
        .filter(pk=pk)
        .first()
    )
    if cooperative_order is None:
        raise Http404("Không tìm thấy đơn hàng.")
    return cooperative_order


def _refund_of(cooperative_order):
    try:
        return cooperative_order.refund
    except CooperativeOrder.refund.RelatedObjectDoesNotExist:
        return None


def _detail_page(request, cooperative_order, error: str | None = None, status: int = 200):
    return TemplateResponse(
        request,
        "portal/order_detail.html",
        _context(
            request,
            co=cooperative_order,
            money=parcels.parts_money([cooperative_order])[cooperative_order.pk],
            refund=_refund_of(cooperative_order),
            today=timezone.localdate(),
            address=cooperative_order.order.shipping_address,
            actions=lifecycle.actions_for(request.user, cooperative_order),
            attention=lifecycle.attention_for(request.user, cooperative_order),
            error=error,
        ),
        status=status,
    )


@portal_view
def order_detail(request, pk: int):
    return _detail_page(request, _visible_order(request, pk))


ACTIONS = {
    "nhan": ("accept", lambda user, pk, post: lifecycle.accept(user, pk)),
    "dong-goi": ("pack", lambda user, pk, post: lifecycle.pack(user, pk)),
    "giao-van-chuyen": (
        "ship",
        lambda user, pk, post: lifecycle.ship(
            user, pk, post.get("carrier", ""), post.get("tracking_number", "")
        ),
    ),
    "da-giao": (
        "deliver",
        lambda user, pk, post: lifecycle.deliver(
            user, pk, post.get("delivered_on", ""), post.get("note", "")
        ),
    ),
    "tu-choi": ("reject", lambda user, pk, post: lifecycle.reject(user, pk, post.get("reason"))),
    "huy": ("cancel", lambda user, pk, post: lifecycle.cancel(user, pk, post.get("reason"))),
    "da-xu-ly": (
        "resolve",
        lambda user, pk, post: lifecycle.resolve_attention(user, pk, post.get("reason")),
    ),
    "da-hoan-tien": (
        "refund",
        lambda user, pk, post: refunds.record_bank_refund(user, pk, post.get("reference", "")),
    ),
}
ACTION_SLUGS = {action: slug for slug, (action, _) in ACTIONS.items()}


@portal_view
def order_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404("Thao tác không tồn tại.")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    cooperative_order = _visible_order(request, pk)  # 404 before anything else
    _, perform = ACTIONS[action]
    try:
        perform(request.user, cooperative_order.pk, request.POST)
    except lifecycle.NotFound:
        raise Http404("Không tìm thấy đơn hàng.") from None
    except DomainError as error:
        if error.code == "not_found":
            raise Http404("Không tìm thấy đơn hàng.") from None
        status = 403 if error.code == "forbidden" else 400
        return _detail_page(request, _visible_order(request, pk), error.message, status)
    return redirect("portal:order_detail", pk=pk)


def packing_slip_html(cooperative_order) -> str:
    """The slip as HTML (the PDF is WeasyPrint's rendering of it): sender, receiver,
    lines, and what the courier collects."""
    return render_to_string(
        "portal/packing_slip.html",
        {
            "co": cooperative_order,
            "money": parcels.parts_money([cooperative_order])[cooperative_order.pk],
            "lines": _slip_lines(cooperative_order),
            "address": cooperative_order.order.shipping_address,
            "printed_at": timezone.localtime(),
        },
    )


@portal_view
def packing_slip(request, pk: int):
    from weasyprint import HTML

    cooperative_order = _visible_order(request, pk)
    html = packing_slip_html(cooperative_order)
    pdf = HTML(string=html).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="phieu-dong-goi-{cooperative_order.number}.pdf"'
    )
    return response


def _slip_lines(cooperative_order) -> list[dict]:
    """Each line with its product's verification page (URL and a QR code to scan)."""
    rows = cooperative_order.lines.values_list(
        "product_name", "sku", "quantity", "order_line__variant__product__ocop__id"
    )
    lines = []
    for name, sku, quantity, ocop_product_id in rows:
        url, code_svg = "", ""
        if ocop_product_id:
            path = reverse("verification:product", args=[product_code(ocop_product_id)])
            url = links.absolute_url(path)
            code_svg = mark_safe(qr.svg_for_print(url, 16.0)[0])
        lines.append({"name": name, "sku": sku, "quantity": quantity, "url": url, "qr": code_svg})
    return lines


ORDER_CSV_HEADER = [
    "Mã đơn HTX", "Đơn gốc", "Ngày đặt", "Trạng thái", "Hợp tác xã", "Khách hàng",
    "Điện thoại", "Email", "Địa chỉ giao", "Sản phẩm", "Tiền hàng (VND)",
    "Phí vận chuyển (VND)", "Tổng (VND)", "Đơn vị vận chuyển", "Mã vận đơn",
    "Thanh toán", "Trạng thái thanh toán", "Thu hộ (VND)",
]  # fmt: skip


def _address_text(address) -> str:
    if address is None:
        return ""
    parts = [
        address.street_address_1, address.street_address_2, address.city_area,
        address.city, address.country_area,
    ]  # fmt: skip
    return ", ".join(p for p in parts if p)


@portal_view
def order_export(request):
    queryset, *_ = filtered_orders(request)
    queryset = queryset.select_related("producer", "order__shipping_address").prefetch_related(
        Prefetch("lines", queryset=CooperativeOrderLine.objects.order_by("pk"))
    )
    rows = _export_rows(queryset)
    response = HttpResponse(
        spreadsheets.write_csv(ORDER_CSV_HEADER, rows), content_type="text/csv; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="don-hang-htx-{stamp}.csv"'
    return response


def _export_rows(queryset):
    """Rows in pages of 500 (iterator() would drop the prefetch in Django 3.1)."""
    ids = list(queryset.values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        chunk = {co.pk: co for co in queryset.filter(pk__in=ids[start : start + 500])}
        money = parcels.parts_money(chunk.values())
        for pk in ids[start : start + 500]:
            co = chunk[pk]
            yield [
                co.number,
                co.order_id,
                timezone.localtime(co.created_at).strftime("%Y-%m-%d %H:%M"),
                co.get_status_display(),
                co.producer.name,
                co.customer_name,
                co.customer_phone,
                co.customer_email,
                _address_text(co.order.shipping_address),
                "; ".join(f"{line.product_name} x {line.quantity}" for line in co.lines.all()),
                int(co.subtotal_amount),
                int(co.shipping_amount),
                int(co.total_amount),
                co.carrier,
                co.tracking_number,
                money[pk].method,
                money[pk].status,
                int(money[pk].cash_to_collect),
            ]


# -- listings -------------------------------------------------------------------------


@portal_view
def listing_list(request):
    return listing_page(request)


def listing_page(request, *, error: str | None = None, error_id: int | None = None):
    """The products a cooperative sells, a page at a time (platform staff see all 15,000
    products: a page is read by id, then its listings in a fixed few queries). After a
    refused quick edit, only that product, with the refusal on its card (400)."""
    queryset, producer, producers = _producer_filter(request, access.listings_for(request.user))
    if error_id is not None:
        queryset, page = queryset.filter(pk=error_id), None
        shown = queryset
    else:
        ids = queryset.order_by("product__name", "pk").values_list("pk", flat=True)
        try:
            page = Paginator(ids, PAGE_SIZE).page(number_param(request.GET, "trang") or 1)
        except EmptyPage:
            raise Http404("Trang không tồn tại / No such page.") from None
        shown = access.listings_for(request.user).filter(pk__in=list(page.object_list))
    return TemplateResponse(
        request,
        "portal/listing_list.html",
        _context(
            request,
            listings=listings.listings(shown),
            page=page,
            query=urlencode({"htx": producer.pk}) if producer else "",
            producer=producer,
            producers=producers,
            error=error,
            error_id=error_id,
        ),
        status=400 if error else 200,
    )


# -- settlement -----------------------------------------------------------------------


def _statement_entries(request):
    queryset, producer, producers = _producer_filter(request, access.ledger_for(request.user))
    return queryset.select_related("cooperative_order", "payout_batch"), producer, producers


@portal_view
def statement(request):
    entries, producer, producers = _statement_entries(request)
    page_number = number_param(request.GET, "trang") or 1
    paginator = Paginator(entries.order_by("-created_at", "-id"), 50)
    try:
        page = paginator.page(page_number)
    except EmptyPage:
        raise Http404("Trang không tồn tại.") from None
    payouts_queryset, _, _ = _producer_filter(request, access.payouts_for(request.user))
    payouts = payouts_queryset.select_related("batch", "producer").order_by("-batch__created_at")
    return TemplateResponse(
        request,
        "portal/statement.html",
        _context(
            request,
            page=page,
            producer=producer,
            producers=producers,
            totals=settlement.totals(entries),
            unpaid=settlement.unpaid_net(entries),
            payouts=payouts[:20],
            query=urlencode({"htx": producer.pk}) if producer else "",
        ),
    )


STATEMENT_CSV_HEADER = [
    "Ngày", "Hợp tác xã", "Mã đơn HTX", "Loại", "Tiền hàng (VND)", "Tỷ lệ hoa hồng (%)",
    "Hoa hồng (VND)", "Phí vận chuyển (VND)", "Thực nhận (VND)", "Đợt chi trả", "Lý do",
]  # fmt: skip


@portal_view
def statement_export(request):
    entries, _, _ = _statement_entries(request)
    rows = (
        [
            timezone.localtime(e.created_at).strftime("%Y-%m-%d %H:%M"),
            e.producer.name,
            e.cooperative_order.number,
            e.get_kind_display(),
            int(e.gross_amount),
            format(e.commission_rate_percent.normalize(), "f"),
            int(e.commission_amount),
            int(e.shipping_amount),
            int(e.net_amount),
            e.payout_batch.reference if e.payout_batch else "",
            e.reason,
        ]
        for e in entries.select_related("producer").order_by("created_at", "id")
    )
    response = HttpResponse(
        spreadsheets.write_csv(STATEMENT_CSV_HEADER, rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="doi-soat-htx.csv"'
    return response
