"""A cooperative's team and payout account in the portal (backoffice.team)."""

from django.urls import reverse

from marketplace.models import CooperativeMembership
from tests.backoffice.screens import Cell, any_cooperative, cooperative_a


def _clerks_membership(world) -> str:
    membership = CooperativeMembership.objects.get(user=world.users["coop_a_staff"])
    return reverse("portal:team_remove", args=[membership.pk])


CELLS = [
    Cell("portal team", lambda world: reverse("portal:team"), any_cooperative()),
    Cell(
        "portal team of cooperative A",
        lambda world: f"{reverse('portal:team')}?htx={world.catalog.tai_hoan.pk}",
        cooperative_a(),
    ),
    Cell(
        "portal team invite",
        lambda world: reverse("portal:team_invite"),
        cooperative_a(302, owner_only=True),
        method="post",
        data=lambda world: {
            "htx": world.catalog.tai_hoan.pk,
            "email": "moi@taihoan.test",
            "role": "staff",
        },
    ),
    Cell(
        "portal team remove",
        _clerks_membership,
        cooperative_a(302, owner_only=True),
        method="post",
    ),
    Cell(
        "portal payout account", lambda world: reverse("portal:payout_account"), any_cooperative()
    ),
    Cell(
        "portal payout account request",
        lambda world: reverse("portal:payout_account_request"),
        cooperative_a(302, owner_only=True),
        method="post",
        data=lambda world: {
            "htx": world.catalog.tai_hoan.pk,
            "bank_bin": "970436",
            "account_number": "0011002233445",
            "holder": "HTX TAI HOAN",
        },
    ),
]
