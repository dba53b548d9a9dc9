"""Saleor gateway plugins for payments settled outside the shop: cash on delivery and
bank transfer. The order is placed with the payment authorised but not captured; it is
captured when the money is confirmed (cash collected, transfer matched) and voided when
the delivery is refused.
"""

from __future__ import annotations

import copy
from decimal import Decimal

from saleor.payment import TransactionKind
from saleor.payment.interface import GatewayResponse, PaymentData
from saleor.plugins.base_plugin import BasePlugin

from common.inputs import whole_number


def response(
    payment: PaymentData, kind: str, transaction_id: str | None, error: str | None = None
) -> GatewayResponse:
    return GatewayResponse(
        is_success=error is None,
        action_required=False,
        kind=kind,
        amount=payment.amount,
        currency=payment.currency,
        # Saleor stores the id in a NOT NULL column, even for a refused payment.
        transaction_id=transaction_id or "",
        error=error,
    )


class OfflineGatewayPlugin(BasePlugin):
    """What cash on delivery and bank transfer share; subclasses say how an order is
    accepted (``accept``) and which reference its transactions carry."""

    DEFAULT_ACTIVE = True

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        # Saleor 2.10 lists a plugin among the payment gateways (checkout's
        # availablePaymentGateways) only when ``process_payment`` is in the plugin class's
        # own __dict__ (PluginsManager.list_payment_plugin_names): an inherited one hides
        # the gateway from shoppers while checkoutPaymentCreate still accepts it.
        if "process_payment" not in cls.__dict__:
            cls.process_payment = OfflineGatewayPlugin.process_payment

    def __init__(self, *, configuration: list[dict], active: bool):
        # Same Saleor 2.10 pitfall as the OCOP plugin: never share the class defaults.
        super().__init__(configuration=copy.deepcopy(configuration), active=active)
        self.config = {item["name"]: item["value"] for item in self.configuration}

    def accept(self, payment: PaymentData) -> tuple[str | None, str | None]:
        """(transaction reference, error) for a new order paid this way."""
        raise NotImplementedError

    def process_payment(self, payment_information: PaymentData, previous_value):
        if not self.active:
            return previous_value
        reference, error = self.accept(payment_information)
        return response(payment_information, TransactionKind.AUTH, reference, error)

    def authorize_payment(self, payment_information: PaymentData, previous_value):
        return self.process_payment(payment_information, previous_value)

    def _settle(self, kind: str, payment_information: PaymentData, previous_value):
        if not self.active:
            return previous_value
        return response(payment_information, kind, payment_information.token)

    def capture_payment(self, payment_information: PaymentData, previous_value):
        return self._settle(TransactionKind.CAPTURE, payment_information, previous_value)

    def confirm_payment(self, payment_information: PaymentData, previous_value):
        return self._settle(TransactionKind.CAPTURE, payment_information, previous_value)

    def void_payment(self, payment_information: PaymentData, previous_value):
        return self._settle(TransactionKind.VOID, payment_information, previous_value)

    def refund_payment(self, payment_information: PaymentData, previous_value):
        return self._settle(TransactionKind.REFUND, payment_information, previous_value)

    def get_client_token(self, token_config, previous_value):
        return previous_value if not self.active else ""

    def get_payment_config(self, previous_value):
        return previous_value if not self.active else []


def whole_vnd(value) -> Decimal | None:
    number = whole_number(str(value).replace(".", "").replace(",", ""), max_digits=15)
    return Decimal(number) if number is not None else None
