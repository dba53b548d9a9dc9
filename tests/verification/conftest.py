"""The storefront's imported Thái Nguyên catalogue (real Saleor products and
certificates), its province's staff, another province's staff, platform staff and a
cooperative's portal user; stamps are signed with a test key."""

from __future__ import annotations

import pytest
from django.contrib.sites.models import Site
from saleor.account.models import User

from marketplace.models import CooperativeMembership, OcopProduct, Producer
from tests.fairs.conftest import (  # noqa: F401  (platform_staff: a fixture)
    DOMAIN,
    HA_NOI,
    THAI_NGUYEN,
    client_of,
    platform_staff,
    province_user,
)
from tests.storefront.catalogue import import_catalogue

__all__ = ["HA_NOI", "THAI_NGUYEN", "client_of"]


@pytest.fixture(autouse=True)
def _public_domain(db, settings):
    settings.ENABLE_SSL = True
    settings.STOREFRONT_SEARCH_CACHE_SECONDS = 0
    settings.OCOP_STAMP_KEY = "khoa-tem-thu-nghiem-" + "k" * 30
    site = Site.objects.get_current()
    site.domain = DOMAIN
    site.save()


@pytest.fixture
def catalogue(db, tmp_path):
    return import_catalogue(tmp_path / "registry.csv")


def ocop(product) -> OcopProduct:
    return OcopProduct.objects.select_related("producer", "current_certificate").get(
        product=product
    )


@pytest.fixture
def thai_nguyen_staff(db) -> User:
    return province_user("chuong.trinh@thainguyen.test", THAI_NGUYEN)


@pytest.fixture
def ha_noi_staff(db) -> User:
    return province_user("chuong.trinh@hanoi.test", HA_NOI)


@pytest.fixture
def tai_hoan_member(catalogue) -> User:
    user = User.objects.create_user(email="htx@taihoan.test", password="mat-khau-htx-1")
    CooperativeMembership.objects.create(
        user=user, producer=Producer.objects.get(name="Hợp tác xã Tài Hoan")
    )
    return user
