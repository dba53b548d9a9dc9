"""A Thái Nguyên trade fair with two booths and three featured products, over the
storefront's imported catalogue (real Saleor products and certificates), and the people
who run fairs: provincial staff of Thái Nguyên and Hà Nội, and platform staff; and what
the fair sold (shared by the web report's tests and the GraphQL report's)."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.sites.models import Site
from django.test import Client
from django.utils import timezone
from saleor.account.models import User
from saleor.order.actions import cancel_order

from fairs import editing
from fairs.models import Fair, ProvinceStaff
from marketplace.models import OcopProduct, Producer
from tests.routing.marketplace import price_shipping_per_order
from tests.saleor_fixtures.api import grant
from tests.storefront.catalogue import import_catalogue
from tests.storefront.shopping import add_to_cart, buy, place_order

THAI_NGUYEN = "19"
HA_NOI = "01"
DOMAIN = "cho-ocop.vn"


@pytest.fixture(autouse=True)
def _public_domain(db, settings):
    """Printed links are absolute: the shop's public domain, over https."""
    settings.ENABLE_SSL = True
    settings.STOREFRONT_SEARCH_CACHE_SECONDS = 0
    site = Site.objects.get_current()
    site.domain = DOMAIN
    site.save()


@pytest.fixture
def catalogue(db, tmp_path):
    """Six listed Thái Nguyên products (tests/storefront/catalogue.py), keyed by name;
    shipping priced per order (the reports' figures use its 30.000 ₫)."""
    products = import_catalogue(tmp_path / "registry.csv")
    price_shipping_per_order()
    return products


def province_user(email: str, *codes: str) -> User:
    user = User.objects.create_user(email=email, password="mat-khau-tinh-1")
    for code in codes:
        ProvinceStaff.objects.create(user=user, province_code=code)
    return user


@pytest.fixture
def thai_nguyen_staff(db) -> User:
    return province_user("hoi.cho@thainguyen.test", THAI_NGUYEN)


@pytest.fixture
def ha_noi_staff(db) -> User:
    return province_user("hoi.cho@hanoi.test", HA_NOI)


@pytest.fixture
def platform_staff(db) -> User:
    user = User.objects.create_user(
        email="dieu.phoi@ocop.test", password="mat-khau-staff-1", is_staff=True
    )
    return grant(user, "manage_orders")


def client_of(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def ocop(product) -> OcopProduct:
    return OcopProduct.objects.get(product=product)


def make_fair(user, name: str, province: str, starts_on=None, ends_on=None, slug="") -> Fair:
    today = timezone.localdate()
    return editing.save_fair(
        user,
        {
            "name": name,
            "slug": slug,
            "province": province,
            "venue": "Quảng trường 19/8",
            "starts_on": starts_on or today - datetime.timedelta(days=1),
            "ends_on": ends_on or today + datetime.timedelta(days=2),
            "description": "Tuần lễ sản phẩm OCOP (dữ liệu mẫu).",
        },
    )


@pytest.fixture
def fair(catalogue, thai_nguyen_staff) -> Fair:
    """ "Hội chợ OCOP Bắc Kạn 2026": booths A12 (Tài Hoan, miến dong) and B03 (Nam Mẫu,
    trà hoa vàng); the rice is featured at no booth."""
    fair = make_fair(thai_nguyen_staff, "Hội chợ OCOP Bắc Kạn 2026", THAI_NGUYEN,
                     slug="ocop-bac-kan-2026")  # fmt: skip
    tai_hoan = Producer.objects.get(name="Hợp tác xã Tài Hoan")
    nam_mau = Producer.objects.get(name="Hợp tác xã Nông nghiệp Nam Mẫu")
    dinh_hoa = Producer.objects.get(name="Hợp tác xã Gạo Định Hóa")
    editing.set_cooperatives(fair, [tai_hoan, nam_mau, dinh_hoa])
    a12 = editing.save_booth(fair, {"name": "HTX Tài Hoan", "code": "A12", "producer": tai_hoan})
    b03 = editing.save_booth(fair, {"name": "HTX Nam Mẫu", "code": "B03", "producer": nam_mau})
    for name, booth in (
        ("Miến dong Tài Hoan", a12),
        ("Trà hoa vàng Nam Mẫu", b03),
        ("Gạo nếp cái hoa vàng", None),
    ):
        editing.save_fair_product(fair, {"ocop_product": ocop(catalogue[name]), "booth": booth})
    return fair


@pytest.fixture
def fair_sales(fair, catalogue):
    """Four phones scan the fair's codes; three of them order (one order is cancelled
    later); a fifth shopper orders without scanning anything."""
    a12 = client_of(None)
    a12.get("/f/ocop-bac-kan-2026/p/mien-dong-tai-hoan")
    first = buy(a12, catalogue["Miến dong Tài Hoan"], 2)  # 250.000 + 30.000 shipping

    b03 = client_of(None)
    b03.get("/f/ocop-bac-kan-2026/g/b03-htx-nam-mau")
    add_to_cart(b03, catalogue["Trà hoa vàng Nam Mẫu"], 1)  # 650.000
    add_to_cart(b03, catalogue["Bột dong riềng"], 1)  # 70.000, Tài Hoan, not featured
    second = place_order(b03)  # + 30.000 shipping

    whole_fair = client_of(None)
    whole_fair.get("/f/ocop-bac-kan-2026")
    cancelled = buy(whole_fair, catalogue["Gạo nếp cái hoa vàng"], 1)
    cancel_order(cancelled, None)

    client_of(None).get("/f/ocop-bac-kan-2026")  # looked, bought nothing
    unattributed = buy(client_of(None), catalogue["Miến dong Tài Hoan"], 1)
    return {"first": first, "second": second, "cancelled": cancelled, "other": unattributed}
