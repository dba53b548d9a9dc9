"""Products: platform staff's list and page (/quan-tri/san-pham/, backoffice.products)
and the cooperative portal's product page with its story, photos and sale actions
(/htx/san-pham/<pk>/…), on cooperative A's miến dong."""

from __future__ import annotations

from django.urls import reverse

from tests.backoffice.screens import Cell, cooperative_a, platform_only
from tests.backoffice.screens.portal import tai_hoan_listing


def _staff(name: str, *extra: str):
    return lambda world: reverse(name, args=[tai_hoan_listing(world).pk, *extra])


def _portal(*extra: str):
    name = "portal:listing_action" if extra else "portal:listing_update"
    return lambda world: reverse(name, args=[tai_hoan_listing(world).pk, *extra])


STORY = {"story": "Miến dong làm thủ công.\nPhơi nắng ba ngày."}

CELLS = [
    Cell("staff products", lambda world: reverse("backoffice-products"), platform_only()),
    Cell(
        "staff products filtered",
        lambda world: reverse("backoffice-products") + "?sao=5&dang_ban=1&con_hang=1&tinh=19",
        platform_only(),
    ),
    Cell("staff product", _staff("backoffice-product"), platform_only()),
    Cell(
        "staff product story",
        _staff("backoffice-product-action", "cau-chuyen"),
        platform_only(302),
        method="post",
        data=lambda world: STORY,
    ),
    # No file sent: the upload's field error (the uploads themselves: test_products.py)
    Cell(
        "staff product photo add",
        _staff("backoffice-product-action", "them-anh"),
        platform_only(400),
        method="post",
        data=lambda world: {"alt": "Bó miến"},
    ),
    Cell(
        "staff product photo alt",
        _staff("backoffice-product-action", "chu-thich-anh"),
        platform_only(400),  # the product has no photo of that id
        method="post",
        data=lambda world: {"photo_id": "1", "alt": "Bó miến"},
    ),
    Cell(
        "staff product photo up",
        _staff("backoffice-product-action", "len"),
        platform_only(400),
        method="post",
        data=lambda world: {"photo_id": "1"},
    ),
    Cell(
        "staff product photo down",
        _staff("backoffice-product-action", "xuong"),
        platform_only(400),
        method="post",
        data=lambda world: {"photo_id": "1"},
    ),
    Cell(
        "staff product photo delete",
        _staff("backoffice-product-action", "xoa-anh"),
        platform_only(400),
        method="post",
        data=lambda world: {"photo_id": "1"},
    ),
    Cell(
        "staff product sale",
        _staff("backoffice-product-action", "ban-hang"),
        platform_only(302),
        method="post",
        data=lambda world: {"gia": "130000", "ton_kho": "35", "hien_thi": "tam-dung"},
    ),
    Cell("portal product page", _portal(), cooperative_a()),
    Cell(
        "portal product story",
        _portal("cau-chuyen"),
        cooperative_a(302),
        method="post",
        data=lambda world: STORY,
    ),
    Cell(
        "portal product photo add",
        _portal("them-anh"),
        cooperative_a(400),
        method="post",
        data=lambda world: {"alt": "Bó miến"},
    ),
    Cell(
        "portal product photo alt",
        _portal("chu-thich-anh"),
        cooperative_a(400),
        method="post",
        data=lambda world: {"photo_id": "1", "alt": "Bó miến"},
    ),
    Cell(
        "portal product photo up",
        _portal("len"),
        cooperative_a(400),
        method="post",
        data=lambda world: {"photo_id": "1"},
    ),
    Cell(
        "portal product photo down",
        _portal("xuong"),
        cooperative_a(400),
        method="post",
        data=lambda world: {"photo_id": "1"},
    ),
    Cell(
        "portal product photo delete",
        _portal("xoa-anh"),
        cooperative_a(400),
        method="post",
        data=lambda world: {"photo_id": "1"},
    ),
    Cell(
        "portal product sale",
        _portal("ban-hang"),
        cooperative_a(302),
        method="post",
        data=lambda world: {"gia": "130000", "ton_kho": "35"},
    ),
]
