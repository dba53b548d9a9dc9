"""Certificate expiry reminders: 90 and 30 days before a product's current certificate
expires, to its producer (the portal's notification address, the producer's e-mail and
its members) and to its province's staff; each reminder once, ever (a unique row per
certificate and lead time). A certificate first seen with 20 days left gets only the
30-day reminder; a revoked or already expired one gets none."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from fairs.models import ProvinceStaff
from marketplace import notifications, ports
from marketplace.models import Certificate, OcopProduct
from marketplace.verification_codes import product_code
from verification.models import CertificateReminder

logger = logging.getLogger(__name__)

LEAD_DAYS = (90, 30)


def recipients(ocop_product: OcopProduct) -> list[str]:
    """The producer's addresses (as for its orders), then its province's staff."""
    producer = ocop_product.producer
    province_staff = (
        ProvinceStaff.objects.filter(province_code=producer.province_code, user__is_active=True)
        .order_by("pk")
        .values_list("user__email", flat=True)
    )
    return notifications.producer_recipients(producer, *province_staff)


def _due(certificate: Certificate, today: datetime.date) -> int | None:
    left = (certificate.expiry_date - today).days
    if left < 0:
        return None
    for lead in sorted(LEAD_DAYS):
        if left <= lead:
            return lead
    return None


def _message(certificate: Certificate, ocop_product: OcopProduct, lead: int) -> tuple[str, str]:
    name = ocop_product.product.name
    expiry = certificate.expiry_date.strftime("%d/%m/%Y")
    url = ports.orders().absolute_url(
        reverse("verification:product", args=[product_code(ocop_product.pk)])
    )
    subject = (
        f"Chứng nhận OCOP của «{name}» hết hạn ngày {expiry} (còn {lead} ngày) / "
        f"OCOP certificate of «{name}» expires on {expiry}"
    )
    body = (
        f"Chứng nhận OCOP {certificate.stars} sao của sản phẩm «{name}» "
        f"({ocop_product.producer.name}), quyết định {certificate.decision_number}, "
        f"hết hiệu lực ngày {expiry}. Sau ngày này sản phẩm không được dùng logo OCOP "
        f"và tạm ngừng bán trên Chợ OCOP cho đến khi có quyết định công nhận lại.\n"
        f"Trang xác minh: {url}\n\n"
        f"The {certificate.stars}-star OCOP certificate of «{name}» "
        f"({ocop_product.producer.name}), decision {certificate.decision_number}, "
        f"expires on {expiry}. After that day the product may not carry the OCOP mark and "
        f"leaves the shop until it is recognised again.\nVerification page: {url}\n"
    )
    return subject, body


def send_expiry_reminders(today: datetime.date | None = None) -> int:
    """Send the reminders due today; returns how many were sent."""
    today = today or timezone.localdate()
    horizon = today + datetime.timedelta(days=max(LEAD_DAYS))
    products = (
        OcopProduct.objects.filter(
            current_certificate__expiry_date__gte=today,
            current_certificate__expiry_date__lte=horizon,
            current_certificate__revoked_on__isnull=True,
        )
        .select_related("current_certificate", "producer", "product")
        .order_by("pk")
    )
    sent = 0
    for ocop_product in products:
        certificate = ocop_product.current_certificate
        lead = _due(certificate, today)
        if lead is None:
            continue
        if CertificateReminder.objects.filter(
            certificate=certificate, days_before__lte=lead
        ).exists():
            continue  # sent already (or the shorter one was)
        to = recipients(ocop_product)
        subject, body = _message(certificate, ocop_product, lead)
        try:
            with transaction.atomic():
                CertificateReminder.objects.create(
                    certificate=certificate, days_before=lead, recipients=", ".join(to)
                )
                if to:
                    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL or None, to).send()
        except IntegrityError:
            continue  # another run sent it
        sent += 1
    return sent
