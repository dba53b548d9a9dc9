"""The settlement ledger, and the customers' money held for each cooperative order.

Every delivered cooperative order gets one entry (goods, commission, shipping share,
net payable); refunds and cancellations after delivery are new, negative entries
(never edits: PostgreSQL refuses UPDATE and DELETE on the table, except marking an
entry paid once). So at any time:

    Σ gross of entries = Σ goods of delivered orders − Σ refunded goods.

Commission rate: the cooperative's own rate when set, else the OCOP plugin's
``commission_rate_percent``; the rate used is stored on each entry. Rounding is in
``common.money``; refund commission is computed on the cumulative refunded amount
(commission(refunded so far) − commission(refunded before)), so refunding an order in
parts gives back exactly the commission charged on it.

Payouts of what the ledger owes are in ``marketplace.payouts``.

Payments (the customers' money) are followed beside the ledger, per cooperative order,
in escrow entries written from Saleor's payment transactions (``record_payment_events``):

* a capture is split over the order's cooperative orders in proportion to their value
  not yet paid (goods + shipping share), and held in escrow;
* delivery moves the part's value (less any refund given before delivery) from escrow to
  the ledger, where it is earned and payable; a COD part delivered before its cash is
  collected goes negative in escrow until the capture brings it back to zero;
* a refund is split over the cooperative orders it names, or, when Saleor refunds an
  amount without lines, first over the parts rejected or cancelled, then in proportion
  to what each part still holds; on a delivered part it is a ledger refund (goods and
  shipping in proportion, commission given back), otherwise it leaves escrow;
* a void reverses the delivered parts of an order left without captured money (a COD
  parcel refused at the door after the cooperative marked it delivered).

Delivery and reversal only move money between the two, so for every order

    Σ (gross + shipping) of its ledger entries + Σ its escrow entries
        = Σ captured − Σ refunded

(``order_money(order_id).balanced``). Each Saleor transaction is recorded once: its
``PaymentRecord`` (unique key) is written in the same transaction as its entries, under
a lock on the order's cooperative orders.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum

from common.errors import DomainError
from common.money import commission, split_by_weight, whole
from marketplace import ports
from marketplace.models import (
    CooperativeOrder,
    CooperativeSettings,
    EscrowEntry,
    LedgerEntry,
    PaymentRecord,
    Producer,
)

logger = logging.getLogger(__name__)


class SettlementError(DomainError):
    """A refused settlement action (see ``common.errors.DomainError``)."""


def commission_rate(producer: Producer) -> Decimal:
    own = (
        CooperativeSettings.objects.filter(producer=producer)
        .values_list("commission_rate_percent", flat=True)
        .first()
    )
    if own is not None:
        return Decimal(own)
    return ports.settings().marketplace_settings().commission_rate_percent


def acting_user(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def record_delivery(cooperative_order: CooperativeOrder, user=None) -> LedgerEntry:
    """The delivery entry of ``cooperative_order`` (created once; later calls return it).

    The caller holds the cooperative order's lock (``lifecycle.deliver``). What was
    refunded to the customer before delivery is not earned: the entry is the part's
    goods and shipping less those refunds. The same amounts leave escrow."""
    key = f"delivery:{cooperative_order.pk}"
    existing = LedgerEntry.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    held = _escrow(cooperative_order.pk)
    rate = commission_rate(cooperative_order.producer)
    gross = max(whole(cooperative_order.subtotal_amount) - held.refunded_goods, Decimal(0))
    fee = commission(gross, rate)
    shipping = max(whole(cooperative_order.shipping_amount) - held.refunded_shipping, Decimal(0))
    entry = LedgerEntry.objects.create(
        producer_id=cooperative_order.producer_id,
        cooperative_order=cooperative_order,
        kind=LedgerEntry.Kind.DELIVERY,
        currency=cooperative_order.currency,
        gross_amount=gross,
        commission_rate_percent=rate,
        commission_amount=fee,
        shipping_amount=shipping,
        net_amount=gross + shipping - fee,
        idempotency_key=key,
        created_by=acting_user(user),
    )
    _move_escrow(cooperative_order, EscrowEntry.Kind.DELIVERY, -gross, -shipping, key)
    return entry


@dataclass
class OrderBalance:
    delivered: LedgerEntry | None
    refunded_goods: Decimal
    refunded_commission: Decimal
    reversed: bool
    refunded_shipping: Decimal = Decimal(0)

    @property
    def open(self) -> bool:
        """Delivered and not cancelled since: refunds come out of the ledger."""
        return self.delivered is not None and not self.reversed

    @property
    def goods_left(self) -> Decimal:
        return self.delivered.gross_amount - self.refunded_goods if self.open else Decimal(0)

    @property
    def shipping_left(self) -> Decimal:
        return self.delivered.shipping_amount - self.refunded_shipping if self.open else Decimal(0)


def _balance(cooperative_order: CooperativeOrder) -> OrderBalance:
    entries = list(cooperative_order.ledger_entries.all())
    delivered = next((e for e in entries if e.kind == LedgerEntry.Kind.DELIVERY), None)
    refunds = [e for e in entries if e.kind == LedgerEntry.Kind.REFUND]
    return OrderBalance(
        delivered=delivered,
        refunded_goods=-sum((e.gross_amount for e in refunds), Decimal(0)),
        refunded_commission=-sum((e.commission_amount for e in refunds), Decimal(0)),
        reversed=any(e.kind == LedgerEntry.Kind.REVERSAL for e in entries),
        refunded_shipping=-sum((e.shipping_amount for e in refunds), Decimal(0)),
    )


def _whole_amount(value) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        return None
    if not amount.is_finite() or amount < 0 or amount != whole(amount):
        return None
    return amount


def record_refund(
    cooperative_order_id: int, amount, *, reason: str, key: str, user=None, shipping=0
) -> LedgerEntry:
    """A refund of ``amount`` đồng of goods (and ``shipping`` đồng of its shipping
    share) on a delivered cooperative order, as a reversing entry. ``key`` makes it
    idempotent (e.g. the payment transaction id)."""
    amount, shipping = _whole_amount(amount), _whole_amount(shipping)
    if amount is None or shipping is None or amount + shipping <= 0:
        raise SettlementError(
            "invalid_amount", "Số tiền hoàn phải là số đồng nguyên dương.", "amount"
        )
    reason = (reason or "").strip()
    if not reason:
        raise SettlementError("reason_required", "Vui lòng nhập lý do hoàn tiền.", "reason")
    idempotency_key = f"refund:{key}"
    with transaction.atomic():
        cooperative_order = (
            CooperativeOrder.objects.select_for_update().select_related("producer")
        ).get(pk=cooperative_order_id)
        existing = LedgerEntry.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            if existing.cooperative_order_id != cooperative_order.pk:
                raise SettlementError("key_reused", "Mã hoàn tiền đã dùng cho đơn khác.")
            return existing
        balance = _balance(cooperative_order)
        if not balance.open:
            raise SettlementError("not_refundable", "Chỉ hoàn tiền cho đơn đã giao và chưa bị huỷ.")
        if amount > balance.goods_left:
            raise SettlementError(
                "amount_too_large",
                f"Số tiền hoàn vượt quá giá trị còn lại ({balance.goods_left} ₫).",
                "amount",
            )
        if shipping > balance.shipping_left:
            raise SettlementError(
                "amount_too_large",
                f"Phí vận chuyển hoàn vượt quá phần còn lại ({balance.shipping_left} ₫).",
                "shipping",
            )
        rate = balance.delivered.commission_rate_percent
        fee_back = commission(balance.refunded_goods + amount, rate) - commission(
            balance.refunded_goods, rate
        )
        return LedgerEntry.objects.create(
            producer_id=cooperative_order.producer_id,
            cooperative_order=cooperative_order,
            kind=LedgerEntry.Kind.REFUND,
            currency=cooperative_order.currency,
            gross_amount=-amount,
            commission_rate_percent=rate,
            commission_amount=-fee_back,
            shipping_amount=-shipping,
            net_amount=-amount - shipping + fee_back,
            reason=reason,
            idempotency_key=idempotency_key,
            created_by=acting_user(user),
        )


def record_reversal(cooperative_order: CooperativeOrder, *, reason: str, user=None):
    """Cancel a delivered order in the books: reverse what its entries still hold. The
    money, if the customer paid it, goes back to escrow until it is refunded."""
    balance = _balance(cooperative_order)
    if balance.delivered is None:
        return None
    if balance.reversed:
        return cooperative_order.ledger_entries.get(kind=LedgerEntry.Kind.REVERSAL)
    delivered = balance.delivered
    gross = delivered.gross_amount - balance.refunded_goods
    fee = delivered.commission_amount - balance.refunded_commission
    shipping = delivered.shipping_amount - balance.refunded_shipping
    key = f"reversal:{cooperative_order.pk}"
    _move_escrow(cooperative_order, EscrowEntry.Kind.REVERSAL, gross, shipping, key)
    return LedgerEntry.objects.create(
        producer_id=cooperative_order.producer_id,
        cooperative_order=cooperative_order,
        kind=LedgerEntry.Kind.REVERSAL,
        currency=cooperative_order.currency,
        gross_amount=-gross,
        commission_rate_percent=delivered.commission_rate_percent,
        commission_amount=-fee,
        shipping_amount=-shipping,
        net_amount=-gross - shipping + fee,
        reason=reason,
        idempotency_key=key,
        created_by=acting_user(user),
    )


# -- payments: the customers' money, per cooperative order ----------------------------


@dataclass(frozen=True)
class PaymentEvent:
    """A capture, refund or void as the payment system reports it (Saleor's adapter,
    ``saleor_adapter.payments.ledger``, builds these from Saleor's payment transactions)."""

    key: str  # unique per event, e.g. "saleor-transaction:42"
    kind: str  # PaymentRecord.Kind
    amount: Decimal  # whole đồng; 0 for a void
    saleor_transaction_id: int | None = None
    # A refund of these cooperative orders only; empty: the order, in proportion.
    cooperative_order_ids: tuple[int, ...] = ()
    reason: str = ""


@dataclass
class Escrow:
    """What escrow holds for one cooperative order, and how it got there."""

    goods: Decimal = Decimal(0)
    shipping: Decimal = Decimal(0)
    captured_goods: Decimal = Decimal(0)
    captured_shipping: Decimal = Decimal(0)
    refunded_goods: Decimal = Decimal(0)  # refunded out of escrow, as a positive amount
    refunded_shipping: Decimal = Decimal(0)

    @property
    def total(self) -> Decimal:
        return self.goods + self.shipping


def _escrow(cooperative_order_id: int) -> Escrow:
    held = Escrow()
    rows = (
        EscrowEntry.objects.filter(cooperative_order_id=cooperative_order_id)
        .order_by()
        .values_list("kind")
        .annotate(Sum("goods_amount"), Sum("shipping_amount"))
    )
    for kind, goods, shipping in rows:
        held.goods += goods
        held.shipping += shipping
        if kind == EscrowEntry.Kind.CAPTURE:
            held.captured_goods += goods
            held.captured_shipping += shipping
        elif kind == EscrowEntry.Kind.REFUND:
            held.refunded_goods -= goods
            held.refunded_shipping -= shipping
    return held


def _move_escrow(
    cooperative_order: CooperativeOrder,
    kind: str,
    goods: Decimal,
    shipping: Decimal,
    key: str,
    record: PaymentRecord | None = None,
) -> EscrowEntry | None:
    if goods == 0 and shipping == 0:
        return None  # nothing moves: no row (a COD part never captured, a zero share)
    existing = EscrowEntry.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    return EscrowEntry.objects.create(
        producer_id=cooperative_order.producer_id,
        cooperative_order=cooperative_order,
        kind=kind,
        currency=cooperative_order.currency,
        goods_amount=goods,
        shipping_amount=shipping,
        amount=goods + shipping,
        payment_record=record,
        idempotency_key=key,
    )


def _split_two(amount: Decimal, first, second, fallback=(1, 0)) -> tuple[Decimal, Decimal]:
    """``amount`` split between goods and shipping in proportion to (first, second),
    each part never above its weight (largest remainder); ``fallback`` when both are 0."""
    weights = [max(Decimal(first), Decimal(0)), max(Decimal(second), Decimal(0))]
    if sum(weights) <= 0:
        weights = [Decimal(w) for w in fallback]
    goods, shipping = split_by_weight(amount, weights)
    return goods, shipping


def _prior_payments(order_id: int, record: PaymentRecord) -> tuple[Decimal, Decimal]:
    """(captured, refunded) recorded for the order before ``record``."""
    sums = dict(
        PaymentRecord.objects.filter(order_id=order_id)
        .exclude(pk=record.pk)
        .order_by()
        .values_list("kind")
        .annotate(Sum("amount"))
    )
    return (
        sums.get(PaymentRecord.Kind.CAPTURE, Decimal(0)),
        sums.get(PaymentRecord.Kind.REFUND, Decimal(0)),
    )


REFUND_REASON = "Hoàn tiền qua cổng thanh toán / Refunded through the payment gateway"
VOID_REASON = (
    "Thanh toán bị huỷ sau khi đơn được báo đã giao (khách từ chối nhận hàng) / "
    "Payment voided after the part was marked delivered (refused at the door)"
)


def _clean_event(event: PaymentEvent, part_ids: set[int]) -> Decimal:
    if event.kind not in PaymentRecord.Kind.values:
        raise SettlementError(
            "invalid_kind",
            f"Loại giao dịch không hợp lệ / Unknown payment event kind: {event.kind!r}.",
        )
    amount = _whole_amount(event.amount)
    if amount is None or (amount == 0 and event.kind != PaymentRecord.Kind.VOID):
        raise SettlementError(
            "invalid_amount",
            "Số tiền phải là số đồng nguyên dương / The amount must be a positive whole "
            "number of đồng.",
            "amount",
        )
    if not set(event.cooperative_order_ids) <= part_ids:
        raise SettlementError(
            "not_in_order",
            "Đơn HTX không thuộc đơn hàng này / The cooperative order is not part of this order.",
            "cooperative_order",
        )
    return amount


def record_payment_events(
    order_id: int, order_total, events: Iterable[PaymentEvent], user=None
) -> list[PaymentRecord]:
    """Record the events not recorded yet, in the given (chronological) order; returns
    the new records. ``order_total`` is what the customer was asked to pay: a capture
    share for lines no cooperative ships stays with the platform (logged).

    Nothing is recorded before the order is routed (its cooperative orders do not exist
    yet): routing calls this again once they do."""
    events = list(events)
    keys = {event.key for event in events}
    # Hooks run this on every order update (a shipment, a note): when everything is
    # recorded already, return before locking the parts another transaction may hold.
    if not events or PaymentRecord.objects.filter(key__in=keys).count() == len(keys):
        return []
    with transaction.atomic():
        # The lock every writer of these parts' money takes (deliver, cancel, payments).
        parts = list(
            CooperativeOrder.objects.select_for_update().filter(order_id=order_id).order_by("pk")
        )
        if not parts:
            return []
        part_ids = {part.pk for part in parts}
        known = set(PaymentRecord.objects.filter(key__in=keys).values_list("key", flat=True))
        recorded = []
        for event in events:
            if event.key in known:
                continue
            amount = _clean_event(event, part_ids)
            record = PaymentRecord.objects.create(
                order_id=order_id,
                key=event.key,
                kind=event.kind,
                currency=parts[0].currency,
                amount=amount,
                saleor_transaction_id=event.saleor_transaction_id,
                reason=(event.reason or "")[:1000],
            )
            if event.kind == PaymentRecord.Kind.CAPTURE:
                _record_capture(record, parts, whole(order_total or 0))
            elif event.kind == PaymentRecord.Kind.REFUND:
                _record_refund(record, parts, event, user)
            else:
                _record_void(record, parts, user)
            known.add(event.key)
            recorded.append(record)
        return recorded


def _value(part: CooperativeOrder) -> Decimal:
    return whole(part.subtotal_amount) + whole(part.shipping_amount)


CLOSED = frozenset({CooperativeOrder.Status.REJECTED, CooperativeOrder.Status.CANCELLED})


def _record_capture(record: PaymentRecord, parts: list, order_total: Decimal) -> None:
    """Split a capture over the parts in proportion to what each has not been paid yet
    (its goods + shipping share, less earlier captures; nothing for a part rejected or
    cancelled): one full capture gives each part exactly its value."""
    held = [_escrow(part.pk) for part in parts]
    captured = [h.captured_goods + h.captured_shipping for h in held]
    captured_before, _ = _prior_payments(record.order_id, record)
    # Money captured earlier for lines without a cooperative, kept by the platform.
    unrouted_captured = max(captured_before - sum(captured, Decimal(0)), Decimal(0))
    unrouted_value = order_total - sum((_value(p) for p in parts), Decimal(0))
    # A part rejected or cancelled before delivery is no longer asked for
    # (``refunds.part_closed``): money coming in after that pays the other parts.
    weights = [
        Decimal(0) if p.status in CLOSED and not _balance(p).open else max(_value(p) - c, 0)
        for p, c in zip(parts, captured, strict=True)
    ]
    weights.append(max(unrouted_value - unrouted_captured, Decimal(0)))
    if sum(weights) <= 0:  # more than the order's value: spread like the order
        weights = [_value(p) for p in parts] + [Decimal(0)]
    *shares, unrouted_share = split_by_weight(record.amount, weights)
    for part, h, share in zip(parts, held, shares, strict=True):
        if share <= 0:
            continue
        goods, shipping = _split_two(
            share,
            whole(part.subtotal_amount) - h.captured_goods,
            whole(part.shipping_amount) - h.captured_shipping,
            fallback=(whole(part.subtotal_amount), whole(part.shipping_amount)),
        )
        key = f"capture:{record.pk}:{part.pk}"
        _move_escrow(part, EscrowEntry.Kind.CAPTURE, goods, shipping, key, record)
    if unrouted_share:
        logger.warning(
            "Order %s: %s ₫ of capture %s pays lines no cooperative ships",
            record.order_id,
            unrouted_share,
            record.key,
        )


def _refund_shares(amount: Decimal, parts: list, weights: list, unrouted: Decimal) -> list:
    """Money held for parts that will not be delivered (rejected, cancelled) is what a
    refund gives back first; the rest is split in proportion to what each part holds."""
    first = [w if p.status in CLOSED else Decimal(0) for p, w in zip(parts, weights, strict=True)]
    taken = min(amount, sum(first, Decimal(0)))
    shares = split_by_weight(taken, first) if taken else [Decimal(0)] * len(parts)
    left = [w - s for w, s in zip(weights, shares, strict=True)]
    *rest, _ = split_by_weight(amount - taken, [*left, unrouted])
    return [a + b for a, b in zip(shares, rest, strict=True)]


def _record_refund(record: PaymentRecord, parts: list, event: PaymentEvent, user) -> None:
    """Split a refund over the parts it names, or over all parts: first the parts that
    were rejected or cancelled, then in proportion to what each still holds (ledger +
    escrow). A delivered part gives it back from the ledger (commission returned with
    it), any other part from escrow."""
    targets = set(event.cooperative_order_ids)
    held = [_escrow(part.pk) for part in parts]
    balances = [_balance(part) for part in parts]
    holds = [
        max(h.total + b.goods_left + b.shipping_left, Decimal(0))
        for h, b in zip(held, balances, strict=True)
    ]
    weights = [
        w if not targets or p.pk in targets else Decimal(0)
        for p, w in zip(parts, holds, strict=True)
    ]
    unrouted = Decimal(0)
    if not targets:
        captured, refunded = _prior_payments(record.order_id, record)
        unrouted = max(captured - refunded - sum(holds, Decimal(0)), Decimal(0))
    if record.amount > sum(weights) + unrouted:
        if targets:
            raise SettlementError(
                "amount_too_large",
                f"Số tiền hoàn vượt quá số tiền của đơn HTX ({sum(weights)} ₫) / The refund "
                f"is more than the cooperative orders hold ({sum(weights)} ₫).",
                "amount",
            )
        # Saleor never refunds more than was captured: this means a capture is missing
        # from the books. Record what can be split; order_money shows the gap.
        logger.error("Order %s: refund %s is more than the parts hold", record.order_id, record.key)
        unrouted = record.amount - sum(weights)
    shares = _refund_shares(record.amount, parts, weights, unrouted)
    reason = event.reason or REFUND_REASON
    for part, h, balance, share in zip(parts, held, balances, shares, strict=True):
        from_ledger = min(share, balance.goods_left + balance.shipping_left)
        if from_ledger > 0:
            goods, shipping = _split_two(from_ledger, balance.goods_left, balance.shipping_left)
            record_refund(
                part.pk, goods, shipping=shipping, reason=reason,
                key=f"payment:{record.pk}:{part.pk}", user=user,
            )  # fmt: skip
        from_escrow = share - from_ledger
        if from_escrow > 0:
            goods, shipping = _split_two(
                from_escrow,
                h.goods,
                h.shipping,
                fallback=(whole(part.subtotal_amount), whole(part.shipping_amount)),
            )
            _move_escrow(
                part, EscrowEntry.Kind.REFUND, -goods, -shipping,
                f"refund:{record.pk}:{part.pk}", record,
            )  # fmt: skip


def _record_void(record: PaymentRecord, parts: list, user) -> None:
    """A void means the authorised money will never come. If the order has no captured
    money left, its parts already marked delivered are cancelled and reversed: the
    cooperative is not paid for a sale no money stands behind."""
    captured, refunded = _prior_payments(record.order_id, record)
    if captured - refunded > 0:
        return
    from marketplace.lifecycle import cancel_after_void  # lifecycle imports this module

    for part in parts:
        if _balance(part).open:
            cancel_after_void(part, VOID_REASON, user)


def refundable(cooperative_order: CooperativeOrder) -> Decimal:
    """What a refund may still take from this part: its ledger value not refunded yet
    plus what escrow holds for it."""
    held = _escrow(cooperative_order.pk)
    balance = _balance(cooperative_order)
    return max(held.total + balance.goods_left + balance.shipping_left, Decimal(0))


@dataclass(frozen=True)
class OrderMoney:
    """An order's money in the books. ``balanced``: ledger + escrow = paid."""

    paid: Decimal  # captured − refunded, as recorded
    ledger: Decimal  # Σ gross + shipping of ledger entries (= Σ net + Σ commission)
    commission: Decimal
    escrow: Decimal

    @property
    def balanced(self) -> bool:
        return self.ledger + self.escrow == self.paid


def order_money(order_id: int) -> OrderMoney:
    captured, refunded = Decimal(0), Decimal(0)
    for kind, amount in (
        PaymentRecord.objects.filter(order_id=order_id)
        .order_by()
        .values_list("kind")
        .annotate(Sum("amount"))
    ):
        if kind == PaymentRecord.Kind.CAPTURE:
            captured = amount
        elif kind == PaymentRecord.Kind.REFUND:
            refunded = amount
    ledger = totals(LedgerEntry.objects.filter(cooperative_order__order_id=order_id))
    escrow = EscrowEntry.objects.filter(cooperative_order__order_id=order_id).aggregate(
        s=Sum("amount")
    )["s"] or Decimal(0)
    return OrderMoney(
        paid=captured - refunded,
        ledger=ledger["gross"] + ledger["shipping"],
        commission=ledger["commission"],
        escrow=escrow,
    )


@dataclass
class Statement:
    producer: Producer | None
    entries: list
    totals: dict
    unpaid_net: Decimal
    paid_net: Decimal


def totals(entries_queryset) -> dict:
    sums = entries_queryset.aggregate(
        gross=Sum("gross_amount"),
        commission=Sum("commission_amount"),
        shipping=Sum("shipping_amount"),
        net=Sum("net_amount"),
    )
    return {k: v or Decimal(0) for k, v in sums.items()}


def unpaid_net(entries_queryset) -> Decimal:
    return totals(entries_queryset.filter(payout_batch__isnull=True))["net"]


def delivered_minus_refunded(producer_ids=None) -> Decimal:
    """The books' other side, for the balance check: goods of delivered orders (still
    delivered, or cancelled after delivery) minus what was refunded (before delivery
    too: that part was never earned) or reversed."""
    orders = CooperativeOrder.objects.filter(delivered_at__isnull=False)
    entries = LedgerEntry.objects.exclude(kind=LedgerEntry.Kind.DELIVERY)
    refunded_before = EscrowEntry.objects.filter(
        kind=EscrowEntry.Kind.REFUND,
        cooperative_order__delivered_at__isnull=False,
        created_at__lt=F("cooperative_order__delivered_at"),
    )
    if producer_ids is not None:
        orders = orders.filter(producer_id__in=producer_ids)
        entries = entries.filter(producer_id__in=producer_ids)
        refunded_before = refunded_before.filter(producer_id__in=producer_ids)
    delivered = orders.aggregate(s=Sum("subtotal_amount"))["s"] or Decimal(0)
    taken_back = entries.aggregate(s=Sum("gross_amount"))["s"] or Decimal(0)
    taken_before = refunded_before.aggregate(s=Sum("goods_amount"))["s"] or Decimal(0)
    return delivered + taken_back + taken_before
