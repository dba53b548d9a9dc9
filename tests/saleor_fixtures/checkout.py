"""Saleor's GraphQL checkout, step by step, as a storefront drives it."""

from __future__ import annotations

import graphene

CHECKOUT_CREATE = """
mutation Create($input: CheckoutCreateInput!) {
  checkoutCreate(input: $input) {
    checkout {
      id
      totalPrice { gross { amount currency } }
      availableShippingMethods { id name price { amount currency } }
      availablePaymentGateways { id name }
    }
    checkoutErrors { field code message }
  }
}
"""

SHIPPING_METHOD_UPDATE = """
mutation Ship($checkoutId: ID!, $shippingMethodId: ID!) {
  checkoutShippingMethodUpdate(checkoutId: $checkoutId, shippingMethodId: $shippingMethodId) {
    checkout { totalPrice { gross { amount currency } } }
    checkoutErrors { field code message }
  }
}
"""

PAYMENT_CREATE = """
mutation Pay($checkoutId: ID!, $input: PaymentInput!) {
  checkoutPaymentCreate(checkoutId: $checkoutId, input: $input) {
    payment { chargeStatus total { amount currency } }
    paymentErrors { field code message }
  }
}
"""

CHECKOUT_COMPLETE = """
mutation Complete($checkoutId: ID!) {
  checkoutComplete(checkoutId: $checkoutId) {
    order {
      id number paymentStatus status
      total { gross { amount currency } }
      lines { productSku quantity unitPrice { gross { amount currency } } }
      shippingAddress { city countryArea country { code } }
    }
    checkoutErrors { field code message }
  }
}
"""

VIETNAMESE_ADDRESS = {
    "firstName": "Lan",
    "lastName": "Nguyễn Thị",
    "streetAddress1": "12 Phố Huế",
    "city": "Hai Bà Trưng",
    "countryArea": "Hà Nội",
    "postalCode": "100000",
    "country": "VN",
    "phone": "+84912345678",
}


def prepare_checkout(api_client, lines, gateway: str, token: str = "charged") -> str:
    """A checkout of ``lines`` [(variant, quantity)], shipped with the first shipping
    method and with a ``gateway`` payment for its total, ready for checkoutComplete;
    its id."""
    created = api_client.post_graphql(
        CHECKOUT_CREATE,
        {
            "input": {
                "email": "lan.nguyen@example.vn",
                "lines": [
                    {"variantId": graphene.Node.to_global_id("ProductVariant", v.pk), "quantity": q}
                    for v, q in lines
                ],
                "shippingAddress": VIETNAMESE_ADDRESS,
                "billingAddress": VIETNAMESE_ADDRESS,
            }
        },
    )["checkoutCreate"]
    assert created["checkoutErrors"] == []
    checkout = created["checkout"]
    shipped = api_client.post_graphql(
        SHIPPING_METHOD_UPDATE,
        {
            "checkoutId": checkout["id"],
            "shippingMethodId": checkout["availableShippingMethods"][0]["id"],
        },
    )["checkoutShippingMethodUpdate"]
    assert shipped["checkoutErrors"] == []
    total = shipped["checkout"]["totalPrice"]["gross"]["amount"]
    paid = api_client.post_graphql(
        PAYMENT_CREATE,
        {
            "checkoutId": checkout["id"],
            "input": {"gateway": gateway, "token": token, "amount": total},
        },
    )["checkoutPaymentCreate"]
    assert paid["paymentErrors"] == []
    return checkout["id"]


def buy(api_client, variant, quantity: int, gateway: str, token: str = "charged") -> dict:
    """Check out ``quantity`` of ``variant`` with the first shipping method and pay with
    ``gateway``; returns checkoutComplete's payload (``order`` and ``checkoutErrors``)."""
    checkout_id = prepare_checkout(api_client, [(variant, quantity)], gateway, token)
    return api_client.post_graphql(CHECKOUT_COMPLETE, {"checkoutId": checkout_id})[
        "checkoutComplete"
    ]
