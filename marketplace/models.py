"""The OCOP facts Saleor has no place for: producers and their recognition decisions."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone


class ProducerType(models.TextChoices):
    COOPERATIVE = "cooperative", "Hợp tác xã / Cooperative"
    COOPERATIVE_GROUP = "cooperative_group", "Tổ hợp tác / Cooperative group"
    ENTERPRISE = "enterprise", "Doanh nghiệp / Enterprise"
    HOUSEHOLD = "household", "Hộ kinh doanh / Household business"


class IssuingLevel(models.TextChoices):
    CENTRAL = "central", "Trung ương / Central"
    PROVINCE = "province", "Cấp tỉnh / Provincial"
    DISTRICT = "district", "Cấp huyện / District"


class Origin(models.Model):
    """Where something is: the current administrative units, and the legacy names
    written on pre-2025 documents when they differ."""

    province_code = models.CharField(max_length=2, db_index=True)
    province_name = models.CharField(max_length=100)
    commune_code = models.CharField(max_length=5, blank=True)
    commune_name = models.CharField(max_length=100, blank=True)
    legacy_province_name = models.CharField(max_length=100, blank=True)
    legacy_district_name = models.CharField(max_length=100, blank=True)
    legacy_commune_name = models.CharField(max_length=100, blank=True)

    class Meta:
        abstract = True


class Producer(Origin):
    """A "chủ thể" OCOP: a cooperative, group, enterprise or household. Each has one
    Saleor warehouse its stock ships from."""

    name = models.CharField(max_length=255)
    # Folded name (no diacritics, lower case): the producer's identity within a province.
    name_key = models.CharField(max_length=255)
    producer_type = models.CharField(max_length=20, choices=ProducerType.choices)
    tax_code = models.CharField(max_length=20, blank=True)
    phone = models.CharField(max_length=30, blank=True)
    email = models.EmailField(blank=True)
    warehouse = models.OneToOneField(
        "warehouse.Warehouse", on_delete=models.PROTECT, related_name="ocop_producer"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["name_key", "province_code"], name="unique_producer_per_province"
            )
        ]

    def __str__(self) -> str:
        return self.name


class OcopProduct(models.Model):
    """Links a Saleor product to its producer and its recognition decisions."""

    product = models.OneToOneField("product.Product", on_delete=models.CASCADE, related_name="ocop")
    producer = models.ForeignKey(Producer, on_delete=models.PROTECT, related_name="products")
    name_key = models.CharField(max_length=255)
    product_set_code = models.PositiveSmallIntegerField()
    current_certificate = models.OneToOneField(
        "Certificate", null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["producer", "name_key"], name="unique_product_per_producer"
            )
        ]

    def __str__(self) -> str:
        return self.product.name


class Certificate(Origin):
    """One recognition decision ("quyết định công nhận") for one product. Decisions are
    never edited away: a renewal or a star upgrade is a new row, so history is kept."""

    ocop_product = models.ForeignKey(
        OcopProduct, on_delete=models.CASCADE, related_name="certificates"
    )
    product_name = models.CharField(max_length=255)
    stars = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    decision_number = models.CharField(max_length=100)
    decision_key = models.CharField(max_length=100)
    decision_date = models.DateField()
    expiry_date = models.DateField()
    expiry_is_explicit = models.BooleanField(default=False)
    issuing_authority = models.CharField(max_length=255)
    issuing_level = models.CharField(max_length=10, choices=IssuingLevel.choices)
    legal_basis = models.CharField(max_length=100)
    # Hash of the registry row last imported for this decision: a re-import of the
    # same row is recognised as unchanged without comparing every field.
    source_hash = models.CharField(max_length=64)
    source_file = models.CharField(max_length=255, blank=True)
    source_row = models.PositiveIntegerField(null=True)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["decision_key", "ocop_product"], name="unique_decision_per_product"
            )
        ]
        ordering = ["-decision_date", "-id"]

    def __str__(self) -> str:
        return f"{self.decision_number} ({self.stars}★)"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.decision_date <= day <= self.expiry_date
