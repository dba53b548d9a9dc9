"""Saleor 2.10's side of platform staff's order desk (``marketplace.order_desk``): the
order search, an order's payments and history, and the confirmation e-mail sent again.

The search reads Saleor's orders and payments and the domain's copies made for search
(``CooperativeOrder.customer_email``/``customer_phone``, indexed in marketplace): the
shopper's e-mail and phone are found through the parts, so no unindexed column of
Saleor's tables is scanned. Pages are keyset (order number), newest first.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Q, TextField
from django.db.models.functions import Cast
from saleor.order import OrderEvents, OrderStatus
from saleor.order.models import Order
from saleor.payment import ChargeStatus
from saleor.payment.models import Payment

from marketplace.models import CooperativeOrder
from marketplace.ports import (
    OrderHistoryItem,
    OrderQuery,
    OrderSummary,
    PaymentSummary,
    PaymentTransaction,
)
from saleor_adapter.payments.cod import GATEWAY_ID as COD
from saleor_adapter.payments.vietqr import GATEWAY_ID as VIETQR

# PaymentState.status → what Saleor's payment rows say (the order's current payment).
PAYMENT_STATUS = {
    "unpaid": Q(is_active=True, charge_status=ChargeStatus.NOT_CHARGED),
    "partly_paid": Q(is_active=True, charge_status=ChargeStatus.PARTIALLY_CHARGED),
    "paid": Q(is_active=True, charge_status=ChargeStatus.FULLY_CHARGED),
    "partly_refunded": Q(is_active=True, charge_status=ChargeStatus.PARTIALLY_REFUNDED),
    "refunded": Q(is_active=True, charge_status=ChargeStatus.FULLY_REFUNDED),
    "voided": Q(is_active=False, charge_status=ChargeStatus.NOT_CHARGED),
}
PAYMENT_KIND = {
    "cod": Q(gateway=COD),
    "transfer": Q(gateway=VIETQR),
    "card": ~Q(gateway__in=[COD, VIETQR]),
}
EVENT_LABELS = {
    OrderEvents.PLACED: "Đặt hàng / Placed",
    OrderEvents.CANCELED: "Huỷ đơn / Cancelled",
    OrderEvents.ORDER_MARKED_AS_PAID: "Đánh dấu đã thanh toán / Marked as paid",
    OrderEvents.ORDER_FULLY_PAID: "Đã thanh toán đủ / Fully paid",
    OrderEvents.EMAIL_SENT: "Đã gửi e-mail / E-mail sent",
    OrderEvents.PAYMENT_CAPTURED: "Thu tiền / Payment captured",
    OrderEvents.PAYMENT_REFUNDED: "Hoàn tiền / Payment refunded",
    OrderEvents.PAYMENT_VOIDED: "Huỷ thanh toán / Payment voided",
    OrderEvents.PAYMENT_FAILED: "Thanh toán lỗi / Payment failed",
    OrderEvents.FULFILLMENT_FULFILLED_ITEMS: "Giao cho vận chuyển / Fulfilled",
    OrderEvents.FULFILLMENT_CANCELED: "Huỷ lần giao / Fulfilment cancelled",
    OrderEvents.TRACKING_UPDATED: "Cập nhật mã vận đơn / Tracking updated",
    OrderEvents.NOTE_ADDED: "Ghi chú / Note",
}


def _kind(gateway: str) -> str:
    return {COD: "cod", VIETQR: "transfer"}.get(gateway, "card")


def _summary(order: Order) -> OrderSummary:
    address = order.shipping_address or order.billing_address
    name = ""
    if address is not None:
        name = " ".join(p for p in (address.last_name, address.first_name) if p)
    return OrderSummary(
        pk=order.pk,
        created=order.created,
        status=order.status,
        email=order.user_email or (order.user.email if order.user else ""),
        customer_name=name,
        phone=str(address.phone or "") if address is not None else "",
        total=order.total_gross_amount,
        currency=order.currency,
    )


def search(query: OrderQuery, *, after=None, before=None, limit: int = 50) -> list[OrderSummary]:
    orders = Order.objects.exclude(status=OrderStatus.DRAFT)
    if query.number is not None:
        orders = orders.filter(pk=query.number)
    parts = CooperativeOrder.objects.all()
    narrowed = False
    if query.email:
        parts, narrowed = parts.filter(customer_email__iexact=query.email), True
    if query.phone:
        parts, narrowed = parts.filter(customer_phone=query.phone), True
    if query.producer_id is not None:
        parts, narrowed = parts.filter(producer_id=query.producer_id), True
    if query.part_status:
        parts, narrowed = parts.filter(status=query.part_status), True
    if narrowed:
        orders = orders.filter(pk__in=parts.values("order_id"))
    if query.payment_kind or query.payment_status:
        payments = Payment.objects.all()
        if query.payment_kind:
            payments = payments.filter(PAYMENT_KIND[query.payment_kind])
        if query.payment_status:
            payments = payments.filter(PAYMENT_STATUS[query.payment_status])
        orders = orders.filter(pk__in=payments.values("order_id"))
    # Plain values, not models: no model, address or phone object per row (the phone is
    # read as stored, E.164), which is most of a page's cost on 50 rows.
    rows = orders.values(
        "pk", "created", "status", "user_email", "total_gross_amount", "currency",
        first_name=F("shipping_address__first_name"),
        last_name=F("shipping_address__last_name"),
        phone=Cast("shipping_address__phone", TextField()),
    )  # fmt: skip
    if before is not None:
        found = list(rows.filter(pk__gt=before).order_by("pk")[:limit])
        found.reverse()
    else:
        if after is not None:
            rows = rows.filter(pk__lt=after)
        found = list(rows.order_by("-pk")[:limit])
    return [
        OrderSummary(
            pk=row["pk"],
            created=row["created"],
            status=row["status"],
            email=row["user_email"],
            customer_name=" ".join(p for p in (row["last_name"], row["first_name"]) if p),
            phone=row["phone"] or "",
            total=row["total_gross_amount"],
            currency=row["currency"],
        )
        for row in found
    ]


def summary(order: Order) -> OrderSummary:
    return _summary(order)


def history(order: Order) -> list[OrderHistoryItem]:
    items = []
    for event in order.events.select_related("user").order_by("date", "pk"):
        parameters = event.parameters or {}
        message = parameters.get("message") or ""
        if not message and parameters.get("amount") is not None:
            message = f"{parameters['amount']} {order.currency}"
        if not message and parameters.get("email_type"):
            message = f"{parameters['email_type']} → {parameters.get('email') or ''}"
        items.append(
            OrderHistoryItem(
                at=event.date,
                kind=EVENT_LABELS.get(event.type, event.type),
                user_email=event.user.email if event.user else "",
                message=str(message),
            )
        )
    return items


def payments_of(order: Order) -> list[PaymentSummary]:
    payments = order.payments.prefetch_related("transactions").order_by("pk")
    return [
        PaymentSummary(
            pk=payment.pk,
            kind=_kind(payment.gateway),
            gateway=payment.gateway,
            charge_status=payment.charge_status,
            active=payment.is_active,
            total=payment.total,
            captured=payment.captured_amount,
            created=payment.created,
            transactions=tuple(
                PaymentTransaction(
                    at=t.created,
                    kind=t.kind,
                    amount=t.amount,
                    success=t.is_success,
                    error=t.error or "",
                )
                for t in sorted(payment.transactions.all(), key=lambda t: (t.created, t.pk))
            ),
        )
        for payment in payments
    ]


def resend_confirmation(order: Order, user) -> None:
    from saleor.order.emails import send_order_confirmation

    user_pk = user.pk if user is not None and user.is_authenticated else None
    order_pk = order.pk
    # Saleor's task writes the "e-mail sent" event with the staff member who asked.
    transaction.on_commit(lambda: send_order_confirmation.delay(order_pk, "", user_pk))
