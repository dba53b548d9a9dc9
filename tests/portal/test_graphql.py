"""The same operations over GraphQL, scoped the same way."""

import graphene
import pytest

from marketplace.models import CooperativeOrder
from marketplace.routing import route_order
from tests.saleor_fixtures.api import ApiClient

ORDERS = """
query Orders($status: CooperativeOrderStatusEnum, $search: String) {
  cooperativeOrders(status: $status, search: $search) {
    id number status producerName subtotal shipping total availableActions
    lines { productName quantity unitPrice total }
    shippingAddress { name city }
  }
}
"""
ORDER = "query One($id: ID!) { cooperativeOrder(id: $id) { number status } }"
ACCEPT = """
mutation Accept($id: ID!) {
  cooperativeOrderAccept(id: $id) { cooperativeOrder { status } cooperativeErrors { code } }
}
"""
SHIP = """
mutation Ship($id: ID!, $carrier: String!, $tracking: String!) {
  cooperativeOrderShip(id: $id, carrier: $carrier, trackingNumber: $tracking) {
    cooperativeOrder { status trackingNumber } cooperativeErrors { field code message }
  }
}
"""
LISTINGS = "{ cooperativeListings { id name price stock published } }"
LISTING_UPDATE = """
mutation Update($id: ID!, $price: Int, $stock: Int) {
  cooperativeListingUpdate(id: $id, price: $price, stock: $stock) {
    listing { name price stock } cooperativeErrors { field code }
  }
}
"""
LEDGER = "{ cooperativeLedger { cooperativeOrderNumber gross commission net paid } }"


def gid(kind, pk):
    return graphene.Node.to_global_id(kind, pk)


@pytest.fixture
def parts(catalog, order_of):
    order = order_of((catalog.mien_dong, 2), (catalog.tra, 1))
    route_order(order.pk)
    return (
        CooperativeOrder.objects.get(order=order, producer=catalog.tai_hoan),
        CooperativeOrder.objects.get(order=order, producer=catalog.tan_cuong),
    )


def test_cooperative_staff_see_and_work_only_their_orders(parts, tai_hoan_staff):
    mine, theirs = parts
    api = ApiClient(tai_hoan_staff)

    orders = api.post_graphql(ORDERS)["cooperativeOrders"]
    assert orders == [
        {
            "id": gid("CooperativeOrder", mine.pk), "number": mine.number, "status": "NEW",
            "producerName": "Hợp tác xã Tài Hoan", "subtotal": 250000, "shipping": 12500,
            "total": 262500, "availableActions": ["accept", "reject"],
            "lines": [{"productName": "Miến dong Tài Hoan", "quantity": 2,
                       "unitPrice": 125000, "total": 250000}],
            "shippingAddress": {"name": "Nguyễn Thị Lan", "city": "Hai Bà Trưng"},
        }
    ]  # fmt: skip
    assert api.post_graphql(ORDERS, {"search": "Trà"})["cooperativeOrders"] == []
    assert api.post_graphql(ORDER, {"id": gid("CooperativeOrder", theirs.pk)}) == {
        "cooperativeOrder": None
    }
    refused = api.post_graphql(ACCEPT, {"id": gid("CooperativeOrder", theirs.pk)})
    assert refused["cooperativeOrderAccept"] == {
        "cooperativeOrder": None, "cooperativeErrors": [{"code": "not_found"}],
    }  # fmt: skip
    assert CooperativeOrder.objects.get(pk=theirs.pk).status == "new"

    accepted = api.post_graphql(ACCEPT, {"id": gid("CooperativeOrder", mine.pk)})
    assert accepted["cooperativeOrderAccept"] == {
        "cooperativeOrder": {"status": "ACCEPTED"}, "cooperativeErrors": [],
    }  # fmt: skip
    early = api.post_graphql(
        SHIP, {"id": gid("CooperativeOrder", mine.pk), "carrier": "VNPost", "tracking": "EB1"}
    )["cooperativeOrderShip"]
    assert early["cooperativeErrors"][0]["code"] == "invalid_status"


def test_listings_and_ledger_are_scoped(parts, catalog, tai_hoan_staff):
    api = ApiClient(tai_hoan_staff)
    assert [item["name"] for item in api.post_graphql(LISTINGS)["cooperativeListings"]] == [
        "Miến dong Tài Hoan"
    ]
    theirs = gid("CooperativeListing", catalog.tra.product.ocop.pk)
    refused = api.post_graphql(LISTING_UPDATE, {"id": theirs, "price": 1000})
    assert refused["cooperativeListingUpdate"]["cooperativeErrors"] == [
        {"field": "id", "code": "not_found"}
    ]
    mine = gid("CooperativeListing", catalog.mien_dong.product.ocop.pk)
    updated = api.post_graphql(LISTING_UPDATE, {"id": mine, "price": 129000, "stock": 30})
    assert updated["cooperativeListingUpdate"]["listing"] == {
        "name": "Miến dong Tài Hoan", "price": 129000, "stock": 30,
    }  # fmt: skip
    assert api.post_graphql(LEDGER)["cooperativeLedger"] == []


def test_anonymous_callers_get_nothing(parts):
    api = ApiClient()
    assert api.post_graphql(ORDERS)["cooperativeOrders"] == []
    assert api.post_graphql(LISTINGS)["cooperativeListings"] == []
    assert api.post_graphql(ORDER, {"id": gid("CooperativeOrder", parts[0].pk)}) == {
        "cooperativeOrder": None
    }
    refused = api.post_graphql(ACCEPT, {"id": gid("CooperativeOrder", parts[0].pk)})
    assert refused["cooperativeOrderAccept"]["cooperativeErrors"] == [{"code": "not_found"}]
    assert api.post_graphql(ACCEPT, {"id": "garbage"})["cooperativeOrderAccept"][
        "cooperativeErrors"
    ] == [{"code": "not_found"}]


def test_platform_staff_see_all_orders(parts, platform_staff):
    orders = ApiClient(platform_staff).post_graphql(ORDERS)["cooperativeOrders"]
    assert sorted(o["number"] for o in orders) == sorted(p.number for p in parts)
