"""Platform staff's first page (/quan-tri/hom-nay/): what needs someone today, each with
its count and the few oldest or newest items, linking to where it is dealt with.

Two queries per section (a count on an index, a short list) and one for the parts of
the listed orders: the page costs the same on a quiet day and on a busy one.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode

from backoffice.security import signed_in_area
from catalog_sync.models import ImportRun
from marketplace import access, ports
from marketplace.models import CooperativeOrder, OcopProduct, OrderRouting, PartRefund
from payments_vn.models import BankTransaction

SHOWN = 5  # items listed per section; the count says how many there are
NEW_ORDERS_HOURS = 24
EXPIRY_DAYS = 30  # the shorter of the certificate reminders' lead times
FAILED_IMPORT_DAYS = 7
# A refund the shop still owes: not yet given back (a failed one waits for staff too).
OWED = (
    PartRefund.Status.PENDING,
    PartRefund.Status.REFUNDING,
    PartRefund.Status.AWAITING_DETAILS,
    PartRefund.Status.READY,
    PartRefund.Status.FAILED,
)

staff_view = signed_in_area(
    may_enter=access.sees_all,
    refusal="Chỉ nhân viên sàn xem trang này / Only platform staff may see this page.",
)


@dataclass
class Section:
    key: str
    title: str
    count: int
    items: list = field(default_factory=list)
    url: str = ""  # where the whole list is handled


def _url(name: str, *args, query: dict | None = None) -> str:
    """The URL of a screen, "" while that screen is not routed (a section still shows
    its count without a link)."""
    try:
        url = reverse(name, args=args)
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode(query)}" if query else url


def _part_url(part_id: int) -> str:
    return reverse("portal:order_detail", args=[part_id])


def _parts_of(order_ids) -> dict[int, list[CooperativeOrder]]:
    """The cooperative parts of the listed orders, in one query."""
    parts = defaultdict(list)
    for part in (
        CooperativeOrder.objects.filter(order_id__in=set(order_ids))
        .select_related("producer")
        .only("pk", "number", "status", "order_id", "producer__name")
        .order_by("number")
    ):
        parts[part.order_id].append(part)
    return parts


def sections(now: datetime.datetime | None = None) -> list[Section]:
    now = now or timezone.now()
    today = timezone.localdate(now)
    settings = ports.settings().marketplace_settings()
    orders_url = reverse("portal:order_list")

    new_orders = OrderRouting.objects.filter(
        created_at__gte=now - datetime.timedelta(hours=NEW_ORDERS_HOURS)
    )
    recent = list(
        new_orders.order_by("-created_at", "-id").values("order_id", "created_at")[:SHOWN]
    )

    attention = OrderRouting.objects.filter(needs_attention=True)
    flagged = list(
        attention.order_by("created_at", "id").values("order_id", "created_at", "attention_reason")[
            :SHOWN
        ]
    )
    parts = _parts_of([row["order_id"] for row in recent + flagged])
    for row in recent + flagged:
        row["parts"] = [
            {"number": part.number, "producer": part.producer.name, "url": _part_url(part.pk)}
            for part in parts.get(row["order_id"], [])
        ]
        # The newest reason last: the first line says why it was flagged at first.
        reasons = row.get("attention_reason", "").splitlines()
        row["reason"] = reasons[-1] if reasons else ""

    hours = settings.acceptance_escalation_hours
    late = CooperativeOrder.objects.filter(
        status=CooperativeOrder.Status.NEW,
        created_at__lt=now - datetime.timedelta(hours=hours),
    )
    late_parts = [
        {
            "part": part,
            "url": _part_url(part.pk),
            "hours": int((now - part.created_at).total_seconds() // 3600),
        }
        for part in late.select_related("producer")
        .only("pk", "number", "created_at", "producer__name")
        .order_by("created_at", "id")[:SHOWN]
    ]

    review = BankTransaction.objects.filter(needs_review=True)
    owed = PartRefund.objects.filter(status__in=OWED)
    horizon = today + datetime.timedelta(days=EXPIRY_DAYS)
    expiring = OcopProduct.objects.filter(
        current_certificate__expiry_date__gte=today,
        current_certificate__expiry_date__lte=horizon,
        current_certificate__revoked_on__isnull=True,
    )
    failed = ImportRun.objects.filter(
        status=ImportRun.Status.FAILED,
        created_at__gte=now - datetime.timedelta(days=FAILED_IMPORT_DAYS),
    )
    return [
        Section(
            "new_orders",
            f"Đơn mới ({NEW_ORDERS_HOURS} giờ qua) / New orders (last {NEW_ORDERS_HOURS} hours)",
            new_orders.count(),
            recent,
            orders_url,
        ),
        Section(
            "late_acceptance",
            f"Chờ HTX nhận quá {hours} giờ / Waiting for acceptance over {hours} hours",
            late.count(),
            late_parts,
            _url("portal:order_list", query={"trang_thai": CooperativeOrder.Status.NEW}),
        ),
        Section(
            "attention",
            "Cần xử lý / Needs attention",
            attention.count(),
            flagged,
            _url("portal:order_list", query={"can_xu_ly": "1"}),
        ),
        Section(
            "transfers",
            "Chuyển khoản cần xem / Bank transfers to review",
            review.count(),
            [
                {"row": row, "url": reverse("backoffice-transfer", args=[row.pk])}
                for row in review.order_by("-booked_at", "-id")[:SHOWN]
            ],
            reverse("backoffice-transfers"),
        ),
        Section(
            "refunds",
            "Hoàn tiền còn nợ khách / Refunds owed",
            owed.count(),
            [
                {"refund": refund, "url": _part_url(refund.cooperative_order_id)}
                for refund in owed.select_related("cooperative_order__producer").order_by(
                    "created_at", "id"
                )[:SHOWN]
            ],
            _url("backoffice-refunds"),
        ),
        Section(
            "certificates",
            f"Chứng nhận hết hạn trong {EXPIRY_DAYS} ngày / Certificates expiring within "
            f"{EXPIRY_DAYS} days",
            expiring.count(),
            [
                {
                    "product": product,
                    "certificate": product.current_certificate,
                    "days_left": (product.current_certificate.expiry_date - today).days,
                }
                for product in expiring.select_related(
                    "current_certificate", "producer", "product"
                ).order_by("current_certificate__expiry_date", "pk")[:SHOWN]
            ],
            reverse("verification:certificates"),
        ),
        Section(
            "failed_imports",
            f"Lần nhập danh mục thất bại ({FAILED_IMPORT_DAYS} ngày qua) / Failed imports "
            f"(last {FAILED_IMPORT_DAYS} days)",
            failed.count(),
            [
                {"run": run, "url": _url("backoffice-import", run.pk)}
                for run in failed.only(
                    "pk", "original_name", "created_at", "error_code", "error_message"
                ).order_by("-created_at", "-id")[:SHOWN]
            ],
            _url("backoffice-imports"),
        ),
    ]


@staff_view
def today(request):
    return TemplateResponse(
        request,
        "backoffice/today.html",
        {"user": request.user, "sections": sections(), "shown": SHOWN},
    )
