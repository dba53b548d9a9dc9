"""Money received by bank transfer, as the bank reports it, and what became of it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class BankTransaction(models.Model):
    """One credit on the shop's account, from a statement file or a bank notification.
    The bank's own transaction id is unique: a notification sent twice is one row."""

    class Source(models.TextChoices):
        STATEMENT = "statement", "Sao kê / Statement"
        NOTIFICATION = "notification", "Thông báo ngân hàng / Bank notification"

    class Outcome(models.TextChoices):
        MATCHED = "matched", "Khớp, đã ghi nhận / Matched and captured"
        PARTIAL = "partial", "Thiếu tiền / Less than due"
        EXCESS = "excess", "Thừa tiền / More than due"
        UNKNOWN = "unknown", "Không rõ đơn / No matching order"
        ALREADY_PAID = "already_paid", "Đơn đã thanh toán / Order already paid"

    class Resolution(models.TextChoices):
        MATCHED = "matched", "Đã ghi nhận cho đơn / Captured for an order"
        REFUNDED = "refunded", "Đã hoàn lại người chuyển / Sent back to the payer"
        DISMISSED = "dismissed", "Bỏ qua, có ghi chú / Dismissed with a note"

    bank_transaction_id = models.CharField(max_length=100, unique=True)
    source = models.CharField(max_length=20, choices=Source.choices)
    booked_at = models.DateTimeField()
    amount = models.DecimalField(max_digits=14, decimal_places=0)
    description = models.CharField(max_length=500, blank=True)
    reference = models.CharField(max_length=20, blank=True, db_index=True)
    payment = models.ForeignKey(
        "payment.Payment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    needs_review = models.BooleanField(default=False, db_index=True)
    received_at = models.DateTimeField(default=timezone.now)
    # What staff made of a credit kept for review (payments_vn.review); "" while it
    # waits, and for a credit matched on arrival.
    resolution = models.CharField(max_length=20, choices=Resolution.choices, blank=True)
    resolved_by = models.ForeignKey(
        "account.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)
    # The bank's reference of the transfer that sent the money back (resolution "refunded").
    refund_reference = models.CharField(max_length=100, blank=True)
    matched_order = models.ForeignKey(
        "order.Order", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-booked_at"]
        indexes = [
            # The review list, newest first, and the whole history in the same order.
            models.Index(
                fields=["-booked_at", "-id"],
                name="bank_txn_review_idx",
                condition=models.Q(needs_review=True),
            ),
            models.Index(fields=["-booked_at", "-id"], name="bank_txn_list_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.bank_transaction_id}: {self.amount} ₫ ({self.outcome})"
