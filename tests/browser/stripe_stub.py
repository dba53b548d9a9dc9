"""Stripe's HTTP API for the live shop, answered from recorded payloads.

The served shop runs Saleor's own Stripe plugin and stripe-python unchanged; only
``stripe.api_base`` points here (``OCOP_TEST_STRIPE_API_BASE``, read by
``tests.browser.live_shop``). Like a recorded cassette, a request is answered only if it
is the one that was recorded — the PaymentIntent for 280.000 ₫ (``amount=280000``,
``currency=vnd``) paid with Stripe's test card ``pm_card_visa``, with the test secret
key — otherwise with Stripe's own error shape, so a wrong amount or currency fails the
checkout instead of passing silently. Every request is kept for the test to inspect.

The parcels journey (tests/browser/test_parcels_journey.py) buys for 380.000 ₫ and has
one part refunded: the same recorded intent is answered for that amount too (its ids
and amounts rewritten), ``GET /v1/payment_intents/<id>`` gives back an intent this stub
created, and ``POST /v1/charges/<id>/refund`` answers the recorded refunded charge with
the amount asked for — what Saleor's Stripe gateway calls to refund.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs

RECORDED = Path(__file__).parents[1] / "payments" / "recorded"
SECRET_KEY = "sk_test_recorded"  # what live_shop configures; never a real key
# The recorded intent's amount, and the parcels journey's (see the module docstring).
AMOUNTS = ("280000", "380000")
EXPECTED_INTENT = {
    "currency": "vnd",
    "payment_method": "pm_card_visa",
    "confirm": "true",  # stripe-python 2 sends Python's True as "True"
}


def _error(status: int, message: str, param: str = "") -> tuple[int, dict]:
    return status, {"error": {"type": "invalid_request_error", "message": message, "param": param}}


class StripeStub:
    def __init__(self):
        self.requests: list[tuple[str, str, dict]] = []
        self.intents: dict[str, dict] = {}
        self.charges: dict[str, dict] = {}
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                form = parse_qs(self.rfile.read(length).decode())
                stub.requests.append(("POST", self.path, form))
                self._answer(*stub.answer(self.path, form, self.headers.get("Authorization")))

            def do_GET(self):
                stub.requests.append(("GET", self.path, {}))
                intent = stub.intents.get(self.path.split("?", 1)[0])
                if intent is not None and self.headers.get("Authorization") == (
                    f"Bearer {SECRET_KEY}"
                ):
                    self._answer(200, intent)
                else:
                    self._answer(*_error(404, f"Unrecognized request URL (GET: {self.path})."))

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Request-Id", "req_stub")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):  # keep pytest's output clean
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    @classmethod
    def start(cls) -> StripeStub:
        stub = cls()
        stub.thread.start()
        return stub

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def answer(self, path: str, form: dict, authorization: str | None) -> tuple[int, dict]:
        if authorization != f"Bearer {SECRET_KEY}":
            return 401, {"error": {"type": "invalid_request_error", "message": "Invalid API Key"}}
        if path in self.charges:
            return self._refund(path, form)
        if path != "/v1/payment_intents":
            return _error(404, f"Unrecognized request URL (POST: {path}).")
        for name, value in EXPECTED_INTENT.items():
            sent = form.get(name, [""])
            if [v.lower() for v in sent] != [value]:
                return _error(400, f"Not the recorded request: {name}={sent}", name)
        amount = form.get("amount", [""])
        if amount[0] not in AMOUNTS or len(amount) != 1:
            return _error(400, f"Not the recorded request: amount={amount}", "amount")
        intent = json.loads((RECORDED / "stripe_payment_intent_succeeded.json").read_text())
        if amount[0] != AMOUNTS[0]:
            text = json.dumps(intent).replace("ix0", f"ix{amount[0]}")
            intent = json.loads(text.replace(f": {AMOUNTS[0]}", f": {amount[0]}"))
        self.intents[f"/v1/payment_intents/{intent['id']}"] = intent
        for charge in intent["charges"]["data"]:
            self.charges[f"/v1/charges/{charge['id']}/refund"] = charge
        return 200, intent

    def _refund(self, path: str, form: dict) -> tuple[int, dict]:
        charge = self.charges[path]
        refunded = json.loads((RECORDED / "stripe_charge_refunded_80000.json").read_text())
        amount = int(form.get("amount", [charge["amount"]])[0])
        return 200, {
            **refunded,
            "id": charge["id"],
            "amount": charge["amount"],
            "amount_refunded": amount,
            "refunded": amount == charge["amount"],
        }
