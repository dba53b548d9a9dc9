"""A shopper on the storefront pages: add to cart, give an address, place the order."""

from __future__ import annotations

import re

from saleor.order.models import Order

ADDRESS = {
    "full_name": "Nguyễn Thị Lan",
    "phone": "0912345678",
    "email": "lan.nguyen@example.vn",
    "street": "12 Phố Huế",
    "commune": "Phường Hai Bà Trưng",
    "province": "01",
    "postal_code": "100000",
}
DUMMY = "mirumee.payments.dummy"


def page(response) -> str:
    return response.content.decode()


def variant_of(client, product) -> str:
    """The variant id the product page's add-to-cart form carries."""
    html = page(client.get(f"/san-pham/{product.slug}/"))
    return re.search(r'name="variant" value="([^"]+)"', html).group(1)


def add_to_cart(client, product, quantity: int = 1):
    added = client.post(
        "/gio-hang/them/",
        {"variant": variant_of(client, product), "quantity": str(quantity),
         "product_slug": product.slug},
    )  # fmt: skip
    assert added.status_code == 302, page(added)
    return added


def place_order(client) -> Order:
    """Address, first shipping method, dummy payment; the order the shopper got."""
    addressed = client.post("/thanh-toan/", ADDRESS)
    assert addressed.status_code == 302, page(addressed)
    delivery = page(client.get("/thanh-toan/giao-hang/"))
    method = re.search(r'name="shipping_method" value="([^"]+)"', delivery).group(1)
    placed = client.post("/thanh-toan/giao-hang/", {"shipping_method": method, "gateway": DUMMY})
    assert placed.status_code == 302, page(placed)
    token = re.fullmatch(r"/don-hang/([0-9a-f-]{36})/", placed["Location"]).group(1)
    return Order.objects.get(token=token)


def buy(client, product, quantity: int = 1) -> Order:
    add_to_cart(client, product, quantity)
    return place_order(client)
