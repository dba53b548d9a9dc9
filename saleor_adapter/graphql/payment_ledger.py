"""Saleor's payment mutations, made to reach the cooperatives' books.

``paymentCapture``, ``paymentRefund`` and ``paymentVoid`` move money through the gateway
without calling any plugin hook (unlike ``orderCapture``/``orderRefund``/``orderVoid``),
so the settlement ledger would not hear of them until the sweeper runs. Each is
Saleor's own mutation followed by the same idempotent catch-up the hooks run
(``saleor_adapter.payments.ledger``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from saleor.core.permissions import OrderPermissions
from saleor.graphql.core.types import common as common_types
from saleor.graphql.payment.mutations import PaymentCapture as SaleorPaymentCapture
from saleor.graphql.payment.mutations import PaymentRefund as SaleorPaymentRefund
from saleor.graphql.payment.mutations import PaymentVoid as SaleorPaymentVoid
from saleor.payment.error_codes import PaymentErrorCode

from saleor_adapter.payments.ledger import sync_order_ledger_safely

PAYMENT_NOT_FOUND = "Không tìm thấy thanh toán / Payment not found."


class _PaymentMutationMeta:
    """Saleor's Meta for payment mutations; graphene needs it restated on subclasses."""

    permissions = (OrderPermissions.MANAGE_ORDERS,)
    error_type_class = common_types.PaymentError
    error_type_field = "payment_errors"


class _NamedPayment:
    """Saleor resolves an empty payment id to None and then fails on it (AttributeError,
    a 500's worth of traceback in the answer): an empty id is a payment not found."""

    @classmethod
    def get_node_or_error(cls, info, node_id, field="id", **kwargs):
        if not node_id:
            raise ValidationError(
                {field: ValidationError(PAYMENT_NOT_FOUND, code=PaymentErrorCode.NOT_FOUND)}
            )
        return super().get_node_or_error(info, node_id, field=field, **kwargs)


def _record(response):
    payment = getattr(response, "payment", None)
    if payment is not None and payment.order_id:
        sync_order_ledger_safely(payment.order)
    return response


class PaymentCapture(_NamedPayment, SaleorPaymentCapture):
    class Meta(_PaymentMutationMeta):
        description = "Captures the authorized payment amount (recorded for the cooperatives)."

    @classmethod
    def perform_mutation(cls, _root, info, payment_id, amount=None):
        return _record(super().perform_mutation(_root, info, payment_id, amount))


class PaymentRefund(_NamedPayment, SaleorPaymentRefund):
    class Meta(_PaymentMutationMeta):
        description = "Refunds the captured payment amount (recorded for the cooperatives)."

    @classmethod
    def perform_mutation(cls, _root, info, payment_id, amount=None):
        return _record(super().perform_mutation(_root, info, payment_id, amount))


class PaymentVoid(_NamedPayment, SaleorPaymentVoid):
    class Meta(_PaymentMutationMeta):
        description = "Voids the authorized payment (recorded for the cooperatives)."

    @classmethod
    def perform_mutation(cls, _root, info, payment_id):
        return _record(super().perform_mutation(_root, info, payment_id))
