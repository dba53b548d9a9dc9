"""Benchmark: platform staff's order search (/quan-tri/don-hang/) on 100,000 orders.

    .venv/bin/python bench/order_desk.py [--orders 100000] [--requests 40]

Target (issue 14): every list screen p95 ≤ 150 ms with 100,000 orders; queries per page
constant in the page size.

Uses its own database (``ocop_bench_order_desk``): the 300-row synthetic registry (many
producers) is imported once, then ``--orders`` Saleor orders are written in bulk (not
through the checkout: the search reads orders, their parts and payments, not lines),
each with one or two cooperative parts in a random status, one of 5,000 shoppers'
e-mails and phones, and a COD, VietQR or card payment in a random state. Measured with
Django's test client in process (the application's own cost, the database included);
prints p50 / p95 and the queries of each search.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("OCOP_DEV", "1")
os.environ.setdefault("OCOP_DATABASE_NAME", "ocop_bench_order_desk")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "True")
os.environ.setdefault("ALLOWED_HOSTS", "localhost,testserver")

from devtools import services

SHOPPERS = 5000
STATUSES = ["new", "accepted", "packed", "shipped", "delivered", "rejected", "cancelled"]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def setup(count: int) -> None:
    services.ensure_database_exists(services.database_url())
    import django

    django.setup()
    from django.utils import timezone
    from saleor.order.models import Order
    from saleor.product.models import Product

    from catalog_sync.importer import import_registry
    from catalog_sync.synthetic import write_synthetic_registry
    from saleor_adapter.migrations_runner import migrate

    migrate(verbosity=0)
    if Product.objects.count() < 100:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "registry.csv"
            write_synthetic_registry(path, 300, as_of=timezone.localdate())
            import_registry(path, as_of=timezone.localdate())
    have = Order.objects.count()
    if have < count:
        write_orders(count - have)


def shopper(i: int) -> tuple[str, str]:
    return f"khach{i}@bench-order-desk.test", f"+8491{i:07d}"


def write_orders(count: int) -> None:
    from django.db import connection, transaction
    from saleor.account.models import Address
    from saleor.order.models import Order
    from saleor.payment.models import Payment

    from marketplace.models import CooperativeOrder, Producer
    from saleor_adapter.payments.cod import GATEWAY_ID as COD
    from saleor_adapter.payments.vietqr import GATEWAY_ID as VIETQR

    rng = random.Random(14)
    producers = list(Producer.objects.values_list("pk", flat=True))
    addresses = []
    for i in range(SHOPPERS):
        addresses.append(Address(first_name="Lan", last_name=f"Nguyễn {i}", city="Hà Nội",
                                 street_address_1="12 Phố Huế", country="VN",
                                 phone=shopper(i)[1]))  # fmt: skip
    if not Address.objects.filter(phone=shopper(0)[1]).exists():
        Address.objects.bulk_create(addresses, batch_size=2000)
    address_ids = dict(Address.objects.filter(phone__startswith="+8491").values_list("phone", "pk"))
    gateways = [
        (COD, ["not-charged", "fully-charged"]),
        (VIETQR, ["not-charged", "fully-charged", "partially-refunded"]),
        ("mirumee.payments.stripe", ["fully-charged", "fully-refunded"]),
    ]
    batch = 5000
    for start in range(0, count, batch):
        size = min(batch, count - start)
        with transaction.atomic():
            orders = []
            for _ in range(size):
                i = rng.randrange(SHOPPERS)
                email, phone = shopper(i)
                orders.append(Order(
                    user_email=email, shipping_address_id=address_ids[phone],
                    billing_address_id=address_ids[phone], token=str(uuid.uuid4()),
                    status="unfulfilled", currency="VND", total_gross_amount=280000,
                    total_net_amount=280000, shipping_price_gross_amount=30000,
                    shipping_price_net_amount=30000,
                ))  # fmt: skip
            Order.objects.bulk_create(orders)
            parts, payments = [], []
            for order in orders:
                i = int(order.user_email[5:].split("@")[0])
                email, phone = shopper(i)
                for n, producer in enumerate(rng.sample(producers, rng.choice([1, 1, 2])), 1):
                    parts.append(CooperativeOrder(
                        order_id=order.pk, producer_id=producer, number=f"{order.pk}-{n}",
                        status=rng.choice(STATUSES), subtotal_amount=250000,
                        shipping_amount=30000, customer_name=f"Nguyễn {i} Lan",
                        customer_email=email, customer_phone=phone,
                    ))  # fmt: skip
                gateway, states = rng.choice(gateways)
                charge = rng.choice(states)
                payments.append(Payment(
                    order_id=order.pk, gateway=gateway, is_active=True, charge_status=charge,
                    total=280000, captured_amount=280000 if charge == "fully-charged" else 0,
                    currency="VND", billing_email=email,
                ))  # fmt: skip
            CooperativeOrder.objects.bulk_create(parts)
            Payment.objects.bulk_create(payments)
        print(f"  {start + size} orders written", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    args = parser.parse_args()
    setup(args.orders)
    import logging

    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from saleor.account.models import User
    from saleor.order.models import Order

    from marketplace.models import Producer
    from tests.saleor_fixtures.api import grant

    logging.getLogger("django.request").setLevel(logging.ERROR)
    staff, _ = User.objects.get_or_create(
        email="dieu.phoi@bench-order-desk.test", defaults={"is_staff": True}
    )
    grant(staff, "manage_orders")
    client = Client()
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    newest = Order.objects.order_by("-pk").values_list("pk", flat=True).first()
    producer = Producer.objects.order_by("pk").values_list("pk", flat=True).first()
    email, phone = shopper(1234)
    cases = {
        "newest page": {},
        "page 2": {"sau": newest - 49},
        "deep page": {"sau": newest - 90_000},
        "number": {"so": str(newest - 500)},
        "phone 0912…": {"dien_thoai": "0" + phone[3:]},
        "e-mail": {"email": email.upper()},
        "cooperative": {"htx": producer},
        "part status new": {"trang_thai": "new"},
        "cooperative + new": {"htx": producer, "trang_thai": "new"},
        "COD unpaid": {"thanh_toan": "cod", "tt_thanh_toan": "unpaid"},
        "card refunded": {"thanh_toan": "card", "tt_thanh_toan": "refunded"},
    }
    path = reverse("backoffice-orders")
    print(f"{Order.objects.count()} orders")
    for label, params in cases.items():
        assert client.get(path, params).status_code == 200, label
        sent = []

        def count(execute, sql, params_, many, context, sent=sent):
            sent.append(sql)
            return execute(sql, params_, many, context)

        with connection.execute_wrapper(count):
            rows = client.get(path, params).content.decode().count('data-testid="order-row"')
        times = []
        for _ in range(args.requests):
            started = time.perf_counter()
            client.get(path, params)
            times.append(time.perf_counter() - started)
        print(
            f"{label:18} p50 {statistics.median(times) * 1000:6.1f} ms   "
            f"p95 {percentile(times, 0.95) * 1000:6.1f} ms   {len(sent)} queries   "
            f"{rows} rows"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
