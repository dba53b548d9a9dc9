"""Which products may be sold: those whose current recognition decision is in force."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import Q

from marketplace.models import OcopProduct


def valid_on(day: datetime.date) -> Q:
    """OcopProduct filter: the current certificate is in force on ``day`` and the
    platform has not suspended its producer (a suspended cooperative sells nothing)."""
    return Q(
        current_certificate__decision_date__lte=day,
        current_certificate__expiry_date__gte=day,
        producer__suspended_at__isnull=True,
    )


def certified_product_ids(product_ids: Iterable[int], day: datetime.date) -> set[int]:
    """The subset of Saleor product ids that hold a valid certificate on ``day``."""
    return set(
        OcopProduct.objects.filter(valid_on(day), product_id__in=list(product_ids)).values_list(
            "product_id", flat=True
        )
    )


def expired_published_product_ids(day: datetime.date) -> list[int]:
    """Published products whose certificate is no longer (or not yet) in force."""
    return list(
        OcopProduct.objects.filter(product__is_published=True)
        .exclude(valid_on(day))
        .values_list("product_id", flat=True)
    )
