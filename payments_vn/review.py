"""What platform staff make of a bank credit kept for review (``matching`` keeps every
credit it could not match exactly: less or more than due, an unknown or already-paid
reference).

Three ways out, each once (the row is locked and must still need review):
* **match** it to an order staff name by number: the credit is captured on that order's
  VietQR payment through ``matching.settle``, the same path a credit takes on arrival, so
  the same rule holds: only a credit for exactly what the order still owes is captured.
  Less or more is refused (nothing is captured or changed); such money goes back to the
  payer (a refund) or is dismissed with a note saying how it was settled;
* **refund**: the money was sent back to the payer; the bank reference of that transfer
  is checked as a part's bank refund's is (``refunds.clean_reference``);
* **dismiss** with a note (required).
Every resolution is a staff write: django-auditlog records it with its actor.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from common.errors import DomainError, bilingual
from common.inputs import required_text
from common.money import format_vnd
from marketplace import access, ports, refunds
from payments_vn import matching
from payments_vn.models import BankTransaction

MAX_NOTE = 1000
MAX_ORDER_NUMBER = 30

Outcome = BankTransaction.Outcome
Resolution = BankTransaction.Resolution


class ReviewError(DomainError):
    pass


def _staff(actor) -> None:
    if not access.sees_all(actor):
        raise ReviewError(
            "forbidden",
            bilingual("Chỉ nhân viên sàn được làm việc này", "Only platform staff may do this"),
        )


def _note(note: object, *, required: bool) -> str:
    """A dismissal says why; a match or a refund may say more, within the same limits."""
    if not required and not (note if isinstance(note, str) else "").strip():
        return ""
    return required_text(
        note, field="note", max_length=MAX_NOTE, error=ReviewError,
        missing=("Ghi lý do bỏ qua giao dịch", "Say why the transaction is dismissed"),
    )  # fmt: skip


def _open(transaction_id: int) -> BankTransaction:
    """The credit, locked, still waiting for review."""
    row = BankTransaction.objects.select_for_update().filter(pk=transaction_id).first()
    if row is None:
        raise ReviewError(
            "not_found", bilingual("Không tìm thấy giao dịch", "No such bank transaction")
        )
    if not row.needs_review:
        raise ReviewError(
            "already_resolved",
            bilingual("Giao dịch này đã được xử lý", "This transaction was already resolved"),
        )
    return row


def _resolve(row: BankTransaction, actor, resolution: str, note: str, **fields) -> None:
    row.needs_review = False
    row.resolution, row.resolved_by, row.resolved_at = resolution, actor, timezone.now()
    row.resolution_note = note
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()


def _order_error(message_vi: str, message_en: str, code: str) -> ReviewError:
    return ReviewError(code, bilingual(message_vi, message_en), "order")


def match_to_order(
    actor, transaction_id: int, order_number: str, note: str = ""
) -> BankTransaction:
    """Capture the credit on the order numbered ``order_number`` ("123" or "#123")."""
    _staff(actor)
    note = _note(note, required=False)
    number = required_text(
        order_number, field="order", max_length=MAX_ORDER_NUMBER, error=ReviewError,
        missing=("Nhập số đơn hàng", "Enter the order number"),
    )  # fmt: skip
    shop = ports.payments()
    with transaction.atomic():
        row = _open(transaction_id)
        order = shop.order_by_number(number)
        if order is None:
            raise _order_error(
                f"Không có đơn hàng số {number}", f"There is no order {number}", "unknown_order"
            )
        reference = shop.order_transfer_reference(order)
        payment = shop.lock_transfer_payment(reference) if reference else None
        if payment is None:
            raise _order_error(
                f"Đơn #{order.pk} không thanh toán bằng chuyển khoản VietQR",
                f"Order #{order.pk} is not paid by VietQR transfer",
                "not_a_transfer",
            )
        outcome = matching.outcome_of(payment, row.amount)
        if outcome == Outcome.ALREADY_PAID:
            raise _order_error(
                f"Đơn #{order.pk} đã được thanh toán", f"Order #{order.pk} is already paid",
                "already_paid",
            )  # fmt: skip
        if outcome != Outcome.MATCHED:
            due, amount = format_vnd(shop.amount_due(payment)), format_vnd(row.amount)
            raise _order_error(
                f"Giao dịch {amount} khác số đơn #{order.pk} còn phải trả ({due}): không ghi "
                "nhận; hãy hoàn tiền cho người chuyển hoặc bỏ qua kèm ghi chú",
                f"The credit of {amount} is not what order #{order.pk} still owes ({due}): "
                "not captured; send it back to the payer or dismiss it with a note",
                "amount_differs",
            )
        matching.settle(payment, outcome, row.amount)
        _resolve(row, actor, Resolution.MATCHED, note, matched_order=order, payment=payment)
    return row


def record_refund(actor, transaction_id: int, reference: str, note: str = "") -> BankTransaction:
    """The credit was transferred back to whoever sent it; ``reference`` is the bank's."""
    _staff(actor)
    try:
        reference = refunds.clean_reference(reference)
    except refunds.RefundError as refused:
        raise ReviewError(refused.code, refused.message, "reference") from None
    note = _note(note, required=False)
    with transaction.atomic():
        row = _open(transaction_id)
        _resolve(row, actor, Resolution.REFUNDED, note, refund_reference=reference)
    return row


def dismiss(actor, transaction_id: int, note: str) -> BankTransaction:
    """Nothing more to do (a test transfer, settled outside the shop): the note says why."""
    _staff(actor)
    note = _note(note, required=True)
    with transaction.atomic():
        row = _open(transaction_id)
        _resolve(row, actor, Resolution.DISMISSED, note)
    return row
