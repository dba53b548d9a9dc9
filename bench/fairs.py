"""Benchmark: province trade fairs (fairs/), in process, quick to run.

    .venv/bin/python bench/fairs.py [--requests 200] [--orders 5000]

Uses its own database (``ocop_bench_fairs``, fair tables emptied first; the catalogue
is imported once from a 300-row synthetic registry and reused). Prints, measured in
this one run with Django's test client (no network, one process, so the figures are
the application's own cost):

1. the fair landing page (each request records a visit): p50 / p95, and the same page
   without recording (HEAD): the visit-record overhead ratio;
2. the scan of a product card (record the visit, redirect) followed by the product
   page, against the product page alone: p50s and their ratio, and the visit insert
   alone;
3. the fair report (build + CSV) for a fair with N attributed orders (bulk-made Saleor
   orders with one line each): p50 of 5 runs;
4. the A4 PDF (poster + booth cards) render time: p50 of 5 runs.
"""

from __future__ import annotations

import argparse
import datetime
import statistics
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

common.configure("ocop_bench_fairs")
percentile = common.percentile

FAIR_TABLES = [
    "fairs_fairorder", "fairs_faircart", "fairs_fairvisit", "fairs_retiredslug",
    "fairs_fairproduct", "fairs_booth", "fairs_fair_cooperatives", "fairs_fair",
    "fairs_provincestaff",
]  # fmt: skip
BENCH_EMAIL_DOMAIN = "@bench-fairs.test"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:8.1f} ms"


def timed(action, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return times


def setup_database() -> None:
    common.setup_django()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE {} CASCADE".format(", ".join(FAIR_TABLES)))
        # The bulk-made orders of an earlier run (they have lines only, no events).
        made = "SELECT id FROM order_order WHERE user_email LIKE %s"
        pattern = [f"%{BENCH_EMAIL_DOMAIN}"]
        cursor.execute(f"DELETE FROM order_orderline WHERE order_id IN ({made})", pattern)
        cursor.execute(f"DELETE FROM order_order WHERE id IN ({made})", pattern)
    common.small_catalogue(300)


def make_orders(fair, count: int) -> None:
    """``count`` Saleor orders of one line each, credited to the fair's booths, spread
    over the fair's days: what a fair's report reads."""
    from django.utils import timezone
    from saleor.order.models import Order, OrderLine

    from fairs.models import FairCart, FairOrder, FairVisit

    featured = list(fair.featured.select_related("ocop_product__product", "booth"))
    variants = {
        fp.pk: fp.ocop_product.product.variants.first() for fp in featured
    }  # fmt: skip
    start = timezone.now() - datetime.timedelta(days=3)
    visits = FairVisit.objects.bulk_create(
        [
            FairVisit(
                fair=fair, booth=featured[i % len(featured)].booth,
                fair_product=featured[i % len(featured)], visitor_id=uuid.uuid4(),
                created_at=start + datetime.timedelta(seconds=i * 40),
            )
            for i in range(count)
        ],
        batch_size=2000,
    )  # fmt: skip
    orders = Order.objects.bulk_create(
        [
            Order(
                token=str(uuid.uuid4()), checkout_token=str(uuid.uuid4()),
                user_email=f"khach{i}{BENCH_EMAIL_DOMAIN}", currency="VND",
                created=visits[i].created_at + datetime.timedelta(minutes=5),
                total_net_amount=Decimal(155000), total_gross_amount=Decimal(155000),
                shipping_price_net_amount=Decimal(30000),
                shipping_price_gross_amount=Decimal(30000),
            )
            for i in range(count)
        ],
        batch_size=2000,
    )  # fmt: skip
    lines = []
    for i, order in enumerate(orders):
        fp = featured[i % len(featured)]
        lines.append(
            OrderLine(
                order=order, variant=variants[fp.pk], product_name=fp.ocop_product.product.name,
                product_sku=variants[fp.pk].sku, is_shipping_required=True, quantity=1,
                currency="VND", unit_price_net_amount=Decimal(125000),
                unit_price_gross_amount=Decimal(125000), tax_rate=Decimal(0),
            )
        )  # fmt: skip
    OrderLine.objects.bulk_create(lines, batch_size=2000)
    FairCart.objects.bulk_create(
        [
            FairCart(
                checkout_token=o.checkout_token, visit=v, fair=fair, booth=v.booth_id and v.booth
            )
            for o, v in zip(orders, visits, strict=True)
        ],
        batch_size=2000,
    )
    FairOrder.objects.bulk_create(
        [
            FairOrder(
                order=o, fair=fair, booth=v.booth, fair_product=v.fair_product, visit=v,
                visited_at=v.created_at, credited_at=o.created,
            )
            for o, v in zip(orders, visits, strict=True)
        ],
        batch_size=2000,
    )  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--orders", type=int, default=5000)
    args = parser.parse_args()

    setup_database()
    import logging

    from django.test import Client

    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    logging.getLogger("django.request").setLevel(logging.ERROR)

    from common import spreadsheets
    from devtools.fair_sample import load_sample_fairs
    from fairs import attribution, posters, reports
    from fairs.models import FairVisit

    _, (fair, _) = load_sample_fairs("tinh" + BENCH_EMAIL_DOMAIN, "mat-khau-bench-1")
    featured = fair.featured.select_related("ocop_product__product").first()
    product_path = f"/san-pham/{featured.ocop_product.product.slug}/"
    card_path = f"/f/{fair.slug}/p/{featured.slug}"
    print(f"fair /f/{fair.slug}: {fair.booths.count()} booths, {fair.featured.count()} products")

    client = Client()
    client.get(f"/f/{fair.slug}")  # warm: templates, plugin manager, connections
    landing = timed(lambda: client.get(f"/f/{fair.slug}"), args.requests)
    print(f"landing page            p50 {ms(percentile(landing, .5))}   "
          f"p95 {ms(percentile(landing, .95))}   ({args.requests} requests)")  # fmt: skip

    shown = timed(lambda: client.head(f"/f/{fair.slug}"), args.requests)
    print(f"landing page, no visit  p50 {ms(percentile(shown, .5))}   (HEAD: same page, "
          f"nothing recorded)   visit-record overhead ratio "
          f"{percentile(landing, .5) / percentile(shown, .5):.2f}")  # fmt: skip

    plain = Client()
    plain.get(product_path)
    product_alone = timed(lambda: plain.get(product_path), args.requests)

    def scan_then_product():
        response = client.get(card_path)
        client.get(response["Location"])

    scanned = timed(scan_then_product, args.requests)
    p50_plain, p50_scan = percentile(product_alone, 0.5), percentile(scanned, 0.5)
    print(
        f"product page alone      p50 {ms(p50_plain)}   p95 {ms(percentile(product_alone, 0.95))}"
    )
    print(f"scan + product page     p50 {ms(p50_scan)}   p95 {ms(percentile(scanned, .95))}   "
          f"ratio {p50_scan / p50_plain:.2f}")  # fmt: skip
    visitor = uuid.uuid4()
    inserts = timed(lambda: FairVisit.objects.create(fair=fair, visitor_id=visitor), args.requests)
    print(f"visit insert alone      p50 {ms(percentile(inserts, 0.5))}")
    assert attribution.COOKIE in client.cookies

    make_orders(fair, args.orders)
    report = timed(
        lambda: spreadsheets.write_csv(
            reports.CSV_HEADER, reports.csv_rows(reports.build_report(fair))
        ),
        5,
    )
    built = reports.build_report(fair)
    print(f"report + CSV, {built.totals.orders} orders  p50 {ms(statistics.median(report))}   "
          f"revenue {int(built.totals.revenue):,} VND")  # fmt: skip
    pdf = timed(lambda: posters.render_pdf(fair), 5)
    cards = fair.booths.count() + fair.featured.count()
    print(f"A4 PDF ({cards} cards)           p50 {ms(statistics.median(pdf))}   "
          f"{len(posters.render_pdf(fair)) // 1024} KiB")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
