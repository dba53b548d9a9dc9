"""Celery tasks of the catalogue import. Both are idempotent: safe to run twice."""

from __future__ import annotations

import datetime
import logging
import shutil
import tempfile
from pathlib import Path

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from catalog_sync.importer import import_registry
from catalog_sync.models import ImportRun
from catalog_sync.readers import RegistryFileError
from marketplace.certification import expired_published_product_ids

logger = logging.getLogger(__name__)


# A run that fails for a reason other than its file (a bug, the database, the storage,
# the time limit) ends "failed" with this code and the reason; one whose worker died
# is closed by close_stalled_import_runs with the other.
IMPORT_FAILED = "import_failed"
RUN_STALLED = "run_stalled"
# Beyond the time limit, the margin Celery needs to kill a task that ignores it.
STALLED_AFTER = datetime.timedelta(seconds=settings.OCOP_IMPORT_RUN_TIME_LIMIT_SECONDS + 300)


@shared_task(
    soft_time_limit=settings.OCOP_IMPORT_RUN_TIME_LIMIT_SECONDS,
    time_limit=settings.OCOP_IMPORT_RUN_TIME_LIMIT_SECONDS + 60,
)
def import_registry_run(run_id: int) -> str:
    """Import an uploaded registry. A finished run is not repeated; one interrupted
    while running is simply run again (the import itself is an idempotent upsert).
    Whatever goes wrong, the run ends "done" or "failed", never left "running"."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status in (ImportRun.Status.DONE, ImportRun.Status.FAILED):
            return run.status if run else "missing"
        run.status = ImportRun.Status.RUNNING
        run.started_at = timezone.now()
        run.save(update_fields=["status", "started_at"])

    try:
        report = _import(run)
    except RegistryFileError as error:
        run.status = ImportRun.Status.FAILED
        run.error_code = error.code
        run.error_message = str(error)
    except Exception as error:  # any failure must end the run, with its reason
        logger.exception("Registry import run %s failed", run.pk)
        if not connection.in_atomic_block:  # (a caller's transaction keeps its connection)
            close_old_connections()  # a lost connection is replaced for the save below
        run.status = ImportRun.Status.FAILED
        run.error_code = IMPORT_FAILED
        run.error_message = _failure_message(error)
    else:
        run.status = ImportRun.Status.DONE
        run.summary = report.as_dict()
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "summary", "error_code", "error_message", "finished_at"])
    return run.status


def _import(run: ImportRun):
    suffix = Path(run.original_name).suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as local, run.file.open("rb") as stored:
        # The storage may be remote (S3, GCS); the readers want a local path.
        shutil.copyfileobj(stored, local)
        local.flush()
        return import_registry(
            local.name,
            as_of=run.as_of,
            dry_run=run.dry_run,
            sheet=run.sheet or None,
            progress=lambda rows: _written(run.pk, rows),
        )


def _written(run_id: int, rows: int) -> None:
    """After each chunk: the run page's progress. A plain UPDATE (not an audited save:
    progress is no one's change)."""
    ImportRun.objects.filter(pk=run_id).update(rows_written=F("rows_written") + rows)


def _failure_message(error: BaseException) -> str:
    reason = (str(error).strip().splitlines() or [""])[0][:500].replace("\x00", "")
    reason = f"{type(error).__name__}: {reason}" if reason else type(error).__name__
    if isinstance(error, SoftTimeLimitExceeded):
        limit = settings.OCOP_IMPORT_RUN_TIME_LIMIT_SECONDS
        return (
            f"Quá thời gian cho phép ({limit} giây); phần đã nhập được giữ nguyên, nhập lại "
            f"tệp để hoàn tất. / Stopped after the time limit ({limit} s); what was imported "
            "is kept whole, import the file again to finish."
        )
    return (
        f"Lỗi khi nhập ({reason}); các sản phẩm đã ghi được giữ nguyên, không có sản phẩm "
        f"ghi dở. Báo cho quản trị viên. / The import failed ({reason}); products already "
        "written are kept whole, none is half-written. Tell an administrator."
    )


@shared_task
def close_stalled_import_runs() -> int:
    """Every 10 minutes (beat): a run still "running" well past the time limit lost
    its worker (killed, out of memory, restarted); mark it failed so staff know."""
    now = timezone.now()
    cutoff = now - STALLED_AFTER
    stalled = ImportRun.objects.filter(status=ImportRun.Status.RUNNING).filter(
        Q(started_at__lt=cutoff) | Q(started_at__isnull=True, created_at__lt=cutoff)
    )
    minutes = int(STALLED_AFTER.total_seconds() // 60)
    count = stalled.update(
        status=ImportRun.Status.FAILED,
        error_code=RUN_STALLED,
        error_message=(
            f"Đã dừng: quá {minutes} phút không hoàn tất (tiến trình nhập bị ngắt). Phần đã "
            f"nhập được giữ nguyên; tải tệp lên lại để hoàn tất. / Stopped: not finished "
            f"after {minutes} minutes (the import worker was lost). What was imported is "
            "kept whole; upload the file again to finish."
        ),
        finished_at=now,
    )
    if count:
        logger.warning("Closed %d registry import run(s) stalled in 'running'", count)
    return count


@shared_task
def unpublish_expired_products() -> int:
    """Daily: take products whose certificate is no longer in force off the shop."""
    from marketplace import ports

    product_ids = expired_published_product_ids(timezone.localdate())
    count = ports.catalogue().set_published(product_ids, False)
    if count:
        logger.info("Unpublished %d products whose OCOP certificate expired", count)
    return count
