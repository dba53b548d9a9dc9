from decimal import Decimal

import graphene
from saleor.order.models import Order
from saleor.warehouse.models import Stock

from tests.saleor_fixtures.checkout import (
    CHECKOUT_COMPLETE,
    CHECKOUT_CREATE,
    PAYMENT_CREATE,
    SHIPPING_METHOD_UPDATE,
    VIETNAMESE_ADDRESS,
)


def test_a_consumer_buys_an_ocop_product_through_the_graphql_checkout(api_client, ocop_product):
    # Given an OCOP product at 125.000 ₫ in a cooperative's warehouse, shipped for 30.000 ₫
    variant = ocop_product.variants.get()
    variant_id = graphene.Node.to_global_id("ProductVariant", variant.pk)

    # When a consumer checks out two packs, ships to Hà Nội and pays with the dummy gateway
    created = api_client.post_graphql(
        CHECKOUT_CREATE,
        {
            "input": {
                "email": "lan.nguyen@example.vn",
                "lines": [{"variantId": variant_id, "quantity": 2}],
                "shippingAddress": VIETNAMESE_ADDRESS,
                "billingAddress": VIETNAMESE_ADDRESS,
            }
        },
    )["checkoutCreate"]
    assert created["checkoutErrors"] == []
    checkout = created["checkout"]
    assert checkout["totalPrice"]["gross"] == {"amount": 250000.0, "currency": "VND"}
    assert [m["name"] for m in checkout["availableShippingMethods"]] == ["Giao hàng tiêu chuẩn"]
    assert "mirumee.payments.dummy" in [g["id"] for g in checkout["availablePaymentGateways"]]

    shipped = api_client.post_graphql(
        SHIPPING_METHOD_UPDATE,
        {
            "checkoutId": checkout["id"],
            "shippingMethodId": checkout["availableShippingMethods"][0]["id"],
        },
    )["checkoutShippingMethodUpdate"]
    assert shipped["checkoutErrors"] == []
    assert shipped["checkout"]["totalPrice"]["gross"] == {"amount": 280000.0, "currency": "VND"}

    paid = api_client.post_graphql(
        PAYMENT_CREATE,
        {
            "checkoutId": checkout["id"],
            "input": {"gateway": "mirumee.payments.dummy", "token": "charged", "amount": 280000},
        },
    )["checkoutPaymentCreate"]
    assert paid["paymentErrors"] == []

    completed = api_client.post_graphql(CHECKOUT_COMPLETE, {"checkoutId": checkout["id"]})[
        "checkoutComplete"
    ]

    # Then an order exists, in VND, fully charged, with the line and the address
    assert completed["checkoutErrors"] == []
    order = completed["order"]
    assert order["paymentStatus"] == "FULLY_CHARGED"
    assert order["total"]["gross"] == {"amount": 280000.0, "currency": "VND"}
    assert order["lines"] == [
        {
            "productSku": "MIEN-DONG-500G",
            "quantity": 2,
            "unitPrice": {"gross": {"amount": 125000.0, "currency": "VND"}},
        }
    ]
    assert order["shippingAddress"]["country"]["code"] == "VN"
    stored = Order.objects.get()
    assert stored.total_gross_amount == Decimal(280000)
    assert stored.currency == "VND"
    # and the two packs are allocated from the cooperative's stock
    stock = Stock.objects.get(product_variant=variant)
    assert (stock.quantity, sum(a.quantity_allocated for a in stock.allocations.all())) == (20, 2)
