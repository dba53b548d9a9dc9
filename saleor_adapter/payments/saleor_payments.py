"""The Saleor side of offline payments: finding, capturing, voiding a payment."""

from __future__ import annotations

import logging
from decimal import Decimal

from django.db import transaction
from saleor.order import OrderStatus
from saleor.order.actions import cancel_order, order_captured, order_refunded, order_voided
from saleor.payment import ChargeStatus, PaymentError, TransactionKind, gateway
from saleor.payment.models import Payment, Transaction

from saleor_adapter.payments.cod import GATEWAY_ID as COD
from saleor_adapter.payments.vietqr import GATEWAY_ID as VIETQR
from saleor_adapter.payments.vietqr import REFERENCE_PATTERN  # noqa: F401  (payments port)

logger = logging.getLogger(__name__)

REFUNDABLE = (
    ChargeStatus.FULLY_CHARGED,
    ChargeStatus.PARTIALLY_CHARGED,
    ChargeStatus.PARTIALLY_REFUNDED,
)


def whole_amount(value) -> Decimal | None:
    """A whole number of đồng from a form or an API, else None."""
    try:
        amount = Decimal(str(value).strip())
    except ArithmeticError:
        return None
    if not amount.is_finite() or amount != amount.to_integral_value():
        return None
    return amount


class NothingToSettle(ValueError):
    """The order has no open payment of that kind (already paid, voided, or another)."""


def lock_transfer_payment(reference: str) -> Payment | None:
    """The active VietQR payment whose order carries ``reference``, locked for update."""
    return (
        Payment.objects.select_for_update()
        .filter(
            gateway=VIETQR,
            is_active=True,
            order__isnull=False,
            transactions__kind=TransactionKind.AUTH,
            transactions__token=reference,
            transactions__is_success=True,
        )
        .select_related("order")
        .first()
    )


def amount_due(payment: Payment) -> Decimal:
    # A refunded payment (in part or in full) owes nothing: its captured_amount went
    # down by the refund, which must not read as money the buyer still has to send.
    if payment.charge_status not in (ChargeStatus.NOT_CHARGED, ChargeStatus.PARTIALLY_CHARGED):
        return Decimal(0)
    return payment.total - payment.captured_amount


def capture_transfer(payment: Payment, amount: Decimal) -> None:
    captured = gateway.capture(payment, amount)
    order_captured(payment.order, None, captured.amount, payment)


def _open_payment(order, gateway_id: str) -> Payment:
    payment = (
        Payment.objects.select_for_update()
        .filter(order=order, gateway=gateway_id, is_active=True)
        .exclude(charge_status=ChargeStatus.FULLY_CHARGED)
        .first()
    )
    if payment is None:
        raise NothingToSettle(
            "Đơn hàng không còn khoản thanh toán khi nhận hàng nào mở / "
            "The order has no open cash-on-delivery payment."
        )
    return payment


def order_by_number(number: str):
    """The order a courier's or bank's file names by its number ("#123" or "123")."""
    from django.db import connection
    from saleor.order.models import Order

    text = number.strip().lstrip("#")
    # ASCII digits only ("²".isdigit() is true), and within the id column's range.
    if not (text.isascii() and text.isdigit()) or len(text) > 19:
        return None
    largest = connection.ops.integer_field_range(Order._meta.pk.get_internal_type())[1]
    return Order.objects.filter(pk=int(text)).first() if int(text) <= largest else None


def cod_amount_due(order) -> int | None:
    payment = order.payments.filter(gateway=COD, is_active=True).first()
    return int(amount_due(payment)) if payment else None


def collect_cash_on_delivery(order, user=None) -> Payment:
    """The courier or cooperative collected the cash: capture what the order owes."""
    with transaction.atomic():
        payment = _open_payment(order, COD)
        captured = gateway.capture(payment, amount_due(payment))
        order_captured(order, user, captured.amount, payment)
    return payment


def refuse_delivery(order, user=None) -> Payment:
    """The buyer refused the parcel: void the COD payment and cancel the order, which
    releases its stock allocations (Saleor's cancel_order)."""
    with transaction.atomic():
        payment = _open_payment(order, COD)
        gateway.void(payment)
        order_voided(order, user, payment)
        if order.status != OrderStatus.CANCELED:
            cancel_order(order, user)
    return payment


def transfer_reference(payment: Payment) -> str:
    auth = payment.transactions.filter(kind=TransactionKind.AUTH, is_success=True).first()
    return auth.token if auth else ""


def order_transfer_reference(order) -> str:
    """The reference of ``order``'s active VietQR payment ("" when it has none): what
    ``lock_transfer_payment`` finds it by, when staff name the order themselves."""
    payment = order.payments.filter(gateway=VIETQR, is_active=True).order_by("-pk").first()
    return transfer_reference(payment) if payment else ""


def transfer_instructions(order):
    """How to pay ``order`` by bank transfer, or None when it is not paid that way.

    For pages and e-mails: ``bank_name``, ``account_number``, ``account_name``,
    ``amount_vnd`` (what is still due; ``is_due`` is False once paid), ``reference``
    (the transfer message), ``qr_image_url`` (absolute URL of the QR code as PNG,
    served only while something is due), ``qr_svg()``/``qr_png()`` and ``payload``."""
    from django.urls import reverse
    from saleor.core.utils import build_absolute_uri
    from saleor.plugins.manager import get_plugins_manager

    from payments_vn.transfer import TransferInstructions
    from saleor_adapter.payments.vietqr import ACCOUNT_NAME, ACCOUNT_NUMBER, BANK_BIN

    payment = order.payments.filter(gateway=VIETQR, is_active=True).first()
    plugin = get_plugins_manager().get_plugin(VIETQR)
    if payment is None or plugin is None:
        return None
    return TransferInstructions(
        bank_bin=plugin.config.get(BANK_BIN, ""),
        account_number=plugin.config.get(ACCOUNT_NUMBER, ""),
        account_name=plugin.config.get(ACCOUNT_NAME, ""),
        amount_vnd=int(amount_due(payment)),
        reference=transfer_reference(payment),
        qr_image_url=build_absolute_uri(
            reverse("storefront-order-vietqr", args=[order.token, "png"])
        ),
    )


def cod_limit() -> Decimal | None:
    """The COD gateway's maximum order value, or None when COD is off."""
    from saleor.plugins.manager import get_plugins_manager

    from saleor_adapter.payments.cod import MAX_ORDER_VALUE
    from saleor_adapter.payments.offline import whole_vnd

    plugin = get_plugins_manager().get_plugin(COD)
    if plugin is None or not plugin.active:
        return None
    return whole_vnd(plugin.config.get(MAX_ORDER_VALUE, "")) or Decimal(0)


STRIPE = "mirumee.payments.stripe"


def stripe_mode() -> str | None:
    """ "test" or "live" from the Stripe plugin's keys, None when it is off or lacks
    keys. Test keys never move real money."""
    from saleor.plugins.manager import get_plugins_manager

    plugin = get_plugins_manager().get_plugin(STRIPE)
    if plugin is None or not plugin.active:
        return None
    keys = plugin.config.connection_params
    public, secret = keys.get("public_key") or "", keys.get("private_key") or ""
    if public.startswith("pk_test_") and secret.startswith("sk_test_"):
        return "test"
    if public.startswith("pk_live_") and secret.startswith(("sk_live_", "rk_live_")):
        return "live"
    return None


def order_payment_state(order) -> tuple[str, str, int]:
    """(gateway id, Saleor charge status, amount still due in đồng) of the order's
    current payment; ("", "", 0) when it has none."""
    payment = order.payments.filter(is_active=True).order_by("-pk").first()
    if payment is None:
        payment = order.payments.order_by("-pk").first()
    if payment is None:
        return "", "", 0
    due = int(amount_due(payment)) if payment.is_active else 0
    return payment.gateway, payment.charge_status, due


def _kind(gateway_id: str) -> str:
    return {COD: "cod", VIETQR: "transfer"}.get(gateway_id, "card")


def _state_of(payment: Payment | None):
    from marketplace.ports import PaymentState

    if payment is None:
        return PaymentState()
    status = {
        ChargeStatus.NOT_CHARGED: "unpaid",
        ChargeStatus.PARTIALLY_CHARGED: "partly_paid",
        ChargeStatus.FULLY_CHARGED: "paid",
        ChargeStatus.PARTIALLY_REFUNDED: "partly_refunded",
        ChargeStatus.FULLY_REFUNDED: "refunded",
    }.get(payment.charge_status, "unpaid")
    if not payment.is_active and status == "unpaid":
        status = "voided"
    due = amount_due(payment) if payment.is_active else Decimal(0)
    return PaymentState(
        kind=_kind(payment.gateway),
        gateway=payment.gateway,
        status=status,
        due=max(due, Decimal(0)),
        captured=payment.captured_amount,
    )


def payment_states(order_ids) -> dict:
    """Order id → ``marketplace.ports.PaymentState`` of its current payment (the newest
    active one, else the newest), in one query."""
    chosen: dict[int, Payment] = {}
    for payment in Payment.objects.filter(order_id__in=list(order_ids)).order_by(
        "order_id", "-is_active", "-pk"
    ):
        chosen.setdefault(payment.order_id, payment)
    return {order_id: _state_of(chosen.get(order_id)) for order_id in order_ids}


def refunds_through_gateway(order) -> bool:
    """Whether money captured on ``order`` goes back through its gateway (a card), or
    must be transferred back by staff (bank transfer, cash on delivery)."""
    payment = order.payments.filter(is_active=True).order_by("-pk").first()
    return payment is not None and payment.gateway not in (COD, VIETQR)


def reduce_amount_due(order, amount) -> Decimal:
    """A part worth ``amount`` đồng not yet paid will not be delivered: the shopper owes
    that much less. The order's open payment is authorised for less (what a COD courier
    collects, what a VietQR code asks for); never below what was captured. Returns the
    amount released. Inside the caller's transaction."""
    value = whole_amount(amount)
    if value is None or value <= 0:
        return Decimal(0)
    payment = (
        Payment.objects.select_for_update()
        .filter(order=order, is_active=True)
        .filter(charge_status__in=(ChargeStatus.NOT_CHARGED, ChargeStatus.PARTIALLY_CHARGED))
        .order_by("-pk")
        .first()
    )
    if payment is None:
        return Decimal(0)
    released = min(value, max(payment.total - payment.captured_amount, Decimal(0)))
    if released > 0:
        payment.total -= released
        payment.save(update_fields=["total", "modified"])
    return released


def refund_cooperative_order(
    cooperative_order, amount: int | str | Decimal, user=None, reason: str = ""
) -> Transaction:
    """Refund ``amount`` đồng of one cooperative's part (a return of its goods) through
    the order's payment gateway, charged to that cooperative only. Raises
    ``SettlementError`` with a Vietnamese / English message for what cannot be done."""
    from marketplace import settlement
    from marketplace.models import PaymentRecord
    from saleor_adapter.payments.ledger import sync_order_ledger, transaction_key

    value = whole_amount(amount)
    if value is None or value <= 0:
        raise settlement.SettlementError(
            "invalid_amount",
            "Số tiền hoàn phải là số đồng nguyên dương / The refund must be a positive whole "
            "number of đồng.",
            "amount",
        )
    order = cooperative_order.order
    payment = (
        order.payments.filter(is_active=True, charge_status__in=REFUNDABLE).order_by("-pk").first()
    )
    if payment is None:
        raise settlement.SettlementError(
            "nothing_captured",
            "Đơn hàng chưa có khoản thanh toán nào để hoàn / The order has no captured "
            "payment to refund.",
        )
    # Earlier payments first, so the part's balance below is up to date.
    sync_order_ledger(order)
    left = settlement.refundable(cooperative_order)
    if value > left or value > payment.captured_amount:
        shown = min(left, payment.captured_amount)
        raise settlement.SettlementError(
            "amount_too_large",
            f"Số tiền hoàn vượt quá phần còn lại của đơn HTX ({int(shown)} ₫) / The refund is "
            f"more than is left of the cooperative order ({int(shown)} ₫).",
            "amount",
        )
    try:
        # Not inside our transaction: once the gateway has refunded, Saleor's record of
        # it must stay even if ours fails (the sweeper then records it by proportion).
        refund = gateway.refund(payment, value)
    except PaymentError as error:
        raise settlement.SettlementError(
            "gateway_refused",
            f"Cổng thanh toán từ chối hoàn tiền / The payment gateway refused the refund: {error}",
        ) from error
    event = settlement.PaymentEvent(
        key=transaction_key(refund.pk),
        kind=PaymentRecord.Kind.REFUND,
        amount=value,
        saleor_transaction_id=refund.pk,
        cooperative_order_ids=(cooperative_order.pk,),
        reason=(reason or "").strip(),
    )
    try:
        settlement.record_payment_events(order.pk, order.total_gross_amount, [event], user)
    except settlement.SettlementError:
        logger.exception("Refund %s could not be charged to %s alone", refund.pk, cooperative_order)
    order_refunded(order, user, value, payment)
    return refund
