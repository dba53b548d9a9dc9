"""Saleor's payment transactions → the cooperatives' settlement (marketplace.settlement).

Saleor 2.10 has no "payment captured/refunded/voided" plugin hook on every path: the
order mutations (orderCapture, orderRefund, orderVoid) and our COD/VietQR functions call
``order_updated``, a capture that pays the order in full calls ``order_fully_paid``, but
the payment mutations (paymentCapture, paymentRefund, paymentVoid) call nothing, and a
card captured at checkout is captured before the order exists. So instead of trusting
one event, every trigger runs the same catch-up: read the order's successful
transactions and record those not recorded yet (``sync_order_ledger``). It runs from
the OCOP plugin's ``order_updated``/``order_fully_paid`` hooks, from the payment
mutations (``saleor_adapter.graphql.payment_ledger``), at the end of routing, and from the
routing sweeper for anything a crash left behind (``orders_with_unrecorded_payments``).
Each transaction's record is unique, so running it twice records nothing twice.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.db import transaction
from django.db.models import Exists, OuterRef
from saleor.payment import ChargeStatus, CustomPaymentChoices, TransactionKind
from saleor.payment.models import Payment, Transaction

from common.money import whole
from marketplace import settlement
from marketplace.models import CooperativeOrder, OrderRouting, PaymentRecord

logger = logging.getLogger(__name__)

KINDS = {
    TransactionKind.CAPTURE: PaymentRecord.Kind.CAPTURE,
    # A payment confirmed after 3-D Secure: Saleor counts it as captured.
    TransactionKind.CONFIRM: PaymentRecord.Kind.CAPTURE,
    TransactionKind.REFUND: PaymentRecord.Kind.REFUND,
    TransactionKind.VOID: PaymentRecord.Kind.VOID,
}


def transaction_key(transaction_id: int) -> str:
    return f"saleor-transaction:{transaction_id}"


def _counted_transactions():
    # Saleor's gateway_postprocess ignores failed transactions and those still waiting
    # for the buyer's action (3-D Secure): so do we.
    return Transaction.objects.filter(is_success=True, action_required=False, kind__in=list(KINDS))


def payment_events(order) -> list[settlement.PaymentEvent]:
    """The order's money movements as Saleor recorded them, oldest first."""
    events = [
        settlement.PaymentEvent(
            key=transaction_key(txn.pk),
            kind=KINDS[txn.kind],
            amount=whole(txn.amount) if txn.kind != TransactionKind.VOID else Decimal(0),
            saleor_transaction_id=txn.pk,
        )
        for txn in _counted_transactions().filter(payment__order_id=order.pk).order_by("pk")
    ]
    # Staff "mark as paid" creates a fully charged manual payment with no transaction.
    for payment in Payment.objects.filter(
        order_id=order.pk,
        gateway=CustomPaymentChoices.MANUAL,
        charge_status=ChargeStatus.FULLY_CHARGED,
        transactions__isnull=True,
    ):
        events.append(
            settlement.PaymentEvent(
                key=f"saleor-manual-payment:{payment.pk}",
                kind=PaymentRecord.Kind.CAPTURE,
                amount=whole(payment.captured_amount),
            )
        )
    return events


def sync_order_ledger(order) -> list[PaymentRecord]:
    """Record the order's payment transactions not recorded yet (idempotent)."""
    events = payment_events(order)
    if not events:
        return []
    return settlement.record_payment_events(order.pk, order.total_gross_amount, events)


def sync_order_ledger_safely(order) -> None:
    """``sync_order_ledger`` for hooks that run inside Saleor's own payment flow: by
    then the gateway has moved the money (a Stripe refund cannot be rolled back), so a
    failure here is logged and left to the sweeper, never turned into a failed payment
    action that staff might repeat."""
    if order is None or order.pk is None:
        return
    try:
        with transaction.atomic():
            sync_order_ledger(order)
    except Exception:
        logger.exception("Recording the payments of order %s failed; the sweeper retries", order.pk)


def orders_with_unrecorded_payments(limit: int = 200) -> list[int]:
    """Routed orders with a counted transaction that has no payment record."""
    unrecorded = _counted_transactions().filter(
        payment__order_id=OuterRef("order_id"), ocop_payment_record__isnull=True
    )
    # Orders routed without any cooperative part (every line unrouted) have nobody to
    # record for: left out, or they would fill every batch.
    parts = CooperativeOrder.objects.filter(order_id=OuterRef("order_id"))
    return list(
        OrderRouting.objects.filter(status=OrderRouting.Status.ROUTED)
        .filter(Exists(unrecorded), Exists(parts))
        .order_by("order_id")
        .values_list("order_id", flat=True)[:limit]
    )


def sync_unrecorded_payments(limit: int = 200) -> int:
    """The sweeper's part: catch up orders whose hook failed or never fired."""
    from saleor.order.models import Order

    order_ids = orders_with_unrecorded_payments(limit)
    for order in Order.objects.filter(pk__in=order_ids):
        sync_order_ledger_safely(order)
    if order_ids:
        logger.warning("Recorded missed payments of %d orders", len(order_ids))
    return len(order_ids)
