"""What a fair brought: visits, unique visitors, carts, orders and revenue — in total,
by day, by booth, by cooperative and by product — for the page and the CSV.

Money comes from Saleor's orders themselves (``Order.total_gross_amount``, the lines'
gross unit price × quantity), read when the report is made, so the report reconciles
with the orders in Saleor: revenue = goods + shipping − discounts, order by order.
Cancelled orders stay credited but are counted apart and add no revenue. A fixed number
of grouped queries, whatever the number of visits and orders.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, DecimalField, F, Sum, Value
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from fairs.models import Booth, Fair, FairCart, FairOrder, FairProduct, FairVisit
from marketplace import ports
from marketplace.models import Producer

ZERO = Decimal(0)
MAX_DAYS = 731  # a chart longer than two years says nothing more
NO_BOOTH = "Cả hội chợ (không qua gian hàng) / Whole fair (no booth)"


@dataclass
class Row:
    key: str
    label: str
    visits: int = 0
    visitors: int = 0
    carts: int = 0
    orders: int = 0
    units: int = 0
    revenue: Decimal = ZERO
    featured: bool = True


@dataclass
class Totals:
    visits: int = 0
    visitors: int = 0
    carts: int = 0
    orders: int = 0
    cancelled_orders: int = 0
    goods: Decimal = ZERO
    shipping: Decimal = ZERO
    discount: Decimal = ZERO
    revenue: Decimal = ZERO

    @property
    def conversion_percent(self) -> Decimal:
        """Orders per unique visitor, in per cent (one decimal)."""
        if not self.visitors:
            return ZERO
        return (Decimal(self.orders) * 100 / self.visitors).quantize(Decimal("0.1"))


@dataclass
class FairReport:
    fair: Fair
    totals: Totals
    by_day: list[Row] = field(default_factory=list)
    by_booth: list[Row] = field(default_factory=list)
    by_cooperative: list[Row] = field(default_factory=list)
    by_product: list[Row] = field(default_factory=list)
    orders: list[dict] = field(default_factory=list)


def _tz():
    return timezone.get_current_timezone()


def _counted_orders(fair: Fair):
    """The fair's credited orders that count: neither cancelled nor draft."""
    statuses = ports.orders().statuses()
    return FairOrder.objects.filter(fair=fair).exclude(
        order__status__in=[statuses.cancelled, statuses.draft]
    )


def _money(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal(1))


def build_report(fair: Fair) -> FairReport:
    visits = FairVisit.objects.filter(fair=fair)
    carts = FairCart.objects.filter(fair=fair)
    credited = FairOrder.objects.filter(fair=fair)
    counted = _counted_orders(fair)

    totals = Totals(
        **visits.aggregate(visits=Count("pk"), visitors=Count("visitor_id", distinct=True)),
        carts=carts.count(),
        cancelled_orders=credited.filter(order__status=ports.orders().statuses().cancelled).count(),
    )
    money = counted.aggregate(
        orders=Count("pk"),
        revenue=Sum("order__total_gross_amount"),
        shipping=Sum("order__shipping_price_gross_amount"),
        discount=Sum("order__discount_amount"),
    )
    totals.orders = money["orders"]
    totals.revenue = _money(money["revenue"])
    totals.shipping = _money(money["shipping"])
    totals.discount = _money(money["discount"])

    # The order lines of the counted orders, reached through each credit's order.
    lines = counted.values(
        product_id=F("order__lines__variant__product_id"),
        producer_id=F("order__lines__variant__product__ocop__producer_id"),
        name=F("order__lines__product_name"),
    ).annotate(
        units=Sum("order__lines__quantity"),
        goods=Sum(
            F("order__lines__unit_price_gross_amount") * F("order__lines__quantity"),
            output_field=DecimalField(max_digits=20, decimal_places=2),
        ),
        order_count=Count("order_id", distinct=True),
    )
    # (an order without lines joins as one empty row: left out)
    lines = [line for line in lines if line["units"] is not None]
    totals.goods = _money(sum((line["goods"] for line in lines), ZERO))

    return FairReport(
        fair=fair,
        totals=totals,
        by_day=_by_day(fair, visits, carts, counted),
        by_booth=_by_booth(fair, visits, carts, counted),
        by_cooperative=_by_cooperative(fair, visits, lines, counted),
        by_product=_by_product(fair, visits, lines),
        orders=order_rows(fair),
    )


def _by_day(fair, visits, carts, counted) -> list[Row]:
    rows: dict[datetime.date, Row] = {}

    def row(day: datetime.date) -> Row:
        if day not in rows:
            rows[day] = Row(key=day.isoformat(), label=day.strftime("%d/%m/%Y"))
        return rows[day]

    for item in (
        visits.annotate(day=TruncDate("created_at", tzinfo=_tz()))
        .values("day")
        .annotate(n=Count("pk"), people=Count("visitor_id", distinct=True))
    ):
        row(item["day"]).visits, row(item["day"]).visitors = item["n"], item["people"]
    for item in (
        carts.annotate(day=TruncDate("created_at", tzinfo=_tz()))
        .values("day")
        .annotate(n=Count("pk"))
    ):
        row(item["day"]).carts = item["n"]
    for item in (
        counted.annotate(day=TruncDate("order__created", tzinfo=_tz()))
        .values("day")
        .annotate(n=Count("pk"), revenue=Sum("order__total_gross_amount"))
    ):
        row(item["day"]).orders = item["n"]
        row(item["day"]).revenue = _money(item["revenue"])
    if not rows:
        return []
    # Every day from the first to the last, so the chart's gaps are real days.
    first = min(min(rows), fair.starts_on)
    last = max(max(rows), fair.ends_on)
    if (last - first).days >= MAX_DAYS:
        first = last - datetime.timedelta(days=MAX_DAYS - 1)
    return [row(first + datetime.timedelta(days=n)) for n in range((last - first).days + 1)]


def _by_booth(fair, visits, carts, counted) -> list[Row]:
    rows = {None: Row(key="", label=NO_BOOTH)}
    for booth in Booth.objects.filter(fair=fair):
        rows[booth.pk] = Row(key=booth.slug, label=str(booth))
    for item in visits.values("booth_id").annotate(
        n=Count("pk"), people=Count("visitor_id", distinct=True)
    ):
        target = rows.get(item["booth_id"])
        if target is not None:
            target.visits, target.visitors = item["n"], item["people"]
    for item in carts.values("booth_id").annotate(n=Count("pk")):
        if item["booth_id"] in rows:
            rows[item["booth_id"]].carts = item["n"]
    for item in counted.values("booth_id").annotate(
        n=Count("pk"), revenue=Sum("order__total_gross_amount")
    ):
        if item["booth_id"] in rows:
            rows[item["booth_id"]].orders = item["n"]
            rows[item["booth_id"]].revenue = _money(item["revenue"])
    booths = [r for key, r in rows.items() if key is not None]
    whole_fair = rows[None]
    return [*booths, whole_fair] if (whole_fair.visits or whole_fair.orders) else booths


def _by_cooperative(fair, visits, lines, counted) -> list[Row]:
    participating = list(fair.cooperatives.all())
    rows = {p.pk: Row(key=str(p.pk), label=p.name) for p in participating}
    # A visit counts for the cooperative whose product or booth link was opened.
    for item in (
        visits.annotate(
            producer=Coalesce("fair_product__ocop_product__producer_id", "booth__producer_id")
        )
        .exclude(producer=None)
        .values("producer")
        .annotate(n=Count("pk"), people=Count("visitor_id", distinct=True))
    ):
        target = _producer_row(rows, item["producer"])
        target.visits, target.visitors = item["n"], item["people"]
    orders_by_producer = (
        counted.filter(order__lines__variant__product__ocop__producer_id__isnull=False)
        .values(producer=F("order__lines__variant__product__ocop__producer_id"))
        .annotate(n=Count("order_id", distinct=True))
    )
    for item in orders_by_producer:
        _producer_row(rows, item["producer"]).orders = item["n"]
    for line in lines:
        if line["producer_id"] is None:
            continue
        target = _producer_row(rows, line["producer_id"])
        target.units += line["units"]
        target.revenue += _money(line["goods"])
    missing = [pk for pk, r in rows.items() if not r.label]
    for producer in Producer.objects.filter(pk__in=missing):
        rows[producer.pk].label = producer.name
        rows[producer.pk].featured = False
    return sorted(rows.values(), key=lambda r: (-r.revenue, r.label))


def _producer_row(rows: dict, producer_id: int) -> Row:
    if producer_id not in rows:
        rows[producer_id] = Row(key=str(producer_id), label="")
    return rows[producer_id]


def _by_product(fair, visits, lines) -> list[Row]:
    featured = list(FairProduct.objects.filter(fair=fair).select_related("ocop_product__product"))
    rows: dict[object, Row] = {
        fp.ocop_product.product_id: Row(key=fp.slug, label=fp.ocop_product.product.name)
        for fp in featured
    }
    by_fair_product = {fp.pk: fp.ocop_product.product_id for fp in featured}
    for item in (
        visits.exclude(fair_product=None)
        .values("fair_product_id")
        .annotate(n=Count("pk"), people=Count("visitor_id", distinct=True))
    ):
        target = rows[by_fair_product[item["fair_product_id"]]]
        target.visits, target.visitors = item["n"], item["people"]
    others: dict[object, Row] = {}
    for line in lines:
        key = line["product_id"] if line["product_id"] is not None else line["name"]
        target = rows.get(key)
        if target is None:
            target = others.setdefault(key, Row(key="", label=line["name"], featured=False))
        target.units += line["units"]
        target.orders += line["order_count"]
        target.revenue += _money(line["goods"])
    ranked = sorted(rows.values(), key=lambda r: (-r.revenue, r.label))
    return ranked + sorted(others.values(), key=lambda r: (-r.revenue, r.label))


ORDER_STATUS_LABELS = {
    "draft": "Nháp / Draft",
    "unfulfilled": "Chưa giao / Unfulfilled",
    "partially fulfilled": "Giao một phần / Partially fulfilled",
    "fulfilled": "Đã giao / Fulfilled",
    "canceled": "Đã huỷ / Cancelled",
}


def order_rows(fair: Fair) -> list[dict]:
    """Every credited order, for reconciliation with Saleor order by order."""
    rows = list(
        FairOrder.objects.filter(fair=fair)
        .annotate(
            number=F("order_id"),
            created=F("order__created"),
            status=F("order__status"),
            total=Coalesce(
                "order__total_gross_amount",
                Value(ZERO),
                output_field=DecimalField(max_digits=20, decimal_places=2),
            ),
            booth_label=F("booth__name"),
            booth_code=F("booth__code"),
        )
        .values("number", "created", "status", "total", "booth_label", "booth_code", "visited_at")
        .order_by("created", "number")
    )
    for row in rows:
        row["status_label"] = ORDER_STATUS_LABELS.get(row["status"], row["status"])
    return rows


# -- CSV ------------------------------------------------------------------------------

CSV_HEADER = [
    "Bảng / Table", "Khóa / Key", "Tên / Name", "Lượt truy cập / Visits",
    "Khách duy nhất / Unique visitors", "Giỏ hàng / Carts", "Đơn hàng / Orders",
    "Số lượng / Units", "Doanh thu (VND) / Revenue (VND)",
]  # fmt: skip
ORDERS_CSV_HEADER = [
    "Mã đơn / Order", "Thời gian đặt / Placed at", "Trạng thái / Status",
    "Gian hàng / Booth", "Thời gian truy cập / Visited at", "Tổng tiền (VND) / Total (VND)",
]  # fmt: skip


def csv_rows(report: FairReport):
    t = report.totals
    yield ["tong / total", "", report.fair.name, t.visits, t.visitors, t.carts, t.orders, "",
           int(t.revenue)]  # fmt: skip
    yield ["tong / total", "tien-hang / goods", "", "", "", "", "", "", int(t.goods)]
    yield ["tong / total", "van-chuyen / shipping", "", "", "", "", "", "", int(t.shipping)]
    yield ["tong / total", "giam-gia / discount", "", "", "", "", "", "", int(t.discount)]
    yield ["tong / total", "don-huy / cancelled", "", "", "", "", t.cancelled_orders, "", ""]
    for table, rows in (
        ("ngay / day", report.by_day),
        ("gian-hang / booth", report.by_booth),
        ("hop-tac-xa / cooperative", report.by_cooperative),
        ("san-pham / product", report.by_product),
    ):
        for r in rows:
            yield [table, r.key, r.label, r.visits, r.visitors, r.carts, r.orders, r.units,
                   int(r.revenue)]  # fmt: skip


def order_csv_rows(orders: list[dict]):
    for order in orders:
        booth = f"{order['booth_code'] or ''} {order['booth_label'] or ''}".strip()
        yield [
            order["number"],
            timezone.localtime(order["created"]).strftime("%Y-%m-%d %H:%M"),
            order["status"],
            booth,
            timezone.localtime(order["visited_at"]).strftime("%Y-%m-%d %H:%M"),
            int(order["total"]),
        ]
