"""Benchmark: the shopper's order page with 1 parcel against 5 parcels, in process.

    .venv/bin/python bench/order_page.py [--requests 200]

Target (issue 13): the page of an order with 5 parcels (5 cooperatives) renders in
≤ 30 ms in process, with the same number of queries as an order with 1 parcel.

Uses its own database (``ocop_bench_order_page``; its orders are made again each run,
the catalogue — a 300-row synthetic registry, many producers — is imported once). Each
order is paid cash on delivery (authorised, not captured); in the 5-parcel order two
parcels are shipped (tracking links), one delivered and one rejected, so every block of
the page is drawn. Measured with Django's test client (no network: the application's
own cost). Prints p50 / p95 of each page (wall time, the database included), the CPU
time of this process (what a busy machine inflates least), the ratio 5 / 1 parcels of
the p50s, and the queries per page.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

common.configure("ocop_bench_order_page")
percentile = common.percentile

BENCH_EMAIL = "khach@bench-order-page.test"


def setup() -> None:
    common.setup_django()
    common.small_catalogue(300)


def variants_of_distinct_producers(count: int) -> list:
    from saleor.product.models import ProductVariant
    from saleor.warehouse.models import Stock

    chosen, producers = [], set()
    for stock in Stock.objects.filter(quantity__gt=20).select_related(
        "product_variant", "warehouse__ocop_producer"
    ):
        producer = getattr(stock.warehouse, "ocop_producer", None)
        if producer is None or producer.pk in producers:
            continue
        producers.add(producer.pk)
        chosen.append(ProductVariant.objects.get(pk=stock.product_variant_id))
        if len(chosen) == count:
            return chosen
    raise SystemExit(f"fewer than {count} producers with stock in the catalogue")


def cod_order(variants):
    """A Saleor order of one unit of each variant, paid cash on delivery, routed."""
    from saleor.payment import gateway
    from saleor.payment.utils import create_payment
    from saleor.shipping.models import ShippingMethod

    from marketplace.routing import route_order
    from saleor_adapter.payments.cod import GATEWAY_ID as COD
    from tests.routing.marketplace import Catalog, place_order

    method = ShippingMethod.objects.filter(shipping_zone__name="Việt Nam").first()
    catalog = Catalog(None, None, None, None, method)
    order = place_order(catalog, [(v, 1) for v in variants], email=BENCH_EMAIL)
    payment = create_payment(
        gateway=COD, total=order.total_gross_amount, currency="VND",
        email=BENCH_EMAIL, order=order,
    )  # fmt: skip
    gateway.authorize(payment, token="")
    route_order(order.pk)
    return order


def staff_user():
    from saleor.account.models import User

    from tests.saleor_fixtures.api import grant

    user, _ = User.objects.get_or_create(
        email="dieu.phoi@bench-order-page.test", defaults={"is_staff": True}
    )
    return grant(user, "manage_orders")


def progress(order, staff) -> None:
    """Parcels in every state: new, shipped (×2, one then delivered), rejected."""
    from marketplace import lifecycle
    from marketplace.models import CooperativeOrder

    parts = list(CooperativeOrder.objects.filter(order=order).order_by("number"))
    carriers = [("Viettel Post", "VTP0001"), ("GHN", "GHN0002")]
    for part, (carrier, number) in zip(parts[1:3], carriers, strict=True):
        lifecycle.accept(staff, part.pk)
        lifecycle.pack(staff, part.pk)
        lifecycle.ship(staff, part.pk, carrier, number)
    lifecycle.deliver(staff, parts[2].pk)
    lifecycle.reject(staff, parts[3].pk, "Hết hàng")


def measure(client, order, requests: int) -> tuple[list[float], int]:
    from django.db import connection

    path = f"/don-hang/{order.token}/"
    assert client.get(path).status_code == 200  # warm: templates, plugins, connection
    sent = []

    def count(execute, sql, params, many, context):
        sent.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        client.get(path)
    times, cpu = [], []
    for _ in range(requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(path)
        times.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return times, cpu, len(sent)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    setup()
    import logging

    from django.test import Client

    logging.getLogger("django.request").setLevel(logging.ERROR)
    variants = variants_of_distinct_producers(5)
    one = cod_order(variants[:1])
    five = cod_order(variants)
    progress(five, staff_user())

    client = Client()
    results = {}
    for label, order in (("1 parcel ", one), ("5 parcels", five)):
        times, cpu, queries = measure(client, order, args.requests)
        results[label] = statistics.median(times)
        print(
            f"order page, {label}  p50 {statistics.median(times) * 1000:6.1f} ms   "
            f"p95 {percentile(times, 0.95) * 1000:6.1f} ms   this process's CPU p50 "
            f"{statistics.median(cpu) * 1000:5.1f} ms   {queries} queries   "
            f"({args.requests} requests)"
        )
    ratio = results["5 parcels"] / results["1 parcel "]
    print(f"ratio 5 / 1 parcels (p50): {ratio:.2f}   target: 5 parcels ≤ 30 ms, same queries")
    return 0


if __name__ == "__main__":
    sys.exit(main())
