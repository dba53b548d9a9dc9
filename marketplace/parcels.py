"""What an order looks like parcel by parcel: the shopper's order page (and, reused, an
account's order history) and the cooperative portal's view of the money.

``order_views(order_ids)`` builds everything a page shows about those orders in a fixed
number of queries whatever the number of parcels (the parts with their producer and
refund, their lines, the payments, the refunds recorded): the template include
``storefront/includes/parcels.html`` renders one order's ``OrderView``.

Carriers' tracking pages are data (``CARRIERS``): a carrier typed as "Viettel Post",
"viettelpost" or "VIETTEL POST" links to the same page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote

from django.db.models import Prefetch, Sum

from common.money import whole
from common.text import compact_key
from marketplace import ports
from marketplace.models import (
    CooperativeOrder,
    CooperativeOrderLine,
    PartRefund,
    PaymentRecord,
)
from marketplace.models import CooperativeOrderStatus as S

# (what the typed carrier name contains, once folded to ASCII letters and digits; the
# carrier's name; its public tracking page, ``{number}`` the tracking number).
CARRIERS = (
    (("viettel",), "Viettel Post",
     "https://viettelpost.com.vn/tra-cuu-hanh-trinh-don/?orderNumber={number}"),
    (("ghn", "giaohangnhanh"), "GHN", "https://donhang.ghn.vn/?order_code={number}"),
    (("ghtk", "giaohangtietkiem"), "GHTK", "https://i.ghtk.vn/{number}"),
    (("vnpost", "buudien", "vietnampost", "ems"), "VNPost",
     "https://vnpost.vn/vi-vn/dinh-vi/buu-pham?key={number}"),
    (("jt", "jtexpress"), "J&T Express",
     "https://jtexpress.vn/vi/tracking?type=track&billcode={number}"),
    (("ninjavan",), "Ninja Van", "https://www.ninjavan.co/vi-vn/tracking?id={number}"),
    (("best", "bestexpress"), "BEST Express",
     "https://best-inc.vn/track?bills={number}"),
)  # fmt: skip


def tracking_url(carrier: str, tracking_number: str) -> str:
    """The carrier's own tracking page for this parcel, or "" for a carrier we do not
    know (the number is still shown)."""
    key = compact_key(carrier)
    if not key or not tracking_number:
        return ""
    for names, _name, template in CARRIERS:
        if key in names or any(len(name) > 3 and key.startswith(name) for name in names):
            return template.format(number=quote(tracking_number.strip(), safe=""))
    return ""


@dataclass
class Step:
    key: str  # placed, accepted, packed, shipped, delivered, rejected, cancelled
    at: object = None  # datetime or date; None: not yet
    done: bool = False


@dataclass
class Parcel:
    part: CooperativeOrder
    lines: list
    steps: list[Step]
    tracking_url: str
    refund: PartRefund | None
    closed: bool  # rejected or cancelled
    # Cash on delivery still to collect for this parcel (goods + shipping), else 0.
    cash_to_collect: Decimal = Decimal(0)

    @property
    def status(self) -> str:
        return self.part.status


@dataclass
class OrderView:
    order_id: int
    parcels: list[Parcel]
    payment: ports.PaymentState
    refunded: Decimal = Decimal(0)
    refunds_owed: list[PartRefund] = field(default_factory=list)  # bank details / transfer
    refunds_pending: list[PartRefund] = field(default_factory=list)  # through the gateway

    @property
    def due(self) -> Decimal:
        return self.payment.due

    @property
    def owed_total(self) -> Decimal:
        return sum((r.amount for r in self.refunds_owed), Decimal(0))

    @property
    def open_value(self) -> Decimal:
        """Goods + shipping of the parcels still coming (or delivered)."""
        return sum((whole(p.part.total_amount) for p in self.parcels if not p.closed), Decimal(0))


def _steps(part: CooperativeOrder) -> list[Step]:
    steps = [Step("placed", part.created_at, True)]
    progress = [
        ("accepted", part.accepted_at),
        ("packed", part.packed_at),
        ("shipped", part.shipped_at),
        ("delivered", part.delivered_on or part.delivered_at),
    ]
    if part.status in (S.REJECTED, S.CANCELLED):
        steps += [Step(key, at, True) for key, at in progress if at]
        steps.append(Step(part.status, part.closed_at, True))
        return steps
    return steps + [Step(key, at, at is not None) for key, at in progress]


def order_views(order_ids) -> dict[int, OrderView]:
    """Order id → its ``OrderView``, in four queries whatever the number of orders and
    parcels."""
    order_ids = list(order_ids)
    parts = (
        CooperativeOrder.objects.filter(order_id__in=order_ids)
        .select_related("producer", "refund")
        .prefetch_related(Prefetch("lines", queryset=CooperativeOrderLine.objects.order_by("pk")))
        .order_by("order_id", "number")
    )
    payments = ports.payments().payment_states(order_ids)
    refunded = dict(
        PaymentRecord.objects.filter(order_id__in=order_ids, kind=PaymentRecord.Kind.REFUND)
        .order_by()
        .values_list("order_id")
        .annotate(Sum("amount"))
    )
    views = {
        order_id: OrderView(order_id, [], payments[order_id], refunded.get(order_id, Decimal(0)))
        for order_id in order_ids
    }
    for part in parts:
        view = views[part.order_id]
        refund = getattr(part, "refund", None) if _has_refund(part) else None
        closed = part.status in (S.REJECTED, S.CANCELLED)
        parcel = Parcel(
            part=part,
            lines=list(part.lines.all()),
            steps=_steps(part),
            tracking_url=tracking_url(part.carrier, part.tracking_number),
            refund=refund,
            closed=closed,
        )
        cod_due = view.payment.kind == "cod" and view.payment.due > 0
        if cod_due and not closed and part.status != S.DELIVERED:
            parcel.cash_to_collect = whole(part.total_amount)
        if refund is not None:
            if refund.method == PartRefund.Method.BANK_TRANSFER and refund.status in (
                PartRefund.Status.AWAITING_DETAILS,
                PartRefund.Status.READY,
                PartRefund.Status.REFUNDING,
            ):
                view.refunds_owed.append(refund)
            elif refund.status in (PartRefund.Status.PENDING, PartRefund.Status.REFUNDING):
                view.refunds_pending.append(refund)
        view.parcels.append(parcel)
    return views


def _has_refund(part: CooperativeOrder) -> bool:
    try:
        return part.refund is not None
    except PartRefund.DoesNotExist:
        return False


def order_view(order_id: int) -> OrderView:
    return order_views([order_id])[order_id]


# -- the cooperative's view of a part's money (portal list, order page, packing slip) ---

METHOD_LABELS = {
    "cod": "Thanh toán khi nhận hàng (COD)",
    "transfer": "Chuyển khoản VietQR",
    "card": "Thẻ (Stripe)",
    "": "Chưa có thanh toán",
}


@dataclass(frozen=True)
class PartMoney:
    method: str  # Vietnamese label
    status: str  # "Đã thanh toán", "Chờ thanh toán", "Thu hộ 380.000 ₫" …
    cash_to_collect: Decimal  # COD: what the courier collects for this parcel
    awaiting_payment: bool  # a transfer not received: cannot be shipped (configurable)


def part_money(part: CooperativeOrder, state: ports.PaymentState, block_unpaid=True) -> PartMoney:
    from common.money import format_vnd

    method = METHOD_LABELS.get(state.kind, state.kind)
    closed = part.status in (S.REJECTED, S.CANCELLED)
    if closed:
        return PartMoney(method, "Không thu (phần đơn đã đóng)", Decimal(0), False)
    if state.kind == "cod" and state.due > 0 and part.status != S.DELIVERED:
        amount = whole(part.total_amount)
        return PartMoney(method, f"Thu hộ {format_vnd(amount)}", amount, False)
    if state.status in ("paid", "partly_refunded"):
        return PartMoney(method, "Đã thanh toán", Decimal(0), False)
    if state.status == "refunded":
        return PartMoney(method, "Đã hoàn tiền", Decimal(0), False)
    if state.kind == "transfer" and state.due > 0:
        return PartMoney(method, "Chờ thanh toán", Decimal(0), block_unpaid)
    if state.kind == "cod":
        return PartMoney(method, "Đã thu tiền", Decimal(0), False)
    return PartMoney(method, "Chưa thanh toán", Decimal(0), False)


def parts_money(parts) -> dict[int, PartMoney]:
    """Part id → its ``PartMoney``, with one query for all the parts' payments."""
    parts = list(parts)
    states = ports.payments().payment_states({p.order_id for p in parts})
    block = not ports.settings().marketplace_settings().ship_unpaid_transfers
    return {p.pk: part_money(p, states[p.order_id], block) for p in parts}
