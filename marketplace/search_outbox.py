"""Products whose search document must be rewritten: an outbox, no signals.

Every writer of what search shows (the registry import, a cooperative's price, stock and
publication edits, an order taking or giving back stock, a certificate expiring) calls
``mark_products`` inside its own transaction, so the mark commits or rolls back with the
change. After commit the registered callback (storefront.tasks: a Celery task) indexes
the marked products in batches; a beat sweeper takes whatever is left (a lost task, an
engine that was down), so the index catches up by itself.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.db import connection, transaction
from django.utils import timezone

from marketplace.models import OcopProduct, SearchOutbox

_after_commit: list[Callable[[], None]] = []
_in_transaction: list[Callable[[list[int]], object]] = []


def on_marking(callback: Callable[[list[int]], object]) -> None:
    """Run ``callback(product_ids)`` inside each transaction that marks products, with
    the change (the PostgreSQL engine's folded text; registered once)."""
    if callback not in _in_transaction:
        _in_transaction.append(callback)


def on_marked(callback: Callable[[], None]) -> None:
    """Run ``callback`` after each commit that marked products (registered once)."""
    if callback not in _after_commit:
        _after_commit.append(callback)


def _notify() -> None:
    for callback in _after_commit:
        callback()


def mark_products(product_ids: Iterable[int], *, text_changed: bool = True) -> int:
    """Mark Saleor product ids dirty in the current transaction (a re-mark moves the time,
    so a change made while a batch is being indexed is not lost). ``text_changed=False``
    (an order taking or giving back stock): nothing searched as text changed, so the
    in-transaction callbacks (the folded text) are skipped."""
    ids = sorted({int(pk) for pk in product_ids if pk is not None})
    if not ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {SearchOutbox._meta.db_table} (product_id, marked_at)"
            " SELECT unnest(%s::int[]), %s"
            " ON CONFLICT (product_id) DO UPDATE SET marked_at = EXCLUDED.marked_at",
            [ids, timezone.now()],
        )
    if text_changed:
        for callback in _in_transaction:
            callback(ids)
    transaction.on_commit(_notify)
    return len(ids)


def mark_producers(producer_ids: Iterable[int]) -> int:
    """A producer's name or origin changed: every one of its products."""
    return mark_products(
        OcopProduct.objects.filter(producer_id__in=list(producer_ids)).values_list(
            "product_id", flat=True
        )
    )


def dirty_batch(
    limit: int, older_than: datetime.datetime | None = None
) -> list[tuple[int, datetime.datetime]]:
    """The oldest marks: (product id, marked at)."""
    rows = SearchOutbox.objects.order_by("marked_at", "product_id")
    if older_than is not None:
        rows = rows.filter(marked_at__lte=older_than)
    return list(rows.values_list("product_id", "marked_at")[:limit])


def clear(batch: list[tuple[int, datetime.datetime]]) -> int:
    """Remove the marks of an indexed batch, except those marked again meanwhile."""
    if not batch:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {SearchOutbox._meta.db_table} o"
            " USING unnest(%s::int[], %s::timestamptz[]) AS b (product_id, marked_at)"
            " WHERE o.product_id = b.product_id AND o.marked_at = b.marked_at",
            [[pk for pk, _ in batch], [at for _, at in batch]],
        )
        return cursor.rowcount


def pending() -> int:
    return SearchOutbox.objects.count()


def mark_products_now(product_ids: Iterable[int]) -> int:
    """``mark_products`` in a transaction of its own (for the sweeper)."""
    with transaction.atomic():
        return mark_products(product_ids)
