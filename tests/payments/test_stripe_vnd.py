"""Saleor's own Stripe plugin, in dong: 125.000 ₫ is amount=125000, never ×100.

Stripe's API is stubbed at the network boundary only (stripe-python's HTTP client),
with a recorded test-mode PaymentIntent; everything above it is Saleor's real code.
"""

from pathlib import Path
from urllib.parse import parse_qs

import pytest
import stripe
from saleor.order.models import Order
from saleor.payment import ChargeStatus
from saleor.plugins.models import PluginConfiguration

from tests.saleor_fixtures.checkout import buy

RECORDED = Path(__file__).parent / "recorded"


class RecordedStripe(stripe.http_client.HTTPClient):
    """Answers like api.stripe.com, and remembers what it was asked."""

    name = "recorded"

    def __init__(self, answers: dict[tuple[str, str], str]):
        super().__init__()
        self.answers = answers
        self.requests: list[tuple[str, str, dict]] = []

    def request(self, method, url, headers, post_data=None):
        path = url.split("api.stripe.com", 1)[1].split("?", 1)[0]
        self.requests.append((method.upper(), path, parse_qs(post_data or "")))
        body = (RECORDED / self.answers[(method.upper(), path)]).read_text()
        return body, 200, {"Request-Id": "req_recorded"}

    def close(self):
        pass


@pytest.fixture
def stripe_api(monkeypatch, db):
    PluginConfiguration.objects.create(
        identifier="mirumee.payments.stripe",
        active=True,
        configuration=[
            {"name": "Public API key", "value": "pk_test_recorded"},
            {"name": "Secret API key", "value": "sk_test_recorded"},
            {"name": "Store customers card", "value": False},
            {"name": "Automatic payment capture", "value": True},
        ],
    )
    recorded = RecordedStripe(
        {("POST", "/v1/payment_intents"): "stripe_payment_intent_succeeded.json"}
    )
    monkeypatch.setattr(stripe, "default_http_client", recorded)
    return recorded


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
