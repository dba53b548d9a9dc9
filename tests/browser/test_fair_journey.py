"""A trade fair end to end in headless Chromium: provincial staff print the fair's codes;
a visitor scans the booth card (the code decoded from the printed PDF), lands on the
fair page, opens the product and orders it on a phone; the fair's report then shows
that order, credited to the booth. Screenshots in test-results/screenshots/fair-*.png."""

import os
import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest

from devtools import services
from tests.browser.conftest import LIVE_DATABASES, csp_violations
from tests.browser.fair_setup import STAFF_EMAIL, STAFF_PASSWORD
from tests.fairs.decoding import page_codes, pdf

PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def prepare_fair(live_shop: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "tests.browser.fair_setup", urlsplit(live_shop).netloc],
        cwd=services.REPO_ROOT,
        env={**os.environ, "DATABASE_URL": LIVE_DATABASES[live_shop]},
        check=True,
        timeout=120,
    )


@pytest.mark.browser
def test_scan_a_booth_card_buy_and_see_the_order_in_the_fair_report(
    live_shop, chromium, screenshot_dir
):
    prepare_fair(live_shop)
    step = iter(range(1, 100))

    def shot(page, name: str) -> None:
        path = screenshot_dir / f"fair-{next(step):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)

    # Given provincial staff who open their fair and print its codes
    office = chromium.new_context(base_url=live_shop, locale="vi-VN")
    staff = office.new_page()
    staff.set_default_timeout(15_000)
    refused_to_staff = csp_violations(staff)
    staff.goto("/tinh/hoi-cho/")
    staff.fill("#id_username", STAFF_EMAIL)
    staff.fill("#id_password", STAFF_PASSWORD)
    staff.click("button[type=submit]")
    staff.wait_for_url(re.compile(r"/tinh/hoi-cho/$"))
    staff.click("text=Hội chợ OCOP Bắc Kạn 2026")
    staff.wait_for_url(re.compile(r"/tinh/hoi-cho/\d+/$"))
    assert staff.locator('[data-testid="fair-title"]').inner_text() == "Hội chợ OCOP Bắc Kạn 2026"
    shot(staff, "staff-fair")
    poster_url = staff.locator('[data-testid="poster-link"]').get_attribute("href")
    printed = office.request.get(poster_url)
    assert printed.headers["content-type"] == "application/pdf"
    document = pdf(printed.body())
    assert page_codes(document, 0) == [f"{live_shop}/f/ocop-bac-kan-2026"]
    booth_code = f"{live_shop}/f/ocop-bac-kan-2026/g/a12-htx-tai-hoan"
    assert booth_code in page_codes(document, 1)

    # When a visitor scans booth A12's card with their phone
    phone = chromium.new_context(base_url=live_shop, locale="vi-VN", **PHONE)
    visitor = phone.new_page()
    visitor.set_default_timeout(15_000)
    refused_to_visitor = csp_violations(visitor)
    visitor.goto(booth_code)

    # Then the fair's landing page opens, booth A12 first, with its product and badge
    assert visitor.locator('[data-testid="fair-name"]').inner_text() == (
        "Hội chợ OCOP Bắc Kạn 2026"
    )
    booth = visitor.locator('[data-testid="current-booth"]')
    assert booth.locator("h2").inner_text() == "Gian A12 · HTX Tài Hoan"
    card = booth.locator('[data-testid="product-card"]')
    assert card.locator(".card-name").inner_text() == "Miến dong Tài Hoan"
    assert card.locator("img.badge-small").get_attribute("src") == "/badges/classic/ocop-5-sao.svg"
    # Our own cookie, on our own domain, and nothing else
    assert [(c["name"], c["domain"]) for c in phone.cookies()] == [("ocop_fair", "127.0.0.1")]
    shot(visitor, "landing")

    # When they open the product and order it
    card.locator(".card-link").click()
    visitor.wait_for_url(re.compile(r"/san-pham/mien-dong-tai-hoan-"))
    assert visitor.locator('[data-testid="price"]').inner_text() == "125.000\xa0₫"
    shot(visitor, "product")
    visitor.click('[data-testid="add-to-cart"]')
    visitor.wait_for_url(re.compile(r"/gio-hang/$"))
    visitor.click('[data-testid="go-to-checkout"]')
    visitor.fill('input[name="full_name"]', "Trần Văn Hội")
    visitor.fill('input[name="phone"]', "0987654321")
    visitor.fill('input[name="email"]', "hoi.tran@example.vn")
    visitor.fill('input[name="street"]', "12 Phố Huế")
    visitor.fill('input[name="commune"]', "Phường Hai Bà Trưng")
    visitor.select_option('select[name="province"]', label="Thành phố Hà Nội")
    visitor.click('[data-testid="save-address"]')
    visitor.wait_for_url(re.compile(r"/thanh-toan/giao-hang/$"))
    visitor.check('input[name="shipping_method"]')
    visitor.check('input[name="gateway"][value="mirumee.payments.dummy"]')
    visitor.click('[data-testid="place-order"]')
    visitor.wait_for_url(re.compile(r"/don-hang/[0-9a-f-]{36}/$"))
    number = re.fullmatch(
        r"Mã đơn hàng: #(\d+)", visitor.locator('[data-testid="order-number"]').inner_text()
    ).group(1)
    # 125.000 ₫ + one 500 g parcel from Thái Nguyên to Hà Nội (within the North) 25.000 ₫
    assert visitor.locator('[data-testid="order-total"]').inner_text() == "150.000\xa0₫"
    shot(visitor, "order")

    # Then the fair's report shows that order, credited to booth A12
    staff.click('[data-testid="report-link"]')
    staff.wait_for_url(re.compile(r"/bao-cao/$"))
    row = staff.locator('[data-testid="order-row"]', has_text=f"#{number}")
    assert row.count() == 1
    cells = row.locator("td").all_inner_texts()
    assert (cells[0], cells[2], cells[3].strip(), cells[4]) == (
        f"#{number}", "Chưa giao / Unfulfilled", "A12 HTX Tài Hoan", "150.000\xa0₫",
    )  # fmt: skip
    assert int(staff.locator('[data-testid="total-orders"]').inner_text()) >= 1
    assert staff.locator("svg.chart").count() == 2
    shot(staff, "report")
    # and no page on the way broke the Content-Security-Policy (scripts, styles, images)
    assert (refused_to_staff, refused_to_visitor) == ([], [])
    phone.close()
    office.close()
