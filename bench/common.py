"""What the benchmarks share: their own database, the synthetic catalogue, the served shop,
and the percentiles they print.

Each script calls ``configure(database)`` before anything imports Django or
``devtools.services`` (the database's name is read when that module loads), then
``setup_django()``. Import it as ``from bench import common`` after putting the repository
root on ``sys.path``.
"""

from __future__ import annotations

import csv
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# About 5% of synthetic registry rows carry a deliberate error and are refused.
ACCEPTED_SHARE = 0.94
# A registry file holds at most 50,000 rows (catalog_sync).
FILE_ROWS = 45_000


def configure(database: str, **environment: str) -> None:
    """The environment every benchmark runs in: a development machine, its own database,
    tasks eager unless said otherwise. Call before Django is imported."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("OCOP_DEV", "1")  # a development machine: local services
    os.environ.setdefault("OCOP_DATABASE_NAME", database)
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "True")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost,testserver,127.0.0.1")
    for name, value in environment.items():
        os.environ.setdefault(name, value)


def setup_django(*, migrate: bool = True) -> None:
    """Create the benchmark's database if missing, set Django up, migrate."""
    from devtools import services

    services.ensure_database_exists(services.database_url())
    import django

    django.setup()
    if migrate:
        from saleor_adapter.migrations_runner import migrate as run_migrations

        run_migrations(verbosity=0)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:7.1f} ms"


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def published_products() -> int:
    from saleor.product.models import Product

    return Product.objects.filter(is_published=True).count()


def small_catalogue(rows: int = 300, minimum: int = 100) -> None:
    """A catalogue of ``rows`` synthetic registry rows (many producers), imported once:
    kept while the database holds ``minimum`` OCOP products."""
    from django.utils import timezone

    from catalog_sync.importer import import_registry
    from catalog_sync.synthetic import write_synthetic_registry
    from marketplace.models import OcopProduct

    if OcopProduct.objects.count() >= minimum:
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "registry.csv"
        write_synthetic_registry(path, rows, as_of=timezone.localdate())
        import_registry(path, as_of=timezone.localdate())


def import_synthetic_catalogue(
    products: int, *, seed: int = 2026, producers: int | None = None
) -> int:
    """Import synthetic registry files until about ``products`` products are published
    (through ``catalog_sync.importer``, as a province's file would be). ``producers``
    caps how many producers make them: rows are dealt out to a pool of that many."""
    from django.utils import timezone

    from catalog_sync.importer import import_registry
    from catalog_sync.synthetic import HEADERS, synthetic_rows

    today = timezone.localdate()
    have = published_products()
    started = time.perf_counter()
    margin = 0
    while have < products:
        count = min(FILE_ROWS, int((products - have) / ACCEPTED_SHARE) + margin)
        margin = 100  # a second file: what the first refused, and a little more
        rows, _ = synthetic_rows(count, seed=seed, as_of=today)
        if producers:
            _deal_producers(rows, producers)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "registry.csv"
            with path.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=HEADERS)
                writer.writeheader()
                writer.writerows(rows)
            import_registry(path, as_of=today)
        seed += 1
        have = published_products()
        print(f"catalogue: {have} published products ({time.perf_counter() - started:.0f} s)")
    analyze()
    return have


PRODUCER_FIELDS = (
    "Chủ thể", "Loại hình", "Mã số thuế", "Số điện thoại", "Email", "Tỉnh/Thành phố",
    "Xã/Phường", "Huyện",
)  # fmt: skip


def _deal_producers(rows: list[dict[str, str]], producers: int) -> None:
    """Row i is made by the producer of row i mod ``producers``: a pool of that many."""
    pool = [{field: row[field] for field in PRODUCER_FIELDS} for row in rows[:producers]]
    rng = random.Random(producers)
    for row in rows[len(pool) :]:
        row.update(rng.choice(pool))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(port: int, **environment: str) -> subprocess.Popen:
    """``make demo``'s server (``python -m devtools.demo``) on ``port`` against this
    benchmark's database, in its own process group; returns once /healthz/ answers."""
    from devtools import services

    env = {**os.environ, "DATABASE_URL": services.database_url(), **environment}
    server = subprocess.Popen(
        [sys.executable, "-m", "devtools.demo", "--port", str(port)],
        cwd=services.REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("the demo server exited; run `make demo` to see why")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=2):
                return server
        except OSError:
            time.sleep(0.5)
    stop_server(server)
    raise SystemExit("the demo server did not start in 300 s")


def stop_server(server: subprocess.Popen) -> None:
    import signal

    try:
        os.killpg(server.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    server.wait(timeout=60)
