"""Money follows the parts: what a rejected or cancelled part does to the shopper's money.

When a part will not reach the shopper (``lifecycle.reject`` / ``cancel``), in the same
transaction as the step:

* what the shopper has not paid for it yet is no longer asked for: the order's open
  payment is authorised for that much less (``PaymentsPort.reduce_amount_due``), so a
  VietQR code asks for the new amount and a COD courier collects only the parts still
  coming;
* what the shopper already paid for it (``settlement.refundable``: its escrow, and its
  ledger after a delivery was cancelled) becomes a ``PartRefund``, once per part. A card
  is refunded through its gateway by a task after commit (the gateway call is never
  inside our transaction); money paid by bank transfer or cash is *owed*: the shopper
  gives a bank account on the order page, staff transfer the money and record it here.

Either way the refund is a payment refund in the books charged to that part only
(``refund_cooperative_order`` → ``settlement.record_payment_events``), so ledger + escrow
= captured − refunded holds at every step.
"""

from __future__ import annotations

import datetime
import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from common.errors import DomainError, bilingual
from common.inputs import has_nul
from common.money import whole
from common.text import fold
from marketplace import access, ports, settlement
from marketplace.models import CooperativeOrder, NotificationDelivery, PartRefund
from marketplace.routing import enqueue_notifications

logger = logging.getLogger(__name__)

GATEWAY_REASON = bilingual(
    "Hoàn tiền phần đơn không được giao", "Refund of a part that will not be delivered"
)


class RefundError(DomainError):
    """A refused refund step (``common.errors.DomainError``)."""


@dataclass
class DetailsError(Exception):
    """The shopper's bank details, refused field by field (bilingual messages)."""

    errors: dict[str, str] = field(default_factory=dict)


def part_closed(cooperative_order: CooperativeOrder) -> PartRefund | None:
    """``cooperative_order`` was just rejected or cancelled (the caller holds its lock and
    recorded the order's payments before the step): ask the shopper that much less, and
    give back what they paid for it. Idempotent: a part has at most one refund."""
    order = cooperative_order.order
    held = settlement.refundable(cooperative_order)
    unpaid = max(whole(cooperative_order.total_amount) - held, Decimal(0))
    if unpaid > 0:
        ports.payments().reduce_amount_due(order, unpaid)
    if held <= 0:
        return None
    automatic = ports.payments().refunds_through_gateway(order)
    refund, created = PartRefund.objects.get_or_create(
        cooperative_order=cooperative_order,
        defaults={
            "amount": held,
            "method": PartRefund.Method.GATEWAY if automatic else PartRefund.Method.BANK_TRANSFER,
            "status": PartRefund.Status.PENDING
            if automatic
            else PartRefund.Status.AWAITING_DETAILS,
        },
    )
    if created and automatic:
        refund_id = refund.pk

        def enqueue():
            from marketplace.tasks import refund_part_task

            refund_part_task.delay(refund_id)

        transaction.on_commit(enqueue)
    return refund


def refund_through_gateway(refund_id: int) -> str:
    """The task's body: refund a card part through its gateway, once. The row is claimed
    (pending → refunding) in its own commit first, so a second run does nothing and the
    gateway call happens outside any transaction of ours."""
    claimed = PartRefund.objects.filter(
        pk=refund_id, status=PartRefund.Status.PENDING, method=PartRefund.Method.GATEWAY
    ).update(status=PartRefund.Status.REFUNDING)
    if not claimed:
        return "done"
    return _refund_claimed(refund_id, user=None)[0]


def _refund_claimed(refund_id: int, user) -> tuple[str, PartRefund, str]:
    """The gateway call of a refund claimed (status refunding): (outcome, refund, the
    gateway's refusal or "")."""
    refund = PartRefund.objects.select_related(
        "cooperative_order__order", "cooperative_order__producer"
    ).get(pk=refund_id)
    try:
        ports.payments().refund_cooperative_order(
            refund.cooperative_order, refund.amount, user, GATEWAY_REASON
        )
    except settlement.SettlementError as error:
        logger.warning("Gateway refund %s failed: %s", refund_id, error.message)
        with transaction.atomic():
            refund.status = PartRefund.Status.FAILED
            refund.last_error = error.message[:2000]
            refund.save(update_fields=["status", "last_error"])
            _flag(refund, f"Hoàn tiền {refund.cooperative_order} qua cổng lỗi: {error.message}")
        return "failed", refund, error.message
    _finish(refund, user=user, reference="")
    return "refunded", refund, ""


def refund_now(user, refund_id: int) -> PartRefund:
    """Platform staff refund a card part through its gateway now: one still queued, or
    one whose earlier try failed (the reason is on the staff queue). Claimed as the task
    claims it, so the task and staff never refund twice. Anyone else: ``not_found``."""
    if not access.sees_all(user):
        raise RefundError("not_found", bilingual("Không tìm thấy đơn hàng", "Order not found"))
    claimed = PartRefund.objects.filter(
        pk=refund_id,
        method=PartRefund.Method.GATEWAY,
        status__in=[PartRefund.Status.PENDING, PartRefund.Status.FAILED],
    ).update(status=PartRefund.Status.REFUNDING)
    if not claimed:
        raise RefundError(
            "not_open",
            bilingual("Khoản hoàn tiền này đang được xử lý hoặc đã hoàn",
                      "This refund is under way or done"),
        )  # fmt: skip
    outcome, refund, problem = _refund_claimed(refund_id, user)
    if outcome == "failed":
        raise RefundError("gateway_refused", problem)
    return refund


def _finish(refund: PartRefund, user, reference: str) -> None:
    with transaction.atomic():
        refund.status = PartRefund.Status.REFUNDED
        refund.refunded_at = timezone.now()
        refund.refunded_by = settlement.acting_user(user)
        refund.bank_reference = reference
        refund.last_error = ""
        refund.save(
            update_fields=["status", "refunded_at", "refunded_by", "bank_reference", "last_error"]
        )
        notify_customer(refund.cooperative_order, "refund_sent")


def notify_customer(cooperative_order: CooperativeOrder, event: str) -> None:
    """The shopper's e-mail about ``event`` of this part, once (the outbox row is unique
    per part, channel and event), sent after commit."""
    delivery, created = NotificationDelivery.objects.get_or_create(
        cooperative_order=cooperative_order,
        channel=NotificationDelivery.Channel.CUSTOMER_EMAIL,
        event=event,
    )
    if created:
        enqueue_notifications([delivery.pk])


def _flag(refund: PartRefund, message: str) -> None:
    from marketplace.lifecycle import flag_for_staff  # lifecycle imports this module

    flag_for_staff(refund.cooperative_order, None, message)


# -- a refund owed: the shopper's bank account, then staff's transfer -------------------

ACCOUNT_NUMBER = re.compile(r"[0-9]{6,19}")
HOLDER = re.compile(r"[A-Z][A-Z .'-]{0,98}[A-Z.]?")


def clean_bank_details(
    bank_bin: str, account_number: str, holder: str, known_banks: dict[str, str]
) -> dict[str, str]:
    """The details as stored (holder in capitals without diacritics, as banks print it),
    or ``DetailsError`` with a bilingual message per bad field."""
    bank_bin = (bank_bin or "").strip()
    account_number = re.sub(r"[ .-]", "", (account_number or "").strip())
    holder_text = " ".join((holder or "").split())
    errors = {}
    if bank_bin not in known_banks:
        errors["bank"] = bilingual("Vui lòng chọn ngân hàng", "Please choose the bank")
    if not account_number:
        errors["account_number"] = bilingual(
            "Vui lòng nhập số tài khoản", "Please enter the account number"
        )
    elif not (account_number.isascii() and ACCOUNT_NUMBER.fullmatch(account_number)):
        errors["account_number"] = bilingual(
            "Số tài khoản gồm 6–19 chữ số", "The account number is 6 to 19 digits"
        )
    folded = fold(holder_text).upper() if not has_nul(holder_text) else ""
    if not holder_text:
        errors["holder"] = bilingual(
            "Vui lòng nhập tên chủ tài khoản", "Please enter the account holder's name"
        )
    elif has_nul(holder_text) or len(holder_text) > 100 or not HOLDER.fullmatch(folded):
        errors["holder"] = bilingual(
            "Tên chủ tài khoản chỉ gồm chữ cái và khoảng trắng, tối đa 100 ký tự",
            "The holder's name is letters and spaces, at most 100 characters",
        )
    if errors:
        raise DetailsError(errors)
    return {"bank_bin": bank_bin, "account_number": account_number, "holder": folded}


def owed_refund(order_id: int, part_number: str) -> PartRefund | None:
    """The refund owed on part ``part_number`` of order ``order_id`` that still takes
    bank details, or None."""
    return (
        PartRefund.objects.select_related("cooperative_order")
        .filter(
            cooperative_order__order_id=order_id,
            cooperative_order__number=part_number,
            method=PartRefund.Method.BANK_TRANSFER,
            status__in=[PartRefund.Status.AWAITING_DETAILS, PartRefund.Status.READY],
        )
        .first()
    )


@transaction.atomic
def give_bank_details(refund: PartRefund, details: dict[str, str]) -> PartRefund:
    """The shopper's account (from ``clean_bank_details``) for a refund owed; they may
    correct it until staff have paid."""
    refund = (
        PartRefund.objects.select_for_update()
        .filter(
            pk=refund.pk,
            status__in=[PartRefund.Status.AWAITING_DETAILS, PartRefund.Status.READY],
        )
        .first()
    )
    if refund is None:
        raise RefundError(
            "not_open",
            bilingual("Khoản hoàn tiền này đã được xử lý", "This refund has been settled"),
        )
    refund.bank_bin = details["bank_bin"]
    refund.bank_account_number = details["account_number"]
    refund.bank_account_holder = details["holder"]
    refund.details_given_at = timezone.now()
    refund.status = PartRefund.Status.READY
    refund.save()
    return refund


def clean_reference(reference: str) -> str:
    reference = " ".join((reference or "").split())
    if not reference:
        raise RefundError(
            "reference_required",
            bilingual("Vui lòng nhập mã giao dịch chuyển khoản", "Please enter the bank reference"),
            "reference",
        )
    if len(reference) > 100 or has_nul(reference):
        raise RefundError(
            "invalid_reference",
            bilingual(
                "Mã giao dịch tối đa 100 ký tự, không chứa NUL",
                "The bank reference is at most 100 characters, without NUL",
            ),
            "reference",
        )
    return reference


def record_bank_refund(user, cooperative_order_id: int, reference: str) -> PartRefund:
    """Platform staff transferred a refund owed to the shopper's account: record it (a
    refund of the part through the order's offline gateway, so Saleor and the books
    both show it) and tell the shopper. Anyone else: ``not_found``."""
    if not access.sees_all(user):
        raise RefundError("not_found", bilingual("Không tìm thấy đơn hàng", "Order not found"))
    reference = clean_reference(reference)
    claimed = PartRefund.objects.filter(
        cooperative_order_id=cooperative_order_id,
        method=PartRefund.Method.BANK_TRANSFER,
        status=PartRefund.Status.READY,
    ).update(status=PartRefund.Status.REFUNDING)
    if not claimed:
        raise RefundError(
            "not_ready",
            bilingual(
                "Chưa thể ghi nhận: khách chưa nhập tài khoản, hoặc khoản này đã hoàn",
                "Cannot record it: the shopper has not given an account, or it was refunded",
            ),
        )
    refund = PartRefund.objects.select_related(
        "cooperative_order__order", "cooperative_order__producer"
    ).get(cooperative_order_id=cooperative_order_id)
    reason = bilingual(
        f"Đã chuyển khoản hoàn tiền, mã giao dịch {reference}",
        f"Refund transferred, bank reference {reference}",
    )
    try:
        ports.payments().refund_cooperative_order(
            refund.cooperative_order, refund.amount, user, reason
        )
    except settlement.SettlementError as error:
        PartRefund.objects.filter(pk=refund.pk).update(
            status=PartRefund.Status.READY, last_error=error.message[:2000]
        )
        raise RefundError(error.code, error.message) from error
    _finish(refund, user, reference)
    return refund


def open_gateway_refund_ids(limit: int = 200) -> list[int]:
    """Card refunds whose task was lost (the sweeper queues them again)."""
    cutoff = timezone.now() - datetime.timedelta(minutes=2)
    return list(
        PartRefund.objects.filter(
            status=PartRefund.Status.PENDING,
            method=PartRefund.Method.GATEWAY,
            created_at__lt=cutoff,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
