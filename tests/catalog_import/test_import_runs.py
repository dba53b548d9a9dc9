"""An uploaded registry's run always ends: done, or failed with its reason; a run whose
worker died is closed by the sweeper."""

import datetime

from django.utils import timezone

from catalog_sync.models import ImportRun
from catalog_sync.tasks import STALLED_AFTER, close_stalled_import_runs, import_registry_run
from tests.catalog_import.registry import MIEN_DONG, write_registry


def test_a_run_that_fails_for_a_reason_other_than_its_file_ends_failed_with_it(
    db, tmp_path, settings
):
    # Given an upload whose stored file has gone from the storage before the task ran
    settings.MEDIA_ROOT = str(tmp_path / "media")
    run = ImportRun.objects.create(
        file="ocop-registry-uploads/2026/12/gone.csv", original_name="gone.csv"
    )

    # When the task runs
    status = import_registry_run(run.pk)

    # Then the run is failed, with the reason, and not left running
    run.refresh_from_db()
    assert (status, run.status, run.error_code) == ("failed", "failed", "import_failed")
    assert run.error_message.startswith("Lỗi khi nhập (FileNotFoundError: [Errno 2]")
    assert "/ The import failed (FileNotFoundError: [Errno 2]" in run.error_message
    assert run.started_at is not None
    assert run.finished_at >= run.started_at
    assert run.summary == {}


def test_a_run_that_succeeds_records_when_it_started_and_ended(db, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path)
    write_registry(tmp_path / "r.csv", [MIEN_DONG])
    run = ImportRun.objects.create(file="r.csv", original_name="r.csv", dry_run=True)

    assert import_registry_run(run.pk) == "done"

    run.refresh_from_db()
    assert (run.status, run.summary["accepted"], run.error_code) == ("done", 1, "")
    assert run.started_at <= run.finished_at


def test_the_sweeper_closes_only_runs_stalled_past_the_limit(db):
    # Given runs running for longer than the limit (one from before started_at was kept),
    # one running for a minute, and an old finished one
    now = timezone.now()
    long_ago = now - STALLED_AFTER - datetime.timedelta(minutes=1)

    def make(name, status, started_at, created_at=None):
        return ImportRun.objects.create(
            file=name, original_name=name, status=status, started_at=started_at,
            created_at=created_at or started_at or long_ago,
        )  # fmt: skip

    stalled = make("stalled.csv", "running", long_ago)
    legacy = make("legacy.csv", "running", None, created_at=long_ago)
    busy = make("busy.csv", "running", now - datetime.timedelta(minutes=1))
    done = make("done.csv", "done", long_ago)

    # When the sweeper runs
    closed = close_stalled_import_runs()

    # Then the two stalled runs are failed with the reason, the others untouched
    statuses = dict(ImportRun.objects.values_list("original_name", "status"))
    assert (closed, statuses) == (
        2, {"stalled.csv": "failed", "legacy.csv": "failed", "busy.csv": "running",
            "done.csv": "done"},
    )  # fmt: skip
    for run in (stalled, legacy):
        run.refresh_from_db()
        assert run.error_code == "run_stalled"
        assert run.error_message.startswith("Đã dừng: quá 65 phút không hoàn tất")
        assert run.finished_at is not None
    busy.refresh_from_db()
    done.refresh_from_db()
    assert (busy.error_code, busy.finished_at, done.error_code) == ("", None, "")

    # and a task arriving late for a closed run does not start it again
    assert import_registry_run(stalled.pk) == "failed"
