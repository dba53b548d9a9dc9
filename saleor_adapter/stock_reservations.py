"""Stock held for a checkout while its buyer pays, so two buyers racing for the last
units are never both charged.

Saleor 2.10 has no reservations: it allocates stock only when it creates the order,
after the payment, and its ``allocate_stock`` sums existing allocations before it locks
the stock rows. ``reserve_checkout_stock`` runs before the payment in its own short
transaction: it locks the checkout's stock rows (in primary-key order, so two checkouts
cannot deadlock), counts what is on hand minus what is allocated to orders and reserved
by other checkouts, and records what this checkout takes (``StockReservation``). The
lock is released at once: the payment gateway is called outside any transaction, as
Saleor calls it. The order's own transaction deletes the reservation once Saleor has
allocated the stock (the OCOP plugin's ``order_created``), and a failed attempt deletes
it (``release``); a crash leaves it to expire after ``RESERVATION_TTL``.

Only checkouts see reservations: Saleor's own stock paths (draft orders, staff stock
edits) do not, so stock can still run out between payment and order. The order's
transaction checks that (``marketplace.routing.assert_not_oversold``) and the checkout
mutation then refunds or voids the payment (``saleor_adapter.graphql.checkout_guard``).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from contextvars import ContextVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from saleor.checkout.error_codes import CheckoutErrorCode
from saleor.warehouse.models import Allocation, Stock

from marketplace.models import StockReservation

# Longer than any gateway call (Stripe times out after 80 s) and a buyer's 3-D Secure
# step; short enough that units held by a crashed attempt come back soon.
RESERVATION_TTL = datetime.timedelta(minutes=15)

# The checkout whose reservation this request (or task) last released.
_released: ContextVar[str] = ContextVar("ocop_released_reservation", default="")


def insufficient_stock_error(product_names: list[str], extra: tuple[str, str] = ("", "")):
    products = ", ".join(product_names)
    vietnamese, english = extra
    return ValidationError(
        f"Không đủ hàng: {products}{vietnamese} / Insufficient stock: {products}{english}",
        code=CheckoutErrorCode.INSUFFICIENT_STOCK.value,
    )


def _sum_of(queryset, column: str):
    return Coalesce(
        Subquery(
            queryset.filter(stock_id=OuterRef("pk"))
            .order_by()
            .values("stock_id")
            .annotate(total=Sum(column))
            .values("total"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def reserve_checkout_stock(checkout, lines) -> None:
    """Reserve the stock ``lines`` of ``checkout`` need, or refuse with one bilingual
    INSUFFICIENT_STOCK error naming the products that are short; nothing is kept then.
    Replaces the checkout's earlier reservation (a second attempt after a failed one)."""
    wanted: dict[int, int] = defaultdict(int)
    names: dict[int, str] = {}
    for line in lines:
        if line.variant.track_inventory:
            wanted[line.variant_id] += line.quantity
            names[line.variant_id] = line.variant.product.name
    now = timezone.now()
    with transaction.atomic():
        if not wanted:
            release(checkout.token)
            return
        # The same stocks Saleor's allocate_stock will take from, locked first; the
        # counts are read after the lock is granted, so they include every allocation
        # and reservation committed by a checkout that held it before us.
        stock_ids = list(
            Stock.objects.for_country(checkout.get_country())
            .select_for_update(of=("self",))
            .filter(product_variant_id__in=list(wanted))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        others = StockReservation.objects.filter(expires_at__gt=now).exclude(
            checkout_token=checkout.token
        )
        counted = (
            Stock.objects.filter(pk__in=stock_ids)
            .annotate(
                allocated=_sum_of(Allocation.objects.all(), "quantity_allocated"),
                reserved=_sum_of(others, "quantity"),
            )
            .order_by("pk")
            .values_list("pk", "product_variant_id", "quantity", "allocated", "reserved")
        )
        missing = dict(wanted)
        reservations = []
        # Reserved from the stocks in the order allocate_stock allocates them.
        for stock_id, variant_id, on_hand, allocated, reserved in counted:
            taken = min(missing[variant_id], max(on_hand - allocated - reserved, 0))
            if taken:
                missing[variant_id] -= taken
                reservations.append(
                    StockReservation(
                        checkout_token=checkout.token,
                        stock_id=stock_id,
                        quantity=taken,
                        expires_at=now + RESERVATION_TTL,
                    )
                )
        short = [variant for variant, quantity in missing.items() if quantity > 0]
        if short:
            raise insufficient_stock_error([names[variant] for variant in short])
        # This checkout's earlier reservation goes, and so do expired ones on these
        # stocks, so the table holds only what is in use.
        StockReservation.objects.filter(
            Q(checkout_token=checkout.token) | Q(stock_id__in=stock_ids, expires_at__lte=now)
        ).delete()
        StockReservation.objects.bulk_create(reservations)


def release(checkout_token) -> None:
    """Give back what ``checkout_token`` reserved (no-op when nothing is)."""
    if checkout_token:
        StockReservation.objects.filter(checkout_token=checkout_token).delete()
        _released.set(str(checkout_token))


def release_unless_released(checkout_token) -> None:
    """``release``, unless this request already did (the order's own transaction does,
    through the OCOP plugin's ``order_created``): one query saved per checkout."""
    if _released.get() != str(checkout_token):
        release(checkout_token)
