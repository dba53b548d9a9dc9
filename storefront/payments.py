"""Payments in the storefront: what the checkout offers and what the order page shows.

The checkout lists the gateways Saleor offers for the cart, each with a Vietnamese label
and a one-line explanation: cash on delivery (not offered, with the reason, when the
order is above the COD limit), bank transfer by VietQR, and card payment through
Saleor's Stripe plugin. Stripe is offered only with test keys: card details must be
typed into Stripe.js (Stripe Elements, loaded from js.stripe.com), which this
server-rendered storefront does not embed, so in test mode the order is paid with
Stripe's documented test payment method ``pm_card_visa`` and no real money moves. With
live keys the card gateway stays available to API clients (a headless storefront with
Stripe.js) but is not offered here.

The order page shows the payment method and status; for a transfer still due, the
VietQR code (an image served at ``/don-hang/<token>/vietqr.svg|png``, reachable only
with the order's unguessable token, like the page itself) beside the plain bank details;
for cash on delivery, the amount to hand the courier.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from common.money import format_vnd
from payments_vn.transfer import TransferInstructions
from payments_vn.vietqr import VietQRError
from saleor_adapter import storefront_data
from saleor_adapter.payments import saleor_payments
from saleor_adapter.payments.cod import GATEWAY_ID as COD
from saleor_adapter.payments.vietqr import GATEWAY_ID as VIETQR

STRIPE = saleor_payments.STRIPE
STRIPE_TEST_PAYMENT_METHOD = "pm_card_visa"  # Stripe's test Visa card, test mode only

LABELS = {
    COD: gettext_lazy("Thanh toán khi nhận hàng (COD)"),
    VIETQR: gettext_lazy("Chuyển khoản qua mã VietQR"),
    STRIPE: gettext_lazy("Thẻ quốc tế (Visa/Mastercard) qua Stripe"),
}
DESCRIPTIONS = {
    COD: gettext_lazy("Trả tiền mặt cho người giao hàng khi nhận hàng."),
    VIETQR: gettext_lazy(
        "Sau khi đặt hàng, quét mã VietQR bằng ứng dụng ngân hàng bất kỳ; đơn hàng được "
        "xác nhận khi tiền về tài khoản cửa hàng."
    ),
    STRIPE: gettext_lazy("Thanh toán bằng thẻ qua Stripe, số tiền tính bằng đồng Việt Nam."),
}


ORDER = {COD: 0, VIETQR: 1, STRIPE: 2}


@dataclass
class PaymentChoice:
    id: str
    label: str
    description: str = ""
    note: str = ""
    available: bool = True
    reason: str = ""  # why it is not offered for this cart


def payment_choices(
    gateways: list[dict], total: Decimal, fallback_label: Callable[[dict], str]
) -> list[PaymentChoice]:
    """The checkout's payment methods for a cart of ``total`` đồng (shipping included):
    cash on delivery, VietQR and card first (the way most Vietnamese buyers pay), then
    any other gateway Saleor offers. ``fallback_label(gateway)`` names those."""
    choices = []
    for gateway in sorted(gateways, key=lambda g: ORDER.get(g["id"], len(ORDER))):
        gateway_id = gateway["id"]
        if gateway_id == STRIPE:
            if saleor_payments.stripe_mode() != "test":
                continue  # live card entry needs Stripe.js (see the module docstring)
            note = _(
                "Chế độ thử nghiệm: thanh toán bằng thẻ thử Visa của Stripe, không trừ tiền thật."
            )
            choices.append(
                PaymentChoice(gateway_id, str(LABELS[STRIPE]), str(DESCRIPTIONS[STRIPE]), note)
            )
            continue
        if gateway_id not in LABELS:
            choices.append(PaymentChoice(gateway_id, fallback_label(gateway)))
            continue
        choice = PaymentChoice(gateway_id, str(LABELS[gateway_id]), str(DESCRIPTIONS[gateway_id]))
        if gateway_id == COD:
            limit = saleor_payments.cod_limit()
            if limit is not None and total > limit:
                choice.available = False
                choice.reason = _(
                    "Không áp dụng: đơn hàng trên %(limit)s không thể thanh toán khi nhận "
                    "hàng. Vui lòng chọn cách khác."
                ) % {"limit": format_vnd(limit)}
        choices.append(choice)
    return choices


def payment_token(gateway_id: str, checkout_token: str, dummy_gateway: str) -> str:
    """What checkoutPaymentCreate sends as the payment's token."""
    if gateway_id == dummy_gateway:
        return "charged"  # the dummy gateway takes its outcome as the token
    if gateway_id == STRIPE:
        return STRIPE_TEST_PAYMENT_METHOD  # offered only in test mode
    # Offline gateways (COD, VietQR) make their own reference.
    return f"storefront-{checkout_token}"


# -- the order page ----------------------------------------------------------------------


@dataclass
class OrderPayment:
    label: str
    status: str
    paid: bool
    cash_due: int = 0  # cash on delivery: what the courier collects
    transfer: TransferInstructions | None = None  # while a transfer is due
    qr_svg_url: str = ""


def _status(gateway_id: str, charge_status: str, due: int) -> str:
    if charge_status == saleor_payments.ChargeStatus.FULLY_CHARGED:
        return _("Đã thanh toán")
    if charge_status == saleor_payments.ChargeStatus.FULLY_REFUNDED:
        return _("Đã hoàn tiền")
    if charge_status == saleor_payments.ChargeStatus.PARTIALLY_REFUNDED:
        return _("Đã hoàn tiền một phần")
    if not due:
        return _("Đã huỷ thanh toán")
    if gateway_id == VIETQR:
        return _("Chờ chuyển khoản")
    if gateway_id == COD:
        return _("Thanh toán khi nhận hàng")
    return _("Chưa thanh toán")


CHARGE_STATUS = {
    "unpaid": saleor_payments.ChargeStatus.NOT_CHARGED,
    "voided": saleor_payments.ChargeStatus.NOT_CHARGED,
    "partly_paid": saleor_payments.ChargeStatus.PARTIALLY_CHARGED,
    "paid": saleor_payments.ChargeStatus.FULLY_CHARGED,
    "partly_refunded": saleor_payments.ChargeStatus.PARTIALLY_REFUNDED,
    "refunded": saleor_payments.ChargeStatus.FULLY_REFUNDED,
}


def order_payment(order_token: uuid.UUID | str, order=None, state=None) -> OrderPayment | None:
    """What the order page says about paying the order with ``order_token`` (``order``:
    the order already read by the caller; ``state``: its ``marketplace.ports.
    PaymentState``, already read for its parcels)."""
    order = order or storefront_data.order_by_token(order_token)
    if order is None:
        return None
    if state is not None:
        gateway_id, charge_status, due = state.gateway, CHARGE_STATUS[state.status], int(state.due)
    else:
        gateway_id, charge_status, due = saleor_payments.order_payment_state(order)
    if not gateway_id:
        return None
    payment = OrderPayment(
        label=str(LABELS.get(gateway_id, gateway_id)),
        status=_status(gateway_id, charge_status, due),
        paid=charge_status == saleor_payments.ChargeStatus.FULLY_CHARGED,
    )
    if gateway_id == COD and due:
        payment.cash_due = due
    if gateway_id == VIETQR and due:
        instructions = saleor_payments.transfer_instructions(order)
        if instructions is not None and instructions.is_due:
            payment.transfer = instructions
            payment.qr_svg_url = reverse("storefront-order-vietqr", args=[order.token, "svg"])
    return payment


NO_CODE = (
    "Không có mã VietQR cần thanh toán cho đơn hàng này / No VietQR code to pay for this order."
)


@require_safe
def vietqr_image(request: HttpRequest, token: uuid.UUID, kind: str) -> HttpResponse:
    """The order's VietQR code, while a transfer is due. The order's token (a random
    UUID in the URL, as for the order page) is the only key to it."""
    order = storefront_data.order_by_token(token) if kind in ("svg", "png") else None
    instructions = saleor_payments.transfer_instructions(order) if order else None
    if instructions is None or not instructions.is_due:
        return HttpResponse(NO_CODE, status=404, content_type="text/plain; charset=utf-8")
    try:
        if kind == "svg":
            body, content_type = instructions.qr_svg(), "image/svg+xml"
        else:
            body, content_type = instructions.qr_png(), "image/png"
    except VietQRError:
        return HttpResponse(
            "Cửa hàng chưa cấu hình đúng tài khoản nhận chuyển khoản / "
            "The shop's receiving bank account is not configured correctly.",
            status=503,
            content_type="text/plain; charset=utf-8",
        )
    # Personal (amount and reference): the order pages' area is never cached
    # (config.middleware).
    response = HttpResponse(body, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
