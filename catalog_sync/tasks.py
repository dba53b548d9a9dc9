"""Celery tasks of the catalogue import. Both are idempotent: safe to run twice."""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from catalog_sync.importer import import_registry
from catalog_sync.models import ImportRun
from catalog_sync.readers import RegistryFileError
from marketplace.certification import expired_published_product_ids

logger = logging.getLogger(__name__)


@shared_task
def import_registry_run(run_id: int) -> str:
    """Import an uploaded registry. A finished run is not repeated; one interrupted
    while running is simply run again (the import itself is an idempotent upsert)."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status in (ImportRun.Status.DONE, ImportRun.Status.FAILED):
            return run.status if run else "missing"
        run.status = ImportRun.Status.RUNNING
        run.save(update_fields=["status"])

    suffix = Path(run.original_name).suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix) as local, run.file.open("rb") as stored:
        # The storage may be remote (S3, GCS); the readers want a local path.
        shutil.copyfileobj(stored, local)
        local.flush()
        try:
            report = import_registry(
                local.name, as_of=run.as_of, dry_run=run.dry_run, sheet=run.sheet or None
            )
        except RegistryFileError as error:
            run.status = ImportRun.Status.FAILED
            run.error_code = error.code
            run.error_message = str(error)
        else:
            run.status = ImportRun.Status.DONE
            run.summary = report.as_dict()
    run.finished_at = timezone.now()
    run.save(update_fields=["status", "summary", "error_code", "error_message", "finished_at"])
    return run.status


@shared_task
def unpublish_expired_products() -> int:
    """Daily: take products whose certificate is no longer in force off the shop."""
    from marketplace import ports

    product_ids = expired_published_product_ids(timezone.localdate())
    count = ports.catalogue().set_published(product_ids, False)
    if count:
        logger.info("Unpublished %d products whose OCOP certificate expired", count)
    return count
