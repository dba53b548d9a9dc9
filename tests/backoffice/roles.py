"""The eight people of the back office's role matrix, on the two-cooperative catalogue.

Cooperative A is Hợp tác xã Tài Hoan, cooperative B Hợp tác xã Chè Tân Cương (both in
Thái Nguyên, province A); province B is Hà Nội, which has neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.test import Client
from saleor.account.models import User

from fairs.models import ProvinceStaff
from tests.routing.marketplace import Catalog, client_for, member_of
from tests.saleor_fixtures.api import grant

ROLES = (
    "anonymous",
    "customer",
    "coop_a_staff",
    "coop_a_owner",
    "coop_b",
    "province_a",
    "province_b",
    "platform",
)
PROVINCE_A = "19"  # Thái Nguyên: both cooperatives
PROVINCE_B = "01"  # Hà Nội: neither


@dataclass
class World:
    """The catalogue, one account per role, and whatever a screen's cell builds on it
    (``things``: a cell's ``url``/``data`` may create an object once and keep it here)."""

    catalog: Catalog
    users: dict[str, User | None]
    things: dict = field(default_factory=dict)

    def client(self, role: str) -> Client:
        user = self.users[role]
        return Client() if user is None else client_for(user)


def build_world(catalog: Catalog) -> World:
    customer = User.objects.create_user(email="lan.nguyen@example.vn", password="khach-hang-1")
    province_a = User.objects.create_user(
        email="so.nn@thainguyen.test", password="tinh-a-1", is_staff=True
    )
    ProvinceStaff.objects.create(user=province_a, province_code=PROVINCE_A)
    province_b = User.objects.create_user(
        email="so.nn@hanoi.test", password="tinh-b-1", is_staff=True
    )
    ProvinceStaff.objects.create(user=province_b, province_code=PROVINCE_B)
    platform = grant(
        User.objects.create_user(
            email="dieu.phoi@ocop.test", password="mat-khau-staff-1", is_staff=True
        ),
        "manage_orders",
        "manage_settings",
    )
    return World(
        catalog=catalog,
        users={
            "anonymous": None,
            "customer": customer,
            "coop_a_staff": member_of(catalog.tai_hoan, "nhan.vien@taihoan.test"),
            "coop_a_owner": member_of(catalog.tai_hoan, "chu.nhiem@taihoan.test", role="manager"),
            "coop_b": member_of(catalog.tan_cuong, "ban.hang@tancuong.test", role="manager"),
            "province_a": province_a,
            "province_b": province_b,
            "platform": platform,
        },
    )


@pytest.fixture
def world(catalog) -> World:
    return build_world(catalog)
