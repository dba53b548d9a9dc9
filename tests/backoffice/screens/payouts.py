"""Platform staff's payouts section (backoffice.payouts)."""

from django.urls import reverse
from django.utils import timezone

from marketplace.models import PayoutBatch
from tests.backoffice.screens import Cell, platform_only


def _batch(world) -> PayoutBatch:
    if "payout_batch" not in world.things:
        world.things["payout_batch"] = PayoutBatch.objects.create(
            reference="OCOP-20261202-MATRIX01", total_amount=237500
        )
    return world.things["payout_batch"]


CELLS = [
    Cell(
        "payouts preview and history", lambda world: reverse("backoffice-payouts"), platform_only()
    ),
    Cell(
        "payout run",
        lambda world: reverse("backoffice-payout-run"),
        platform_only(200),  # nothing is owed in the matrix's world: "nothing to pay"
        method="post",
        data=lambda world: {"confirm": "1"},
    ),
    Cell(
        "payout batch page",
        lambda world: reverse("backoffice-payout", args=[_batch(world).pk]),
        platform_only(),
    ),
    Cell(
        "payout bank file",
        lambda world: reverse("backoffice-payout-file", args=[_batch(world).pk]),
        platform_only(),
    ),
    Cell(
        "payout mark paid",
        lambda world: reverse("backoffice-payout-paid", args=[_batch(world).pk]),
        platform_only(302),
        method="post",
        data=lambda world: {
            "bank_reference": "FT2633600001",
            "paid_on": timezone.localdate().isoformat(),
        },
    ),
]
