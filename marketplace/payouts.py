"""Payouts: paying each cooperative what the settlement ledger owes it.

A payout run takes every unpaid entry, locked, groups them per cooperative and, for
each cooperative owed a positive amount with a bank account, writes one payout line and
marks its entries paid by that batch, in one transaction: two runs can never pay the
same entry (the second waits for the lock, then finds them paid). Entries of parts
delivered before the buyer's money came in wait for a later run.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from common.spreadsheets import write_csv
from marketplace.models import (
    CooperativeSettings,
    EscrowEntry,
    LedgerEntry,
    PayoutBatch,
    PayoutLine,
)
from marketplace.settlement import SettlementError, acting_user


@dataclass
class PayoutResult:
    batch: PayoutBatch | None
    held: dict[int, str] = field(default_factory=dict)  # producer pk → why not paid now
    # producer pk → entries left for a later run: their order's money is not in yet
    awaiting_payment: dict[int, int] = field(default_factory=dict)


AWAITING_PAYMENT = "Chờ tiền hàng từ khách (COD chưa thu) / waiting for the buyer's payment"


def _awaiting_payment(cooperative_order_ids) -> set[int]:
    """Parts delivered before their money came in (cash on delivery not yet collected):
    their escrow is negative, a receivable. Paying them out would advance cash the
    marketplace has not received; they wait for the capture."""
    return set(
        EscrowEntry.objects.filter(cooperative_order_id__in=cooperative_order_ids)
        .order_by()  # the model's ordering would split the groups
        .values("cooperative_order_id")
        .annotate(balance=Sum("amount"))
        .filter(balance__lt=0)
        .values_list("cooperative_order_id", flat=True)
    )


def run_payout(user=None) -> PayoutResult:
    """Group every unpaid entry per cooperative into one payout batch; entries of parts
    whose money has not come in yet wait for a later run."""
    with transaction.atomic():
        entries = list(
            LedgerEntry.objects.select_for_update()
            .filter(payout_batch__isnull=True)
            .order_by("producer_id", "pk")
            .values_list("pk", "producer_id", "net_amount", "cooperative_order_id")
        )
        waiting = _awaiting_payment({row[3] for row in entries})
        result = PayoutResult(batch=None)
        by_producer: dict[int, list] = defaultdict(list)
        for pk, producer_id, net, cooperative_order_id in entries:
            if cooperative_order_id in waiting:
                result.awaiting_payment[producer_id] = (
                    result.awaiting_payment.get(producer_id, 0) + 1
                )
            else:
                by_producer[producer_id].append((pk, net))
        for producer_id in result.awaiting_payment.keys() - by_producer.keys():
            result.held[producer_id] = AWAITING_PAYMENT
        banks = {
            s.producer_id: s
            for s in CooperativeSettings.objects.filter(producer_id__in=list(by_producer))
        }
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
            created_by=acting_user(user),
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
