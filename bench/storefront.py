"""Benchmark: storefront pages with 15,000 products, served as ``make demo`` serves them.

    .venv/bin/python bench/storefront.py [--products 15000] [--seconds 15] [--clients 20]

Uses its own database (``ocop_bench_storefront``; built once from a synthetic registry
through ``import_registry``, reused while it holds enough products; ``--rebuild`` starts
over). Starts ``python -m devtools.demo`` on a free loopback port against it,
then loads it with ``wrk`` (Debian package ``wrk``; a bounded Python thread pool if wrk
is missing): product list, search, product detail, and Saleor's own ``products``
GraphQL query for the same list and search pages, each for a fixed time at the given
number of concurrent clients. Prints p50/p95/p99 per scenario, the ratio to Saleor's
query, and the search query alone (in process, one client) p50/p95.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

common.configure("ocop_bench_storefront")

TARGETS_MS = {"list": 150.0, "search": 150.0, "detail": 100.0, "search query alone": 30.0}
PAGE_SIZE = 24
# What shoppers type: without diacritics, one small typo among them.
SEARCHES = [
    "mien dong", "tra hoa vang", "mat ong", "ca phe", "nuoc mam", "gao nep", "che shan tuyet",
    "ruou ngo", "tinh dau sa chanh", "khan tho cam", "hat dieu", "buoi dien", "mien dongg",
]  # fmt: skip
SALEOR_PRODUCTS = """
query Products($first: Int!, $after: String, $search: String) {
  products(first: $first, after: $after, filter: {search: $search}) {
    totalCount
    edges { node {
      id name slug
      thumbnail { url }
      pricing { priceRange { start { gross { amount currency } } } }
      attributes { attribute { slug } values { name } }
    } }
  }
}"""


def build_database(products: int, rebuild: bool) -> int:
    from django.db import connection

    from saleor_adapter.migrations_runner import migrate

    migrate(verbosity=0)
    if rebuild:
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE marketplace_certificate, marketplace_ocopproduct, "
                "marketplace_producer, product_product, warehouse_warehouse CASCADE"
            )
    have = common.published_products()
    if have >= products:
        print(f"database: {have} published products (reused)")
        return have
    return common.import_synthetic_catalogue(products, seed=2026)


def sample_paths(rng: random.Random) -> dict[str, list]:
    from saleor.product.models import Product

    from storefront.search import get_search_engine

    slugs = list(
        Product.objects.filter(is_published=True)
        .order_by("?")
        .values_list("slug", flat=True)[:2000]
    )
    engine = get_search_engine()
    search_paths, search_bodies = [], []
    for term in SEARCHES:
        total = engine.search(term, limit=1).total
        for page in range(1, min(3, max(1, -(-total // PAGE_SIZE))) + 1):
            search_paths.append("/tim-kiem/?" + urllib.parse.urlencode({"q": term, "page": page}))
            search_bodies.append({"search": term, "page": page})
    list_paths = [f"/san-pham/?page={p}" for p in range(1, 41)]
    list_paths += [f"/san-pham/?stars={s}&page={p}" for s in (4, 5) for p in range(1, 6)]
    return {
        "list": list_paths,
        "search": search_paths,
        "detail": [f"/san-pham/{slug}/" for slug in slugs],
        "saleor products (list)": [{"search": None, "page": p} for p in range(1, 41)],
        "saleor products (search)": search_bodies,
    }


def graphql_body(spec: dict) -> str:
    import base64

    offset = (spec["page"] - 1) * PAGE_SIZE
    after = base64.b64encode(f"arrayconnection:{offset - 1}".encode()).decode() if offset else None
    return json.dumps(
        {
            "query": SALEOR_PRODUCTS,
            "variables": {"first": PAGE_SIZE, "after": after, "search": spec["search"]},
        }
    )


_free_port = common.free_port


def start_server(port: int, keep: bool) -> subprocess.Popen:
    return common.start_server(port, **({} if keep else {"STOREFRONT_SEARCH_CACHE_SECONDS": "0"}))


WRK_SCRIPT = """
local requests = {%s}
local method = "%s"
local headers = {["Content-Type"] = "application/json"}
math.randomseed(%d)
request = function()
  local item = requests[math.random(#requests)]
  if method == "POST" then return wrk.format("POST", "/graphql/", headers, item) end
  return wrk.format("GET", item)
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%.2f %%.2f %%.2f %%d\\n", summary.requests,
    e.connect + e.read + e.write + e.status + e.timeout, latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, summary.duration))
end
"""


def lua_string(text: str) -> str:
    return "[==[" + text + "]==]"


def run_wrk(base: str, items: list, post: bool, clients: int, seconds: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(
            WRK_SCRIPT % (", ".join(lua_string(i) for i in items), "POST" if post else "GET", 2026)
        )
    try:
        output = subprocess.run(
            ["wrk", "-t", "2", "-c", str(clients), "-d", f"{seconds}s", "--timeout", "10s",
             "-s", script.name, base],
            capture_output=True, text=True, timeout=seconds + 60, check=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script.name)
    line = next(line for line in output.splitlines() if line.startswith("RESULT"))
    count, errors, p50, p95, p99, duration_us = line.split()[1:]
    return {
        "requests": int(count), "errors": int(errors), "p50": float(p50), "p95": float(p95),
        "p99": float(p99), "rps": int(count) / (int(duration_us) / 1e6),
    }  # fmt: skip


def run_threads(base: str, items: list, post: bool, clients: int, seconds: int) -> dict:
    """Fallback without wrk: ``clients`` threads, each one request at a time, bounded."""
    latencies: list[float] = []
    errors = [0]
    stop = time.monotonic() + seconds
    lock = threading.Lock()

    def client(seed: int) -> None:
        rng = random.Random(seed)
        while time.monotonic() < stop:
            item = rng.choice(items)
            request = (
                urllib.request.Request(base + "/graphql/", data=item.encode(),
                                       headers={"Content-Type": "application/json"})
                if post else urllib.request.Request(base + item)
            )  # fmt: skip
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=10) as response:
                    response.read()
            except OSError:
                with lock:
                    errors[0] += 1
                continue
            with lock:
                latencies.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(latencies) or [0.0]
    pick = lambda q: ordered[min(len(ordered) - 1, int(q * len(ordered)))]  # noqa: E731
    return {
        "requests": len(latencies), "errors": errors[0], "p50": pick(0.5), "p95": pick(0.95),
        "p99": pick(0.99), "rps": len(latencies) / seconds,
    }  # fmt: skip


def search_alone(rounds: int) -> tuple[float, float]:
    """The search query alone (SQL, no kept order), in process, one client: p50/p95 ms."""
    from django.conf import settings

    from storefront.search import SearchFacets, get_search_engine

    settings.STOREFRONT_SEARCH_CACHE_SECONDS = 0  # the query itself, every time
    engine = get_search_engine()
    rng = random.Random(7)
    timings = []
    for _ in range(rounds):
        term = rng.choice(SEARCHES)
        facets = rng.choice([SearchFacets(), SearchFacets(min_stars=4)])
        started = time.perf_counter()
        engine.search(term, limit=PAGE_SIZE, offset=PAGE_SIZE * rng.randint(0, 1), facets=facets)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[int(0.95 * len(timings))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=15000)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument(
        "--no-keep",
        action="store_true",
        help="serve with STOREFRONT_SEARCH_CACHE_SECONDS=0: every list order and page computed",
    )
    args = parser.parse_args()

    common.setup_django(migrate=False)  # build_database migrates
    from django.db import connections

    products = build_database(args.products, args.rebuild)
    rng = random.Random(2026)
    scenarios = sample_paths(rng)
    alone_p50, alone_p95 = search_alone(400)
    connections.close_all()

    load = run_wrk if shutil.which("wrk") else run_threads
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_server(port, keep=not args.no_keep)
    results = {}
    try:
        for name, items in scenarios.items():
            post = name.startswith("saleor")
            payload = [graphql_body(i) for i in items] if post else items
            load(base, payload, post, args.clients, 3)  # warm up workers and caches
            results[name] = load(base, payload, post, args.clients, args.seconds)
    finally:
        common.stop_server(server)

    print(
        f"\n{products} published products; {args.clients} concurrent clients, "
        f"{args.seconds} s per scenario, load by {load.__name__.removeprefix('run_')}; "
        f"server: make demo's ({os.environ.get('OCOP_WEB_SERVER', 'gunicorn')}), "
        f"kept list orders/pages: {'off' if args.no_keep else 'on'}; {datetime.date.today()}\n"
    )
    print(f"{'scenario':<26} {'req':>6} {'err':>4} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'p99 ms':>8} {'target':>7}")  # fmt: skip
    for name, r in results.items():
        target = TARGETS_MS.get(name)
        verdict = "" if target is None else ("ok" if r["p95"] <= target else "SLOW")
        print(
            f"{name:<26} {r['requests']:>6} {r['errors']:>4} {r['rps']:>7.0f} {r['p50']:>8.1f} "
            f"{r['p95']:>8.1f} {r['p99']:>8.1f} {verdict:>7}"
        )
    verdict = "ok" if alone_p95 <= TARGETS_MS["search query alone"] else "SLOW"
    print(f"{'search query alone (1 client)':<26} {'':>6} {'':>4} {'':>7} {alone_p50:>8.1f} "
          f"{alone_p95:>8.1f} {'':>8} {verdict:>7}")  # fmt: skip
    for ours, saleor in (
        ("list", "saleor products (list)"),
        ("search", "saleor products (search)"),
    ):
        ratio = results[saleor]["p95"] / max(results[ours]["p95"], 0.001)
        print(f"p95 ratio {saleor} / storefront {ours}: {ratio:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
