"""Small workbooks that inflate to gigabytes are refused as files, before they cost memory:
`manage.py ocop_import` exits 2 with a file-level code, under 300 MB of peak memory."""

import os
import subprocess
import sys

import pytest

from devtools import services
from tests.catalog_sync.xlsx_bombs import far_column_bomb, shared_strings_bomb
from tests.database import drop_scratch_database, scratch_database_url

PEAK_LIMIT_KB = 300 * 1024
# Runs the command as its only child and prints the child's peak resident memory (kB).
MEASURE = (
    "import resource, subprocess, sys; "
    "done = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
    "print(done.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
    "print(done.stderr[-2000:])"
)


@pytest.fixture
def database_url(db):
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    yield scratch_database_url(f"ocop_bombs_{worker}")
    drop_scratch_database(f"ocop_bombs_{worker}")


def import_peak(path, database_url) -> tuple[int, int, str]:
    """(exit status, peak memory in kB, stderr) of `manage.py ocop_import PATH`."""
    command = [sys.executable, "manage.py", "ocop_import", str(path), "--as-of", "2026-11-23"]
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, *command],
        cwd=services.REPO_ROOT,
        env={**os.environ, "DATABASE_URL": database_url, "CELERY_TASK_ALWAYS_EAGER": "True"},
        capture_output=True,
        text=True,
        check=True,
    )
    status, peak = done.stdout.split("\n", 1)[0].split()
    return int(status), int(peak), done.stdout.split("\n", 1)[1]


@pytest.mark.parametrize(
    ("build", "code"),
    [
        (shared_strings_bomb, "xlsx_too_many_shared_strings"),
        (far_column_bomb, "too_many_columns"),
    ],
)
def test_an_xlsx_bomb_is_refused_in_little_memory(tmp_path, database_url, build, code):
    # Given a workbook of under 1 MB that inflates to hundreds of megabytes
    path = build(tmp_path / "bomb.xlsx")
    assert path.stat().st_size < 1024 * 1024

    # When it is imported
    status, peak_kb, stderr = import_peak(path, database_url)

    # Then it is refused as a file (exit 2, the cap's code), under 300 MB at peak
    print(f"{build.__name__}: {path.stat().st_size} bytes, peak {peak_kb / 1024:.0f} MB")
    assert (status, f"[{code}]" in stderr) == (2, True), stderr
    assert peak_kb < PEAK_LIMIT_KB
