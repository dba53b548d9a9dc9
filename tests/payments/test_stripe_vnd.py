"""Saleor's own Stripe plugin, in dong: 125.000 ₫ is amount=125000, never ×100.

Stripe's API is stubbed at the network boundary only (stripe-python's HTTP client),
with a recorded test-mode PaymentIntent; everything above it is Saleor's real code.
"""

from saleor.order.models import Order
from saleor.payment import ChargeStatus

from tests.saleor_fixtures.checkout import buy


def test_a_card_payment_in_vnd_sends_whole_dong_to_stripe(api_client, ocop_product, stripe_api):
    # When a buyer pays 280.000 ₫ (2 × 125.000 ₫ + 30.000 ₫ shipping) by card
    result = buy(
        api_client, ocop_product.variants.get(), 2, "mirumee.payments.stripe", "pm_card_visa"
    )

    # Then Stripe was asked for 280000 VND, not 28000000
    assert result["checkoutErrors"] == []
    [(method, path, form)] = stripe_api.requests
    assert (method, path) == ("POST", "/v1/payment_intents")
    assert (form["amount"], form["currency"], form["payment_method"]) == (
        ["280000"],
        ["vnd"],
        ["pm_card_visa"],
    )
    # and the order is fully charged for exactly that, against Stripe's PaymentIntent
    payment = Order.objects.get().payments.get()
    assert (payment.charge_status, payment.captured_amount) == (ChargeStatus.FULLY_CHARGED, 280000)
    assert list(payment.transactions.values_list("kind", "token", "amount")) == [
        ("capture", "pi_3QdG7mLkdIwHu7ix0a1b2c3d", 280000)
    ]
