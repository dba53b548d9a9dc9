"""A kill in the middle of an import leaves no half-written product, and a re-run ends
with exactly what a clean run gives."""

import datetime
import os
import signal
import subprocess
import sys
import time

import pytest

from catalog_sync.synthetic import write_synthetic_registry
from devtools import services
from tests.catalog_import.registry import ORPHANS
from tests.database import drop_scratch_database, run_sql, scratch_database_url

AS_OF = datetime.date(2026, 11, 23)

STATE = {
    "products": "SELECT slug, name, price_amount, is_published FROM product_product ORDER BY slug",
    "stock": """SELECT v.sku, s.quantity, w.slug FROM warehouse_stock s
                JOIN product_productvariant v ON v.id = s.product_variant_id
                JOIN warehouse_warehouse w ON w.id = s.warehouse_id ORDER BY v.sku""",
    "certificates": """SELECT decision_key, stars, source_hash
                       FROM marketplace_certificate ORDER BY 1, 3""",
    "producers": """SELECT name_key, province_code, producer_type
                    FROM marketplace_producer ORDER BY 1, 2""",
}


def import_command(path) -> list[str]:
    return [
        sys.executable, "manage.py", "ocop_import", str(path),
        "--as-of", AS_OF.isoformat(), "--chunk-size", "100",
    ]  # fmt: skip


def environment(url: str) -> dict:
    return {**os.environ, "DATABASE_URL": url, "CELERY_TASK_ALWAYS_EAGER": "True"}


@pytest.fixture
def two_databases(request):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    names = [f"ocop_crash_{worker}_{label}" for label in ("clean", "killed")]
    yield [scratch_database_url(name) for name in names]
    for name in names:
        drop_scratch_database(name)


@pytest.mark.slow
def test_killed_import_leaves_no_orphans_and_a_rerun_matches_a_clean_run(
    db, tmp_path, two_databases
):
    # Given a 1,200-row registry, imported cleanly into one database
    clean, killed = two_databases
    path = tmp_path / "national.csv"
    write_synthetic_registry(path, rows=1200, seed=7, as_of=AS_OF)
    subprocess.run(import_command(path), cwd=services.REPO_ROOT, env=environment(clean),
                   check=True, capture_output=True)  # fmt: skip

    # When an import into the other database is killed after its first chunks commit
    victim = subprocess.Popen(import_command(path), cwd=services.REPO_ROOT,
                              env=environment(killed), stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)  # fmt: skip
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if run_sql(killed, "SELECT count(*) FROM marketplace_certificate")[0][0] >= 100:
            break
        time.sleep(0.05)
    victim.send_signal(signal.SIGKILL)
    victim.wait()
    written = run_sql(killed, "SELECT count(*) FROM marketplace_certificate")[0][0]
    total = run_sql(clean, "SELECT count(*) FROM marketplace_certificate")[0][0]

    # Then it stopped part-way, and what it wrote is whole: no orphan of any kind
    assert 100 <= written < total
    assert {name: run_sql(killed, query)[0][0] for name, query in ORPHANS.items()} == dict.fromkeys(
        ORPHANS, 0
    )

    # When the import is run again
    subprocess.run(import_command(path), cwd=services.REPO_ROOT, env=environment(killed),
                   check=True, capture_output=True)  # fmt: skip

    # Then the shop holds exactly what the clean run produced
    for name, query in STATE.items():
        assert run_sql(killed, query) == run_sql(clean, query), name
