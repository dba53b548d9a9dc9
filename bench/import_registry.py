"""Benchmark: import a national-scale OCOP registry (default 15,000 rows).

    .venv/bin/python bench/import_registry.py [--rows 15000]

Uses its own database (``ocop_bench_import`` on the same server as the shop, emptied of
catalogue data first) and prints, for a dry run, a first import and an unchanged
re-import: seconds, rows per second and database queries per row.
"""

from __future__ import annotations

import argparse
import datetime
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common

common.configure("ocop_bench_import")

TARGETS = {"import": 60.0, "re-import": 20.0, "dry run": 15.0}
CATALOGUE_TABLES = [
    "marketplace_certificate", "marketplace_ocopproduct", "marketplace_producer",
    "product_assignedproductattribute", "warehouse_stock", "product_productvariant",
    "product_product", "warehouse_warehouse_shipping_zones", "warehouse_warehouse",
]  # fmt: skip


class QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=15000)
    args = parser.parse_args()

    common.setup_django()
    from django.db import connection

    from catalog_sync.importer import import_registry
    from catalog_sync.synthetic import write_synthetic_registry

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE {} CASCADE".format(", ".join(CATALOGUE_TABLES)))

    as_of = datetime.date(2026, 11, 23)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "registry.csv"
        started = time.perf_counter()
        write_synthetic_registry(path, rows=args.rows, seed=2026, as_of=as_of)
        print(f"generated {args.rows} rows in {time.perf_counter() - started:.1f} s")

        print(f"{'run':<10} {'seconds':>8} {'rows/s':>8} {'queries':>8} {'q/row':>7} "
              f"{'target':>7}  report")  # fmt: skip
        for label, dry_run in (("dry run", True), ("import", False), ("re-import", False)):
            counter = QueryCounter()
            started = time.perf_counter()
            with connection.execute_wrapper(counter):
                report = import_registry(path, as_of=as_of, dry_run=dry_run)
            seconds = time.perf_counter() - started
            verdict = "ok" if seconds <= TARGETS[label] else "SLOW"
            print(
                f"{label:<10} {seconds:8.1f} {args.rows / seconds:8.0f} {counter.count:8d} "
                f"{counter.count / args.rows:7.3f} {TARGETS[label]:6.0f}s {verdict}  "
                f"accepted={report.accepted} rejected={report.rejected} "
                f"created={report.created} updated={report.updated} "
                f"unchanged={report.unchanged}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
