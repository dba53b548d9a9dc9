"""The OCOP facts Saleor has no place for: producers and their recognition decisions."""

from __future__ import annotations

import datetime

from django.db import models
from django.db.models.functions import Upper
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
    # Suspended by the platform (marketplace.cooperatives.suspend): its products leave
    # the shop (certification.valid_on), its open orders go on. The products the
    # suspension took down are put back when it is lifted.
    suspended_at = models.DateTimeField(null=True, blank=True)
    suspension_reason = models.TextField(blank=True)
    unpublished_by_suspension = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["name_key", "province_code"], name="unique_producer_per_province"
            )
        ]
        # The cooperatives list, by name (8,000 of them).
        indexes = [models.Index(fields=["name", "id"], name="producer_name_idx")]

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
    # From the registry's optional columns (catalog_sync.validation): the GS1 barcode,
    # the raw-material area's quality marks (VietGAP, hữu cơ, GlobalGAP, GACP-WHO), and
    # whether the product group was inferred from the name (for staff to review).
    gtin = models.CharField(max_length=14, blank=True)
    quality_marks = models.JSONField(default=list, blank=True)
    product_group_inferred = models.BooleanField(default=False)

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
    # Revocation ("thu hồi"): the province's decision withdrawing the recognition. From
    # ``revoked_on`` (the revoking decision's date) the certificate is no longer in force.
    revoked_on = models.DateField(null=True, blank=True)
    revocation_decision = models.CharField(max_length=100, blank=True)
    revocation_reason = models.TextField(blank=True)
    revoked_by = models.ForeignKey(
        "account.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["decision_key", "ocop_product"], name="unique_decision_per_product"
            )
        ]
        ordering = ["-decision_date", "-id"]

    def __str__(self) -> str:
        return f"{self.decision_number} ({self.stars}★)"

    def is_revoked_on(self, day: datetime.date) -> bool:
        return self.revoked_on is not None and self.revoked_on <= day

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.decision_date <= day <= self.expiry_date and not self.is_revoked_on(day)


# -- Cooperative orders, notifications, settlement --------------------------------------
#
# Saleor has no vendors. A customer's Saleor order is split, once, into one cooperative
# order ("đơn của HTX") per producer whose products it holds; each cooperative fulfils
# its own part. The invariants that protect money live in the database: one routing per
# Saleor order, one cooperative order per (order, producer), one cooperative line per
# Saleor order line, one delivery entry per cooperative order, ledger rows that cannot
# be edited or deleted (a trigger, see migration 0003), and a ledger row paid once.


class CooperativeSettings(models.Model):
    """What a producer configures for selling: commission, notifications, bank account.
    Kept beside Producer (catalogue facts) so the registry import never touches it."""

    producer = models.OneToOneField(
        Producer, on_delete=models.CASCADE, related_name="cooperative_settings"
    )
    # Empty: the operator's default from the OCOP plugin configuration.
    commission_rate_percent = models.DecimalField(
        max_digits=5, decimal_places=2, null=True, blank=True
    )
    notification_email = models.EmailField(blank=True)
    webhook_url = models.URLField(blank=True)
    webhook_secret = models.CharField(max_length=128, blank=True)
    bank_name = models.CharField(max_length=100, blank=True)
    bank_bin = models.CharField(max_length=8, blank=True)
    bank_account_number = models.CharField(max_length=34, blank=True)
    bank_account_holder = models.CharField(max_length=255, blank=True)
    # Its parcels ship free from this goods amount (0: never); empty: the operator's
    # free_shipping_threshold_vnd (marketplace.shipping).
    free_shipping_threshold_amount = models.DecimalField(
        max_digits=12, decimal_places=0, null=True, blank=True
    )
    # Its profile, as the cooperative tells it (marketplace.cooperatives.update_profile),
    # shown beside its products on the storefront; the registry's facts stay on Producer.
    story = models.TextField(blank=True)
    logo = models.ImageField(upload_to="cooperative-logos/", blank=True)
    address = models.CharField(max_length=255, blank=True)
    contact_name = models.CharField(max_length=100, blank=True)
    contact_phone = models.CharField(max_length=20, blank=True)  # E.164
    contact_email = models.EmailField(blank=True)

    def __str__(self) -> str:
        return f"Settings of {self.producer}"


class PayoutAccountChange(models.Model):
    """A new bank account for a cooperative's payouts, waiting for a second staff
    member's approval (four eyes: whoever asks cannot approve)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ duyệt / Pending"
        APPROVED = "approved", "Đã duyệt / Approved"
        REJECTED = "rejected", "Từ chối / Rejected"
        SUPERSEDED = "superseded", "Bị thay thế / Superseded"

    producer = models.ForeignKey(
        Producer, on_delete=models.CASCADE, related_name="payout_account_changes"
    )
    bank_bin = models.CharField(max_length=8)
    bank_account_number = models.CharField(max_length=34)
    bank_account_holder = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey("account.User", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        "account.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["producer"],
                condition=models.Q(status="pending"),
                name="one_pending_payout_account_change",
            )
        ]

    def __str__(self) -> str:
        return f"{self.bank_bin} {self.bank_account_number} ({self.status})"


class CooperativeMembership(models.Model):
    """A Saleor user who works for a producer and may use its portal."""

    class Role(models.TextChoices):
        MANAGER = "manager", "Quản lý"
        STAFF = "staff", "Nhân viên"

    user = models.ForeignKey(
        "account.User", on_delete=models.CASCADE, related_name="cooperative_memberships"
    )
    producer = models.ForeignKey(Producer, on_delete=models.CASCADE, related_name="members")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.STAFF)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "producer"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.producer_id}"


class OrderRouting(models.Model):
    """One row per Saleor order, written inside the checkout's transaction: the outbox
    the routing task works from, its exactly-once gate, and the staff flag."""

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ định tuyến"
        ROUTED = "routed", "Đã định tuyến"

    order = models.OneToOneField("order.Order", on_delete=models.CASCADE, related_name="routing")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    routed_at = models.DateTimeField(null=True, blank=True)
    needs_attention = models.BooleanField(default=False)
    attention_reason = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["created_at"],
                name="routing_pending_idx",
                condition=models.Q(status="pending"),
            ),
            models.Index(
                fields=["created_at"],
                name="routing_attention_idx",
                condition=models.Q(needs_attention=True),
            ),
            # The back office's "Today": the orders of the last 24 hours.
            models.Index(fields=["-created_at", "-id"], name="routing_created_idx"),
        ]

    def __str__(self) -> str:
        return f"routing of order {self.order_id}: {self.status}"


class CooperativeOrderStatus(models.TextChoices):
    NEW = "new", "Mới"
    ACCEPTED = "accepted", "Đã nhận"
    PACKED = "packed", "Đã đóng gói"
    SHIPPED = "shipped", "Đang giao"
    DELIVERED = "delivered", "Đã giao"
    REJECTED = "rejected", "Đã từ chối"
    CANCELLED = "cancelled", "Đã huỷ"


class CooperativeOrder(models.Model):
    """A producer's part of a customer's order: its lines, amounts and shipment."""

    Status = CooperativeOrderStatus

    order = models.ForeignKey(
        "order.Order", on_delete=models.PROTECT, related_name="cooperative_orders"
    )
    producer = models.ForeignKey(
        Producer, on_delete=models.PROTECT, related_name="cooperative_orders"
    )
    # "<Saleor order number>-<n>", shown to cooperatives and customers.
    number = models.CharField(max_length=30, unique=True)
    status = models.CharField(
        max_length=10, choices=CooperativeOrderStatus.choices, default=CooperativeOrderStatus.NEW
    )
    currency = models.CharField(max_length=3, default="VND")
    # Goods total of the lines (unit gross price × quantity), whole đồng.
    subtotal_amount = models.DecimalField(max_digits=14, decimal_places=0)
    # This part's share of the shipping the customer paid (largest remainder by subtotal).
    shipping_amount = models.DecimalField(max_digits=14, decimal_places=0, default=0)
    # Copied for search and display; the address itself is the order's private copy.
    customer_name = models.CharField(max_length=512, blank=True)
    customer_email = models.EmailField(blank=True)
    customer_phone = models.CharField(max_length=32, blank=True)
    carrier = models.CharField(max_length=100, blank=True)
    tracking_number = models.CharField(max_length=100, blank=True)
    reason = models.TextField(blank=True)
    fulfillment = models.OneToOneField(
        "order.Fulfillment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cooperative_order",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    packed_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The day the parcel reached the shopper, as whoever marked it delivered said
    # (``delivered_at`` is when that was recorded, which the books go by), and their
    # proof (a courier's receipt number, who signed).
    delivered_on = models.DateField(null=True, blank=True)
    delivery_note = models.TextField(blank=True)
    # Still new past the escalation time: put on the staff queue (once).
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["order", "producer"], name="one_cooperative_order_per_producer"
            )
        ]
        indexes = [
            models.Index(fields=["producer", "-created_at", "-id"], name="coop_order_list_idx"),
            models.Index(
                fields=["producer", "status", "-created_at", "-id"], name="coop_order_status_idx"
            ),
            # Parts still waiting for their cooperative, across cooperatives (the back
            # office's "Today", the acceptance follow-up).
            models.Index(
                fields=["created_at", "id"],
                name="coop_order_new_idx",
                condition=models.Q(status="new"),
            ),
            # Platform staff's order desk finds orders by the shopper's e-mail (any case),
            # phone (E.164) and by a part's status across cooperatives (order_desk).
            models.Index(Upper("customer_email"), name="coop_order_email_idx"),
            models.Index(fields=["customer_phone"], name="coop_order_phone_idx"),
            models.Index(fields=["status", "order"], name="coop_order_status_order_idx"),
            # Platform staff's portal list, newest first across every cooperative, and
            # by status (bench/backoffice_lists.py: both sorted all 130,000 parts).
            models.Index(fields=["-created_at", "-id"], name="coop_order_newest_idx"),
            models.Index(fields=["status", "-created_at", "-id"], name="coop_order_status_new_idx"),
        ]
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.number

    @property
    def total_amount(self):
        return self.subtotal_amount + self.shipping_amount


class CooperativeOrderLine(models.Model):
    cooperative_order = models.ForeignKey(
        CooperativeOrder, on_delete=models.CASCADE, related_name="lines"
    )
    # A Saleor order line belongs to exactly one cooperative order, ever.
    order_line = models.OneToOneField(
        "order.OrderLine", on_delete=models.PROTECT, related_name="cooperative_line"
    )
    product_name = models.CharField(max_length=386)
    sku = models.CharField(max_length=255)
    quantity = models.PositiveIntegerField()
    unit_price_amount = models.DecimalField(max_digits=14, decimal_places=0)
    total_amount = models.DecimalField(max_digits=14, decimal_places=0)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.sku} × {self.quantity}"


class CooperativeOrderEvent(models.Model):
    """The history of a cooperative order: who moved it where, when, and why."""

    cooperative_order = models.ForeignKey(
        CooperativeOrder, on_delete=models.CASCADE, related_name="events"
    )
    status = models.CharField(max_length=10, choices=CooperativeOrderStatus.choices)
    user = models.ForeignKey(
        "account.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.cooperative_order_id} → {self.status}"


class NotificationDelivery(models.Model):
    """One notification to send, once: (cooperative order, channel, event) is unique,
    and every attempt is recorded."""

    class Channel(models.TextChoices):
        COOPERATIVE_EMAIL = "coop_email", "Email HTX"
        COOPERATIVE_WEBHOOK = "coop_webhook", "Webhook HTX"
        CUSTOMER_EMAIL = "customer_email", "Email khách hàng"

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ gửi"
        SENT = "sent", "Đã gửi"
        RETRYING = "retrying", "Đang thử lại"
        FAILED = "failed", "Thất bại"
        SKIPPED = "skipped", "Bỏ qua"

    cooperative_order = models.ForeignKey(
        CooperativeOrder, on_delete=models.CASCADE, related_name="notifications"
    )
    channel = models.CharField(max_length=20, choices=Channel.choices)
    event = models.CharField(max_length=30)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    recipient = models.CharField(max_length=500, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    attempt_log = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative_order", "channel", "event"], name="one_notification_per_event"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} {self.event} of {self.cooperative_order_id}"


class PayoutBatch(models.Model):
    """One payout run: what was owed to each producer, sent to the bank in one file."""

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ chuyển khoản"
        PAID = "paid", "Đã chuyển khoản"

    reference = models.CharField(max_length=40, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    currency = models.CharField(max_length=3, default="VND")
    total_amount = models.DecimalField(max_digits=16, decimal_places=0)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        "account.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    # The bank's confirmation, as staff record it: its reference and the transfer's day.
    bank_reference = models.CharField(max_length=100, blank=True)
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["-created_at", "-id"], name="payoutbatch_newest_first")]

    def __str__(self) -> str:
        return self.reference


class PayoutLine(models.Model):
    batch = models.ForeignKey(PayoutBatch, on_delete=models.PROTECT, related_name="lines")
    producer = models.ForeignKey(Producer, on_delete=models.PROTECT, related_name="payouts")
    amount = models.DecimalField(max_digits=16, decimal_places=0)
    entry_count = models.PositiveIntegerField()
    # The bank details as they were when the batch was made.
    bank_name = models.CharField(max_length=100)
    bank_bin = models.CharField(max_length=8, blank=True)
    bank_account_number = models.CharField(max_length=34)
    bank_account_holder = models.CharField(max_length=255)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["batch", "producer"], name="one_payout_line_per_batch")
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}: {self.producer_id} {self.amount}"


class LedgerEntry(models.Model):
    """An immutable settlement row. Amounts are signed whole đồng: a delivery is
    positive, a refund or a cancellation is a reversing (negative) entry. The only
    change ever allowed is setting ``payout_batch`` once (database trigger)."""

    class Kind(models.TextChoices):
        DELIVERY = "delivery", "Giao hàng thành công"
        REFUND = "refund", "Hoàn tiền"
        REVERSAL = "reversal", "Huỷ sau giao hàng"

    producer = models.ForeignKey(Producer, on_delete=models.PROTECT, related_name="ledger")
    cooperative_order = models.ForeignKey(
        CooperativeOrder, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    currency = models.CharField(max_length=3, default="VND")
    gross_amount = models.DecimalField(max_digits=14, decimal_places=0)
    commission_rate_percent = models.DecimalField(max_digits=5, decimal_places=2)
    commission_amount = models.DecimalField(max_digits=14, decimal_places=0)
    shipping_amount = models.DecimalField(max_digits=14, decimal_places=0)
    net_amount = models.DecimalField(max_digits=14, decimal_places=0)
    reason = models.TextField(blank=True)
    # Caller-chosen key: the same refund recorded twice is one entry.
    idempotency_key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        "account.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    payout_batch = models.ForeignKey(
        PayoutBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative_order"],
                condition=models.Q(kind="delivery"),
                name="one_delivery_entry_per_cooperative_order",
            ),
            models.UniqueConstraint(
                fields=["cooperative_order"],
                condition=models.Q(kind="reversal"),
                name="one_reversal_entry_per_cooperative_order",
            ),
            models.CheckConstraint(
                check=models.Q(
                    net_amount=models.F("gross_amount")
                    + models.F("shipping_amount")
                    - models.F("commission_amount")
                ),
                name="ledger_net_is_gross_plus_shipping_minus_commission",
            ),
        ]
        indexes = [
            models.Index(
                fields=["producer", "created_at"],
                name="ledger_unpaid_idx",
                condition=models.Q(payout_batch__isnull=True),
            ),
            # The statement, newest first: every cooperative's (platform staff) and one's.
            models.Index(fields=["-created_at", "-id"], name="ledger_newest_idx"),
            models.Index(
                fields=["producer", "-created_at", "-id"], name="ledger_producer_newest_idx"
            ),
        ]
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.net_amount} ({self.cooperative_order_id})"


# -- Money the customers paid, per cooperative order ------------------------------------
#
# The ledger above says what the platform owes each cooperative (earned on delivery).
# The two tables below follow the customers' money, from Saleor's payment transactions:
# ``PaymentRecord`` is one capture, refund or void, recorded once; ``EscrowEntry`` is
# money the platform holds for a cooperative order until it is delivered (positive) or
# is owed by a courier or funded by the platform (negative: a COD parcel delivered before
# its cash is collected). Delivery moves a part's value from escrow to the ledger, and a
# cancellation after delivery moves it back, so for every order:
#
#     Σ (gross + shipping) of its ledger entries + Σ of its escrow entries
#         = Σ captured − Σ refunded (its payment records)
#
# (see marketplace.settlement). Both tables are append-only, like the ledger.


class PaymentRecord(models.Model):
    """A Saleor payment event as settlement recorded it. ``key`` names the Saleor
    transaction, so an event delivered by two hooks is recorded once."""

    class Kind(models.TextChoices):
        CAPTURE = "capture", "Khách đã thanh toán / Captured"
        REFUND = "refund", "Hoàn tiền cho khách / Refunded"
        VOID = "void", "Huỷ thanh toán / Voided"

    order = models.ForeignKey(
        "order.Order", on_delete=models.PROTECT, related_name="ocop_payment_records"
    )
    key = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    currency = models.CharField(max_length=3, default="VND")
    amount = models.DecimalField(max_digits=14, decimal_places=0)
    # Empty for a payment Saleor marked paid without a transaction (staff "mark as paid").
    saleor_transaction = models.OneToOneField(
        "payment.Transaction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ocop_payment_record",
    )
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                check=models.Q(amount__gte=0), name="payment_amount_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} (order {self.order_id})"


class EscrowEntry(models.Model):
    """Money held for one cooperative order, signed whole đồng, goods and shipping."""

    class Kind(models.TextChoices):
        CAPTURE = "capture", "Khách đã thanh toán"
        REFUND = "refund", "Hoàn tiền cho khách"
        DELIVERY = "delivery", "Chuyển sang công nợ HTX khi giao"
        REVERSAL = "reversal", "Trả lại khi huỷ sau giao"

    producer = models.ForeignKey(Producer, on_delete=models.PROTECT, related_name="escrow")
    cooperative_order = models.ForeignKey(
        CooperativeOrder, on_delete=models.PROTECT, related_name="escrow_entries"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    currency = models.CharField(max_length=3, default="VND")
    goods_amount = models.DecimalField(max_digits=14, decimal_places=0)
    shipping_amount = models.DecimalField(max_digits=14, decimal_places=0)
    amount = models.DecimalField(max_digits=14, decimal_places=0)
    payment_record = models.ForeignKey(
        PaymentRecord,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="escrow_entries",
    )
    idempotency_key = models.CharField(max_length=100, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                check=models.Q(amount=models.F("goods_amount") + models.F("shipping_amount")),
                name="escrow_amount_is_goods_plus_shipping",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount} ({self.cooperative_order_id})"


class PartRefund(models.Model):
    """Money the shopper paid for a part that will not reach them (rejected, cancelled):
    given back once per part. Through the payment gateway where it can (a card), else
    owed: the shopper gives a bank account on the order page and staff transfer the money
    and record it. Either way the refund ends as a payment refund in the books
    (``settlement.record_payment_events``), charged to this part."""

    class Method(models.TextChoices):
        GATEWAY = "gateway", "Hoàn qua cổng thanh toán / Through the payment gateway"
        BANK_TRANSFER = "bank_transfer", "Chuyển khoản hoàn tiền / Bank transfer by staff"

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ hoàn qua cổng thanh toán / Gateway refund queued"
        REFUNDING = "refunding", "Đang hoàn tiền / Refund under way"
        AWAITING_DETAILS = "awaiting_details", "Chờ khách nhập tài khoản / Awaiting bank details"
        READY = "ready", "Chờ chuyển khoản hoàn / Ready to transfer"
        REFUNDED = "refunded", "Đã hoàn tiền / Refunded"
        FAILED = "failed", "Hoàn tiền lỗi, cần nhân viên / Failed, staff to act"

    cooperative_order = models.OneToOneField(
        CooperativeOrder, on_delete=models.PROTECT, related_name="refund"
    )
    amount = models.DecimalField(max_digits=14, decimal_places=0)
    method = models.CharField(max_length=15, choices=Method.choices)
    status = models.CharField(max_length=20, choices=Status.choices)
    bank_bin = models.CharField(max_length=8, blank=True)
    bank_account_number = models.CharField(max_length=19, blank=True)
    bank_account_holder = models.CharField(max_length=100, blank=True)
    details_given_at = models.DateTimeField(null=True, blank=True)
    bank_reference = models.CharField(max_length=100, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    refunded_by = models.ForeignKey(
        "account.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(check=models.Q(amount__gt=0), name="part_refund_positive")
        ]
        indexes = [
            models.Index(
                fields=["created_at"],
                name="part_refund_open_idx",
                condition=models.Q(
                    status__in=["pending", "refunding", "awaiting_details", "ready"]
                ),
            )
        ]

    def __str__(self) -> str:
        return f"refund {self.amount} of {self.cooperative_order_id} ({self.status})"


class StockReservation(models.Model):
    """Stock held for a checkout from the stock check before its payment until its
    order allocates the stock (or the attempt fails, or ``expires_at`` passes): the
    units a buyer is paying for right now, which no other checkout may take meanwhile.
    Written and read by ``saleor_adapter.stock_reservations``."""

    checkout_token = models.UUIDField()
    stock = models.ForeignKey(
        "warehouse.Stock", on_delete=models.CASCADE, related_name="ocop_reservations"
    )
    quantity = models.PositiveIntegerField()
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["checkout_token", "stock"], name="one_reservation_per_checkout_stock"
            )
        ]
        indexes = [models.Index(fields=["stock", "expires_at"], name="reservation_stock_idx")]

    def __str__(self) -> str:
        return f"{self.quantity} of stock {self.stock_id} for checkout {self.checkout_token}"


class SearchOutbox(models.Model):
    """A product whose search document is out of date (its product, price, stock,
    certificate or producer changed): written in the same transaction as the change by
    ``marketplace.search_outbox.mark_products``, removed once the engine has the new
    document. A plain id, not a foreign key: a deleted product must leave the index too."""

    product_id = models.IntegerField(primary_key=True)
    marked_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["marked_at"], name="search_outbox_marked_idx")]

    def __str__(self) -> str:
        return f"product {self.product_id} (since {self.marked_at})"


class CustomerErasure(models.Model):
    """A customer's personal data erased on their request (Vietnam's decree
    13/2023/NĐ-CP on personal data protection): who did it, when and why. It holds no
    personal data itself: the account is known by its id, which now names an
    anonymised account; ``counts`` says how many rows of each kind were cleaned."""

    customer_id = models.IntegerField(unique=True)
    erased_by = models.ForeignKey("account.User", on_delete=models.PROTECT, related_name="+")
    erased_at = models.DateTimeField(default=timezone.now)
    note = models.TextField()
    counts = models.JSONField(default=dict)

    class Meta:
        ordering = ["-erased_at", "-id"]

    def __str__(self) -> str:
        return f"Erasure of customer #{self.customer_id}"
