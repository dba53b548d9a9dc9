"""Verification end to end in headless Chromium: provincial staff issue serial stamps and
print their A4 sheet; a shopper scans one (the code decoded from the printed PDF) on a
phone, sees the genuine stamp and the certificate in force, and reports a suspected
fake; the province finds it in its queue and resolves it with a note. Screenshots in
test-results/screenshots/verification-*.png."""

import re

import pytest

from tests.browser.conftest import csp_violations
from tests.browser.fair_setup import STAFF_EMAIL, STAFF_PASSWORD
from tests.browser.test_fair_journey import PHONE, prepare_fair
from tests.fairs.decoding import page_codes, pdf


@pytest.mark.browser
def test_scan_a_stamp_report_a_fake_and_the_province_resolves_it(
    live_shop, chromium, screenshot_dir
):
    prepare_fair(live_shop)  # Thái Nguyên's staff account
    step = iter(range(1, 100))

    def shot(page, name: str) -> None:
        path = screenshot_dir / f"verification-{next(step):02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)

    # Given Thái Nguyên's staff, who issue two stamps for the 5★ miến dong
    office = chromium.new_context(base_url=live_shop, locale="vi-VN")
    staff = office.new_page()
    staff.set_default_timeout(15_000)
    refused_to_staff = csp_violations(staff)
    staff.goto("/tinh/tem/")
    staff.fill("#id_username", STAFF_EMAIL)
    staff.fill("#id_password", STAFF_PASSWORD)
    staff.click("button[type=submit]")
    staff.wait_for_url(re.compile(r"/tinh/tem/$"))
    staff.select_option("#id_product", label="Miến dong Tài Hoan")
    staff.fill("#id_count", "2")
    staff.click('[data-testid="issue-form"] button[type=submit]')
    staff.wait_for_url(re.compile(r"/tinh/tem/$"))
    batch = staff.locator('[data-testid="batch-row"]')
    assert batch.count() == 1
    assert "1–2" in batch.inner_text()
    shot(staff, "stamps")
    sheet = office.request.get(batch.locator("a").get_attribute("href"))
    assert sheet.headers["content-type"] == "application/pdf"
    codes = sorted(page_codes(pdf(sheet.body()), 0))
    assert len(codes) == 2
    assert all(code.startswith(f"{live_shop}/xac-minh/") for code in codes)

    # When a shopper scans the first stamp with their phone
    phone = chromium.new_context(base_url=live_shop, locale="vi-VN", **PHONE)
    shopper = phone.new_page()
    shopper.set_default_timeout(15_000)
    refused_to_shopper = csp_violations(shopper)
    shopper.goto(codes[0])

    # Then the page says genuine, first check, certificate in force, in large type
    assert shopper.locator('[data-testid="stamp-state"]').get_attribute("data-state") == "genuine"
    assert shopper.locator('[data-testid="status"]').inner_text() == "Chứng nhận OCOP còn hiệu lực"
    assert shopper.locator('[data-testid="first-checked"]').inner_text() == (
        "Đây là lần kiểm tra đầu tiên của tem này."
    )
    assert shopper.locator("h1").inner_text() == "Miến dong Tài Hoan"
    status_size = shopper.locator('[data-testid="status"]').evaluate(
        "e => parseFloat(getComputedStyle(e).fontSize)"
    )
    assert status_size >= 22
    shot(shopper, "stamp")

    # When they report a suspected fake from the page
    shopper.click('[data-testid="report-fake"]')
    shopper.wait_for_url(re.compile(r"/bao-hang-gia/"))
    shopper.fill("#id_what", "Bao bì khác màu, chữ in mờ")
    shopper.fill("#id_where", "Chợ Đồng Xuân, Hà Nội")
    shot(shopper, "report")
    shopper.click('[data-testid="send-report"]')
    shopper.wait_for_url(re.compile(r"da-bao-cao=1"))
    assert "Cảm ơn bạn" in shopper.locator('[data-testid="reported"]').inner_text()
    shot(shopper, "reported")

    # Then the province finds it in its queue and resolves it with a note
    staff.goto("/tinh/xac-minh/")
    report = staff.locator('[data-testid="report-row"]', has_text="Chợ Đồng Xuân")
    assert report.count() == 1
    assert "tem 1" in report.inner_text()
    report.locator('[data-testid="open-report"]').click()
    staff.fill("#id_note", "Đã kiểm tra cửa hàng, thu giữ hàng không rõ nguồn gốc")
    shot(staff, "resolve")
    staff.click('[data-testid="resolve"]')
    staff.wait_for_url(re.compile(r"/tinh/xac-minh/$"))
    assert staff.locator('[data-testid="report-row"]').count() == 0
    assert (
        "thu giữ hàng không rõ nguồn gốc"
        in staff.locator('[data-testid="resolved-reports"]').inner_text()
    )
    shot(staff, "queue")
    assert (refused_to_staff, refused_to_shopper) == ([], [])
    phone.close()
    office.close()
