"""Attribution: a visit through a fair link sets our own cookie; an order placed within
the window after it is credited to the fair and booth, once; an order without a scan,
or after the window, is not."""

import datetime
import uuid

import pytest
from django.utils import timezone
from saleor.plugins.models import PluginConfiguration

from fairs import attribution
from fairs.models import FairCart, FairOrder, FairVisit
from tests.fairs.conftest import THAI_NGUYEN, client_of, make_fair
from tests.storefront.shopping import add_to_cart, buy, page, place_order


def test_an_order_placed_after_a_scan_is_credited_to_the_fair_and_booth(fair, catalogue):
    shopper = client_of(None)
    mien_dong = catalogue["Miến dong Tài Hoan"]

    # Given a visitor who scans the miến dong card at booth A12
    scan = shopper.get("/f/ocop-bac-kan-2026/p/mien-dong-tai-hoan")
    cookie = scan.cookies[attribution.COOKIE]
    assert (cookie["max-age"], cookie["httponly"], cookie["samesite"]) == (30 * 86400, True, "Lax")
    visit = FairVisit.objects.get()
    assert (visit.fair, visit.booth.code, visit.fair_product.slug) == (
        fair, "A12", "mien-dong-tai-hoan",
    )  # fmt: skip

    # When they buy two packs through the storefront
    order = buy(shopper, mien_dong, 2)

    # Then the order is credited to the fair and booth A12, from that visit
    credit = FairOrder.objects.get()
    assert (credit.order, credit.fair, credit.booth.code, credit.visit) == (
        order, fair, "A12", visit,
    )  # fmt: skip
    assert credit.fair_product.slug == "mien-dong-tai-hoan"
    # and Saleor's order carries the fair on its private metadata
    order.refresh_from_db()
    assert order.private_metadata == {
        "ocop_fair": "ocop-bac-kan-2026", "ocop_fair_booth": "a12-htx-tai-hoan",
    }  # fmt: skip
    cart = FairCart.objects.get()
    assert (str(cart.checkout_token), cart.fair, cart.booth.code) == (
        order.checkout_token, fair, "A12",
    )  # fmt: skip


def test_an_order_without_a_scan_is_not_credited(fair, catalogue):
    # Given a shopper who never opened a fair link
    order = buy(client_of(None), catalogue["Miến dong Tài Hoan"], 1)

    # Then their order is credited to no fair
    assert order.total_gross_amount == 155000
    assert not FairOrder.objects.exists()
    assert not FairCart.objects.exists()
    order.refresh_from_db()
    assert order.private_metadata == {}


def test_an_order_is_credited_once(fair, catalogue):
    shopper = client_of(None)
    shopper.get("/f/ocop-bac-kan-2026")
    order = buy(shopper, catalogue["Gạo nếp cái hoa vàng"], 1)

    # When the credit runs again for the same order (a retried hook)
    again = attribution.credit_order(order.pk, order.checkout_token, order.created)

    # Then there is still one credit, the first
    assert FairOrder.objects.count() == 1
    assert again == FairOrder.objects.get()
    assert again.booth is None  # the fair's own link, no booth


def test_an_order_after_the_window_is_not_credited(fair, catalogue):
    shopper = client_of(None)
    shopper.get("/f/ocop-bac-kan-2026/g/b03-htx-nam-mau")
    add_to_cart(shopper, catalogue["Trà hoa vàng Nam Mẫu"])
    # The visit was 31 days ago (the cookie itself still being there, e.g. a longer
    # window when it was set)
    FairVisit.objects.update(created_at=timezone.now() - datetime.timedelta(days=31))

    order = place_order(shopper)

    assert order.pk
    assert not FairOrder.objects.exists()


def test_the_window_comes_from_the_ocop_plugin_configuration(fair, catalogue):
    # Given the operator shortened the window to 7 days
    PluginConfiguration.objects.update_or_create(
        identifier="ocop.marketplace",
        defaults={
            "active": True,
            "configuration": [{"name": "fair_attribution_days", "value": "7"}],
        },
    )
    shopper = client_of(None)

    # Then the cookie lasts 7 days
    scan = shopper.get("/f/ocop-bac-kan-2026")
    assert scan.cookies[attribution.COOKIE]["max-age"] == 7 * 86400
    # and an order 8 days after the visit is not credited
    add_to_cart(shopper, catalogue["Miến dong Tài Hoan"])
    order_time = timezone.now()
    FairVisit.objects.update(created_at=order_time - datetime.timedelta(days=8))
    place_order(shopper)
    assert not FairOrder.objects.exists()


def test_the_latest_fair_link_wins(fair, catalogue, thai_nguyen_staff):
    # Given a shopper who scanned booth A12 at this fair, filled a cart, then opened a
    # second fair's link
    second = make_fair(thai_nguyen_staff, "Phiên chợ OCOP cuối tuần", THAI_NGUYEN)
    shopper = client_of(None)
    shopper.get("/f/ocop-bac-kan-2026/g/a12-htx-tai-hoan")
    add_to_cart(shopper, catalogue["Miến dong Tài Hoan"])
    shopper.get("/f/phien-cho-ocop-cuoi-tuan")

    # When they order
    order = place_order(shopper)

    # Then the order and the cart go to the second fair (last touch), once
    credit = FairOrder.objects.get()
    assert (credit.order, credit.fair, credit.booth) == (order, second, None)
    assert FairCart.objects.get().fair == second


def test_one_phone_is_one_visitor_however_often_it_scans(fair):
    shopper = client_of(None)
    for path in ("/f/ocop-bac-kan-2026", "/f/ocop-bac-kan-2026/g/a12-htx-tai-hoan",
                 "/f/ocop-bac-kan-2026/p/tra-hoa-vang-nam-mau"):  # fmt: skip
        shopper.get(path)
    client_of(None).get("/f/ocop-bac-kan-2026")  # another phone

    visits = list(FairVisit.objects.order_by("pk").values_list("visitor_id", flat=True))
    assert len(visits) == 4
    assert visits[0] == visits[1] == visits[2] != visits[3]


def test_a_head_request_or_a_forged_cookie_records_nothing(fair, catalogue):
    shopper = client_of(None)
    assert shopper.head("/f/ocop-bac-kan-2026").status_code == 200
    assert not FairVisit.objects.exists()
    # A cookie written by hand (not signed by us) is ignored
    shopper.cookies[attribution.COOKIE] = f"{uuid.uuid4()}.1"
    buy(shopper, catalogue["Miến dong Tài Hoan"], 1)
    assert not FairCart.objects.exists()
    assert not FairOrder.objects.exists()


@pytest.mark.parametrize(
    ("user_agent", "visits"),
    [
        # A phone's browser, and Zalo's in-app browser: people
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            1,
        ),
        (
            "Mozilla/5.0 (Linux; Android 13; SM-A546E) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Mobile Safari/537.36 Zalo android/12100 ZaloTheme/light "
            "ZaloLanguage/vi",
            1,
        ),
        # Link previews and crawlers: not visitors
        ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", 0),
        ("TelegramBot (like TwitterBot)", 0),
        ("WhatsApp/2.23.20.0 A", 0),
        ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", 0),
        ("curl/8.5.0", 0),
    ],
)
def test_link_previews_and_crawlers_are_not_visitors(fair, user_agent, visits):
    response = client_of(None).get("/f/ocop-bac-kan-2026", HTTP_USER_AGENT=user_agent)

    assert response.status_code == 200
    assert FairVisit.objects.count() == visits
    assert (attribution.COOKIE in response.cookies) is bool(visits)


def test_the_privacy_note_explains_the_cookie_in_both_languages(fair):
    html = page(client_of(None).get("/hoi-cho/quyen-rieng-tu/"))
    assert "cookie của chính mình tên <code>ocop_fair</code>, trong 30 ngày" in html
    assert "first-party cookie named <code>ocop_fair</code> in your browser for 30 days" in html
    assert "Không có mã theo dõi, quảng cáo hay phân tích của bên thứ ba" in html
    assert "There is no third-party tracking" in html


@pytest.mark.parametrize("value", ["0", "366", "30 ngày", "-1", "３０"])
def test_a_bad_window_is_refused_with_a_reason(value):
    from marketplace.configuration import ConfigurationError, parse_settings

    with pytest.raises(ConfigurationError) as refused:
        parse_settings({"fair_attribution_days": value})
    assert refused.value.field == "fair_attribution_days"
    assert refused.value.message == (
        "Thời gian ghi nhận đơn cho hội chợ phải là số ngày nguyên từ 1 đến 365 / "
        "The fair attribution window must be a whole number of days from 1 to 365."
    )
