"""Trust a shopper can scan: serial stamps issued in batches, each check of a stamp,
stamps that look copied, reports of suspected fakes, and certificate expiry reminders.

Stamps are not stored one by one: a batch is a range of serials of one product
(``first_serial`` .. ``first_serial + count - 1``), and a stamp is genuine when its
signature matches (``verification.stamps``) and its serial lies in an issued batch. A
million stamps are a few hundred rows. Checks are append-only facts with no personal
data: when, whether the code was genuine, and the province the visitor chose to share.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from marketplace.models import Certificate, OcopProduct


class StampBatch(models.Model):
    class IssuedAs(models.TextChoices):
        COOPERATIVE = "cooperative", "Hợp tác xã / Cooperative"
        PROVINCE = "province", "Tỉnh / Province"

    ocop_product = models.ForeignKey(
        OcopProduct, on_delete=models.PROTECT, related_name="stamp_batches"
    )
    first_serial = models.PositiveIntegerField()
    count = models.PositiveIntegerField()
    issued_as = models.CharField(max_length=12, choices=IssuedAs.choices)
    issued_by = models.ForeignKey(
        "account.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ocop_product", "first_serial"], name="unique_stamp_batch_start"
            ),
            models.CheckConstraint(
                check=models.Q(count__gte=1, count__lte=2000), name="stamp_batch_size"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.ocop_product_id}: {self.first_serial}–{self.last_serial}"

    @property
    def last_serial(self) -> int:
        return self.first_serial + self.count - 1


class StampCheck(models.Model):
    """One scan of a stamp (or of something that claims to be one)."""

    id = models.BigAutoField(primary_key=True)
    # Null when the scanned code names no product of ours.
    ocop_product = models.ForeignKey(
        OcopProduct, null=True, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    serial = models.PositiveIntegerField(null=True)
    genuine = models.BooleanField()
    checked_at = models.DateTimeField(default=timezone.now)
    # The rough location the visitor chose to share: a province, nothing finer.
    province_code = models.CharField(max_length=2, blank=True)
    # What was scanned, when it was not genuine (cut to 64 characters).
    scanned = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["ocop_product", "serial", "checked_at"], name="stamp_check_serial_idx"
            ),
            models.Index(fields=["checked_at"], name="stamp_check_time_idx"),
        ]

    def __str__(self) -> str:
        return f"check {self.pk}: {self.ocop_product_id}/{self.serial} {self.genuine}"


class StampFlag(models.Model):
    """A serial checked in too many places or too many times: possibly copied. One per
    stamp; the sweeper updates its figures."""

    ocop_product = models.ForeignKey(OcopProduct, on_delete=models.CASCADE, related_name="+")
    serial = models.PositiveIntegerField()
    province_code = models.CharField(max_length=2, db_index=True)
    checks = models.PositiveIntegerField()
    places = models.PositiveIntegerField()
    flagged_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution_note = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        "account.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-flagged_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["ocop_product", "serial"], name="unique_stamp_flag")
        ]

    def __str__(self) -> str:
        return f"flag {self.ocop_product_id}/{self.serial}"


class FakeReport(models.Model):
    """A shopper's report of a suspected fake, in its province's queue."""

    class Status(models.TextChoices):
        OPEN = "open", "Chờ xử lý / Open"
        RESOLVED = "resolved", "Đã xử lý / Resolved"

    ocop_product = models.ForeignKey(OcopProduct, on_delete=models.CASCADE, related_name="+")
    serial = models.PositiveIntegerField(null=True, blank=True)
    province_code = models.CharField(max_length=2, db_index=True)
    what = models.TextField()
    where = models.CharField(max_length=300)
    photo = models.ImageField(upload_to="bao-hang-gia/%Y/%m/", blank=True)
    contact = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    resolution_note = models.TextField(blank=True)
    resolved_by = models.ForeignKey(
        "account.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"report {self.pk} ({self.status})"


class CertificateReminder(models.Model):
    """One expiry reminder of a certificate (90 or 30 days before): sent once, ever."""

    certificate = models.ForeignKey(Certificate, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)
    recipients = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "days_before"], name="unique_certificate_reminder"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id}: {self.days_before} days"


class ProvinceTarget(models.Model):
    """What a province aims for on the shop (its programme page measures against it):
    how many of its OCOP products should be listed online."""

    province_code = models.CharField(max_length=2, unique=True)
    products_online = models.PositiveIntegerField()
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        "account.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"{self.province_code}: {self.products_online}"
