"""Benchmark: what pricing one parcel per cooperative costs ``checkoutComplete``.

    .venv/bin/python bench/checkout_parcels.py [--checkouts 40]

Uses its own database (``ocop_bench_parcels``, emptied first) and an in-process broker
(``memory://``: tasks are queued as deployed, never run, so routing's own cost, which
runs in a worker, is not counted). Two carts of three lines each, checked out through
GraphQL, interleaved: three products of **one** cooperative, and one product of each of
**three** cooperatives (three parcels priced from their provinces; the order stores
three fees). Prints each one's median and p95 latency and query count, and the ratio of
the medians (target: three cooperatives add ≤ 15 %, ratio ≤ 1.15).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

common.configure(
    "ocop_bench_parcels", CELERY_BROKER_URL="memory://", CELERY_TASK_ALWAYS_EAGER="False",
    EMAIL_URL="memory://", DEFAULT_FROM_EMAIL="donhang@cho-ocop.test",
)  # fmt: skip
percentile = common.percentile

TABLES = [
    "marketplace_ledgerentry", "marketplace_notificationdelivery",
    "marketplace_cooperativeorderevent", "marketplace_cooperativeorderline",
    "marketplace_cooperativeorder", "marketplace_orderrouting",
    "marketplace_cooperativesettings", "marketplace_stockreservation", "warehouse_allocation",
    "order_orderevent", "order_orderline", "payment_transaction", "payment_payment",
    "order_order", "checkout_checkoutline", "checkout_checkout", "marketplace_certificate",
    "marketplace_ocopproduct", "marketplace_producer", "product_assignedproductattribute",
    "warehouse_stock", "product_productvariant", "product_product",
    "warehouse_warehouse_shipping_zones", "warehouse_warehouse", "shipping_shippingmethod",
    "shipping_shippingzone", "plugins_pluginconfiguration", "account_user",
]  # fmt: skip


def setup_database() -> None:
    common.setup_django()
    from django.db import connection

    with connection.cursor() as cursor:
        # TRUNCATE does not fire the ledger's row triggers (a bench reset, not an edit).
        cursor.execute("TRUNCATE {} CASCADE".format(", ".join(TABLES)))


def build_catalogue(folder: Path) -> dict[str, int]:
    """Three cooperatives: Tài Hoan (three products), Tân Cương and Định Hóa (one each);
    product name → variant pk."""
    from saleor.product.models import ProductVariant
    from saleor.warehouse.models import Stock

    from catalog_sync.importer import import_registry
    from tests.catalog_import.registry import MIEN_DONG, TRA_TAN_CUONG, write_registry
    from tests.routing.marketplace import AS_OF

    rows = [
        MIEN_DONG,
        {**MIEN_DONG, "product_name": "Bột dong riềng Tài Hoan", "price_vnd": "70000",
         "decision_number": "845/QĐ-UBND", "stars": "3", "issuing_authority":
         "UBND tỉnh Thái Nguyên"},
        {**MIEN_DONG, "product_name": "Bánh đa Tài Hoan", "price_vnd": "40000",
         "decision_number": "846/QĐ-UBND", "stars": "3", "issuing_authority":
         "UBND tỉnh Thái Nguyên"},
        TRA_TAN_CUONG,
        {**TRA_TAN_CUONG, "product_name": "Gạo nếp cái hoa vàng", "price_vnd": "60000",
         "weight_grams": "2000", "producer_name": "Hợp tác xã Gạo Định Hóa",
         "decision_number": "900/QĐ-UBND", "product_group": "Thực phẩm"},
    ]  # fmt: skip
    report = import_registry(write_registry(folder / "bench.csv", rows), as_of=AS_OF)
    assert not report.rejections, [r.as_dict() for r in report.rejections]
    Stock.objects.update(quantity=1_000_000)
    return dict(ProductVariant.objects.values_list("product__name", "pk"))


def bench(count: int, variants: dict[str, int]) -> None:
    import graphene
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tests.saleor_fixtures import checkout as gql

    client = Client(HTTP_HOST="localhost")

    def post(query, variables):
        return client.post(
            "/graphql/", json.dumps({"query": query, "variables": variables}),
            content_type="application/json",
        ).json()["data"]  # fmt: skip

    carts = {
        "1 cooperative ": ["Miến dong Tài Hoan", "Bột dong riềng Tài Hoan", "Bánh đa Tài Hoan"],
        "3 cooperatives": ["Miến dong Tài Hoan", "Trà xanh Tân Cương", "Gạo nếp cái hoa vàng"],
    }

    def one_checkout(names: list[str]) -> tuple[float, int, float]:
        lines = [
            {"variantId": graphene.Node.to_global_id("ProductVariant", variants[name]),
             "quantity": 1}
            for name in names
        ]  # fmt: skip
        checkout = post(gql.CHECKOUT_CREATE, {"input": {
            "email": "bench@example.vn", "lines": lines,
            "shippingAddress": gql.VIETNAMESE_ADDRESS, "billingAddress": gql.VIETNAMESE_ADDRESS,
        }})["checkoutCreate"]["checkout"]  # fmt: skip
        shipped = post(
            gql.SHIPPING_METHOD_UPDATE,
            {
                "checkoutId": checkout["id"],
                "shippingMethodId": checkout["availableShippingMethods"][0]["id"],
            },
        )
        total = shipped["checkoutShippingMethodUpdate"]["checkout"]["totalPrice"]["gross"]
        payment = {"gateway": "mirumee.payments.dummy", "token": "charged",
                   "amount": total["amount"]}  # fmt: skip
        post(gql.PAYMENT_CREATE, {"checkoutId": checkout["id"], "input": payment})
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            completed = post(gql.CHECKOUT_COMPLETE, {"checkoutId": checkout["id"]})
            seconds = time.perf_counter() - started
        assert completed["checkoutComplete"]["order"], completed
        return seconds, len(queries.captured_queries), total["amount"]

    for names in carts.values():  # warm-up, not counted
        one_checkout(names)
    timings = {label: [] for label in carts}
    queries, totals = {}, {}
    for index in range(count * 2):
        label = list(carts)[index % 2]
        seconds, queries[label], totals[label] = one_checkout(carts[label])
        timings[label].append(seconds)
    print(f"checkoutComplete, {count} each, interleaved, 3 lines per cart, to Hà Nội")
    for label, values in timings.items():
        median = statistics.median(values) * 1000
        p95 = percentile(values, 0.95) * 1000
        print(
            f"  {label}: median {median:6.1f} ms, p95 {p95:6.1f} ms, "
            f"{queries[label]} queries, order total {totals[label]:,.0f} ₫"
        )
    one, three = (statistics.median(v) for v in timings.values())
    ratio = three / one
    verdict = "ok" if ratio <= 1.15 else "OVER"
    print(f"  ratio of medians (3 : 1): {ratio:.3f} (target ≤ 1.15) {verdict}")
    pricing_cost(one)


def pricing_cost(baseline: float) -> None:
    """The parcels' own cost inside checkoutComplete, measured on the orders just placed
    (less noisy than the end-to-end difference on a busy machine): pricing them, as the
    checkout's shipping hook does (once: memoised), and pricing and storing the fees, as
    order_created does."""
    from django.db import transaction
    from saleor.order.models import Order

    from saleor_adapter.shipping import order_quote, store_parcel_fees

    for parcels in (1, 3):
        orders = [
            o for o in Order.objects.order_by("-pk")[:20]
            if len((o.private_metadata or {}).get("ocop_parcel_shipping", {})) == parcels
        ][:10]  # fmt: skip
        quoting, storing = [], []
        for order in orders:
            started = time.perf_counter()
            order_quote(order)
            quoted = time.perf_counter()
            with transaction.atomic():
                store_parcel_fees(order)
                transaction.set_rollback(True)
            storing.append(time.perf_counter() - quoted)
            quoting.append(quoted - started)
        price, store = statistics.median(quoting), statistics.median(storing)
        print(
            f"  {parcels} parcel(s): priced at checkout {price * 1000:.1f} ms, priced again and "
            f"stored at order creation {store * 1000:.1f} ms: "
            f"{(price + store) / baseline:.1%} of checkoutComplete"
        )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkouts", type=int, default=40)
    args = parser.parse_args()
    setup_database()
    with tempfile.TemporaryDirectory() as folder:
        variants = build_catalogue(Path(folder))
    bench(args.checkouts, variants)
    return 0


if __name__ == "__main__":
    sys.exit(main())
