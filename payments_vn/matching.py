"""Match bank credits to orders by their VietQR reference, exactly once.

A credit for exactly what an order still owes captures its payment. Anything else
(less, more, an unknown or already-paid reference) is kept for staff to review and is
never accepted silently.
"""

from __future__ import annotations

import datetime
import logging
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction

from marketplace import ports
from payments_vn.models import BankTransaction

logger = logging.getLogger(__name__)

Outcome = BankTransaction.Outcome


@dataclass(frozen=True)
class BankCredit:
    bank_transaction_id: str
    amount: Decimal
    description: str
    booked_at: datetime.datetime


def find_reference(description: str) -> str:
    """The order reference in a transfer message; banks may add spaces, dashes or
    lower-case it, or put their own words around it."""
    compact = re.sub(r"[^0-9A-Za-z]", "", description).upper()
    match = ports.payments().REFERENCE_PATTERN.search(compact)
    return match.group(0) if match else ""


def record_bank_credit(credit: BankCredit, source: str) -> tuple[BankTransaction, bool]:
    """Record a credit and settle what it pays; (row, created). A credit already
    recorded (same bank id) is returned as it is, whatever its source said this time."""
    existing = BankTransaction.objects.filter(
        bank_transaction_id=credit.bank_transaction_id
    ).first()
    if existing:
        return existing, False
    reference = find_reference(credit.description)
    try:
        with transaction.atomic():
            payment = ports.payments().lock_transfer_payment(reference) if reference else None
            outcome = _outcome(payment, credit.amount)
            row = BankTransaction.objects.create(
                bank_transaction_id=credit.bank_transaction_id,
                source=source,
                booked_at=credit.booked_at,
                amount=credit.amount,
                description=credit.description[:500],
                reference=reference,
                payment=payment,
                outcome=outcome,
                needs_review=outcome != Outcome.MATCHED,
            )
            if outcome == Outcome.MATCHED:
                ports.payments().capture_transfer(payment, credit.amount)
    except IntegrityError:
        # The same credit arrived twice at once (statement and notification): one wins.
        return BankTransaction.objects.get(bank_transaction_id=credit.bank_transaction_id), False
    if row.needs_review:
        logger.warning(
            "Bank credit %s (%s ₫, reference %r) needs review: %s",
            row.bank_transaction_id,
            row.amount,
            reference,
            row.outcome,
        )
    return row, True


def _outcome(payment, amount: Decimal) -> str:
    if payment is None:
        return Outcome.UNKNOWN
    due = ports.payments().amount_due(payment)
    if due <= 0:
        return Outcome.ALREADY_PAID
    if amount < due:
        return Outcome.PARTIAL
    if amount > due:
        return Outcome.EXCESS
    return Outcome.MATCHED
