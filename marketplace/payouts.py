"""Payouts: paying each cooperative what the settlement ledger owes it.

A payout run takes every unpaid entry, locked, groups them per cooperative and, for
each cooperative owed a positive amount with a usable bank account and not suspended,
writes one payout line and marks its entries paid by that batch, in one transaction:
two runs can never pay the same entry (the second waits for the lock, then finds them
paid). Entries of parts delivered before the buyer's money came in wait for a later run.
``plan_payout`` is that computation without the writes (the back office's preview);
``run_payout`` pays exactly what it returns.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import transaction
from django.db.models import Count, Sum
from django.utils import timezone

from common.errors import bilingual
from common.inputs import has_nul
from common.spreadsheets import write_csv
from marketplace.models import (
    CooperativeSettings,
    EscrowEntry,
    LedgerEntry,
    PayoutBatch,
    PayoutLine,
    Producer,
)
from marketplace.settlement import SettlementError, acting_user

AWAITING_PAYMENT = "Chờ tiền hàng từ khách (COD chưa thu) / waiting for the buyer's payment"
NOTHING_OWED = "Số dư không dương / nothing owed"
NO_BANK_ACCOUNT = "Chưa có tài khoản ngân hàng / no bank account"
SUSPENDED = "Hợp tác xã đang tạm ngừng / the cooperative is suspended"
MAX_BANK_REFERENCE = 100


@dataclass
class PlannedLine:
    """What one cooperative would be paid by the next run (or why it is held)."""

    producer_id: int
    producer_name: str
    entry_ids: list[int]
    gross: Decimal
    shipping: Decimal
    commission: Decimal
    net: Decimal
    bank_name: str = ""
    bank_bin: str = ""
    bank_account_number: str = ""
    bank_account_holder: str = ""
    held: str = ""  # why not paid now; empty: paid by the run
    awaiting_payment: int = 0  # entries left for a later run: the buyer's money is not in

    @property
    def entry_count(self) -> int:
        return len(self.entry_ids)


@dataclass
class PayoutPlan:
    """The next run, computed without writing: ``paid`` lines make the batch."""

    paid: list[PlannedLine] = field(default_factory=list)
    held: list[PlannedLine] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.net for line in self.paid), Decimal(0))


@dataclass
class PayoutResult:
    batch: PayoutBatch | None
    held: dict[int, str] = field(default_factory=dict)  # producer pk → why not paid now
    # producer pk → entries left for a later run: their order's money is not in yet
    awaiting_payment: dict[int, int] = field(default_factory=dict)
    plan: PayoutPlan | None = None


def _awaiting_payment(unpaid) -> set[int]:
    """Parts delivered before their money came in (cash on delivery not yet collected):
    their escrow is negative, a receivable. Paying them out would advance cash the
    marketplace has not received; they wait for the capture."""
    return set(
        EscrowEntry.objects.filter(cooperative_order_id__in=unpaid.values("cooperative_order_id"))
        .order_by()  # the model's ordering would split the groups
        .values("cooperative_order_id")
        .annotate(balance=Sum("amount"))
        .filter(balance__lt=0)
        .values_list("cooperative_order_id", flat=True)
    )


def _usable_bank_account(settings: CooperativeSettings | None) -> bool:
    return bool(
        settings
        and settings.bank_account_number
        and settings.bank_name
        and settings.bank_account_holder
    )


def plan_payout() -> PayoutPlan:
    """What a run would pay now, written nowhere: every unpaid entry summed per
    cooperative in the database (a few queries whatever the number of entries), then
    each cooperative paid or held — suspended, no usable bank account, nothing owed, or
    only entries whose buyer's money is not in yet. ``run_payout`` pays exactly this."""
    unpaid = LedgerEntry.objects.filter(payout_batch__isnull=True)
    waiting = _awaiting_payment(unpaid)
    sums = {
        row["producer_id"]: row
        for row in unpaid.exclude(cooperative_order_id__in=waiting)
        .order_by()
        .values("producer_id")
        .annotate(
            ids=ArrayAgg("pk", ordering="pk"),
            gross=Sum("gross_amount"),
            shipping=Sum("shipping_amount"),
            commission=Sum("commission_amount"),
            net=Sum("net_amount"),
        )
    }
    awaiting = dict(
        unpaid.filter(cooperative_order_id__in=waiting)
        .order_by()
        .values("producer_id")
        .annotate(count=Count("pk"))
        .values_list("producer_id", "count")
    )
    producers = Producer.objects.filter(pk__in={*sums, *awaiting}).select_related(
        "cooperative_settings"
    )
    plan = PayoutPlan()
    zero = Decimal(0)
    for producer in sorted(producers, key=lambda p: (p.name, p.pk)):
        row = sums.get(producer.pk, {})
        settings = getattr(producer, "cooperative_settings", None)
        line = PlannedLine(
            producer_id=producer.pk,
            producer_name=producer.name,
            entry_ids=list(row.get("ids", [])),
            gross=row.get("gross", zero),
            shipping=row.get("shipping", zero),
            commission=row.get("commission", zero),
            net=row.get("net", zero),
            awaiting_payment=awaiting.get(producer.pk, 0),
        )
        if settings is not None:
            line.bank_name, line.bank_bin = settings.bank_name, settings.bank_bin
            line.bank_account_number = settings.bank_account_number
            line.bank_account_holder = settings.bank_account_holder
        if not line.entry_ids:
            line.held = AWAITING_PAYMENT
        elif producer.suspended_at is not None:
            line.held = SUSPENDED
        elif line.net <= 0:
            line.held = NOTHING_OWED
        elif not _usable_bank_account(settings):
            line.held = NO_BANK_ACCOUNT
        (plan.held if line.held else plan.paid).append(line)
    return plan


def run_payout(user=None) -> PayoutResult:
    """Pay what ``plan_payout`` says, in one batch; entries of parts whose money has not
    come in yet, and held cooperatives' entries, wait for a later run."""
    with transaction.atomic():
        # Lock every unpaid entry first: a second run waits here, then finds them paid.
        list(
            LedgerEntry.objects.select_for_update()
            .filter(payout_batch__isnull=True)
            .values_list("pk", flat=True)
        )
        plan = plan_payout()
        result = PayoutResult(
            batch=None,
            held={line.producer_id: line.held for line in plan.held},
            awaiting_payment={
                line.producer_id: line.awaiting_payment
                for line in [*plan.paid, *plan.held]
                if line.awaiting_payment
            },
            plan=plan,
        )
        if not plan.paid:
            return result
        now = timezone.now()
        batch = PayoutBatch.objects.create(
            reference=f"OCOP-{now:%Y%m%d}-{uuid.uuid4().hex[:8].upper()}",
            total_amount=plan.total,
            created_by=acting_user(user),
            created_at=now,
        )
        PayoutLine.objects.bulk_create(
            PayoutLine(
                batch=batch,
                producer_id=line.producer_id,
                amount=line.net,
                entry_count=line.entry_count,
                bank_name=line.bank_name,
                bank_bin=line.bank_bin,
                bank_account_number=line.bank_account_number,
                bank_account_holder=line.bank_account_holder,
            )
            for line in plan.paid
        )
        paid_entries = [pk for line in plan.paid for pk in line.entry_ids]
        updated = LedgerEntry.objects.filter(pk__in=paid_entries, payout_batch__isnull=True).update(
            payout_batch=batch
        )
        if updated != len(paid_entries):  # impossible under the lock; never pay twice
            raise SettlementError("concurrent_payout", "Một đợt chi trả khác đang chạy.")
        result.batch = batch
        return result


def mark_batch_paid(
    batch_id: int,
    user=None,
    *,
    bank_reference: str | None = None,
    paid_on: datetime.date | None = None,
) -> PayoutBatch:
    """The bank confirmed the transfers: the batch becomes paid, once. Staff give the
    bank's reference (required when given at all: ``None`` is the command, which has
    none) and the day the money left (today by default)."""
    if bank_reference is not None:
        bank_reference = bank_reference.strip()
        if (
            not bank_reference
            or has_nul(bank_reference)
            or len(bank_reference) > MAX_BANK_REFERENCE
        ):
            raise SettlementError(
                "invalid_bank_reference",
                bilingual(
                    f"Ghi mã giao dịch của ngân hàng (tối đa {MAX_BANK_REFERENCE} ký tự)",
                    f"Give the bank's reference (at most {MAX_BANK_REFERENCE} characters)",
                ),
                "bank_reference",
            )
    with transaction.atomic():
        batch = PayoutBatch.objects.select_for_update().get(pk=batch_id)
        if batch.status == PayoutBatch.Status.PAID:
            raise SettlementError(
                "already_paid",
                bilingual(
                    "Đợt chi trả này đã được đánh dấu đã trả",
                    "This payout batch is already marked paid",
                ),
                "bank_reference",
            )
        if paid_on is not None and not (
            timezone.localtime(batch.created_at).date() <= paid_on <= timezone.localdate()
        ):
            raise SettlementError(
                "invalid_paid_on",
                bilingual(
                    "Ngày chuyển khoản phải từ ngày lập đợt đến hôm nay",
                    "The transfer date is between the batch's day and today",
                ),
                "paid_on",
            )
        batch.status = PayoutBatch.Status.PAID
        batch.paid_at = timezone.now()
        batch.paid_on = paid_on or timezone.localdate()
        batch.bank_reference = bank_reference or ""
        batch.save(update_fields=["status", "paid_at", "paid_on", "bank_reference"])
        return batch


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
