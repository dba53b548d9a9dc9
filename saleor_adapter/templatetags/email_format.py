"""Helpers for Saleor's e-mails (templates/templated_email/): names, addresses, payment
status, payment instructions and links written the Vietnamese way. Prices use ``vnd``
from ``storefront``."""

from __future__ import annotations

from django import template
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from saleor.core.utils import build_absolute_uri
from saleor.payment import ChargeStatus
from saleor.plugins.manager import get_plugins_manager

from storefront.models import StorefrontConfiguration

register = template.Library()

# Django imports every tag library when its template engine starts, so payment code is
# imported where it is used: a change there can break an e-mail, never every page.
COD = "ocop.payments.cod"  # saleor_adapter.payments.cod.GATEWAY_ID
VIETQR = "ocop.payments.vietqr"  # saleor_adapter.payments.vietqr.GATEWAY_ID

PAYMENT_STATUS = {
    ChargeStatus.NOT_CHARGED: "Chưa thanh toán (Not paid)",
    ChargeStatus.PARTIALLY_CHARGED: "Đã thanh toán một phần (Partially paid)",
    ChargeStatus.FULLY_CHARGED: "Đã thanh toán (Paid)",
    ChargeStatus.PARTIALLY_REFUNDED: "Đã hoàn tiền một phần (Partially refunded)",
    ChargeStatus.FULLY_REFUNDED: "Đã hoàn tiền (Refunded)",
}

PAYMENT_METHODS = {
    COD: "Thanh toán khi nhận hàng (Cash on delivery)",
    VIETQR: "Chuyển khoản ngân hàng – VietQR (Bank transfer)",
    "mirumee.payments.stripe": "Thẻ quốc tế – Stripe (Card)",
}

# Where marketplace.lifecycle.ship keeps the carrier a cooperative shipped with.
CARRIER_METADATA_KEY = "ocop.carrier"


@register.simple_tag
def shop_name() -> str:
    """The shop's name as staff set it (``StorefrontConfiguration``), the name buyers see
    on the storefront. Read once per request (an e-mail uses it six times)."""
    return StorefrontConfiguration.shared().shop_name


@register.simple_tag
def shop_url() -> str:
    """The shop's home page, absolute ("https://cho-ocop.vn/"), from Saleor's Site."""
    return build_absolute_uri(reverse("home"))


@register.filter
def vn_name(address) -> str:
    """Family name first, as Vietnamese names are written: "Nguyễn Thị Lan"."""
    if not address:
        return ""
    return " ".join(p for p in (address.last_name.strip(), address.first_name.strip()) if p)


@register.filter
def address_line(address) -> str:
    """Street to province on one line: "12 Phố Huế, Hai Bà Trưng, Hà Nội, 100000" (the
    country only when not Việt Nam)."""
    if not address:
        return ""
    parts = [
        address.company_name,
        address.street_address_1,
        address.street_address_2,
        address.city_area,
        address.city,
        address.country_area,
        address.postal_code,
    ]
    if address.country and address.country.code != "VN":
        parts.append(address.country.name)
    return ", ".join(str(p).strip() for p in parts if p and str(p).strip())


@register.filter
def payment_status(order) -> str:
    """The order's payment status in Vietnamese, with the English in brackets."""
    status = order.get_payment_status() if order else ChargeStatus.NOT_CHARGED
    return PAYMENT_STATUS.get(status, status)


@register.filter
def payment_method(order) -> str:
    """How the order is paid ("Thanh toán khi nhận hàng (Cash on delivery)"), or ""."""
    payment = order.get_last_payment() if order else None
    if payment is None:
        return ""
    if payment.gateway in PAYMENT_METHODS:
        return PAYMENT_METHODS[payment.gateway]
    plugin = get_plugins_manager().get_plugin(payment.gateway)
    return plugin.PLUGIN_NAME if plugin is not None else payment.gateway


@register.simple_tag
def payment_instructions(order) -> dict | None:
    """What the buyer still has to do to pay ``order``:

    * ``{"kind": "vietqr", "transfer": TransferInstructions}`` (bank, account, holder,
      amount due and reference, from ``saleor_adapter.payments.saleor_payments``);
    * ``{"kind": "cod", "amount": 280000}``: the cash to hand the courier;
    * ``None`` when nothing is left to pay this way.
    """
    from saleor_adapter.payments.saleor_payments import cod_amount_due, transfer_instructions

    if order is None:
        return None
    transfer = transfer_instructions(order)
    if transfer is not None and transfer.amount_vnd > 0 and transfer.reference:
        return {"kind": "vietqr", "transfer": transfer}
    amount = cod_amount_due(order)
    if amount:
        return {"kind": "cod", "amount": amount}
    return None


@register.filter
def carrier(fulfillment) -> str:
    """The carrier a cooperative shipped with ("GHTK"), when it said."""
    if not fulfillment:
        return ""
    return str(fulfillment.get_value_from_metadata(CARRIER_METADATA_KEY, "") or "")


@register.filter
def digital_link(order_line) -> str:
    """The download link of a digital order line, "" when it has none yet."""
    try:
        content_url = order_line.digital_content_url
    except ObjectDoesNotExist:
        return ""
    return content_url.get_absolute_url() or ""


@register.simple_tag
def order_link(order, order_details_url="") -> str:
    """The storefront's page of the order: the URL the API client asked for, else ours."""
    if order_details_url:
        return order_details_url
    if not order or not order.token:
        return ""
    return build_absolute_uri(reverse("storefront-order", args=[order.token]))
