"""The settlement ledger and payouts.

Every delivered cooperative order gets one entry (goods, commission, shipping share,
net payable); refunds and cancellations after delivery are new, negative entries
(never edits: PostgreSQL refuses UPDATE and DELETE on the table, except marking an
entry paid once). So at any time:

    Σ gross of entries = Σ goods of delivered orders − Σ refunded goods.

Commission rate: the cooperative's own rate when set, else the OCOP plugin's
``commission_rate_percent``; the rate used is stored on each entry. Rounding is in
``marketplace.money``; refund commission is computed on the cumulative refunded amount
(commission(refunded so far) − commission(refunded before)), so refunding an order in
parts gives back exactly the commission charged on it.

A payout run takes every unpaid entry, locked, groups them per cooperative and, for
each cooperative owed a positive amount with a bank account, writes one payout line and
marks its entries paid by that batch, in one transaction: two runs can never pay the
same entry (the second waits for the lock, then finds them paid).
"""

from __future__ import annotations

import csv
import io
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from marketplace.models import (
    CooperativeOrder,
    CooperativeSettings,
    LedgerEntry,
    PayoutBatch,
    PayoutLine,
    Producer,
)
from marketplace.money import commission, whole


class SettlementError(Exception):
    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


def commission_rate(producer: Producer) -> Decimal:
    own = (
        CooperativeSettings.objects.filter(producer=producer)
        .values_list("commission_rate_percent", flat=True)
        .first()
    )
    if own is not None:
        return Decimal(own)
    from plugins.ocop.plugin import marketplace_settings

    return marketplace_settings().commission_rate_percent


def _user(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def record_delivery(cooperative_order: CooperativeOrder, user=None) -> LedgerEntry:
    """The delivery entry of ``cooperative_order`` (created once; later calls return it)."""
    key = f"delivery:{cooperative_order.pk}"
    existing = LedgerEntry.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return existing
    rate = commission_rate(cooperative_order.producer)
    gross = whole(cooperative_order.subtotal_amount)
    fee = commission(gross, rate)
    shipping = whole(cooperative_order.shipping_amount)
    return LedgerEntry.objects.create(
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
        created_by=_user(user),
    )


@dataclass
class OrderBalance:
    delivered: LedgerEntry | None
    refunded_goods: Decimal
    refunded_commission: Decimal
    reversed: bool


def _balance(cooperative_order: CooperativeOrder) -> OrderBalance:
    entries = list(cooperative_order.ledger_entries.all())
    delivered = next((e for e in entries if e.kind == LedgerEntry.Kind.DELIVERY), None)
    refunds = [e for e in entries if e.kind == LedgerEntry.Kind.REFUND]
    return OrderBalance(
        delivered=delivered,
        refunded_goods=-sum((e.gross_amount for e in refunds), Decimal(0)),
        refunded_commission=-sum((e.commission_amount for e in refunds), Decimal(0)),
        reversed=any(e.kind == LedgerEntry.Kind.REVERSAL for e in entries),
    )


def record_refund(
    cooperative_order_id: int, amount, *, reason: str, key: str, user=None
) -> LedgerEntry:
    """A refund of ``amount`` đồng of goods on a delivered cooperative order, as a
    reversing entry. ``key`` makes it idempotent (e.g. the payment transaction id)."""
    try:
        amount = Decimal(str(amount))
    except ArithmeticError:
        amount = None
    if amount is None or not amount.is_finite() or amount <= 0 or amount != whole(amount):
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
        if balance.delivered is None or balance.reversed:
            raise SettlementError("not_refundable", "Chỉ hoàn tiền cho đơn đã giao và chưa bị huỷ.")
        gross = balance.delivered.gross_amount
        if balance.refunded_goods + amount > gross:
            raise SettlementError(
                "amount_too_large",
                f"Số tiền hoàn vượt quá giá trị còn lại ({gross - balance.refunded_goods} ₫).",
                "amount",
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
            shipping_amount=0,
            net_amount=-amount + fee_back,
            reason=reason,
            idempotency_key=idempotency_key,
            created_by=_user(user),
        )


def record_reversal(cooperative_order: CooperativeOrder, *, reason: str, user=None):
    """Cancel a delivered order in the books: reverse what its entries still hold."""
    balance = _balance(cooperative_order)
    if balance.delivered is None:
        return None
    if balance.reversed:
        return cooperative_order.ledger_entries.get(kind=LedgerEntry.Kind.REVERSAL)
    delivered = balance.delivered
    gross = delivered.gross_amount - balance.refunded_goods
    fee = delivered.commission_amount - balance.refunded_commission
    shipping = delivered.shipping_amount
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
        idempotency_key=f"reversal:{cooperative_order.pk}",
        created_by=_user(user),
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


# -- payouts ---------------------------------------------------------------------------


@dataclass
class PayoutResult:
    batch: PayoutBatch | None
    held: dict[int, str] = field(default_factory=dict)  # producer pk → why not paid now


def run_payout(user=None) -> PayoutResult:
    """Group every unpaid entry per cooperative into one payout batch."""
    with transaction.atomic():
        entries = list(
            LedgerEntry.objects.select_for_update()
            .filter(payout_batch__isnull=True)
            .order_by("producer_id", "pk")
            .values_list("pk", "producer_id", "net_amount")
        )
        by_producer: dict[int, list] = defaultdict(list)
        for pk, producer_id, net in entries:
            by_producer[producer_id].append((pk, net))
        banks = {
            s.producer_id: s
            for s in CooperativeSettings.objects.filter(producer_id__in=list(by_producer))
        }
        result = PayoutResult(batch=None)
        lines, paid_entries = [], []
        for producer_id, rows in sorted(by_producer.items()):
            owed = sum((net for _, net in rows), Decimal(0))
            bank = banks.get(producer_id)
            if owed <= 0:
                result.held[producer_id] = "Số dư không dương / nothing owed"
                continue
            if bank is None or not (bank.bank_account_number and bank.bank_name):
                result.held[producer_id] = "Chưa có tài khoản ngân hàng / no bank account"
                continue
            lines.append(
                PayoutLine(
                    producer_id=producer_id,
                    amount=owed,
                    entry_count=len(rows),
                    bank_name=bank.bank_name,
                    bank_bin=bank.bank_bin,
                    bank_account_number=bank.bank_account_number,
                    bank_account_holder=bank.bank_account_holder,
                )
            )
            paid_entries.extend(pk for pk, _ in rows)
        if not lines:
            return result
        now = timezone.now()
        batch = PayoutBatch.objects.create(
            reference=f"OCOP-{now:%Y%m%d}-{uuid.uuid4().hex[:8].upper()}",
            total_amount=sum((line.amount for line in lines), Decimal(0)),
            created_by=_user(user),
            created_at=now,
        )
        for line in lines:
            line.batch = batch
        PayoutLine.objects.bulk_create(lines)
        updated = LedgerEntry.objects.filter(pk__in=paid_entries, payout_batch__isnull=True).update(
            payout_batch=batch
        )
        if updated != len(paid_entries):  # impossible under the lock; never pay twice
            raise SettlementError("concurrent_payout", "Một đợt chi trả khác đang chạy.")
        result.batch = batch
        return result


def mark_batch_paid(batch_id: int, user=None) -> PayoutBatch:
    """The bank confirmed the transfers: the batch becomes paid, once."""
    with transaction.atomic():
        batch = PayoutBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status == PayoutBatch.Status.PAID:
            raise SettlementError("already_paid", "Đợt chi trả này đã được đánh dấu đã trả.")
        batch.status = PayoutBatch.Status.PAID
        batch.paid_at = timezone.now()
        batch.save(update_fields=["status", "paid_at"])
        return batch


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A CSV cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def write_csv(header: list[str], rows) -> bytes:
    """UTF-8 with BOM (Excel opens Vietnamese correctly), every cell made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


PAYOUT_CSV_HEADER = [
    "Mã đợt", "Mã ngân hàng (BIN)", "Ngân hàng", "Số tài khoản", "Chủ tài khoản",
    "Số tiền (VND)", "Nội dung",
]  # fmt: skip


def payout_csv(batch: PayoutBatch) -> bytes:
    """The bank transfer file of a batch: one transfer per cooperative."""
    lines = batch.lines.select_related("producer").order_by("producer__name", "pk")
    return write_csv(
        PAYOUT_CSV_HEADER,
        (
            [
                batch.reference,
                line.bank_bin,
                line.bank_name,
                line.bank_account_number,
                line.bank_account_holder,
                int(line.amount),
                f"{batch.reference} thanh toan {line.entry_count} don OCOP",
            ]
            for line in lines
        ),
    )


def delivered_minus_refunded(producer_ids=None) -> Decimal:
    """The books' other side, for the balance check: goods of delivered orders (still
    delivered, or cancelled after delivery) minus what was refunded or reversed."""
    orders = CooperativeOrder.objects.filter(delivered_at__isnull=False)
    entries = LedgerEntry.objects.exclude(kind=LedgerEntry.Kind.DELIVERY)
    if producer_ids is not None:
        orders = orders.filter(producer_id__in=producer_ids)
        entries = entries.filter(producer_id__in=producer_ids)
    delivered = orders.aggregate(s=Sum("subtotal_amount"))["s"] or Decimal(0)
    taken_back = entries.aggregate(s=Sum("gross_amount"))["s"] or Decimal(0)
    return delivered + taken_back
