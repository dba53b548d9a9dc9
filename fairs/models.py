"""Province trade fairs: the fair, its booths and featured products, the people who run
it, and what its printed links brought (visits, carts, orders).

A fair's links are printed on posters and booth cards that outlive the fair, so a slug
once used is never given to anything else (``RetiredSlug``). The attribution rows are
append-mostly facts: one visit per scan, one cart row per Saleor checkout (moved to the
latest visit, last touch), and one credit per Saleor order, ever (unique on the order).
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone

from marketplace.models import OcopProduct, Producer


class ProvinceStaff(models.Model):
    """A Saleor user who runs fairs for a province (``province_code`` as on Producer)."""

    user = models.ForeignKey(
        "account.User", on_delete=models.CASCADE, related_name="fair_provinces"
    )
    province_code = models.CharField(max_length=2)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "province_code"], name="unique_province_staff")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.province_code}"


class Fair(models.Model):
    slug = models.CharField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    province_code = models.CharField(max_length=2, db_index=True)
    venue = models.CharField(max_length=300)
    starts_on = models.DateField()
    ends_on = models.DateField()
    description = models.TextField(blank=True)
    cooperatives = models.ManyToManyField(Producer, blank=True, related_name="fairs")
    created_by = models.ForeignKey(
        "account.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                check=models.Q(ends_on__gte=models.F("starts_on")), name="fair_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def is_over(self, today: datetime.date | None = None) -> bool:
        return (today or timezone.localdate()) > self.ends_on

    def is_upcoming(self, today: datetime.date | None = None) -> bool:
        return (today or timezone.localdate()) < self.starts_on


class Booth(models.Model):
    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="booths")
    slug = models.CharField(max_length=50)
    name = models.CharField(max_length=200)
    # The number painted on the stand ("A12"), for the printed card.
    code = models.CharField(max_length=20, blank=True)
    producer = models.ForeignKey(
        Producer, null=True, blank=True, on_delete=models.PROTECT, related_name="fair_booths"
    )

    class Meta:
        ordering = ["code", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["fair", "slug"], name="unique_booth_slug_per_fair")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class FairProduct(models.Model):
    """A product featured at a fair, optionally shown at one booth."""

    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="featured")
    ocop_product = models.ForeignKey(
        OcopProduct, on_delete=models.PROTECT, related_name="fair_listings"
    )
    booth = models.ForeignKey(
        Booth, null=True, blank=True, on_delete=models.PROTECT, related_name="products"
    )
    slug = models.CharField(max_length=50)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["fair", "ocop_product"], name="unique_featured_product_per_fair"
            ),
            models.UniqueConstraint(fields=["fair", "slug"], name="unique_product_slug_per_fair"),
        ]

    def __str__(self) -> str:
        return self.slug


class RetiredSlug(models.Model):
    """A slug that was printed and then changed: it keeps resolving to its old target
    and is never given to another fair, booth or product."""

    class Kind(models.TextChoices):
        FAIR = "fair", "Hội chợ"
        BOOTH = "booth", "Gian hàng"
        PRODUCT = "product", "Sản phẩm"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The fair the slug lives under (for a fair's own slug: that fair).
    fair = models.ForeignKey(Fair, on_delete=models.CASCADE, related_name="retired_slugs")
    slug = models.CharField(max_length=50)
    target_id = models.PositiveIntegerField()
    retired_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["slug"], condition=models.Q(kind="fair"), name="unique_retired_fair_slug"
            ),
            models.UniqueConstraint(
                fields=["fair", "kind", "slug"],
                condition=~models.Q(kind="fair"),
                name="unique_retired_slug_per_fair",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.slug}"


class FairVisit(models.Model):
    """One opening of a fair link. No IP address or user agent is kept: the visitor is
    a random id from our own cookie, enough to count unique visitors."""

    id = models.BigAutoField(primary_key=True)
    fair = models.ForeignKey(Fair, on_delete=models.PROTECT, related_name="visits")
    booth = models.ForeignKey(
        Booth, null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    fair_product = models.ForeignKey(
        FairProduct, null=True, blank=True, on_delete=models.PROTECT, related_name="visits"
    )
    visitor_id = models.UUIDField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["fair", "created_at"], name="fair_visit_time_idx")]

    def __str__(self) -> str:
        return f"visit {self.pk} of fair {self.fair_id}"


class FairCart(models.Model):
    """A Saleor checkout made or changed while a fair visit was in the cookie. The row
    outlives the checkout (Saleor deletes it when the order is placed), so the report
    can count carts; it follows the shopper's latest visit (last touch)."""

    checkout_token = models.UUIDField(unique=True)
    visit = models.ForeignKey(FairVisit, on_delete=models.PROTECT, related_name="carts")
    fair = models.ForeignKey(Fair, on_delete=models.PROTECT, related_name="carts")
    booth = models.ForeignKey(
        Booth, null=True, blank=True, on_delete=models.PROTECT, related_name="carts"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["fair", "created_at"], name="fair_cart_time_idx")]

    def __str__(self) -> str:
        return f"cart {self.checkout_token} → fair {self.fair_id}"


class FairOrder(models.Model):
    """A Saleor order credited to a fair (and booth): written once, inside the order's
    own transaction. Amounts are read from the order itself in reports, so a refund or a
    cancellation in Saleor shows there without a copy to keep in step."""

    order = models.OneToOneField(
        "order.Order", on_delete=models.CASCADE, related_name="fair_credit"
    )
    fair = models.ForeignKey(Fair, on_delete=models.PROTECT, related_name="orders")
    booth = models.ForeignKey(
        Booth, null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    fair_product = models.ForeignKey(
        FairProduct, null=True, blank=True, on_delete=models.PROTECT, related_name="orders"
    )
    visit = models.ForeignKey(FairVisit, on_delete=models.PROTECT, related_name="orders")
    visited_at = models.DateTimeField()
    credited_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["fair", "credited_at"], name="fair_order_time_idx")]

    def __str__(self) -> str:
        return f"order {self.order_id} → fair {self.fair_id}"
