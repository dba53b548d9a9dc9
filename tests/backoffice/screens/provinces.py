"""Platform staff's provincial accounts section (backoffice.provinces)."""

from django.urls import reverse

from fairs.models import ProvinceStaff
from tests.backoffice.roles import PROVINCE_A
from tests.backoffice.screens import Cell, platform_only


def _revoke(world) -> str:
    row = ProvinceStaff.objects.get(user=world.users["province_a"], province_code=PROVINCE_A)
    return reverse("backoffice-province-staff-revoke", args=[row.pk])


CELLS = [
    Cell("provinces staff list", lambda world: reverse("backoffice-provinces"), platform_only()),
    Cell(
        "provinces staff invite",
        lambda world: reverse("backoffice-province-staff-invite"),
        platform_only(302),
        method="post",
        data=lambda world: {"email": "moi@tinh.test", "province": PROVINCE_A},
    ),
    Cell("provinces staff revoke", _revoke, platform_only(302), method="post"),
]
