"""Every POST form of the site, read from the pages that carry it, sent with one or two
of its fields malformed, by the person who uses it.

* NUL or 10,000 characters in a box people type into is refused: a 4xx, or the form
  again with an error on it;
* whatever the field and value, never a server error, and a refused request wrote
  nothing (PostgreSQL's per-transaction counters, so an UPDATE counts too).

Each form is first sent as a browser would, with the baseline values below, and must
go through: a refusal under fuzzing is then the bad value's doing. A new form on one
of these pages fails the test until it has an entry in ``FORMS``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.urls import resolve, reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from marketplace.verification_codes import product_code
from tests.bad_input import areas
from tests.bad_input.site import attempt, form_body, post_forms
from tests.bad_input.values import ALWAYS_REFUSED, SHARP, Bad, bad_values
from tests.storefront.shopping import ADDRESS

# (who, page route, its arguments): the pages whose forms are fuzzed.
PAGES = [
    ("shopper", "storefront-product", lambda w: {"slug": w.catalog.mien_dong.product.slug}),
    ("shopper", "storefront-cart", lambda w: {}),
    ("shopper", "storefront-checkout", lambda w: {}),
    ("shopper", "storefront-checkout-delivery", lambda w: {}),
    ("anonymous", "backoffice-login", lambda w: {}),
    ("anonymous", "storefront-account-signup", lambda w: {}),
    ("anonymous", "storefront-account-login", lambda w: {}),
    ("anonymous", "storefront-account-password-forgotten", lambda w: {}),
    ("anonymous", "storefront-account-password-reset", lambda w: {}),
    ("anonymous", "storefront-order-lookup", lambda w: {}),
    ("shop_staff", "storefront-configuration", lambda w: {}),
    ("cooperative", "portal:order_detail", lambda w: {"pk": w.new_part.pk}),
    ("cooperative", "portal:order_detail", lambda w: {"pk": w.packed_part.pk}),
    ("cooperative", "portal:order_detail", lambda w: {"pk": w.shipped_part.pk}),
    ("platform_staff", "portal:order_detail", lambda w: {"pk": w.new_part.pk}),
    ("cooperative", "portal:listing_list", lambda w: {}),
    ("province_staff", "fairs:fair_create", lambda w: {}),
    ("province_staff", "fairs:fair_detail", lambda w: {"pk": w.fair.pk}),
    ("province_staff", "fairs:fair_edit", lambda w: {"pk": w.fair.pk}),
    ("province_staff", "fairs:booth_edit", lambda w: {"pk": w.fair.pk, "item": w.booth.pk}),
    ("province_staff", "fairs:product_edit",
     lambda w: {"pk": w.fair.pk, "item": w.fair_product.pk}),
    ("shopper", "verification:report", lambda w: {"code": product_code(w.listing.pk)}),
    ("province_staff", "verification:report_detail", lambda w: {"pk": w.fake_report.pk}),
    ("province_staff", "verification:revoke",
     lambda w: {"pk": w.listing.current_certificate_id}),
    ("province_staff", "verification:stamps", lambda w: {}),
    ("province_staff", "verification:programme", lambda w: {}),
    ("cooperative", "portal:stamps", lambda w: {}),
    ("cooperative", "portal:team", lambda w: {}),
    ("cooperative", "portal:payout_account", lambda w: {}),
    ("platform_staff", "backoffice-provinces", lambda w: {}),
    ("platform_staff", "backoffice-customer", lambda w: {"pk": areas.a_customer().pk}),
    ("platform_staff", "backoffice-transfer", lambda w: {"pk": w.bank_credit.pk}),
    ("platform_staff", "backoffice-payout", lambda w: {"pk": w.payout_batch.pk}),
    ("platform_staff", "backoffice-order", lambda w: {"pk": w.order.pk}),
]  # fmt: skip


# Tables a refusal writes on purpose: django-axes counts failed sign-ins.
COUNTED = {"axes_accessattempt"}


@dataclass(frozen=True)
class Baseline:
    values: dict = field(default_factory=dict)  # over what the page shows
    accepted: bool = True


def _shop_today() -> str:
    """Today where the shop is (the delivery form refuses a day after it)."""
    return datetime.datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat()


def _tomorrow(days: int = 1) -> str:
    return (datetime.date.today() + datetime.timedelta(days=days)).isoformat()


# By the route the form posts to ("#2" for a page's second form to the same route).
FORMS = {
    "storefront-cart-add": Baseline(),
    "storefront-cart-update": Baseline({"quantity": "2"}),
    "storefront-cart-update#2": Baseline(),  # remove the line
    "storefront-checkout": Baseline(ADDRESS),
    "storefront-checkout-delivery": Baseline(),
    "backoffice-login": Baseline(
        {"username": "ban.hang@taihoan.test", "password": "mat-khau-htx-1"}
    ),
    "storefront-configuration": Baseline(),
    "storefront-account-signup": Baseline(
        {
            "email": "moi@example.vn",
            "password": "mat-khau-moi-1",
            "password_again": "mat-khau-moi-1",
        }
    ),
    # A shopper's sign-in: any Saleor account is a customer on the storefront.
    "storefront-account-login": Baseline(
        {"email": "ban.hang@taihoan.test", "password": "mat-khau-htx-1"}
    ),
    "storefront-account-password-forgotten": Baseline({"email": "ban.hang@taihoan.test"}),
    # No e-mailed token on the page: the baseline is refused (the link is invalid).
    "storefront-account-password-reset": Baseline(
        {
            "email": "ban.hang@taihoan.test",
            "token": "khong-co",
            "password": "mat-khau-moi-1",
            "password_again": "mat-khau-moi-1",
        },
        accepted=False,
    ),
    "storefront-order-lookup": Baseline({"number": "1", "phone": "0912345678"}, accepted=False),
    "portal:order_action:tu-choi": Baseline({"reason": "Hết hàng"}),
    "portal:order_action:huy": Baseline({"reason": "Khách huỷ"}),
    "portal:order_action:da-xu-ly": Baseline({"reason": "Đã gọi khách"}),
    "portal:order_action:giao-van-chuyen": Baseline(
        {"carrier": "VNPost", "tracking_number": "EB123456789VN"}
    ),
    "portal:order_action:da-giao": Baseline(
        {"delivered_on": _shop_today(), "note": "Bà Lan ký nhận"}
    ),
    "portal:listing_update": Baseline({"gia": "130000", "ton_kho": "12"}),
    "portal:listing_update#2": Baseline(),  # pause the listing
    "fairs:fair_create": Baseline(
        {
            "name": "Tuần lễ OCOP",
            "venue": "Nhà văn hoá",
            "starts_on": _tomorrow(),
            "ends_on": _tomorrow(3),
        }
    ),
    "fairs:fair_cooperatives": Baseline(),
    "fairs:booth_add": Baseline({"name": "Gian B01", "code": "B01"}),
    "fairs:product_add": Baseline(),
    "fairs:fair_edit": Baseline(),
    "fairs:booth_edit": Baseline(),
    "fairs:product_edit": Baseline(),
    "verification:report": Baseline({"what": "Bao bì in mờ", "where": "Chợ Đồng Xuân"}),
    "verification:report_detail": Baseline({"note": "Đã kiểm tra cửa hàng"}),
    "verification:flag_resolve": Baseline({"note": "Đã liên hệ HTX"}),
    "verification:revoke": Baseline({"decision_number": "55/QĐ-UBND"}),
    "verification:stamps": Baseline({"count": "3"}),
    "verification:programme": Baseline({"muc-tieu-products_online": "12"}),
    "portal:stamps": Baseline({"count": "3"}),
    "portal:team_invite": Baseline({"email": "moi@taihoan.test"}),
    "portal:payout_account_request": Baseline(
        {"bank_bin": "970436", "account_number": "0011002233445", "holder": "HTX TAI HOAN"}
    ),
    "backoffice-province-staff-invite": Baseline({"email": "moi@tinh.test", "province": "19"}),
    "backoffice-customer-erase": Baseline({"note": "YC-1", "confirmation": "khach@example.vn"}),
    # The bad-input world has no order paid by transfer: a match is refused.
    "backoffice-transfer-action:khop-don": Baseline({"order": "1"}, accepted=False),
    "backoffice-transfer-action:hoan-tien": Baseline({"reference": "FT26334001"}),
    "backoffice-transfer-action:bo-qua": Baseline({"note": "Chuyển thử"}),
    # The transfer's day is today, as the page fills it in.
    "backoffice-payout-paid": Baseline({"bank_reference": "FT2633600001"}),
    "backoffice-order-action:thu-cod": Baseline(),  # the amount due, as the page fills it
    "backoffice-order-action:huy-phan": Baseline({"reason": "Khách huỷ"}),
    "backoffice-order-action:huy-don": Baseline({"reason": "Khách huỷ"}),
    "backoffice-order-action:gui-lai-email": Baseline(),  # the order confirmation
}
EXAMPLES = 8
LONG = Bad("long", "a" * 10_000)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _key(form, page_path: str) -> str:
    match = resolve(urlsplit(form.action).path or page_path)
    key = match.view_name
    if key in ("portal:order_action", "backoffice-transfer-action", "backoffice-order-action"):
        key += ":" + match.kwargs["action"]
    return key


def _forms_of(world, who: str, route: str, kwargs) -> list[tuple[str, object]]:
    """(key, form) for each POST form on the page that has a field to fill."""
    client = world.clients[who]
    path = reverse(route, kwargs=kwargs(world))
    page = attempt(client, "GET", path)
    assert page.status == 200, (route, page.status)
    found, seen = [], {}
    for form in post_forms(page.html, path):
        key = _key(form, path)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key}#{seen[key]}"
        if form.fuzzable():
            found.append((key, form))
    return found


@pytest.mark.parametrize(
    ("who", "route", "kwargs"), PAGES, ids=[f"{who}-{route}" for who, route, _ in PAGES]
)
def test_malformed_form_fields_are_refused_and_write_nothing(world, who, route, kwargs):
    forms = _forms_of(world, who, route, kwargs)
    assert forms, f"{route} shows no form with fields to {who}"
    for key, form in forms:
        assert key in FORMS, f"a new form posts to {key}: give it a baseline in FORMS"
        _fuzz_form(world.clients[who], key, form)


def _fuzz_form(client, key: str, form) -> None:
    baseline = {**form.baseline(), **{k: [v] for k, v in FORMS[key].values.items()}}
    fields = {item.name: item for item in form.fuzzable()}

    # Given the form as a browser sends it, which goes through
    sent = attempt(client, "POST", form.action, body=form_body(baseline))
    assert sent.status < 500, (key, sent.status)
    if FORMS[key].accepted:
        assert not sent.refused, (key, sent.status, sent.html[:2000])

    @settings(FUZZ)
    @given(
        bad=st.lists(st.tuples(st.sampled_from(sorted(fields)), bad_values), min_size=1,
                     max_size=2, unique_by=lambda pair: pair[0])
    )  # fmt: skip
    def fuzz(bad):
        # When one or two of its fields are malformed
        body = form_body(
            {k: v for k, v in baseline.items() if k not in dict(bad)},
            {quote(name, safe=""): value.raw for name, value in bad},
        )
        outcome = attempt(client, "POST", form.action, body=body)
        where = (key, [(name, value) for name, value in bad])
        # Then never a server error, and nothing written when refused
        assert outcome.status < 500, (*where, outcome.status)
        assert not any(ord(char) < 32 for char in outcome.location), (*where, outcome.location)
        # (a refused sign-in is counted for the throttle: that row is the point of it)
        written = {table: n for table, n in outcome.changed.items() if table not in COUNTED}
        if outcome.refused:
            assert written == {}, (*where, outcome.changed)
        # and NUL or 10,000 characters typed in a box are always refused
        if any(fields[name].typed and value.kind in ALWAYS_REFUSED for name, value in bad):
            assert outcome.refused, (*where, outcome.status, outcome.html[:2000])
            assert written == {}, (*where, outcome.changed)

    for name in fields:
        for value in [*SHARP, LONG]:
            fuzz = example(bad=[(name, value)])(fuzz)
    fuzz()
