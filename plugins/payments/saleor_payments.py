"""The Saleor side of offline payments: finding, capturing, voiding a payment."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from saleor.order import OrderStatus
from saleor.order.actions import cancel_order, order_captured, order_voided
from saleor.payment import ChargeStatus, TransactionKind, gateway
from saleor.payment.models import Payment

from plugins.payments.cod import GATEWAY_ID as COD
from plugins.payments.vietqr import GATEWAY_ID as VIETQR


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
    if payment.charge_status == ChargeStatus.FULLY_CHARGED:
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
    from saleor.order.models import Order

    text = number.strip().lstrip("#")
    return Order.objects.filter(pk=int(text)).first() if text.isdigit() else None


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


def transfer_instructions(order):
    """How to pay ``order`` by bank transfer, or None when it is not paid that way."""
    from saleor.plugins.manager import get_plugins_manager

    from payments_vn.transfer import TransferInstructions
    from plugins.payments.vietqr import ACCOUNT_NAME, ACCOUNT_NUMBER, BANK_BIN

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
    )
