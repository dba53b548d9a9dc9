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


# PostgreSQL text cannot hold NUL, and UTF-8 has no lone surrogates.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def credit_problem(bank_transaction_id: str, amount: Decimal, description: str) -> str | None:
    """Why a credit cannot be recorded as a BankTransaction ("vi / en"), or None.

    The limits are the columns': checked before writing, a bad statement row or
    notification is refused with its reason, never half-written or a server error."""
    id_field = BankTransaction._meta.get_field("bank_transaction_id")
    amount_field = BankTransaction._meta.get_field("amount")
    largest = Decimal(10) ** (amount_field.max_digits - amount_field.decimal_places) - 1
    if not bank_transaction_id:
        return "thiếu mã giao dịch / the transaction id is missing"
    if len(bank_transaction_id) > id_field.max_length:
        return (
            f"mã giao dịch dài {len(bank_transaction_id)} ký tự, tối đa {id_field.max_length}"
            f" / the transaction id is {len(bank_transaction_id)} characters long, at most "
            f"{id_field.max_length}"
        )
    if _UNSTORABLE.search(bank_transaction_id) or _UNSTORABLE.search(description):
        return (
            "mã giao dịch hoặc nội dung chứa ký tự không lưu được (NUL) / the transaction id "
            "or description holds a character that cannot be stored (NUL)"
        )
    if not amount.is_finite() or amount <= 0 or amount != amount.to_integral_value():
        return "số tiền phải là số đồng nguyên dương / the amount must be a positive whole VND"
    if amount > largest:
        return f"số tiền vượt quá {largest:,.0f} đồng / the amount is more than {largest:,.0f} VND"
    return None


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
            outcome = outcome_of(payment, credit.amount)
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
            settle(payment, outcome, credit.amount)
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


def settle(payment, outcome: str, amount: Decimal) -> bool:
    """Capture ``amount`` on the (locked) transfer payment when it pays exactly what is
    due; whether it did. The one place a bank credit becomes a captured payment: on
    arrival (``record_bank_credit``) and when staff match a reviewed credit
    (``payments_vn.review``)."""
    if outcome != Outcome.MATCHED:
        return False
    ports.payments().capture_transfer(payment, amount)
    return True


def outcome_of(payment, amount: Decimal) -> str:
    """What a credit of ``amount`` is for ``payment`` (None: no order found)."""
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
