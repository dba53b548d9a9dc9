"""A consumer finds, trusts and buys an OCOP product in headless Chromium, on a desktop
and on a phone: search without diacritics → 5★ filter → product page with badge and
origin → cart → checkout → confirmation with an order number. Each step is saved as a
screenshot in test-results/screenshots/."""

import re

import pytest

from tests.browser.conftest import csp_violations

VIEWPORTS = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "device_scale_factor": 2,
        "is_mobile": True,
        "has_touch": True,
    },
}


def card_names(page) -> list[str]:
    return page.locator('[data-testid="product-card"] .card-name').all_inner_texts()


@pytest.mark.browser
@pytest.mark.parametrize("device", list(VIEWPORTS))
def test_consumer_finds_trusts_and_buys_a_five_star_product(
    live_shop, chromium, screenshot_dir, device
):
    context = chromium.new_context(base_url=live_shop, locale="vi-VN", **VIEWPORTS[device])
    page = context.new_page()
    page.set_default_timeout(15_000)
    refused = csp_violations(page)
    step = iter(range(1, 100))

    def shot(name: str) -> None:
        page.screenshot(path=str(screenshot_dir / f"{device}-{next(step):02d}-{name}.png"),
                        full_page=True)  # fmt: skip

    # Given the home page
    page.goto("/")
    assert page.locator("h1").inner_text() == "Chợ OCOP Việt Nam"
    shot("home")

    # When the consumer searches without diacritics
    page.fill("#search-q", "mien dong")
    page.press("#search-q", "Enter")
    page.wait_for_url(re.compile(r"/tim-kiem/\?q=mien\+dong$"))
    assert card_names(page) == ["Miến dong Tài Hoan", "Miến dong Định Hóa"]
    shot("search-mien-dong")

    # and keeps only 5★ products (the filter applies on change)
    page.check('[data-testid="stars-5"]')
    page.wait_for_url(re.compile(r"stars=5"))
    assert card_names(page) == ["Miến dong Tài Hoan"]
    shot("filter-5-stars")

    # Then the product page shows the OCOP badge, the stars and the origin
    page.click("text=Miến dong Tài Hoan")
    page.wait_for_url(re.compile(r"/san-pham/mien-dong-tai-hoan-"))
    badge = page.locator('[data-testid="ocop-badge"]')
    assert badge.is_visible()
    assert badge.evaluate("img => img.complete && img.naturalWidth > 0")
    assert badge.get_attribute("src") == "/badges/classic/ocop-5-sao.svg"
    assert page.locator('[data-testid="origin"]').inner_text() == (
        "Xuất xứ: Xã Côn Minh, Thái Nguyên"
    )
    assert page.locator('[data-testid="price"]').inner_text() == "125.000\xa0₫"
    assert "1124/QĐ-BNN-VPĐP" in page.locator('[data-testid="verify"]').inner_text()
    shot("product-page")

    # When they add it to the cart
    page.fill('input[name="quantity"]', "2")
    page.click('[data-testid="add-to-cart"]')
    page.wait_for_url(re.compile(r"/gio-hang/$"))
    assert page.locator('[data-testid="subtotal"]').inner_text() == "250.000\xa0₫"
    shot("cart")

    # and check out with a Vietnamese address
    page.click('[data-testid="go-to-checkout"]')
    page.fill('input[name="full_name"]', "Nguyễn Thị Lan")
    page.fill('input[name="phone"]', "0912345678")
    page.fill('input[name="email"]', f"lan.{device}@example.vn")
    page.fill('input[name="street"]', "12 Phố Huế")
    page.fill('input[name="commune"]', "Phường Hai Bà Trưng")
    page.select_option('select[name="province"]', label="Thành phố Hà Nội")
    shot("checkout-address")
    page.click('[data-testid="save-address"]')
    page.wait_for_url(re.compile(r"/thanh-toan/giao-hang/$"))

    # choosing the shipping method and a payment method Saleor offers
    page.check('input[name="shipping_method"]')
    page.check('input[name="gateway"][value="mirumee.payments.dummy"]')
    shot("checkout-delivery-payment")
    page.click('[data-testid="place-order"]')

    # Then the confirmation page shows an order number and the total with shipping
    page.wait_for_url(re.compile(r"/don-hang/[0-9a-f-]{36}/$"))
    number = page.locator('[data-testid="order-number"]').inner_text()
    assert re.fullmatch(r"Mã đơn hàng: #\d+", number), number
    assert page.locator('[data-testid="order-total"]').inner_text() == "280.000\xa0₫"
    shot("order-confirmation")
    # and nothing on the way broke the Content-Security-Policy (the filters' script too)
    assert refused == []
    context.close()
