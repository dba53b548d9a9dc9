"""Platform staff's orders section (backoffice.orders): the search, an order's page and
each of its actions. Everyone but platform staff is refused (403), whatever the order."""

from django.urls import reverse

from tests.backoffice.screens import Cell, platform_only
from tests.backoffice.screens.portal import tai_hoan_part


def _order_url(name: str, *extra: str):
    return lambda world: reverse(name, args=[tai_hoan_part(world).order_id, *extra])


def _action(name: str):
    return _order_url("backoffice-order-action", name)


CELLS = [
    Cell("orders list", lambda world: reverse("backoffice-orders"), platform_only()),
    Cell(
        "orders search",
        lambda world: reverse("backoffice-orders") + "?dien_thoai=0912345678&trang_thai=new",
        platform_only(),
    ),
    Cell("order page", _order_url("backoffice-order"), platform_only()),
    Cell(
        "order confirm cod",
        _action("thu-cod"),
        platform_only(400),  # the order has no cash-on-delivery payment: a field error
        method="post",
        data=lambda world: {"collected": "155000"},
    ),
    Cell(
        "order cancel part",
        _action("huy-phan"),
        platform_only(302),
        method="post",
        data=lambda world: {"part": tai_hoan_part(world).pk, "reason": "Khách huỷ / Cancelled"},
    ),
    Cell(
        "order cancel",
        _action("huy-don"),
        platform_only(302),
        method="post",
        data=lambda world: {"reason": "Khách huỷ / Customer cancelled"},
    ),
    Cell(
        "order refund part",
        _action("hoan-tien"),
        platform_only(400),  # nothing was paid, so nothing is owed back
        method="post",
        data=lambda world: {"part": tai_hoan_part(world).pk, "reference": "FT123"},
    ),
    Cell(
        "order resend e-mail",
        _action("gui-lai-email"),
        platform_only(302),
        method="post",
        data=lambda world: {"which": "confirmation"},
    ),
]
