"""Benchmark: the public verification page of a stamp (verification/), in process.

    .venv/bin/python bench/verification.py [--stamps 1000000] [--checks 2000000]
        [--requests 300] [--clients 20] [--sheet 2000]

Uses its own database (``ocop_bench_verification``; verification tables emptied first,
the catalogue imported once from a 300-row synthetic registry). Stamps are issued as
batches of 2,000 over the products (a million stamps are 500 rows); checks are
inserted with ``generate_series`` spread over the stamps and the last year. Prints,
measured in this one run with Django's test client (no network, so the figures are the
application's own cost):

1. a stamp's page (GET, records the check): p50 / p95 with one client, and p95 with
   ``--clients`` threads at once (one process: the threads share one interpreter, so
   this is a pessimistic figure for a multi-process server);
2. the same page without recording (HEAD): the check-record overhead ratio;
3. the product's page without a stamp;
4. the A4 label sheet of ``--sheet`` stamps as PDF: seconds;
5. with ``--served``: the stamp pages served as ``make demo`` serves them (gunicorn,
   ``python -m devtools.demo``) and loaded by ``wrk`` (Debian package ``wrk``) with
   ``--clients`` connections for ``--seconds`` each: a browser's user agent (each
   request records its check) against a link checker's (``curl/…``: nothing recorded).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

common.configure("ocop_bench_verification")
percentile = common.percentile

TABLES = ["verification_stampcheck", "verification_stampbatch", "verification_stampflag"]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def spread(times: list[float]) -> str:
    return f"p50 {ms(statistics.median(times))}  p95 {ms(percentile(times, 0.95))}"


def setup(stamp_count: int, check_count: int) -> list[tuple[str, int, int]]:
    common.setup_django()
    from django.db import connection
    from django.utils import timezone

    from marketplace.certification import valid_on
    from marketplace.models import OcopProduct
    from verification.models import StampBatch

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE {} CASCADE".format(", ".join(TABLES)))
    common.small_catalogue(300)
    products = list(
        OcopProduct.objects.filter(valid_on(timezone.localdate())).values_list("pk", flat=True)
    )
    batches, serial_top = [], {}
    for index in range(stamp_count // 2000):
        product = products[index % len(products)]
        first = serial_top.get(product, 1)
        batches.append(StampBatch(ocop_product_id=product, first_serial=first, count=2000,
                                  issued_as="province"))  # fmt: skip
        serial_top[product] = first + 2000
    StampBatch.objects.bulk_create(batches, batch_size=1000)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO verification_stampcheck
                (ocop_product_id, serial, genuine, checked_at, province_code, scanned)
            SELECT b.ocop_product_id, b.first_serial + (g %% 2000), true,
                   now() - (g %% 365) * interval '1 day', '', ''
            FROM generate_series(0, %s - 1) AS g
            JOIN (SELECT ocop_product_id, first_serial,
                         row_number() OVER (ORDER BY id) - 1 AS n
                  FROM verification_stampbatch) b
              ON b.n = (g / 2000) %% %s
            """,
            [check_count, max(1, len(batches))],
        )
        cursor.execute("ANALYZE verification_stampcheck")
        cursor.execute("ANALYZE verification_stampbatch")
    print(f"inserted {check_count:,} checks in {time.perf_counter() - started:.1f} s")
    return [(b.ocop_product_id, b.first_serial, b.count) for b in batches]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stamps", type=int, default=1_000_000)
    parser.add_argument("--checks", type=int, default=2_000_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--sheet", type=int, default=2000)
    parser.add_argument("--served", action="store_true")
    parser.add_argument("--seconds", type=int, default=15)
    args = parser.parse_args()
    run(args)


def run(args) -> None:
    batches = setup(args.stamps, args.checks)
    import random

    from django.test import Client

    from marketplace.verification_codes import product_code
    from verification import labels, stamps
    from verification.models import StampBatch, StampCheck

    rng = random.Random(16)

    def stamp_url() -> str:
        product, first, count = rng.choice(batches)
        code = product_code(product)
        serial = first + rng.randrange(count)
        return f"/xac-minh/{code}/{stamps.stamp_token(code, serial)}"

    urls = [stamp_url() for _ in range(args.requests)]
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 (bench)")
    for url in urls[:20]:
        client.get(url)  # warm up

    def timed(method, items) -> list[float]:
        times = []
        for url in items:
            started = time.perf_counter()
            response = method(url)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        return times

    before = StampCheck.objects.count()
    get_times = timed(client.get, urls)
    head_times = timed(client.head, urls)
    recorded = StampCheck.objects.count() - before
    product_urls = [url.rsplit("/", 1)[0] for url in urls]
    product_times = timed(client.head, product_urls)

    local = threading.local()

    def one(url: str) -> float:
        if not hasattr(local, "client"):
            local.client = Client(HTTP_USER_AGENT="Mozilla/5.0 (bench)")
        started = time.perf_counter()
        assert local.client.get(url).status_code == 200
        return time.perf_counter() - started

    with ThreadPoolExecutor(max_workers=args.clients) as pool:
        wall = time.perf_counter()
        concurrent = list(pool.map(one, urls))
        wall = time.perf_counter() - wall

    from django.db import connection

    connection.close()
    print(
        f"stamps issued {args.stamps:,} ({len(batches)} batches), "
        f"checks {StampCheck.objects.count():,}, {args.requests} requests each"
    )
    print(f"stamp page GET (records)    {spread(get_times)}  ({recorded} checks recorded)")
    print(f"stamp page HEAD (no record) {spread(head_times)}")
    ratio = statistics.median(get_times) / statistics.median(head_times)
    print(f"record overhead: p50 ratio {ratio:.2f}x")
    print(f"product page (HEAD)         {spread(product_times)}")
    rate = args.requests / wall
    print(f"{args.clients} clients (threads) GET {spread(concurrent)}  {rate:.0f} req/s")
    batch = (
        StampBatch.objects.filter(count=2000)
        .select_related("ocop_product__product", "ocop_product__producer",
                        "ocop_product__current_certificate")
        .first()
    )  # fmt: skip
    if batch is not None and args.sheet:
        batch.count = min(args.sheet, batch.count)
        started = time.perf_counter()
        pdf = labels.render_pdf(batch)
        took = time.perf_counter() - started
        print(f"A4 label sheet of {batch.count:,} stamps: {took:.1f} s, {len(pdf) / 1e6:.1f} MB")
    if args.served:
        served(urls, args.clients, args.seconds)


WRK_SCRIPT = """
local paths = {%s}
math.randomseed(16)
request = function()
  return wrk.format("GET", paths[math.random(#paths)], {["User-Agent"] = "%s"})
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%.2f %%.2f %%d\\n", summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, summary.duration))
end
"""


def served(paths: list[str], clients: int, seconds: int) -> None:
    import shutil
    import signal
    import subprocess

    from bench.storefront import _free_port, start_server

    if not shutil.which("wrk"):
        print("served: wrk is not installed (Debian package wrk); skipped")
        return
    from verification.models import StampCheck

    port = _free_port()
    os.environ["ALLOWED_HOSTS"] += ",127.0.0.1"  # the served shop answers its own address
    server = start_server(port, keep=True)
    try:
        # A first round warms every worker (templates, translations, connections); then
        # the browser's user agent and the link checker's, each measured as it comes.
        agents = ["curl/8.0 (warm-up)", "Mozilla/5.0 (bench)", "curl/8.0 (bench: records nothing)"]
        for agent in agents:
            before = StampCheck.objects.count()
            with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
                quoted = ", ".join("[==[" + path + "]==]" for path in paths)
                script.write(WRK_SCRIPT % (quoted, agent))
            try:
                output = subprocess.run(
                    ["wrk", "-t", "2", "-c", str(clients), "-d", f"{seconds}s",
                     "--timeout", "10s", "-s", script.name, f"http://127.0.0.1:{port}"],
                    capture_output=True, text=True, timeout=seconds + 60, check=True,
                ).stdout  # fmt: skip
            finally:
                os.unlink(script.name)
            line = next(line for line in output.splitlines() if line.startswith("RESULT"))
            count, errors, p50, p95, duration = line.split()[1:]
            rate = int(count) / (int(duration) / 1e6)
            recorded = StampCheck.objects.count() - before
            if "warm-up" in agent:
                continue
            print(
                f"served, {clients} clients, {agent.split()[0]}: p50 {float(p50):.1f} ms  "
                f"p95 {float(p95):.1f} ms  {rate:.0f} req/s  errors {errors}  "
                f"checks recorded {recorded:,}"
            )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=60)


if __name__ == "__main__":
    main()
