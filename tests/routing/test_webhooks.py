"""The cooperative's signed webhook, against a real HTTP server on 127.0.0.1."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from marketplace import notifications
from marketplace.models import CooperativeOrder, NotificationDelivery
from marketplace.routing import route_order

SECRET = "whsec-tai-hoan-0123456789"


@pytest.fixture
def receiver():
    """An HTTP endpoint that answers with the queued status codes (then 200)."""
    received, statuses = [], []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append((dict(self.headers), body))
            self.send_response(statuses.pop(0) if statuses else 200)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/ocop/webhook", received, statuses
    server.shutdown()
    server.server_close()


@pytest.fixture
def webhook_order(catalog, order_of, cooperative_settings, receiver):
    url, received, statuses = receiver
    settings_row = cooperative_settings["tai_hoan"]
    settings_row.webhook_url, settings_row.webhook_secret = url, SECRET
    settings_row.save()
    order = order_of((catalog.mien_dong, 2), (catalog.tra, 1))
    route_order(order.pk)
    part = CooperativeOrder.objects.get(order=order, producer=catalog.tai_hoan)
    delivery = NotificationDelivery.objects.get(cooperative_order=part, channel="coop_webhook")
    return part, delivery, received, statuses


def test_the_webhook_is_signed_and_carries_the_order(webhook_order):
    part, delivery, received, _ = webhook_order
    # only Tài Hoan configured a webhook
    assert NotificationDelivery.objects.filter(channel="coop_webhook").count() == 1

    outcome = notifications.deliver(delivery.pk)

    assert (outcome.status, outcome.retry_in) == ("sent", None)
    ((headers, body),) = received
    assert headers["X-OCOP-Event"] == "cooperative_order.created"
    assert headers["X-OCOP-Delivery"] == str(delivery.pk)
    assert notifications.verify(SECRET, headers["X-OCOP-Signature"], body, now=int(time.time()))
    assert not notifications.verify(
        "other", headers["X-OCOP-Signature"], body, now=int(time.time())
    )
    assert not notifications.verify(
        SECRET, headers["X-OCOP-Signature"], body, now=int(time.time()) + 301
    )
    assert not notifications.verify(
        SECRET, headers["X-OCOP-Signature"], body + b" ", now=int(time.time())
    )
    payload = json.loads(body)
    assert payload["event"] == "cooperative_order.created"
    data = payload["data"]
    assert (data["number"], data["subtotal"], data["shipping"], data["total"]) == (
        part.number, 250000, 12500, 262500,
    )  # fmt: skip
    assert [(line["product_name"], line["quantity"]) for line in data["lines"]] == [
        ("Miến dong Tài Hoan", 2)
    ]
    assert data["shipping_address"]["city"] == "Hai Bà Trưng"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("sent", 1, 200)
    # delivered once: another run sends nothing
    assert notifications.deliver(delivery.pk).status == "done"
    assert len(received) == 1


def test_failures_are_retried_with_backoff_and_recorded(webhook_order):
    _, delivery, received, statuses = webhook_order
    statuses.extend([500, 503])

    outcomes = [notifications.deliver(delivery.pk) for _ in range(3)]

    assert [(o.status, o.retry_in) for o in outcomes] == [
        ("retrying", 30), ("retrying", 60), ("sent", None),
    ]  # fmt: skip
    delivery.refresh_from_db()
    assert [(a["attempt"], a["result"], a["status_code"]) for a in delivery.attempt_log] == [
        (1, "error", 500), (2, "error", 503), (3, "sent", 200),
    ]  # fmt: skip
    assert len(received) == 3


def test_a_webhook_that_never_answers_gives_up_after_the_last_attempt(webhook_order):
    _, delivery, _, statuses = webhook_order
    statuses.extend([500] * notifications.WEBHOOK_MAX_ATTEMPTS)
    outcomes = [
        notifications.deliver(delivery.pk) for _ in range(notifications.WEBHOOK_MAX_ATTEMPTS)
    ]
    assert [o.retry_in for o in outcomes] == [30, 60, 120, 240, 480, None]
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_error) == ("failed", 6, "HTTP 500")
