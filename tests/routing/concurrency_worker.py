"""A separate process for the concurrency tests: it works on a scratch database given
by DATABASE_URL and commits for real, as web and Celery workers do.

    python -m tests.routing.concurrency_worker catalog --mien-dong 3
    python -m tests.routing.concurrency_worker checkout-race --threads 8
    python -m tests.routing.concurrency_worker paid-then-sold-out
    python -m tests.routing.concurrency_worker place-orders 200
    python -m tests.routing.concurrency_worker route --threads 2
    python -m tests.routing.concurrency_worker sweep

Prints one JSON document on stdout.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import threading
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def setup():
    import django

    django.setup()


def catalog(args) -> dict:
    from saleor.warehouse.models import Stock

    from marketplace.models import CooperativeSettings
    from tests.routing.marketplace import build_catalog

    with tempfile.TemporaryDirectory() as folder:
        built = build_catalog(Path(folder))
    for producer in (built.tai_hoan, built.tan_cuong):
        CooperativeSettings.objects.create(
            producer=producer, notification_email=f"donhang-{producer.pk}@htx.test"
        )
    Stock.objects.filter(product_variant=built.mien_dong).update(quantity=args.mien_dong)
    Stock.objects.filter(product_variant=built.tra).update(quantity=args.tra)
    return {"mien_dong": built.mien_dong.pk, "tra": built.tra.pk}


def _catalog():
    from saleor.product.models import ProductVariant
    from saleor.shipping.models import ShippingMethod

    from marketplace.models import Producer
    from tests.routing.marketplace import Catalog

    return Catalog(
        tai_hoan=Producer.objects.get(name="Hợp tác xã Tài Hoan"),
        tan_cuong=Producer.objects.get(name="Hợp tác xã Chè Tân Cương"),
        mien_dong=ProductVariant.objects.get(product__name="Miến dong Tài Hoan"),
        tra=ProductVariant.objects.get(product__name="Trà xanh Tân Cương"),
        shipping_method=ShippingMethod.objects.get(),
    )


def _threads(count: int, target) -> list:
    from django.db import connection

    results = [None] * count

    def run(index):
        try:
            results[index] = target(index)
        except Exception as error:  # reported, not swallowed
            results[index] = {"exception": repr(error)}
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def checkout_race(args) -> dict:
    """``threads`` customers each buy one miến dong; all press "pay" at the same time."""
    import graphene
    from django.test import Client

    from tests.saleor_fixtures.checkout import (
        CHECKOUT_COMPLETE,
        CHECKOUT_CREATE,
        PAYMENT_CREATE,
        SHIPPING_METHOD_UPDATE,
        VIETNAMESE_ADDRESS,
    )

    variant_id = graphene.Node.to_global_id("ProductVariant", _catalog().mien_dong.pk)
    barrier = threading.Barrier(args.threads)

    def post(client, query, variables):
        response = client.post(
            "/graphql/",
            json.dumps({"query": query, "variables": variables}),
            content_type="application/json",
        )
        return response.json()

    def customer(index):
        client = Client(HTTP_HOST="localhost")
        created = post(client, CHECKOUT_CREATE, {"input": {
            "email": f"khach{index}@example.vn",
            "lines": [{"variantId": variant_id, "quantity": 1}],
            "shippingAddress": VIETNAMESE_ADDRESS, "billingAddress": VIETNAMESE_ADDRESS,
        }})["data"]["checkoutCreate"]  # fmt: skip
        checkout = created["checkout"]
        post(client, SHIPPING_METHOD_UPDATE, {
            "checkoutId": checkout["id"],
            "shippingMethodId": checkout["availableShippingMethods"][0]["id"],
        })  # fmt: skip
        # 125.000 ₫ + one 500 g parcel from Thái Nguyên to Hà Nội (same region) 25.000 ₫
        post(client, PAYMENT_CREATE, {"checkoutId": checkout["id"], "input": {
            "gateway": "mirumee.payments.dummy", "token": "charged", "amount": 150000,
        }})  # fmt: skip
        barrier.wait()
        body = post(client, CHECKOUT_COMPLETE, {"checkoutId": checkout["id"]})
        completed = (body.get("data") or {}).get("checkoutComplete") or {}
        return {
            "order": (completed.get("order") or {}).get("id"),
            "codes": [e["code"] for e in completed.get("checkoutErrors") or []],
            "errors": [e.get("message", "")[:80] for e in body.get("errors") or []],
        }

    return {"results": _threads(args.threads, customer)}


def paid_then_sold_out(args) -> dict:
    """A customer pays for the last miến dong; while the gateway captures, the
    cooperative sells that pack at its stall and sets the stock to 0 (Saleor's stock
    edit, which no checkout reservation stops). Order creation is held back by a lock on
    Saleor's order table until the capture is committed and the stock is 0."""
    import time

    from django.db import connection, transaction
    from django.test import Client
    from saleor.payment.models import Transaction
    from saleor.warehouse.models import Stock

    from tests.saleor_fixtures.api import ApiClient
    from tests.saleor_fixtures.checkout import CHECKOUT_COMPLETE, prepare_checkout

    mien_dong = _catalog().mien_dong
    api_client = ApiClient()
    api_client.client = Client(HTTP_HOST="localhost")
    checkout_id = prepare_checkout(api_client, [(mien_dong, 1)], "mirumee.payments.dummy")
    outcome = {}

    def customer():
        try:
            outcome["body"] = api_client.execute(CHECKOUT_COMPLETE, {"checkoutId": checkout_id})
        finally:
            connection.close()

    with transaction.atomic():
        with connection.cursor() as cursor:
            # Reads of orders go on; creating one waits for this transaction.
            cursor.execute("LOCK TABLE order_order IN SHARE MODE")
        buyer = threading.Thread(target=customer)
        buyer.start()
        deadline = time.monotonic() + 120
        while not Transaction.objects.filter(kind="capture", is_success=True).exists():
            assert time.monotonic() < deadline, "the gateway never captured"
            time.sleep(0.05)
        Stock.objects.filter(product_variant=mien_dong).update(quantity=0)
    buyer.join(timeout=120)
    completed = outcome["body"]["data"]["checkoutComplete"]
    return {
        "order": completed["order"],
        "errors": completed["checkoutErrors"],
        "graphql_errors": outcome["body"].get("errors"),
    }


def place_orders(args) -> dict:
    from tests.routing.marketplace import place_order

    built = _catalog()
    ids = [
        place_order(built, [(built.mien_dong, 1), (built.tra, 1)], email=f"k{i}@example.vn").pk
        for i in range(args.count)
    ]
    return {"orders": len(ids)}


def route(args) -> dict:
    """Each thread routes every pending order, in its own random order: maximal
    contention between concurrent workers on the same orders."""
    from marketplace.models import OrderRouting
    from marketplace.routing import route_order

    order_ids = list(
        OrderRouting.objects.filter(status="pending").values_list("order_id", flat=True)
    )
    print(json.dumps({"pending": len(order_ids)}), flush=True)

    def worker(index):
        mine = order_ids[:]
        random.Random(index + os.getpid()).shuffle(mine)
        created = 0
        for order_id in mine:
            created += route_order(order_id).created  # the routing task's body
        return created

    return {"runs": _threads(args.threads, worker)}


def sweep(args) -> dict:
    """The beat sweeper, run now: routes pending orders and sends pending notifications."""
    from marketplace.tasks import route_pending_orders

    return {"routed": route_pending_orders(older_than_seconds=0)}


def main() -> int:
    parser = argparse.ArgumentParser()
    commands = parser.add_subparsers(dest="command", required=True)
    made = commands.add_parser("catalog")
    made.add_argument("--mien-dong", type=int, default=40)
    made.add_argument("--tra", type=int, default=15)
    commands.add_parser("checkout-race").add_argument("--threads", type=int, default=8)
    commands.add_parser("paid-then-sold-out")
    commands.add_parser("place-orders").add_argument("count", type=int)
    commands.add_parser("route").add_argument("--threads", type=int, default=2)
    commands.add_parser("sweep")
    args = parser.parse_args()
    setup()
    handler = {
        "catalog": catalog,
        "checkout-race": checkout_race,
        "paid-then-sold-out": paid_then_sold_out,
        "place-orders": place_orders,
        "route": route,
        "sweep": sweep,
    }[args.command]
    print(json.dumps(handler(args)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
