"""Who sees and may change what: the one place cooperative scoping is decided.

Portal views, CSV exports and GraphQL all start from these querysets, so a cooperative's
staff can only ever reach their own producer's orders, customers, listings and ledger.
Saleor staff with ``manage_orders`` see every cooperative. Anyone else sees nothing.
"""

from __future__ import annotations

from django.db.models import QuerySet

from marketplace.models import (
    CooperativeMembership,
    CooperativeOrder,
    LedgerEntry,
    OcopProduct,
    PayoutLine,
    Producer,
)

MANAGE_ORDERS = "order.manage_orders"

# What a cooperative's own staff may do to its orders; the platform's staff may do all.
COOPERATIVE_ACTIONS = frozenset({"accept", "reject", "pack", "ship", "deliver"})
STAFF_ACTIONS = frozenset({"accept", "reject", "pack", "ship", "deliver", "cancel", "refund"})


def is_authenticated(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def sees_all(user) -> bool:
    """Platform staff: a Saleor staff account with the manage_orders permission."""
    return is_authenticated(user) and user.is_staff and user.has_perm(MANAGE_ORDERS)


def producer_ids(user) -> list[int] | None:
    """The producers ``user`` works for; None means every producer (platform staff)."""
    if sees_all(user):
        return None
    if not is_authenticated(user):
        return []
    cache = getattr(user, "_ocop_producer_ids", None)
    if cache is None:
        cache = list(
            CooperativeMembership.objects.filter(user=user).values_list("producer_id", flat=True)
        )
        user._ocop_producer_ids = cache
    return cache


def is_portal_user(user) -> bool:
    ids = producer_ids(user)
    return ids is None or bool(ids)


def manages_cooperative(user, producer_id: int) -> bool:
    """Who runs a cooperative's team and asks for its payout account: platform staff,
    and the cooperative's own managers (its other staff see both, and change neither)."""
    if sees_all(user):
        return True
    if not is_authenticated(user):
        return False
    return CooperativeMembership.objects.filter(
        user=user, producer_id=producer_id, role=CooperativeMembership.Role.MANAGER
    ).exists()


def _scoped(queryset: QuerySet, user, field: str) -> QuerySet:
    ids = producer_ids(user)
    if ids is None:
        return queryset
    if not ids:
        return queryset.none()
    return queryset.filter(**{f"{field}__in": ids})


def producers_for(user) -> QuerySet:
    return _scoped(Producer.objects.all(), user, "pk")


def cooperative_orders_for(user) -> QuerySet:
    return _scoped(CooperativeOrder.objects.all(), user, "producer_id")


def listings_for(user) -> QuerySet:
    return _scoped(OcopProduct.objects.all(), user, "producer_id")


def ledger_for(user) -> QuerySet:
    return _scoped(LedgerEntry.objects.all(), user, "producer_id")


def payouts_for(user) -> QuerySet:
    return _scoped(PayoutLine.objects.all(), user, "producer_id")


def may(user, action: str, cooperative_order: CooperativeOrder) -> bool:
    """Whether ``user`` may apply ``action`` to ``cooperative_order``."""
    if sees_all(user):
        return action in STAFF_ACTIONS
    ids = producer_ids(user)
    return bool(ids) and cooperative_order.producer_id in ids and action in COOPERATIVE_ACTIONS


def may_manage_listing(user, ocop_product: OcopProduct) -> bool:
    ids = producer_ids(user)
    return ids is None or ocop_product.producer_id in ids
