"""Fixtures for cooperative orders: a real two-cooperative catalogue imported from a
registry, real Saleor orders placed through Saleor's own checkout → order code, and
the people who use the portal."""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from saleor.account.models import Address, User
from saleor.checkout.models import Checkout
from saleor.checkout.utils import add_variant_to_checkout, create_order, prepare_order_data
from saleor.product.models import ProductVariant
from saleor.shipping.models import ShippingMethod

from catalog_sync.importer import import_registry
from marketplace.models import (
    CooperativeMembership,
    CooperativeOrder,
    CooperativeSettings,
    Producer,
)
from marketplace.routing import route_order
from tests.catalog_import.registry import MIEN_DONG, TRA_TAN_CUONG, write_registry
from tests.saleor_fixtures.api import grant

AS_OF = datetime.date(2026, 11, 23)
SHIPPING_PRICE = Decimal(30000)

CUSTOMER_ADDRESS = {
    "first_name": "Lan",
    "last_name": "Nguyễn Thị",
    "street_address_1": "12 Phố Huế",
    "city": "Hai Bà Trưng",
    "country_area": "Hà Nội",
    "postal_code": "100000",
    "country": "VN",
    "phone": "+84912345678",
}


@dataclass
class Catalog:
    tai_hoan: Producer  # Hợp tác xã Tài Hoan: miến dong, 125.000 ₫, 40 in stock
    tan_cuong: Producer  # Hợp tác xã Chè Tân Cương: trà, 350.000 ₫, 15 in stock
    mien_dong: ProductVariant
    tra: ProductVariant
    shipping_method: ShippingMethod


def build_catalog(folder) -> Catalog:
    path = write_registry(folder / "thai-nguyen.csv", [MIEN_DONG, TRA_TAN_CUONG])
    import_registry(path, as_of=AS_OF)
    # The import gives the "Việt Nam" zone its standard method (30.000 ₫).
    method = ShippingMethod.objects.get(shipping_zone__name="Việt Nam")
    assert method.price_amount == SHIPPING_PRICE
    return Catalog(
        tai_hoan=Producer.objects.get(name="Hợp tác xã Tài Hoan"),
        tan_cuong=Producer.objects.get(name="Hợp tác xã Chè Tân Cương"),
        mien_dong=ProductVariant.objects.get(product__name="Miến dong Tài Hoan"),
        tra=ProductVariant.objects.get(product__name="Trà xanh Tân Cương"),
        shipping_method=method,
    )


def place_order(catalog: Catalog, lines, email="lan.nguyen@example.vn", address=None):
    """A customer's order, made by Saleor's checkout → order code (what checkoutComplete
    runs after payment): lines are allocated and the plugins' order_created is called."""
    address = {**CUSTOMER_ADDRESS, **(address or {})}
    checkout = Checkout.objects.create(
        email=email,
        currency="VND",
        country="VN",
        shipping_address=Address.objects.create(**address),
        billing_address=Address.objects.create(**address),
        shipping_method=catalog.shipping_method,
    )
    for variant, quantity in lines:
        add_variant_to_checkout(checkout, variant, quantity)
    order_data = prepare_order_data(
        checkout=checkout, lines=list(checkout), tracking_code="", discounts=[]
    )
    order = create_order(
        checkout=checkout, order_data=order_data, user=AnonymousUser(), redirect_url=""
    )
    checkout.delete()
    return order


def price_shipping_per_order() -> None:
    """The operator's switch to one shipping price per order (the method's 30.000 ₫),
    shared between the parts in proportion to their goods. The suites of routing,
    the ledger, the portal and the fair reports run with it: their arithmetic was
    written for that fee; tests/shipping prices parcels (the shop's default)."""
    from saleor.plugins.models import PluginConfiguration

    from marketplace.configuration import SHIPPING_PER_PARCEL
    from saleor_adapter.ocop.plugin import PLUGIN_ID

    config, _ = PluginConfiguration.objects.get_or_create(
        identifier=PLUGIN_ID, defaults={"name": "OCOP Marketplace", "active": True}
    )
    config.configuration = [
        *(item for item in config.configuration or [] if item["name"] != SHIPPING_PER_PARCEL),
        {"name": SHIPPING_PER_PARCEL, "value": False},
    ]
    config.save()


@pytest.fixture
def catalog(db, tmp_path) -> Catalog:
    catalog = build_catalog(tmp_path)
    price_shipping_per_order()
    return catalog


@pytest.fixture
def order_of(catalog):
    def make(*lines, **kwargs):
        return place_order(catalog, lines, **kwargs)

    return make


@pytest.fixture
def marketplace_on_commit():
    """Run, as a commit would, the on_commit callbacks *our* code scheduled in the
    block (routing and notification tasks), not Saleor's own e-mail tasks: these tests
    count the cooperatives' mails (tests/emails covers Saleor's)."""
    from django.db import connection

    @contextmanager
    def capture():
        start = len(connection.run_on_commit)
        yield
        # A callback may schedule more (routing schedules its notifications): run until
        # none is left, as a real commit followed by the tasks' own commits would.
        while len(connection.run_on_commit) > start:
            callbacks = connection.run_on_commit[start:]
            del connection.run_on_commit[start:]
            for _savepoints, callback in callbacks:
                if callback.__module__.startswith("marketplace."):
                    callback()

    return capture


def member_of(producer: Producer, email: str, role="staff") -> User:
    user = User.objects.create_user(email=email, password="mat-khau-htx-1")
    CooperativeMembership.objects.create(user=user, producer=producer, role=role)
    return user


@pytest.fixture
def tai_hoan_staff(catalog) -> User:
    return member_of(catalog.tai_hoan, "ban.hang@taihoan.test", role="manager")


@pytest.fixture
def tan_cuong_staff(catalog) -> User:
    return member_of(catalog.tan_cuong, "ban.hang@tancuong.test")


@pytest.fixture
def platform_staff(db) -> User:
    user = User.objects.create_user(
        email="dieu.phoi@ocop.test", password="mat-khau-staff-1", is_staff=True
    )
    return grant(user, "manage_orders")


@pytest.fixture
def cooperative_settings(catalog):
    """Tài Hoan takes e-mail at its own address and has a bank account; Tân Cương pays
    8% instead of the default 10% and has a bank account too."""
    return {
        "tai_hoan": CooperativeSettings.objects.create(
            producer=catalog.tai_hoan,
            notification_email="donhang@taihoan.test",
            bank_name="Agribank",
            bank_bin="970405",
            bank_account_number="1234567890123",
            bank_account_holder="HTX TAI HOAN",
        ),
        "tan_cuong": CooperativeSettings.objects.create(
            producer=catalog.tan_cuong,
            commission_rate_percent=Decimal(8),
            notification_email="donhang@tancuong.test",
            bank_name="Vietcombank",
            bank_bin="970436",
            bank_account_number="0011002233445",
            bank_account_holder="HTX CHE TAN CUONG",
        ),
    }


@pytest.fixture
def orders(catalog, order_of):
    """Two customers' orders, each with a Tài Hoan part and a Tân Cương part. The second
    customer's name would be a formula in a spreadsheet."""
    placed = [
        order_of((catalog.mien_dong, 2), (catalog.tra, 1)),
        order_of(
            (catalog.mien_dong, 1), (catalog.tra, 2), email="hoa@example.vn",
            address={"first_name": '=HYPERLINK("http://x.test")', "last_name": ""},
        ),
    ]  # fmt: skip
    for order in placed:
        route_order(order.pk)
    parts = {
        (co.order_id, co.producer_id): co
        for co in CooperativeOrder.objects.filter(order__in=placed)
    }
    return {
        "tai_hoan": [parts[(o.pk, catalog.tai_hoan.pk)] for o in placed],
        "tan_cuong": [parts[(o.pk, catalog.tan_cuong.pk)] for o in placed],
    }


def client_for(user) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
