"""The checkout page shows each cooperative's parcel and the total before "Đặt hàng";
the order Saleor creates charges exactly that, and the COD limit is checked on it.

Catalogue: tests/storefront/catalogue.py — miến dong of Hợp tác xã Tài Hoan (125.000 ₫,
500 g) and chè of Hợp tác xã Chè Tân Cương (350.000 ₫, 200 g), both from Thái Nguyên;
the shopper's address is in Hà Nội (the North, like Thái Nguyên).
"""

import re

import pytest
from django.test import Client
from saleor.plugins.models import PluginConfiguration

from marketplace.models import CooperativeOrder
from marketplace.routing import route_order
from saleor_adapter.payments.cod import GATEWAY_ID as COD
from tests.storefront.catalogue import import_catalogue
from tests.storefront.shopping import ADDRESS, add_to_cart
from tests.storefront.shopping import page as text

NBSP = "\xa0"


@pytest.fixture
def shopper(db, tmp_path) -> Client:
    """2 miến dong (Tài Hoan) and 1 chè (Tân Cương) in the cart, an address in Hà Nội."""
    products = import_catalogue(tmp_path / "registry.csv")
    client = Client()
    add_to_cart(client, products["Miến dong Tài Hoan"], 2)
    add_to_cart(client, products["Chè Tân Cương đặc sản"], 1)
    assert client.post("/thanh-toan/", ADDRESS)["Location"] == "/thanh-toan/giao-hang/"
    return client


def parcels_of(page: str) -> list[tuple[str, str]]:
    return re.findall(
        r'<strong>(Kiện \d: [^<]+)</strong>.*?data-testid="parcel-fee">([^<]+)<', page, re.S
    )


def test_each_parcel_and_the_total_are_shown_and_charged(shopper):
    # When the shopper reaches the delivery and payment step
    page = text(shopper.get("/thanh-toan/giao-hang/"))

    # Then each cooperative's parcel has its own fee: Tài Hoan 2 × 500 g = 1 kg within
    # the North, 30.000 ₫; Tân Cương 200 g within the North, 25.000 ₫
    assert parcels_of(page) == [
        ("Kiện 1: Hợp tác xã Tài Hoan", f"30.000{NBSP}₫"),
        ("Kiện 2: Hợp tác xã Chè Tân Cương", f"25.000{NBSP}₫"),
    ]
    # and the total before "Đặt hàng": 600.000 goods + 55.000 shipping = 655.000 ₫
    assert f'data-testid="checkout-subtotal">600.000{NBSP}₫<' in page
    assert f'data-testid="checkout-shipping">55.000{NBSP}₫<' in page
    assert f'data-testid="checkout-total"><strong>655.000{NBSP}₫</strong>' in page
    assert page.index('data-testid="checkout-total"') < page.index('data-testid="place-order"')

    # When they place the order (Saleor's dummy gateway pays the checkout's total)
    method = re.search(r'name="shipping_method" value="([^"]+)"', page).group(1)
    placed = shopper.post(
        "/thanh-toan/giao-hang/", {"shipping_method": method, "gateway": "mirumee.payments.dummy"}
    )
    assert placed.status_code == 302

    # Then Saleor's order charges what the page showed, and its payment agrees
    from saleor.order.models import Order

    order = Order.objects.get()
    assert (order.shipping_price_gross_amount, order.total_gross_amount) == (55000, 655000)
    assert order.payments.get().captured_amount == 655000
    assert f"655.000{NBSP}₫" in text(shopper.get(placed["Location"]))
    # and each cooperative's part keeps its own fee
    route_order(order.pk)
    assert sorted(
        CooperativeOrder.objects.filter(order=order).values_list(
            "producer__name", "shipping_amount"
        )
    ) == [("Hợp tác xã Chè Tân Cương", 25000), ("Hợp tác xã Tài Hoan", 30000)]


def test_the_cod_limit_is_checked_on_the_total_with_every_parcel(shopper):
    # Given cash on delivery up to 640.000 ₫: the goods (600.000) and one flat 30.000 ₫
    # fee (630.000) would pass, the real total with both parcels (655.000) does not
    PluginConfiguration.objects.update_or_create(
        identifier=COD,
        defaults={
            "active": True,
            "configuration": [{"name": "max_order_value_vnd", "value": "640000"}],
        },
    )

    # When the shopper reaches the payment step
    page = text(shopper.get("/thanh-toan/giao-hang/"))

    # Then COD is listed but not offered, with the reason
    assert f"Không áp dụng: đơn hàng trên 640.000{NBSP}₫" in page
    # and a forged form choosing it is refused the same way, with no order
    method = re.search(r'name="shipping_method" value="([^"]+)"', page).group(1)
    forged = shopper.post("/thanh-toan/giao-hang/", {"shipping_method": method, "gateway": COD})
    assert forged.status_code == 400
    assert f"Không áp dụng: đơn hàng trên 640.000{NBSP}₫" in text(forged)
    from saleor.order.models import Order

    assert not Order.objects.exists()


def test_a_free_parcel_says_so(db, tmp_path):
    # Given 2 chè (700.000 ₫ ≥ the 500.000 ₫ free-shipping threshold)
    products = import_catalogue(tmp_path / "registry.csv")
    client = Client()
    add_to_cart(client, products["Chè Tân Cương đặc sản"], 2)
    client.post("/thanh-toan/", ADDRESS)

    # Then its parcel ships free and the total is the goods alone
    page = text(client.get("/thanh-toan/giao-hang/"))
    assert 'data-testid="parcel-fee">Miễn phí <span lang="en">(free)</span>' in page
    assert f"hàng từ 500.000{NBSP}₫" in page
    assert f'data-testid="checkout-total"><strong>700.000{NBSP}₫</strong>' in page


def test_in_english_the_parcels_are_in_english(shopper):
    shopper.get("/ngon-ngu/en/")
    page = text(shopper.get("/thanh-toan/giao-hang/"))
    assert "Parcel 1: Hợp tác xã Tài Hoan" in page
    assert "From Thái Nguyên · Within the region · 1 kg" in page
    assert 'lang="en">· Shipping' not in page  # no English beside English


def test_a_vietqr_transfer_asks_for_the_total_with_every_parcel(shopper, vietqr_account):
    from saleor.order.models import Order

    from payments_vn.vietqr import parse_tlv
    from saleor_adapter.payments.saleor_payments import transfer_instructions
    from saleor_adapter.payments.vietqr import GATEWAY_ID as VIETQR

    # When the shopper orders by bank transfer
    page = text(shopper.get("/thanh-toan/giao-hang/"))
    method = re.search(r'name="shipping_method" value="([^"]+)"', page).group(1)
    placed = shopper.post("/thanh-toan/giao-hang/", {"shipping_method": method, "gateway": VIETQR})
    assert placed.status_code == 302

    # Then the transfer asked for, on the page and in the QR payload, is goods + both
    # parcels: 600.000 + 30.000 + 25.000 = 655.000 ₫
    order = Order.objects.get()
    details = dict(re.findall(r'data-testid="([a-z-]+)">(?:<strong>)?([^<]*)<', text(
        shopper.get(placed["Location"])
    )))  # fmt: skip
    assert details["transfer-amount"] == f"655.000{NBSP}₫"
    assert parse_tlv(transfer_instructions(order).payload)["54"] == "655000"
