"""On a phone: the checkout shows each cooperative's parcel and the total before
"Đặt hàng"; a guest finds the order again by its number and phone; the sign-up and
sign-in pages answer bad input with bilingual field errors. Screenshots of each step
in test-results/screenshots/."""

import re

import pytest

from tests.browser.conftest import csp_violations
from tests.browser.test_consumer_journey import VIEWPORTS

NBSP = "\xa0"


@pytest.mark.browser
def test_a_guest_sees_the_parcels_then_finds_the_order_and_signs_up(
    live_shop, chromium, screenshot_dir
):
    context = chromium.new_context(base_url=live_shop, locale="vi-VN", **VIEWPORTS["phone"])
    page = context.new_page()
    page.set_default_timeout(15_000)
    refused = csp_violations(page)
    step = iter(range(1, 100))

    def shot(name: str) -> None:
        page.screenshot(path=str(screenshot_dir / f"account-{next(step):02d}-{name}.png"),
                        full_page=True)  # fmt: skip

    # Given a guest with 2 packs of miến dong Tài Hoan (Thái Nguyên) in the cart
    page.goto("/san-pham/")
    page.click("text=Miến dong Tài Hoan")
    page.fill('input[name="quantity"]', "2")
    page.click('[data-testid="add-to-cart"]')
    page.wait_for_url(re.compile(r"/gio-hang/$"))
    page.click('[data-testid="go-to-checkout"]')
    page.fill('input[name="full_name"]', "Trần Thị Mai")
    page.fill('input[name="phone"]', "0903 123 456")
    page.fill('input[name="email"]', "mai.tran@example.vn")
    page.fill('input[name="street"]', "5 Lê Lợi")
    page.fill('input[name="commune"]', "Phường Sài Gòn")
    page.select_option('select[name="province"]', label="Thành phố Hồ Chí Minh")
    page.click('[data-testid="save-address"]')
    page.wait_for_url(re.compile(r"/thanh-toan/giao-hang/$"))

    # Then the delivery step shows the parcel, from Thái Nguyên to the South: 1 kg
    # between regions, 35.000 ₫, and the total before "Đặt hàng": 250.000 + 35.000
    parcel = page.locator('[data-testid="parcel"]')
    assert parcel.count() == 1
    assert "Hợp tác xã Tài Hoan" in parcel.inner_text()
    assert "Liên miền" in parcel.inner_text()
    assert page.locator('[data-testid="parcel-fee"]').inner_text() == f"35.000{NBSP}₫"
    assert page.locator('[data-testid="checkout-total"]').inner_text() == f"285.000{NBSP}₫"
    shot("checkout-parcels")

    # When the guest pays cash on delivery
    page.check('input[name="shipping_method"]')
    page.check('input[name="gateway"][value="ocop.payments.cod"]')
    page.click('[data-testid="place-order"]')
    page.wait_for_url(re.compile(r"/don-hang/[0-9a-f-]{36}/$"))
    order_url = page.url
    number = re.fullmatch(
        r"Mã đơn hàng: #(\d+)", page.locator('[data-testid="order-number"]').inner_text()
    ).group(1)
    assert page.locator('[data-testid="order-total"]').inner_text() == f"285.000{NBSP}₫"

    # and later, in another browser, looks it up with a wrong phone, then the right one
    other = chromium.new_context(base_url=live_shop, locale="vi-VN", **VIEWPORTS["phone"])
    page = other.new_page()
    page.set_default_timeout(15_000)
    refused += csp_violations(page)
    page.goto("/tra-cuu-don-hang/")
    page.fill('input[name="number"]', number)
    page.fill('input[name="phone"]', "12")
    page.click('[data-testid="find-order"]')
    assert page.locator('[data-testid="field-error"]').inner_text() == (
        "Số điện thoại không hợp lệ, ví dụ 0912 345 678. / Invalid phone number, e.g. 0912 345 678."
    )
    shot("lookup-field-error")
    page.fill('input[name="phone"]', "+84 903 123 456")
    page.click('[data-testid="find-order"]')

    # Then the order's own page opens
    page.wait_for_url(order_url)
    shot("lookup-found")

    # When the guest signs up with passwords that differ, then correctly
    page.goto("/tai-khoan/dang-ky/")
    page.fill('input[name="email"]', "mai.tran@example.vn")
    page.fill('input[name="password"]', "mat-khau-cua-mai-1")
    page.fill('input[name="password_again"]', "mat-khau-khac-2")
    page.click('[data-testid="sign-up"]')
    assert page.locator('[data-testid="field-error"]').inner_text() == (
        "Hai mật khẩu không khớp. / The two passwords do not match."
    )
    shot("signup-field-error")
    page.fill('input[name="password"]', "mat-khau-cua-mai-1")
    page.fill('input[name="password_again"]', "mat-khau-cua-mai-1")
    page.click('[data-testid="sign-up"]')
    assert "Kiểm tra email của bạn / Check your e-mail" in page.locator("h1").inner_text()
    shot("signup-check-your-email")

    # Then signing in before the e-mail's link is opened is refused, with the reason
    page.goto("/tai-khoan/dang-nhap/")
    page.fill('input[name="email"]', "mai.tran@example.vn")
    page.fill('input[name="password"]', "mat-khau-cua-mai-1")
    page.click('[data-testid="sign-in"]')
    error = page.locator('[data-testid="field-error"]').inner_text()
    assert "cần được kích hoạt qua email" in error
    shot("signin-not-activated")
    # and nothing on the way broke the Content-Security-Policy
    assert refused == []
    other.close()
    context.close()
