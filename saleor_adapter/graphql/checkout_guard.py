"""Saleor's ``checkoutComplete``, made safe against two buyers racing for the last units,
and run the way Saleor runs it.

Saleor reads the checkout, validates it, prepares the order data in a short
transaction, calls the payment gateway *outside* any transaction (so the record of every
gateway call survives whatever happens next) and creates the order in a second
transaction. This mutation adds two things and changes nothing else:

* right after Saleor has read the checkout (read once: the same instance goes on),
  the stock it needs is reserved in its own short transaction
  (``saleor_adapter.stock_reservations``): a buyer whose units are taken is refused before any
  payment is processed;
* when the order cannot be created after the gateway charged or authorised the payment
  (stock sold meanwhile outside the checkout, or any other failure), the payment is
  refunded or voided through the gateway and the order data aborted — what later Saleor
  releases do, and 2.10 does not — and the buyer is told so. Nothing is rolled back
  silently: Saleor's record of the capture and of the refund stays.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar

from django.core.exceptions import ValidationError
from django.utils import timezone
from saleor.checkout.error_codes import CheckoutErrorCode
from saleor.checkout.utils import abort_order_data
from saleor.core.exceptions import InsufficientStock
from saleor.discount.models import Voucher
from saleor.graphql.checkout.mutations import CheckoutComplete as SaleorCheckoutComplete
from saleor.graphql.core.types.common import CheckoutError
from saleor.payment import PaymentError, TransactionKind, gateway
from saleor.payment.models import Payment

from saleor_adapter import stock_reservations

logger = logging.getLogger(__name__)

# (checkout, token) this request's checkoutComplete read and reserved stock for.
_reserved_checkout: ContextVar = ContextVar("ocop_reserved_checkout", default=None)

CHARGING_KINDS = (TransactionKind.CAPTURE, TransactionKind.AUTH, TransactionKind.CONFIRM)


def compensate(checkout, payment_id: int | None, since) -> str | None:
    """Undo a payment this attempt made when its order could not be created: refund a
    capture, void an authorisation, abort the order data (the voucher's usage), as
    Saleor does when a payment fails. Returns how the money went back ("refund",
    "void"), "failed" when the gateway refused, None when nothing was charged."""
    if payment_id is None:
        return None
    payment = Payment.objects.filter(pk=payment_id).first()
    charged = (
        payment is not None
        and payment.transactions.filter(
            kind__in=CHARGING_KINDS, is_success=True, action_required=False, created__gte=since
        ).exists()
    )
    if not charged:
        return None
    if checkout.voucher_code:
        # Not Voucher.objects.active(): this attempt's own use may have used it up.
        voucher = Voucher.objects.filter(code=checkout.voucher_code).first()
        if voucher is not None:
            abort_order_data({"voucher": voucher, "user_email": checkout.get_customer_email()})
    try:
        if payment.can_refund():
            gateway.refund(payment)
            return "refund"
        if payment.can_void():
            gateway.void(payment)
            return "void"
    except PaymentError:
        logger.exception("Payment %s: refund/void after a failed order was refused", payment.pk)
    logger.error("Payment %s was charged for an order that could not be created", payment.pk)
    return "failed"


MONEY_BACK = {
    "refund": ("; khoản thanh toán đã được hoàn lại", "; your payment was refunded"),
    "void": ("; khoản thanh toán đã được huỷ", "; your payment was cancelled"),
    "failed": (
        "; chúng tôi sẽ liên hệ để hoàn tiền",
        "; we will contact you to refund your payment",
    ),
}


class CheckoutComplete(SaleorCheckoutComplete):
    class Meta:
        description = (
            "Completes the checkout. Stock is reserved before the payment is processed, "
            "so a buyer is never charged for a product that sold out meanwhile; if the "
            "order still cannot be created, the payment is refunded or voided."
        )
        error_type_class = CheckoutError
        error_type_field = "checkout_errors"

    @classmethod
    def get_node_or_error(cls, info, node_id, **kwargs):
        """Saleor's perform_mutation reads the checkout here, first thing: the stock is
        reserved as soon as it has, before any validation or payment."""
        checkout = super().get_node_or_error(info, node_id, **kwargs)
        if checkout is None:  # an empty id: Saleor answers it after this point
            raise ValidationError(
                {"checkout_id": ValidationError("Không tìm thấy giỏ hàng / Checkout not found.",
                                                code=CheckoutErrorCode.NOT_FOUND.value)}
            )  # fmt: skip
        if kwargs.get("field") == "checkout_id" and _reserved_checkout.get() is None:
            stock_reservations.reserve_checkout_stock(checkout, list(checkout))
            # With its token: Saleor deletes a completed checkout, which clears its pk.
            _reserved_checkout.set((checkout, checkout.token))
        return checkout

    @classmethod
    def perform_mutation(cls, _root, info, checkout_id, store_source, **data):
        started = timezone.now()
        token = _reserved_checkout.set(None)
        try:
            result = super().perform_mutation(_root, info, checkout_id, store_source, **data)
        except Exception as error:
            if _reserved_checkout.get() is None:  # refused before its stock was reserved
                raise
            checkout, checkout_token = _reserved_checkout.get()
            stock_reservations.release(checkout_token)
            payment = checkout.get_last_active_payment()
            money_back = compensate(checkout, payment and payment.pk, started)
            # Refused before the payment, or the gateway declined it (Saleor aborted the
            # order data itself), or a refusal after it: Saleor's own error stands.
            if money_back is None or isinstance(error, ValidationError):
                raise
            if isinstance(error, InsufficientStock):
                raise stock_reservations.insufficient_stock_error(
                    [error.item.product.name], MONEY_BACK[money_back]
                ) from error
            logger.exception("checkoutComplete failed after the payment was taken")
            vietnamese, english = MONEY_BACK[money_back]
            raise ValidationError(
                f"Không tạo được đơn hàng{vietnamese} / The order could not be placed{english}",
                code=CheckoutErrorCode.PAYMENT_ERROR.value,
            ) from error
        finally:
            reserved = _reserved_checkout.get()
            _reserved_checkout.reset(token)
        if result.order is not None and reserved is not None:
            # The OCOP plugin's order_created released it in the order's transaction;
            # without that plugin (or when Saleor returned an existing order) it is here.
            stock_reservations.release_unless_released(reserved[1])
        return result
