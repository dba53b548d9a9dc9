"""Notifications of cooperative orders: an email to the cooperative (Vietnamese, with a
link to its portal), an optional signed webhook, and the customer's email when a part
ships.

Each notification is a ``NotificationDelivery`` row, unique per (cooperative order,
channel, event) and written in the same transaction as what it announces. ``deliver``
locks the row (``SKIP LOCKED``: a duplicate task returns at once) and sends only while
it is pending, so a task run twice sends once. A crash between the send and the commit
can still repeat a send; the webhook carries a delivery id for the receiver to drop
such a repeat.

Webhook signature (like Stripe's): header ``X-OCOP-Signature: t=<unix time>,v1=<hex>``
where ``hex = HMAC-SHA256(secret, "<t>.<raw body>")``. Receivers should refuse a
timestamp older than five minutes. Failed deliveries (network error, non-2xx) are
retried by Celery with exponential backoff: 30 s, 60 s, 2 min, … up to
``WEBHOOK_MAX_ATTEMPTS`` attempts; each attempt is appended to ``attempt_log``.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from common.inputs import whole_number
from common.money import format_vnd
from marketplace import ports
from marketplace.models import CooperativeOrder, CooperativeSettings, NotificationDelivery

logger = logging.getLogger(__name__)

WEBHOOK_TIMEOUT_SECONDS = 10
WEBHOOK_MAX_ATTEMPTS = 6
WEBHOOK_BASE_DELAY_SECONDS = 30
EMAIL_MAX_ATTEMPTS = 5
SIGNATURE_HEADER = "X-OCOP-Signature"
EVENT_NAMES = {"order_created": "cooperative_order.created", "shipped": "cooperative_order.shipped"}


@dataclass
class Outcome:
    status: str
    retry_in: int | None = None


def sign(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes, *, now: int, tolerance: int = 300) -> bool:
    """What a receiver does (and our tests): check the signature and its age."""
    if not header.isascii():  # compare_digest raises TypeError on other text
        return False
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
    except ValueError:
        return False
    timestamp = whole_number(parts.get("t"), max_digits=12)
    if timestamp is None or abs(now - timestamp) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, timestamp, body), header)


def backoff_seconds(attempts: int) -> int:
    return WEBHOOK_BASE_DELAY_SECONDS * 2 ** max(attempts - 1, 0)


def portal_url(cooperative_order: CooperativeOrder) -> str:
    return ports.orders().absolute_url(reverse("portal:order_detail", args=[cooperative_order.pk]))


def order_payload(cooperative_order: CooperativeOrder) -> dict:
    address = cooperative_order.order.shipping_address
    return {
        "id": cooperative_order.pk,
        "number": cooperative_order.number,
        "order_number": str(cooperative_order.order_id),
        "status": cooperative_order.status,
        "producer": {"id": cooperative_order.producer_id, "name": cooperative_order.producer.name},
        "currency": cooperative_order.currency,
        "subtotal": int(cooperative_order.subtotal_amount),
        "shipping": int(cooperative_order.shipping_amount),
        "total": int(cooperative_order.total_amount),
        "created_at": cooperative_order.created_at.isoformat(),
        "carrier": cooperative_order.carrier,
        "tracking_number": cooperative_order.tracking_number,
        "lines": [
            {
                "sku": line.sku,
                "product_name": line.product_name,
                "quantity": line.quantity,
                "unit_price": int(line.unit_price_amount),
                "total": int(line.total_amount),
            }
            for line in cooperative_order.lines.all()
        ],
        "shipping_address": {
            "name": cooperative_order.customer_name,
            "phone": cooperative_order.customer_phone,
            "street_address_1": address.street_address_1 if address else "",
            "street_address_2": address.street_address_2 if address else "",
            "city": address.city if address else "",
            "city_area": address.city_area if address else "",
            "country_area": address.country_area if address else "",
            "postal_code": address.postal_code if address else "",
            "country": str(address.country) if address else "",
        },
        "portal_url": portal_url(cooperative_order),
    }


def _cooperative_recipients(cooperative_order: CooperativeOrder) -> list[str]:
    settings_row = CooperativeSettings.objects.filter(
        producer_id=cooperative_order.producer_id
    ).first()
    candidates = [
        settings_row.notification_email if settings_row else "",
        cooperative_order.producer.email,
        *cooperative_order.producer.members.filter(user__is_active=True)
        .order_by("pk")
        .values_list("user__email", flat=True),
    ]
    seen, result = set(), []
    for email in candidates:
        if email and email.lower() not in seen:
            seen.add(email.lower())
            result.append(email)
    return result


def message_id(delivery: NotificationDelivery) -> str:
    """One Message-ID per notification, the same on every attempt: a send repeated after
    a crash reaches the inbox as the same message, which mail systems show once."""
    return f"<ocop-notification-{delivery.pk}@{DNS_NAME}>"


def _email(
    template: str, context: dict, subject: str, to: list[str], delivery: NotificationDelivery
) -> None:
    text = render_to_string(f"marketplace/email/{template}.txt", context)
    html = render_to_string(f"marketplace/email/{template}.html", context)
    message = EmailMultiAlternatives(
        subject,
        text,
        settings.DEFAULT_FROM_EMAIL or None,
        to,
        headers={"Message-ID": message_id(delivery)},
    )
    message.attach_alternative(html, "text/html")
    message.send()


def _context(cooperative_order: CooperativeOrder) -> dict:
    return {
        "co": cooperative_order,
        "lines": list(cooperative_order.lines.all()),
        "address": cooperative_order.order.shipping_address,
        "subtotal": format_vnd(cooperative_order.subtotal_amount),
        "shipping": format_vnd(cooperative_order.shipping_amount),
        "total": format_vnd(cooperative_order.total_amount),
        "portal_url": portal_url(cooperative_order),
        "format_vnd": format_vnd,
    }


EVENT_ACCEPTANCE_REMINDER = "acceptance_reminder"


def _send_cooperative_email(delivery: NotificationDelivery) -> tuple[str, int | None]:
    co = delivery.cooperative_order
    to = _cooperative_recipients(co)
    if not to:
        return NotificationDelivery.Status.SKIPPED, None
    delivery.recipient = ", ".join(to)[:500]
    reminder = delivery.event == EVENT_ACCEPTANCE_REMINDER
    subject = (
        f"[Chợ OCOP] Nhắc việc: đơn {co.number} chưa được nhận"
        if reminder
        else f"[Chợ OCOP] Đơn hàng mới {co.number} – {format_vnd(co.total_amount)}"
    )
    _email(
        "cooperative_order_created", {**_context(co), "reminder": reminder}, subject, to, delivery
    )
    return NotificationDelivery.Status.SENT, None


# The shopper's e-mail per event of a part: (template, subject in Vietnamese / English).
CUSTOMER_EVENTS = {
    "shipped": ("customer_part_shipped", "{producer} đã gửi hàng"),
    "delivered": ("customer_part_update", "{number} đã giao / Part {number} delivered"),
    "rejected": (
        "customer_part_update",
        "{producer} không giao được phần đơn {number} / Part {number} cannot be delivered",
    ),
    "cancelled": ("customer_part_update", "Phần đơn {number} đã huỷ / Part {number} cancelled"),
    "refund_sent": (
        "customer_part_update",
        "Đã hoàn tiền phần đơn {number} / Refund sent for part {number}",
    ),
}


def order_page_url(order) -> str:
    return ports.orders().absolute_url(reverse("storefront-order", args=[order.token]))


def _customer_context(co: CooperativeOrder, event: str) -> dict:
    from marketplace import parcels  # parcels → ports; kept out of import time

    view = parcels.order_view(co.order_id)
    transfer = None
    if view.payment.kind == "transfer" and view.due > 0:
        transfer = ports.payments().transfer_instructions(co.order)
    parcel = next((p for p in view.parcels if p.part.pk == co.pk), None)
    return {
        **_context(co),
        "event": event,
        "view": view,
        "transfer": transfer,
        "refund": parcel.refund if parcel else None,
        "tracking_url": parcel.tracking_url if parcel else "",
        "order_url": order_page_url(co.order),
    }


def _send_customer_email(delivery: NotificationDelivery) -> tuple[str, int | None]:
    co = delivery.cooperative_order
    email = co.order.get_customer_email()
    if not email or delivery.event not in CUSTOMER_EVENTS:
        return NotificationDelivery.Status.SKIPPED, None
    delivery.recipient = email
    template, subject = CUSTOMER_EVENTS[delivery.event]
    subject = subject.format(producer=co.producer.name, number=co.number)
    _email(
        template,
        _customer_context(co, delivery.event),
        f"[Chợ OCOP] Đơn hàng #{co.order_id}: {subject}",
        [email],
        delivery,
    )
    return NotificationDelivery.Status.SENT, None


def _send_webhook(delivery: NotificationDelivery) -> tuple[str, int | None]:
    import requests

    co = delivery.cooperative_order
    settings_row = CooperativeSettings.objects.filter(producer_id=co.producer_id).first()
    if settings_row is None or not settings_row.webhook_url:
        return NotificationDelivery.Status.SKIPPED, None
    delivery.recipient = settings_row.webhook_url[:500]
    body = json.dumps(
        {
            "id": f"delivery-{delivery.pk}",
            "event": EVENT_NAMES.get(delivery.event, delivery.event),
            "created_at": delivery.created_at.isoformat(),
            "data": order_payload(co),
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()
    timestamp = int(time.time())
    response = requests.post(
        settings_row.webhook_url,
        data=body,
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": "ChoOCOP-Webhook/1",
            "X-OCOP-Event": EVENT_NAMES.get(delivery.event, delivery.event),
            "X-OCOP-Delivery": str(delivery.pk),
            "X-OCOP-Timestamp": str(timestamp),
            SIGNATURE_HEADER: sign(settings_row.webhook_secret, timestamp, body),
        },
        timeout=WEBHOOK_TIMEOUT_SECONDS,
        allow_redirects=False,
    )
    if 200 <= response.status_code < 300:
        return NotificationDelivery.Status.SENT, response.status_code
    raise DeliveryFailed(f"HTTP {response.status_code}", response.status_code)


class DeliveryFailed(Exception):
    def __init__(self, message: str, status_code: int | None = None):
        super().__init__(message)
        self.status_code = status_code


SENDERS = {
    NotificationDelivery.Channel.COOPERATIVE_EMAIL: (_send_cooperative_email, EMAIL_MAX_ATTEMPTS),
    NotificationDelivery.Channel.CUSTOMER_EMAIL: (_send_customer_email, EMAIL_MAX_ATTEMPTS),
    NotificationDelivery.Channel.COOPERATIVE_WEBHOOK: (_send_webhook, WEBHOOK_MAX_ATTEMPTS),
}


def deliver(delivery_id: int) -> Outcome:
    """Send one pending notification; says whether (and when) to try again."""
    with transaction.atomic():
        delivery = (
            NotificationDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("cooperative_order__producer", "cooperative_order__order")
            .filter(
                pk=delivery_id,
                status__in=[
                    NotificationDelivery.Status.PENDING,
                    NotificationDelivery.Status.RETRYING,
                ],
            )
            .first()
        )
        if delivery is None:  # already sent, given up, or being sent right now
            return Outcome("done")
        sender, max_attempts = SENDERS[delivery.channel]
        delivery.attempts += 1
        attempt = {"at": timezone.now().isoformat(), "attempt": delivery.attempts}
        retry_in = None
        try:
            status, code = sender(delivery)
            delivery.response_status = code
            attempt.update(result=status, status_code=code)
        except Exception as error:  # any failure of the outside world is retried
            logger.warning("Notification %s attempt failed", delivery.pk, exc_info=True)
            code = getattr(error, "status_code", None)
            delivery.response_status = code
            delivery.last_error = str(error)[:2000]
            attempt.update(result="error", status_code=code, error=str(error)[:500])
            if delivery.attempts >= max_attempts:
                status = NotificationDelivery.Status.FAILED
                logger.error("Notification %s failed for good: %s", delivery.pk, error)
            else:
                status = NotificationDelivery.Status.RETRYING
                retry_in = backoff_seconds(delivery.attempts)
        delivery.status = status
        if status == NotificationDelivery.Status.SENT:
            delivery.sent_at = timezone.now()
            delivery.last_error = ""
        delivery.attempt_log = [*delivery.attempt_log, attempt]
        delivery.save()
        return Outcome(status, retry_in)
