"""The one stub of Stripe's HTTP API (the network boundary of Saleor's Stripe plugin).

Stripe cannot be reached from here: stripe-python's HTTP client is replaced by one that
answers from recorded test-mode payloads (tests/payments/recorded/) and remembers what
it was asked. Everything above it — Saleor's Stripe gateway, our plugins — is real.
"""

from pathlib import Path
from urllib.parse import parse_qs

import pytest
import stripe
from saleor.plugins.models import PluginConfiguration

RECORDED = Path(__file__).parent.parent / "payments" / "recorded"
STRIPE = "mirumee.payments.stripe"
INTENT = "pi_3QdG7mLkdIwHu7ix0a1b2c3d"
ANSWERS = {
    ("POST", "/v1/payment_intents"): "stripe_payment_intent_succeeded.json",
    ("GET", f"/v1/payment_intents/{INTENT}"): "stripe_payment_intent_succeeded.json",
    ("POST", "/v1/charges/ch_3QdG7mLkdIwHu7ix0e4f5g6h/refund"): (
        "stripe_charge_refunded_80000.json"
    ),
}


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


def stripe_keys(public: str, secret: str) -> None:
    """Configure Saleor's Stripe plugin with these keys (capture at once)."""
    PluginConfiguration.objects.create(
        identifier=STRIPE,
        active=True,
        configuration=[
            {"name": "Public API key", "value": public},
            {"name": "Secret API key", "value": secret},
            {"name": "Store customers card", "value": False},
            {"name": "Automatic payment capture", "value": True},
        ],
    )


@pytest.fixture
def stripe_api(monkeypatch, db) -> RecordedStripe:
    """Saleor's Stripe plugin with test keys; Stripe's HTTP API answers from files."""
    stripe_keys("pk_test_recorded", "sk_test_recorded")
    recorded = RecordedStripe(ANSWERS)
    monkeypatch.setattr(stripe, "default_http_client", recorded)
    return recorded
