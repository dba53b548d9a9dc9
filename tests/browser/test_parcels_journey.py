"""After the order, in headless Chromium: what the shopper, the cooperatives and the
money see agree at every step (issue 13).

The shopper buys 2 miến dong of Hợp tác xã Tài Hoan (250.000 ₫) and 1 miến dong of Hợp
tác xã Định Hóa (75.000 ₫), each parcel priced from its province (both now in Thái
Nguyên) to Hà Nội, within the North: 1 kg for 30.000 ₫ and 500 g for 25.000 ₫, so
parcels of 280.000 and 100.000 ₫, 380.000 ₫ in all. Định Hóa rejects its
part ("Hết hàng"); Tài Hoan ships it by Viettel Post and marks it delivered. Three ways
to pay: cash on delivery (the courier now collects 280.000 ₫), VietQR paid in full
before the rejection (100.000 ₫ owed: the shopper gives an account, staff transfer it),
and card through Stripe (100.000 ₫ refunded through the gateway, the stub of Stripe's
API answering). Screenshots in test-results/screenshots/parcels-*.png.
"""

import email
import json
import os
import re
import subprocess
import sys
from email import policy

import pytest

from devtools import services
from tests.browser.conftest import LIVE_DATABASES, MAIL_DIRS, STRIPE_STUBS, csp_violations
from tests.browser.parcels_setup import ACCOUNTS, PASSWORD, STAFF
from tests.browser.test_payment_methods import notify_bank
from tests.fairs.decoding import page_text, pdf

NBSP = "\xa0"
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
COD = "ocop.payments.cod"
VIETQR = "ocop.payments.vietqr"
STRIPE = "mirumee.payments.stripe"
TAI_HOAN, DINH_HOA = "Hợp tác xã Tài Hoan", "Hợp tác xã Định Hóa"


def vnd(amount: str) -> str:
    return f"{amount}{NBSP}₫"


def setup(live_shop: str, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "-m", "tests.browser.parcels_setup", *args],
        cwd=services.REPO_ROOT, env={**os.environ, "DATABASE_URL": LIVE_DATABASES[live_shop]},
        check=True, timeout=120, capture_output=True, text=True,
    ).stdout  # fmt: skip


def books(live_shop: str, order_number: str) -> dict:
    return json.loads(setup(live_shop, "books", order_number).strip().splitlines()[-1])


def mails_to(live_shop: str, address: str) -> list:
    """The messages the shop wrote to ``address`` (Django's file backend)."""
    found = []
    for path in sorted(MAIL_DIRS[live_shop].glob("*.log")):
        for raw in path.read_bytes().split(b"-" * 79 + b"\n"):
            if raw.strip():
                message = email.message_from_bytes(raw, policy=policy.default)
                if address in str(message["To"]):
                    found.append(message)
    return found


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


class Journey:
    def __init__(self, live_shop, chromium, screenshot_dir, name):
        self.live_shop, self.chromium, self.name = live_shop, chromium, name
        self.screenshot_dir = screenshot_dir
        self.step = iter(range(1, 100))
        self.refused: list[str] = []
        self.shopper_email = f"lan.parcels-{name}@example.vn"

    def page(self):
        context = self.chromium.new_context(base_url=self.live_shop, locale="vi-VN", **DESKTOP)
        page = context.new_page()
        page.set_default_timeout(20_000)
        self.refused += csp_violations(page)
        return page

    def shot(self, page, label: str) -> None:
        path = self.screenshot_dir / f"parcels-{self.name}-{next(self.step):02d}-{label}.png"
        page.screenshot(path=str(path), full_page=True)

    def buy(self, gateway: str):
        page = self.page()
        for query, product, quantity in (
            ("mien+dong+tai+hoan", "Miến dong Tài Hoan", "2"),
            ("mien+dong+dinh+hoa", "Miến dong Định Hóa", "1"),
        ):
            page.goto(f"/tim-kiem/?q={query}")
            page.click(f"text={product}")
            page.wait_for_url(re.compile(r"/san-pham/"))
            page.fill('input[name="quantity"]', quantity)
            page.click('[data-testid="add-to-cart"]')
            page.wait_for_url(re.compile(r"/gio-hang/$"))
        page.click('[data-testid="go-to-checkout"]')
        page.fill('input[name="full_name"]', "Nguyễn Thị Lan")
        page.fill('input[name="phone"]', "0912345678")
        page.fill('input[name="email"]', self.shopper_email)
        page.fill('input[name="street"]', "12 Phố Huế")
        page.fill('input[name="commune"]', "Phường Hai Bà Trưng")
        page.select_option('select[name="province"]', label="Thành phố Hà Nội")
        page.click('[data-testid="save-address"]')
        page.wait_for_url(re.compile(r"/thanh-toan/giao-hang/$"))
        page.check('input[name="shipping_method"]')
        page.check(f'input[name="gateway"][value="{gateway}"]')
        page.click('[data-testid="place-order"]')
        page.wait_for_url(re.compile(r"/don-hang/[0-9a-f-]{36}/$"))
        assert page.locator('[data-testid="order-total"]').inner_text() == vnd("380.000")
        number = page.locator('[data-testid="order-number"] strong').inner_text().lstrip("#")
        self.shot(page, "ordered")
        return page, number

    def portal(self, account: str):
        page = self.page()
        page.goto("/htx/don-hang/")
        page.fill("#id_username", account)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        if not re.search(r"/htx/don-hang/$", page.url):  # staff may land on their areas
            page.goto("/htx/don-hang/")
        return page

    def open_part(self, page, number: str, producer: str) -> None:
        page.goto("/htx/don-hang/")
        page.click(f"a:text-matches('^{number}-\\\\d+$')")
        page.wait_for_url(re.compile(r"/htx/don-hang/\d+/$"))
        assert producer in page.content()

    def reject(self, number: str) -> None:
        page = self.portal(ACCOUNTS[DINH_HOA])
        self.open_part(page, number, DINH_HOA)
        page.fill("#reject_reason", "Hết hàng")
        page.click("text=Từ chối đơn")
        page.wait_for_url(re.compile(r"/htx/don-hang/\d+/$"))
        assert "Đã từ chối" in page.locator("h1").inner_text()
        self.shot(page, "rejected-in-portal")
        page.context.close()

    def ship_and_deliver(self, number: str, cash: str | None) -> None:
        page = self.portal(ACCOUNTS[TAI_HOAN])
        self.open_part(page, number, TAI_HOAN)
        payment = page.locator('[data-testid="payment"]').inner_text()
        if cash:
            assert f"Thu hộ {cash}" in payment, payment
        else:
            assert "Đã thanh toán" in payment, payment
        # The packing slip says what the courier collects
        slip = page.context.request.get(page.url + "phieu-dong-goi.pdf")
        text = page_text(pdf(slip.body()), 0)  # its spaces, the no-break one too, as " "
        expected = f"THU HỘ {cash.replace(NBSP, ' ')}" if cash else "Không thu tiền người nhận"
        assert expected in text, text
        page.click("text=Nhận đơn")
        page.click("text=Đã đóng gói")
        page.fill("#carrier", "Viettel Post")
        page.fill("#tracking_number", f"VTP{number}")
        page.click("text=Giao cho vận chuyển")
        page.wait_for_selector("text=Xác nhận đã giao")
        page.fill("#delivery_note", "Bà Lan ký nhận")
        page.click("text=Xác nhận đã giao")
        page.wait_for_url(re.compile(r"/htx/don-hang/\d+/$"))
        assert "Đã giao" in page.locator("h1").inner_text()
        self.shot(page, "delivered-in-portal")
        page.context.close()

    def check_delivered_page(self, shopper, number: str) -> None:
        shopper.reload()
        tai_hoan, dinh_hoa = shopper.locator('[data-testid="parcel"]').all()
        assert tai_hoan.locator('[data-testid="parcel-status"]').inner_text() == "Đã giao"
        link = tai_hoan.locator('[data-testid="tracking-link"]')
        assert link.inner_text() == f"VTP{number}"
        assert link.get_attribute("href") == (
            f"https://viettelpost.com.vn/tra-cuu-hanh-trinh-don/?orderNumber=VTP{number}"
        )
        assert dinh_hoa.locator('[data-testid="parcel-status"]').inner_text() == ("Không giao được")
        assert dinh_hoa.locator('[data-testid="parcel-reason"]').inner_text() == "Lý do: Hết hàng"
        self.shot(shopper, "shopper-delivered")


@pytest.fixture
def journey(live_shop, chromium, screenshot_dir, request):
    setup(live_shop, "accounts")
    trip = Journey(live_shop, chromium, screenshot_dir, request.node.name.split("_")[-1])
    yield trip
    assert trip.refused == []


@pytest.mark.browser
def test_parcels_cod(journey, live_shop):
    shopper, number = journey.buy(COD)

    journey.reject(number)

    # The shopper's page and e-mail: the new amount, each courier's share
    shopper.reload()
    assert shopper.locator('[data-testid="amount-due"]').inner_text() == (
        f"Còn phải thanh toán: {vnd('280.000')}"
    )
    assert shopper.locator('[data-testid="parcel-cod"]').inner_text() == (
        f"Người giao hàng thu: {vnd('280.000')}"
    )
    journey.shot(shopper, "shopper-after-rejection")
    (rejected,) = [m for m in mails_to(live_shop, journey.shopper_email)
                   if "không giao được" in str(m["Subject"])]  # fmt: skip
    text = body(rejected)
    assert f"Amount now due: {vnd('280.000')}" in text
    assert f"The courier of {TAI_HOAN} collects: {vnd('280.000')}" in text

    journey.ship_and_deliver(number, cash=vnd("280.000"))
    journey.check_delivered_page(shopper, number)

    # The books: Tài Hoan earned its 280.000 ₫, which the courier still owes (escrow −)
    assert books(live_shop, number) | {"parts": None} == {
        "paid": 0, "ledger": 280000, "escrow": -280000, "commission": 25000,
        "balanced": True, "parts": None, "refunds": [],
    }  # fmt: skip


@pytest.mark.browser
def test_parcels_vietqr(journey, live_shop):
    shopper, number = journey.buy(VIETQR)
    reference = shopper.locator('[data-testid="transfer-reference"]').inner_text()
    notified = notify_bank(live_shop, reference, f"FT{reference}", amount=380000)
    assert notified["outcome"] == "matched"

    journey.reject(number)

    # The shop owes 100.000 ₫: the shopper gives an account (a bad one first)
    shopper.reload()
    assert (
        f"Cửa hàng nợ bạn {vnd('100.000')}"
        in shopper.locator('[data-testid="refund-owed"]').inner_text()
    )
    assert shopper.locator('[data-testid="vietqr"]').count() == 0
    form = shopper.locator('[data-testid="refund-form"]')
    form.locator('select[name="bank"]').select_option(label="Vietcombank")
    form.locator('input[name="account_number"]').fill("12ab")
    form.locator('input[name="holder"]').fill("Nguyễn Thị Lan")
    form.locator("button").click()
    assert shopper.locator('[data-testid="error-account_number"]').inner_text() == (
        "Số tài khoản gồm 6–19 chữ số / The account number is 6 to 19 digits"
    )
    journey.shot(shopper, "refund-form-error")
    form = shopper.locator('[data-testid="refund-form"]')
    form.locator('input[name="account_number"]').fill("0071 0012 34567")
    form.locator("button").click()
    shopper.wait_for_url(re.compile(r"/don-hang/[0-9a-f-]{36}/#kien-"))
    assert (
        "0071001234567 (NGUYEN THI LAN)"
        in shopper.locator('[data-testid="refund-owed"]').inner_text()
    )
    journey.shot(shopper, "refund-account-given")

    # Staff transfer it and record it in the portal
    staff = journey.portal(STAFF)
    staff.goto(f"/htx/don-hang/?q={number}-")
    staff.click(f"tr:has-text('{DINH_HOA}') a:text-matches('^{number}-\\\\d+$')")
    assert "0071001234567" in staff.locator('[data-testid="refund-account"]').inner_text()
    staff.fill("#refund-reference", "FT-HOAN-0001")
    staff.click("text=Đã chuyển khoản hoàn tiền")
    staff.wait_for_url(re.compile(r"/htx/don-hang/\d+/$"))
    assert "Đã hoàn tiền" in staff.locator('[data-testid="refund"]').inner_text()
    staff.context.close()

    shopper.goto(shopper.url.split("#")[0])
    assert shopper.locator('[data-testid="refunded"]').inner_text() == (
        f"Đã hoàn tiền: {vnd('100.000')}"
    )
    subjects = [str(m["Subject"]) for m in mails_to(live_shop, journey.shopper_email)]
    assert any("Đã hoàn tiền phần đơn" in s for s in subjects), subjects

    journey.ship_and_deliver(number, cash=None)
    journey.check_delivered_page(shopper, number)
    # paid 380.000 − 100.000 = 280.000 = Tài Hoan's delivered part in the ledger
    money = books(live_shop, number)
    assert (money["paid"], money["ledger"], money["escrow"], money["balanced"]) == (
        280000, 280000, 0, True,
    )  # fmt: skip
    assert money["refunds"][0][1:] == [100000, "bank_transfer", "refunded"]


@pytest.mark.browser
def test_parcels_stripe(journey, live_shop):
    stub = STRIPE_STUBS[live_shop]
    shopper, number = journey.buy(STRIPE)
    before = len(stub.requests)

    journey.reject(number)

    # Định Hóa's 100.000 ₫ went back through Stripe, at once
    refunds = [(m, p, f) for m, p, f in stub.requests[before:] if p.endswith("/refund")]
    assert [f["amount"] for _, _, f in refunds] == [["100000"]]
    shopper.reload()
    assert shopper.locator('[data-testid="refunded"]').inner_text() == (
        f"Đã hoàn tiền: {vnd('100.000')}"
    )
    journey.shot(shopper, "shopper-refunded")

    journey.ship_and_deliver(number, cash=None)
    journey.check_delivered_page(shopper, number)
    money = books(live_shop, number)
    assert (money["paid"], money["ledger"], money["escrow"], money["balanced"]) == (
        280000, 280000, 0, True,
    )  # fmt: skip
    assert money["refunds"][0][1:] == [100000, "gateway", "refunded"]
