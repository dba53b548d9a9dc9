"""The cooperative portal (/htx/, backoffice.views and backoffice.verification): every page
and action on cooperative A's part of an order and on its product."""

from __future__ import annotations

from django.urls import reverse

from marketplace.models import CooperativeOrder, OcopProduct
from marketplace.routing import route_order
from tests.backoffice.roles import World
from tests.backoffice.screens import Cell, any_cooperative, cooperative_a
from tests.backoffice.screens.provinces_area import stamp_batch
from tests.routing.marketplace import place_order


def tai_hoan_part(world: World) -> CooperativeOrder:
    """Cooperative A's part of an order for both cooperatives, placed once per test."""
    if "tai_hoan_part" not in world.things:
        catalog = world.catalog
        order = place_order(catalog, [(catalog.mien_dong, 1), (catalog.tra, 1)])
        route_order(order.pk)
        world.things["tai_hoan_part"] = CooperativeOrder.objects.get(
            order=order, producer=catalog.tai_hoan
        )
    return world.things["tai_hoan_part"]


def tai_hoan_listing(world: World) -> OcopProduct:
    return OcopProduct.objects.get(product=world.catalog.mien_dong.product)


def _part_url(name: str, *extra: str):
    return lambda world: reverse(name, args=[tai_hoan_part(world).pk, *extra])


CELLS = [
    Cell("portal home", lambda world: reverse("portal:home"), any_cooperative(302)),
    Cell("portal orders", lambda world: reverse("portal:order_list"), any_cooperative()),
    Cell("portal orders csv", lambda world: reverse("portal:order_export"), any_cooperative()),
    Cell("portal order", _part_url("portal:order_detail"), cooperative_a()),
    Cell("portal packing slip", _part_url("portal:packing_slip"), cooperative_a()),
    Cell(
        "portal accept",
        _part_url("portal:order_action", "nhan"),
        cooperative_a(302),
        method="post",
    ),
    Cell(
        "portal reject",
        _part_url("portal:order_action", "tu-choi"),
        cooperative_a(302),
        method="post",
        data=lambda world: {"reason": "Hết hàng / Out of stock"},
    ),
    Cell(
        "portal pack",
        _part_url("portal:order_action", "dong-goi"),
        cooperative_a(400),  # a new part is accepted before it is packed
        method="post",
    ),
    Cell(
        "portal ship",
        _part_url("portal:order_action", "giao-van-chuyen"),
        cooperative_a(400),
        method="post",
        data=lambda world: {"carrier": "ghn", "tracking_number": "GHN123456"},
    ),
    Cell(
        "portal deliver",
        _part_url("portal:order_action", "da-giao"),
        cooperative_a(400),
        method="post",
    ),
    Cell(
        "portal cancel",
        _part_url("portal:order_action", "huy"),
        {**cooperative_a(302), "coop_a_staff": 403, "coop_a_owner": 403},
        method="post",
        data=lambda world: {"reason": "Khách đổi ý / Customer changed their mind"},
    ),
    Cell(
        "portal resolve attention",
        _part_url("portal:order_action", "da-xu-ly"),
        # Platform staff's step: to a cooperative it does not exist (404); nothing is flagged
        {**cooperative_a(400), "coop_a_staff": 404, "coop_a_owner": 404},
        method="post",
        data=lambda world: {"reason": "Đã gọi khách / Called the customer"},
    ),
    Cell(
        "portal bank refund",
        _part_url("portal:order_action", "da-hoan-tien"),
        # Platform staff's step, as above; no refund is owed on the part
        {**cooperative_a(400), "coop_a_staff": 404, "coop_a_owner": 404},
        method="post",
        data=lambda world: {"reference": "FT26336123456"},
    ),
    Cell("portal products", lambda world: reverse("portal:listing_list"), any_cooperative()),
    Cell(
        "portal product update",
        lambda world: reverse("portal:listing_update", args=[tai_hoan_listing(world).pk]),
        cooperative_a(302),
        method="post",
        data=lambda world: {"gia": "130000", "ton_kho": "35"},
    ),
    Cell("portal statement", lambda world: reverse("portal:statement"), any_cooperative()),
    Cell(
        "portal statement csv",
        lambda world: reverse("portal:statement_export"),
        any_cooperative(),
    ),
    Cell("portal stamps", lambda world: reverse("portal:stamps"), any_cooperative()),
    Cell(
        "portal stamp sheet",
        lambda world: reverse("portal:stamp_sheet", args=[stamp_batch(world).pk]),
        cooperative_a(),
    ),
]
