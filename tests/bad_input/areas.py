"""Who visits each route, and what fills its arguments: shared by the page and form
tests. A route with arguments must be listed in ``ARGUMENTS`` (or ``NOT_FETCHED`` with
the reason); tests/bad_input/test_pages.py fails for one that is in neither."""

from __future__ import annotations

import uuid

from marketplace.order_desk import FIELDS as ORDER_DESK_FIELDS
from marketplace.verification_codes import product_code
from tests.bad_input.site import Route
from verification import stamps

ARGUMENTS = {
    "digital-product": lambda w: {"token": uuid.UUID(int=7)},
    "portal:order_detail": lambda w: {"pk": w.new_part.pk},
    "portal:packing_slip": lambda w: {"pk": w.packed_part.pk},
    "portal:order_action": lambda w: {"pk": w.new_part.pk, "action": "nhan"},
    "portal:listing_update": lambda w: {"pk": w.listing.pk},
    "portal:listing_action": lambda w: {"pk": w.listing.pk, "action": "cau-chuyen"},
    "backoffice-product": lambda w: {"pk": w.listing.pk},
    "backoffice-product-action": lambda w: {"pk": w.listing.pk, "action": "chu-thich-anh"},
    "fairs:fair": lambda w: {"fair_slug": w.fair.slug},
    "fairs:booth": lambda w: {"fair_slug": w.fair.slug, "booth_slug": w.booth.slug},
    "fairs:product": lambda w: {"fair_slug": w.fair.slug, "product_slug": w.fair_product.slug},
    "fairs:unknown": lambda w: {"rest": "khong-co"},
    "fairs:fair_detail": lambda w: {"pk": w.fair.pk},
    "fairs:fair_edit": lambda w: {"pk": w.fair.pk},
    "fairs:fair_cooperatives": lambda w: {"pk": w.fair.pk},
    "fairs:booth_add": lambda w: {"pk": w.fair.pk},
    "fairs:booth_edit": lambda w: {"pk": w.fair.pk, "item": w.booth.pk},
    "fairs:booth_delete": lambda w: {"pk": w.fair.pk, "item": w.booth.pk},
    "fairs:product_add": lambda w: {"pk": w.fair.pk},
    "fairs:product_edit": lambda w: {"pk": w.fair.pk, "item": w.fair_product.pk},
    "fairs:product_delete": lambda w: {"pk": w.fair.pk, "item": w.fair_product.pk},
    "fairs:qr": lambda w: {"pk": w.fair.pk, "kind": "booth", "item": w.booth.pk, "fmt": "svg"},
    "fairs:poster": lambda w: {"pk": w.fair.pk},
    "fairs:report": lambda w: {"pk": w.fair.pk},
    "fairs:report_csv": lambda w: {"pk": w.fair.pk},
    "fairs:orders_csv": lambda w: {"pk": w.fair.pk},
    "ocop-badge": lambda w: {"style": "classic", "stars": 5},
    "storefront-product": lambda w: {"slug": w.catalog.mien_dong.product.slug},
    "storefront-language": lambda w: {"code": "en"},
    "storefront-order": lambda w: {"token": w.order.token},
    "storefront-order-vietqr": lambda w: {"token": w.order.token, "kind": "svg"},
    "verification:product": lambda w: {"code": product_code(w.listing.pk)},
    "verification:product_json": lambda w: {"code": product_code(w.listing.pk)},
    "verification:location": lambda w: {"code": product_code(w.listing.pk)},
    "verification:report": lambda w: {"code": product_code(w.listing.pk)},
    "verification:stamp": lambda w: _stamp(w),
    "verification:stamp_json": lambda w: _stamp(w),
    "verification:report_detail": lambda w: {"pk": w.fake_report.pk},
    "verification:report_photo": lambda w: {"pk": w.fake_report.pk},
    "verification:flag_resolve": lambda w: {"pk": w.stamp_flag.pk},
    "verification:revoke": lambda w: {"pk": w.listing.current_certificate_id},
    "verification:stamp_sheet": lambda w: {"pk": w.stamp_batch.pk},
    "portal:stamp_sheet": lambda w: {"pk": w.stamp_batch.pk},
    "backoffice-cooperative": lambda w: {"pk": w.catalog.tai_hoan.pk},
    "backoffice-cooperative-action": lambda w: {"pk": w.catalog.tai_hoan.pk, "action": "mo-lai"},
    "backoffice-set-password": lambda w: {"uidb64": "MQ", "token": "sai-ma"},
    "backoffice-transfer": lambda w: {"pk": w.bank_credit.pk},
    "backoffice-transfer-action": lambda w: {"pk": w.bank_credit.pk, "action": "bo-qua"},
    "backoffice-order": lambda w: {"pk": w.order.pk},
    "backoffice-order-action": lambda w: {"pk": w.order.pk, "action": "gui-lai-email"},
    "storefront-order-refund": lambda w: {"token": w.order.token},
    "backoffice-payout": lambda w: {"pk": w.payout_batch.pk},
    "backoffice-payout-file": lambda w: {"pk": w.payout_batch.pk},
    "backoffice-payout-paid": lambda w: {"pk": w.payout_batch.pk},
    "backoffice-import": lambda w: {"pk": w.import_run.pk},
    "backoffice-import-status": lambda w: {"pk": w.import_run.pk},
    "backoffice-import-rejections": lambda w: {"pk": w.import_run.pk},
    "portal:team_remove": lambda w: {"pk": w.cooperative.cooperative_memberships.get().pk},
    "backoffice-province-staff-revoke": lambda w: {"pk": w.province_staff.fair_provinces.get().pk},
    "backoffice-customer": lambda w: {"pk": a_customer().pk},
    "backoffice-customer-erase": lambda w: {"pk": a_customer().pk},
}


def a_customer():
    """A shopper's account (the world's shopper buys as a guest)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get_or_create(email="khach@example.vn")[0]


def _stamp(world) -> dict:
    code = product_code(world.listing.pk)
    return {"code": code, "token": stamps.stamp_token(code, 1)}


NOT_FETCHED = {
    # POSTed JSON, not pages: tests/bad_input/test_graphql.py and test_webhook.py.
    "api": "GraphQL: test_graphql.py",
}

# Query parameters the views read (grep GET.get); the pages' own GET forms and links
# add theirs. Each is tried with each of values.SHARP values, the rest is random.
_LIST = ["q", "page", "stars", "province", "group"]
_ORDERS = ["htx", "trang", "trang_thai", "tu_ngay", "den_ngay", "q", "can_xu_ly"]
PARAMETERS = {
    "storefront-products": _LIST,
    "storefront-search": _LIST,
    "storefront-suggest": ["q", "format"],
    "storefront-product": ["loi"],
    "storefront-language": ["next"],
    "storefront-configuration": ["da-luu"],
    "portal:order_list": _ORDERS,
    "portal:order_export": _ORDERS,
    "portal:listing_list": ["htx"],
    "portal:statement": ["htx", "trang"],
    "portal:statement_export": ["htx"],
    "backoffice-login": ["next"],
    "portal:login": ["next"],
    "fairs:login": ["next"],
    "storefront-staff-login": ["next"],
    "fairs:report": ["tai"],
    "verification:product": ["da-bao-cao"],
    "verification:report": ["so"],
    "backoffice-audit": ["nguoi", "loai", "ma", "hanh_dong", "tu_ngay", "den_ngay", "trang"],
    "backoffice-cooperatives": ["q", "tinh", "tam_ngung", "trang"],
    "backoffice-provinces": ["tinh", "trang"],
    "backoffice-customers": ["q", "truoc"],
    "portal:team": ["htx"],
    "portal:payout_account": ["htx"],
    "backoffice-transfers": ["trang_thai", "ket_qua", "trang"],
    "backoffice-payouts": ["trang", "xem"],
    "backoffice-payout": ["trang"],
    "backoffice-imports": ["trang"],
    "backoffice-orders": [*ORDER_DESK_FIELDS, "sau", "truoc"],
    "backoffice-products": ["q", "htx", "tinh", "sao", "dang_ban", "con_hang", "trang"],
    "storefront-account-login": ["next"],
    "storefront-account-activate": ["email", "token"],
    "storefront-account-password-reset": ["email", "token"],
}

# Routes that write on a plain GET by design, and what they write.
WRITES_ON_GET = {
    "fairs:fair": {"fairs_fairvisit"},
    "fairs:booth": {"fairs_fairvisit"},
    "fairs:product": {"fairs_fairvisit"},
    # A scan of a stamp records the check (verification.lookup.check_stamp).
    "verification:stamp": {"verification_stampcheck"},
    "verification:stamp_json": {"verification_stampcheck"},
}

# Each PDF is rendered by WeasyPrint (~1 s): fewer examples.
SLOW = {"portal:packing_slip", "fairs:poster", "portal:stamp_sheet", "verification:stamp_sheet"}

# The one back-office sign-in, and the old per-area login pages that redirect to it.
OLD_SIGN_IN_PAGES = {"portal:login", "fairs:login", "storefront-staff-login"}
SIGN_IN_PAGES = {"backoffice-login", "backoffice-set-password", *OLD_SIGN_IN_PAGES}
# Pages whose answer is the sign-in page (signing out; the old login pages redirect).
SIGN_OUT_PAGES = {"backoffice-logout", *OLD_SIGN_IN_PAGES}
LOGIN_PATHS = ("/dang-nhap/",)


def who(route: Route) -> str:
    """The client that reaches the route's page (signing in and out: nobody)."""
    if route.name in SIGN_IN_PAGES | SIGN_OUT_PAGES:
        return "anonymous"
    if route.name.startswith("portal:"):
        return "cooperative"
    if route.pattern.startswith("/tinh/") or route.pattern.startswith("/^tinh/"):
        return "province_staff"
    if route.name in ("storefront-configuration", "backoffice-areas"):
        return "shop_staff"
    if route.name in ("backoffice-audit", "backoffice-cooperatives", "backoffice-cooperative"):
        return "platform_staff"
    if route.name == "backoffice-cooperative-action":
        return "platform_staff"
    if route.name.startswith(("backoffice-province", "backoffice-customer")):
        return "platform_staff"
    if route.name.startswith(
        ("backoffice-today", "backoffice-transfer", "backoffice-payout", "backoffice-import")
    ):
        return "platform_staff"
    if route.name in ("backoffice-orders", "backoffice-order", "backoffice-order-action"):
        return "platform_staff"
    if route.name.startswith("backoffice-product"):
        return "platform_staff"
    return "shopper"


def arguments(route: Route, world) -> dict:
    return ARGUMENTS[route.name](world) if route.arguments else {}


def placeholder(name: str, index: int, route: Route) -> str | int:
    """A value the route's converter accepts, unique enough to be replaced in the path."""
    if "<int:" + name in route.pattern or f"(?P<{name}>[0-9]+)" in route.pattern:
        return 987654320 + index
    if f"<uuid:{name}>" in route.pattern:
        return uuid.UUID(int=index + 1)
    return f"zzchocho{index}zz"
