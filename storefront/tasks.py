"""Keeping the search engine's copy in sync (marketplace.search_outbox): a task after
each commit that marked products, and a beat sweeper for whatever is left."""

from __future__ import annotations

import datetime
import logging
import time

from celery import shared_task
from django.utils import timezone

from marketplace import search_outbox
from saleor_adapter import storefront_data
from storefront.search import get_search_engine

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
# A task stops after this long; the next one (or the sweeper) goes on.
TIME_BUDGET_SECONDS = 60.0


def schedule_indexing() -> None:
    index_dirty_products.delay()


def sync_outbox(
    *, older_than: datetime.datetime | None = None, budget: float = TIME_BUDGET_SECONDS
) -> int:
    """Index marked products in batches, oldest first; a batch's marks are removed only
    once the engine took it (an engine that is down keeps them for the next run)."""
    engine = get_search_engine()
    indexed, started = 0, time.monotonic()
    while time.monotonic() - started < budget:
        batch = search_outbox.dirty_batch(BATCH_SIZE, older_than)
        if not batch:
            break
        try:
            engine.index_products([pk for pk, _ in batch])
        except Exception as error:  # the engine is down: the marks wait for it
            logger.warning("Search index not updated (%d products wait): %r", len(batch), error)
            break
        search_outbox.clear(batch)
        indexed += len(batch)
    return indexed


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def index_dirty_products() -> int:
    """After commit: the marks just written (and any older ones)."""
    return sync_outbox()


SWEEP_LOOKBACK = datetime.timedelta(minutes=3)


@shared_task(ignore_result=True)
def sweep_search_outbox() -> int:
    """Beat, every minute: what a lost task or a down engine left, and products that
    Saleor's own dashboard edited (it writes no outbox row; its ``updated_at`` tells)."""
    since = timezone.now() - SWEEP_LOOKBACK
    search_outbox.mark_products_now(storefront_data.product_ids_updated_since(since))
    return sync_outbox()
