"""Benchmark: search on both engines side by side, in one run, cache off.

    .venv/bin/python bench/search.py [--products 15000] [--seconds 10] [--clients 20]

Own database (``ocop_bench_search``, built once from a synthetic registry and reused;
``--rebuild`` starts over) and the project's own OpenSearch node (or
``OCOP_OPENSEARCH_URL``). Measures, with ``STOREFRONT_SEARCH_CACHE_SECONDS=0``:

* a full reindex (``ocop_search_index --rebuild``: new index, alias swap);
* the search call alone, in process, one client, p50/p95 per engine: browse pages (deep
  ones too) and searches, with and without facet counts (the facets' overhead);
* a price change: commit → visible in an OpenSearch search (the after-commit task runs
  in the committing process here, as with no broker; a worker adds its pick-up time);
* the list and search pages served as ``make demo`` serves them (gunicorn) with each
  engine in turn, and Saleor's own ``products`` GraphQL query for the same pages, at
  ``--clients`` concurrent clients (wrk, or a bounded thread pool); p95 ratios.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import common  # noqa: E402

common.configure("ocop_bench_search")
os.environ["STOREFRONT_SEARCH_CACHE_SECONDS"] = "0"

from bench import storefront as pages_bench  # noqa: E402
from devtools import opensearch as devtools_opensearch  # noqa: E402

PAGE_SIZE = pages_bench.PAGE_SIZE
SEARCHES = pages_bench.SEARCHES
ENGINES = {
    "postgres": "storefront.search.PostgresProductSearch",
    "opensearch": "storefront.opensearch_engine.OpenSearchProductSearch",
}


def build_database(products: int, rebuild: bool) -> int:
    # A larger catalogue than one registry file holds is imported from several.
    return pages_bench.build_database(products, rebuild)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def in_process(engine, rounds: int, *, with_counts: bool, query: bool, deep: bool) -> tuple:
    rng = random.Random(7)
    total = engine.search("", limit=1).total
    timings = []
    for _ in range(rounds):
        term = rng.choice(SEARCHES) if query else ""
        page = rng.randint(0, max(0, total // PAGE_SIZE - 1)) if deep else rng.randint(0, 2)
        started = time.perf_counter()
        engine.search(term, limit=PAGE_SIZE, offset=PAGE_SIZE * page, with_counts=with_counts)
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), percentile(timings, 0.95)


def price_visibility(rounds: int) -> list[float]:
    """Commit a price change; poll OpenSearch until a search shows it (ms)."""
    from decimal import Decimal

    from django.db import transaction

    from marketplace import ports
    from marketplace.models import OcopProduct
    from storefront import opensearch_engine

    es = opensearch_engine.admin_client()
    products = list(OcopProduct.objects.select_related("product").order_by("?")[:rounds])
    latencies = []
    for number, ocop in enumerate(products):
        price = Decimal(111_000 + number)
        committed_at = 0.0

        def stamp() -> None:
            nonlocal committed_at
            committed_at = time.perf_counter()

        with transaction.atomic():
            transaction.on_commit(stamp)  # registered first: runs before the indexing
            ports.catalogue().set_price(ocop.product, price)
        deadline = time.perf_counter() + 30
        while time.perf_counter() < deadline:
            hits = es.search(
                index=opensearch_engine.alias(),
                body={"query": {"bool": {"filter": [{"term": {"id": ocop.product_id}},
                                                    {"term": {"price": int(price)}}]}}},
            )["hits"]["total"]["value"]  # fmt: skip
            if hits:
                break
            time.sleep(0.05)
        latencies.append((time.perf_counter() - committed_at) * 1000)
    return latencies


def load_pages(engine_name: str, scenarios: dict, clients: int, seconds: int) -> dict:
    load = pages_bench.run_wrk if shutil.which("wrk") else pages_bench.run_threads
    os.environ["OCOP_SEARCH_ENGINE"] = engine_name
    port = pages_bench._free_port()
    base = f"http://127.0.0.1:{port}"
    server = pages_bench.start_server(port, keep=False)
    results = {}
    try:
        for name, items in scenarios.items():
            post = name.startswith("saleor")
            payload = [pages_bench.graphql_body(i) for i in items] if post else items
            load(base, payload, post, clients, 2)  # warm up
            results[name] = load(base, payload, post, clients, seconds)
    finally:
        common.stop_server(server)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--products", type=int, default=15000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--no-pages", action="store_true", help="in-process figures only")
    args = parser.parse_args()

    home = Path(tempfile.mkdtemp(prefix="ocop-bench-opensearch-"))
    node = devtools_opensearch.start(home=home)
    os.environ["OCOP_OPENSEARCH_URL"] = node.url
    try:
        return run(args, node)
    finally:
        node.stop()
        shutil.rmtree(home, ignore_errors=True)


def run(args, node) -> int:
    common.setup_django(migrate=False)  # build_database migrates
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    from storefront import opensearch_engine
    from storefront.search import PostgresProductSearch

    settings.OCOP_SEARCH_ENGINE = "opensearch"
    settings.STOREFRONT_SEARCH_ENGINE = ENGINES["opensearch"]
    products = build_database(args.products, args.rebuild)
    started = time.perf_counter()
    call_command("ocop_search_index", "--rebuild", stdout=open(os.devnull, "w"))  # noqa: SIM115
    reindex = time.perf_counter() - started
    documents = opensearch_engine.admin_client().count(index=opensearch_engine.alias())["count"]

    engines = {
        "postgres": PostgresProductSearch(),
        "opensearch": opensearch_engine.OpenSearchProductSearch(),
    }
    alone = {}
    for name, engine in engines.items():
        in_process(engine, 20, with_counts=False, query=True, deep=False)  # warm up
        for label, query, deep in (("list", False, False), ("list, deep pages", False, True),
                                   ("search", True, False)):  # fmt: skip
            plain = in_process(engine, args.rounds, with_counts=False, query=query, deep=deep)
            counted = in_process(engine, args.rounds, with_counts=True, query=query, deep=deep)
            alone[(name, label)] = (plain, counted)
    visibility = price_visibility(20)
    connections.close_all()

    pages = {}
    if not args.no_pages:
        scenarios = pages_bench.sample_paths(random.Random(2026))
        scenarios.pop("detail")
        connections.close_all()
        for name in engines:
            wanted = scenarios if name == "postgres" else {
                k: v for k, v in scenarios.items() if not k.startswith("saleor")
            }  # fmt: skip
            pages[name] = load_pages(name, wanted, args.clients, args.seconds)

    with open("/proc/loadavg") as handle:
        load = handle.read().split()[:3]
    started = f" started in {node.started_in_seconds:.1f} s" if node.process else ""
    print(
        f"\n{products} published products ({documents} documents indexed); "
        f"OpenSearch {node.url}{started}; "
        f"cache off; {datetime.date.today()}; load average {' '.join(load)}\n"
    )
    print(
        f"full reindex (new index + alias swap): {reindex:.1f} s ({documents / reindex:.0f} docs/s)"
    )
    print(
        f"price change visible in search after commit: p50 {statistics.median(visibility):.0f} ms,"
        f" max {max(visibility):.0f} ms (20 changes)\n"
    )
    heading = "in process, one client"
    print(f"{heading:<34} {'p50 ms':>8} {'p95 ms':>8} {'+facets p95':>12} {'facets':>8}")
    for (name, label), (plain, counted) in alone.items():
        overhead = (counted[1] / plain[1] - 1) * 100 if plain[1] else 0
        row = f"{name} {label}"
        print(f"{row:<34} {plain[0]:>8.1f} {plain[1]:>8.1f} {counted[1]:>12.1f} {overhead:>7.0f}%")
    for label in ("list", "list, deep pages", "search"):
        ratio = alone[("postgres", label)][1][1] / max(alone[("opensearch", label)][1][1], 0.001)
        print(f"p95 with facets, postgres / opensearch, {label}: {ratio:.1f}x")
    if pages:
        print(f"\npages at {args.clients} clients, {args.seconds} s each (facet counts on)")
        print(
            f"{'engine':<11} {'scenario':<26} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'err':>4}"
        )
        for name, results in pages.items():
            for scenario, r in results.items():
                print(
                    f"{name:<11} {scenario:<26} {r['rps']:>7.0f} {r['p50']:>8.1f}"
                    f" {r['p95']:>8.1f} {r['errors']:>4}"
                )
        for scenario in ("list", "search"):
            pg, os_ = pages["postgres"][scenario]["p95"], pages["opensearch"][scenario]["p95"]
            saleor = pages["postgres"][f"saleor products ({scenario})"]["p95"]
            print(
                f"{scenario}: p95 postgres / opensearch {pg / max(os_, 0.001):.2f}x; "
                f"Saleor's products query / postgres {saleor / max(pg, 0.001):.1f}x, "
                f"/ opensearch {saleor / max(os_, 0.001):.1f}x"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
