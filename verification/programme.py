"""A province's OCOP programme at a glance (the programme page and its CSV): certified
products by stars and commune; certified vs listed online vs selling, against the
province's target; online orders and revenue by month, product, cooperative and commune;
expiring and expired certificates; stamp checks and fake reports.

Scoped like the fairs: ``province_codes`` is what the user may see (None: every
province). Money is the cooperative orders' goods + shipping share, whole đồng;
rejected and cancelled parts count no revenue. A fixed number of grouped queries.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from marketplace.certification import valid_on
from marketplace.models import CooperativeOrder, CooperativeOrderLine, OcopProduct
from verification.models import FakeReport, ProvinceTarget, StampCheck

EXPIRING_DAYS = 90
SELLING_DAYS = 365
NO_REVENUE = (CooperativeOrder.Status.REJECTED, CooperativeOrder.Status.CANCELLED)
CSV_HEADER = ["Mục / Section", "Khoá / Key", "Giá trị / Value", "Doanh thu / Revenue (VND)"]


@dataclass
class Programme:
    province_codes: list[str] | None
    by_stars: dict[int, int] = field(default_factory=dict)
    by_commune: list[tuple[str, int]] = field(default_factory=list)
    certified: int = 0
    listed: int = 0
    selling: int = 0
    target: int | None = None
    by_month: list[tuple[str, int, int]] = field(default_factory=list)
    by_product: list[tuple[str, int, int]] = field(default_factory=list)
    by_cooperative: list[tuple[str, int, int]] = field(default_factory=list)
    by_order_commune: list[tuple[str, int, int]] = field(default_factory=list)
    expiring: int = 0
    expired: int = 0
    revoked: int = 0
    checks: int = 0
    forged_checks: int = 0
    open_reports: int = 0
    resolved_reports: int = 0

    @property
    def target_percent(self) -> int | None:
        if not self.target:
            return None
        return round(100 * self.listed / self.target)


def _scope(queryset, codes: list[str] | None, field_name: str):
    return queryset if codes is None else queryset.filter(**{f"{field_name}__in": codes})


def _rows(queryset, key: str) -> list[tuple[str, int, int]]:
    return [(row[key] or "—", row["orders"], int(row["revenue"] or 0)) for row in queryset]


def build(province_codes: list[str] | None, today: datetime.date | None = None) -> Programme:
    today = today or timezone.localdate()
    data = Programme(province_codes)
    products = _scope(OcopProduct.objects.all(), province_codes, "producer__province_code")
    certified = products.filter(valid_on(today))
    data.by_stars = dict(
        certified.values_list("current_certificate__stars")
        .annotate(n=Count("id"))
        .order_by("current_certificate__stars")
    )
    data.by_commune = list(
        certified.values_list("current_certificate__commune_name")
        .annotate(n=Count("id"))
        .order_by("-n", "current_certificate__commune_name")[:50]
    )
    data.certified = sum(data.by_stars.values())
    data.listed = certified.filter(product__is_published=True).count()
    since = timezone.now() - datetime.timedelta(days=SELLING_DAYS)
    data.selling = (
        certified.filter(
            product__variants__order_lines__cooperative_line__cooperative_order__created_at__gte=since
        )
        .exclude(
            product__variants__order_lines__cooperative_line__cooperative_order__status__in=NO_REVENUE
        )
        .distinct()
        .count()
    )
    if province_codes is not None and len(province_codes) == 1:
        target = ProvinceTarget.objects.filter(province_code=province_codes[0]).first()
        data.target = target.products_online if target else None
    orders = _scope(
        CooperativeOrder.objects.exclude(status__in=NO_REVENUE),
        province_codes,
        "producer__province_code",
    )
    revenue = Sum(F("subtotal_amount") + F("shipping_amount"))
    data.by_month = [
        (row["month"].strftime("%m/%Y"), row["orders"], int(row["revenue"] or 0))
        for row in orders.annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(orders=Count("id"), revenue=revenue)
        .order_by("month")
    ]
    data.by_cooperative = _rows(
        orders.values("producer__name")
        .annotate(orders=Count("id"), revenue=revenue)
        .order_by("-revenue", "producer__name")[:50],
        "producer__name",
    )
    data.by_order_commune = _rows(
        orders.values("producer__commune_name")
        .annotate(orders=Count("id"), revenue=revenue)
        .order_by("-revenue", "producer__commune_name")[:50],
        "producer__commune_name",
    )
    lines = _scope(
        CooperativeOrderLine.objects.exclude(cooperative_order__status__in=NO_REVENUE),
        province_codes,
        "cooperative_order__producer__province_code",
    )
    data.by_product = _rows(
        lines.values("product_name")
        .annotate(orders=Count("cooperative_order", distinct=True), revenue=Sum("total_amount"))
        .order_by("-revenue", "product_name")[:50],
        "product_name",
    )
    current = products.filter(current_certificate__isnull=False)
    horizon = today + datetime.timedelta(days=EXPIRING_DAYS)
    counts = current.aggregate(
        expiring=Count(
            "id",
            filter=Q(current_certificate__expiry_date__gte=today,
                     current_certificate__expiry_date__lte=horizon,
                     current_certificate__revoked_on__isnull=True),
        ),
        expired=Count("id", filter=Q(current_certificate__expiry_date__lt=today,
                                     current_certificate__revoked_on__isnull=True)),
        revoked=Count("id", filter=Q(current_certificate__revoked_on__isnull=False)),
    )  # fmt: skip
    data.expiring, data.expired, data.revoked = (
        counts["expiring"], counts["expired"], counts["revoked"],
    )  # fmt: skip
    checks = _scope(
        StampCheck.objects.filter(checked_at__gte=timezone.now() - datetime.timedelta(days=30)),
        province_codes,
        "ocop_product__producer__province_code",
    ).aggregate(all=Count("id"), forged=Count("id", filter=Q(genuine=False)))
    data.checks, data.forged_checks = checks["all"], checks["forged"]
    reports = _scope(FakeReport.objects.all(), province_codes, "province_code").aggregate(
        open=Count("id", filter=Q(status=FakeReport.Status.OPEN)),
        resolved=Count("id", filter=Q(status=FakeReport.Status.RESOLVED)),
    )
    data.open_reports, data.resolved_reports = reports["open"], reports["resolved"]
    return data


def csv_rows(data: Programme) -> list[list[object]]:
    rows: list[list[object]] = []
    for stars, count in data.by_stars.items():
        rows.append(["Sản phẩm theo sao / Products by stars", f"{stars} sao", count, ""])
    for commune, count in data.by_commune:
        rows.append(["Sản phẩm theo xã / Products by commune", commune or "—", count, ""])
    rows += [
        ["Chương trình / Programme", "Được chứng nhận / Certified", data.certified, ""],
        ["Chương trình / Programme", "Đang bán trực tuyến / Listed online", data.listed, ""],
        ["Chương trình / Programme", "Có đơn hàng / Selling", data.selling, ""],
        ["Chương trình / Programme", "Mục tiêu / Target", data.target or "", ""],
        ["Chứng nhận / Certificates", "Sắp hết hạn / Expiring", data.expiring, ""],
        ["Chứng nhận / Certificates", "Hết hạn / Expired", data.expired, ""],
        ["Chứng nhận / Certificates", "Bị thu hồi / Revoked", data.revoked, ""],
        ["Xác minh / Verification", "Lượt quét (30 ngày) / Checks", data.checks, ""],
        ["Xác minh / Verification", "Tem không hợp lệ / Not genuine", data.forged_checks, ""],
        ["Xác minh / Verification", "Báo cáo chờ xử lý / Open reports", data.open_reports, ""],
    ]
    for section, items in (
        ("Theo tháng / By month", data.by_month),
        ("Theo sản phẩm / By product", data.by_product),
        ("Theo HTX / By cooperative", data.by_cooperative),
        ("Theo xã / By commune", data.by_order_commune),
    ):
        for key, orders, revenue in items:
            rows.append([section, key, orders, revenue])
    return rows


def set_target(province_code: str, products_online: int, user=None) -> ProvinceTarget:
    target, _ = ProvinceTarget.objects.update_or_create(
        province_code=province_code,
        defaults={
            "products_online": products_online,
            "updated_at": timezone.now(),
            "updated_by": user if getattr(user, "pk", None) else None,
        },
    )
    return target
