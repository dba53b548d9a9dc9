"""Benchmark: platform staff's product list (/quan-tri/san-pham/) with 15,000 products.

    .venv/bin/python bench/backoffice_products.py [--products 15000] [--rounds 200]

Reuses bench/storefront.py's database (``ocop_bench_storefront``, built once from a
synthetic registry). In process, one client after another (Django's test client, signed
in as platform staff): the first page, a name search, each filter, a deep page. Prints
p50/p95 per scenario against the issue's 150 ms (the query count per page is
asserted in tests/backoffice/test_products.py).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("OCOP_DEV", "1")
os.environ.setdefault("OCOP_DATABASE_NAME", "ocop_bench_storefront")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "True")

from devtools import services

TARGET_MS = 150.0
SCENARIOS = {
    "first page": {},
    "search 'mien'": {"q": "mien"},
    "5 stars, published": {"sao": "5", "dang_ban": "1"},
    "in stock, province 19": {"con_hang": "1", "tinh": "19"},
    "out of stock": {"con_hang": "0"},
    "page 100": {"trang": "100"},
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=15000)
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    services.ensure_database_exists(services.database_url())
    import django

    django.setup()
    from django.contrib.auth.models import Permission
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse
    from saleor.account.models import User

    from bench.storefront import build_database

    setup_test_environment()  # the test client's host, "testserver", is allowed
    count = build_database(args.products, rebuild=False)
    staff = User.objects.filter(email="bench.staff@ocop.test").first()
    if staff is None:
        staff = User.objects.create_user(email="bench.staff@ocop.test", is_staff=True)
    # Platform staff (marketplace.access.sees_all): staff who manage orders.
    staff.user_permissions.add(Permission.objects.get(codename="manage_orders"))
    client = Client()
    client.force_login(staff, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("backoffice-products")
    print(f"{count} products; {args.rounds} requests per scenario, one client")
    failed = False
    for name, query in SCENARIOS.items():
        response = client.get(url, query)
        assert response.status_code in (200, 404), (name, response.status_code)
        times = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            client.get(url, query)
            times.append((time.perf_counter() - started) * 1000)
        p50 = statistics.median(times)
        p95 = statistics.quantiles(times, n=20)[18]
        failed |= p95 > TARGET_MS
        print(
            f"{name:24} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  "
            f"{'ok' if p95 <= TARGET_MS else 'SLOW'}"
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
