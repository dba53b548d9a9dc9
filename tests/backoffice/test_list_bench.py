"""The back-office list benchmark (bench/backoffice_lists.py) runs end to end at a tiny
size: builds its database, serves the shop, signs staff in and prints every screen."""

import os
import subprocess
import sys

import pytest

from devtools import services

pytestmark = pytest.mark.slow


def test_the_list_bench_runs_at_a_tiny_size():
    # Given the benchmark at a tiny size, tasks run inline, no broker
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "True"}
    env.pop("CELERY_BROKER_URL", None)
    command = [
        sys.executable, "bench/backoffice_lists.py", "--orders", "120", "--products", "40",
        "--cooperatives", "20", "--clients", "2", "--requests", "4", "--no-explain",
    ]  # fmt: skip

    # When it runs
    done = subprocess.run(
        command, cwd=services.REPO_ROOT, env=env, capture_output=True, text=True, timeout=900
    )

    # Then it succeeds and prints the baselines and the screens that exist in this tree
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "baseline: Saleor orders(first: 20)" in done.stdout
    for row in ("cooperatives", "audit", "portal orders (member)", "fair list (province)"):
        assert f"\n{row} " in done.stdout
    assert "Traceback" not in done.stdout
