"""A full storefront checkout in headless Chromium with each payment method: cash on
delivery, VietQR bank transfer (the bank's signed notification then turns the order
page to paid) and card through Saleor's Stripe plugin in test mode (Stripe's HTTP API
answered by tests/browser/stripe_stub.py from a recorded payload). Screenshots in
test-results/screenshots/payment-*.png."""

import hashlib
import hmac
import json
import re
import time
import urllib.request

import pytest

from tests.browser.conftest import BANK_WEBHOOK_SECRET, STRIPE_STUBS

NBSP = "\xa0"
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
COD = "ocop.payments.cod"
VIETQR = "ocop.payments.vietqr"
STRIPE = "mirumee.payments.stripe"


def checkout_with(live_shop, chromium, screenshot_dir, gateway: str, name: str):
    """Buy 2 packs of miến dong Tài Hoan (280.000 ₫ with shipping) paying with
    ``gateway``; returns the page on the order confirmation, and the screenshot helper."""
    context = chromium.new_context(base_url=live_shop, locale="vi-VN", **DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15_000)
    step = iter(range(1, 100))

    def shot(label: str) -> None:
        path = screenshot_dir / f"payment-{name}-{next(step):02d}-{label}.png"
        page.screenshot(path=str(path), full_page=True)

    page.goto("/tim-kiem/?q=mien+dong+tai+hoan")
    page.click("text=Miến dong Tài Hoan")
    page.wait_for_url(re.compile(r"/san-pham/mien-dong-tai-hoan-"))
    page.fill('input[name="quantity"]', "2")
    page.click('[data-testid="add-to-cart"]')
    page.wait_for_url(re.compile(r"/gio-hang/$"))
    page.click('[data-testid="go-to-checkout"]')
    page.fill('input[name="full_name"]', "Nguyễn Thị Lan")
    page.fill('input[name="phone"]', "0912345678")
    page.fill('input[name="email"]', f"lan.{name}@example.vn")
    page.fill('input[name="street"]', "12 Phố Huế")
    page.fill('input[name="commune"]', "Phường Hai Bà Trưng")
    page.select_option('select[name="province"]', label="Thành phố Hà Nội")
    page.click('[data-testid="save-address"]')
    page.wait_for_url(re.compile(r"/thanh-toan/giao-hang/$"))

    # The three methods are offered, each with its Vietnamese label
    labels = page.locator(".payment-choice strong").all_inner_texts()
    assert {
        "Thanh toán khi nhận hàng (COD)",
        "Chuyển khoản qua mã VietQR",
        "Thẻ quốc tế (Visa/Mastercard) qua Stripe",
    } <= set(labels), labels
    page.check('input[name="shipping_method"]')
    page.check(f'input[name="gateway"][value="{gateway}"]')
    shot("payment-step")
    page.click('[data-testid="place-order"]')
    page.wait_for_url(re.compile(r"/don-hang/[0-9a-f-]{36}/$"))
    assert page.locator('[data-testid="order-total"]').inner_text() == f"280.000{NBSP}₫"
    return context, page, shot


def text_of(page, testid: str) -> str:
    return page.locator(f'[data-testid="{testid}"]').inner_text()


@pytest.mark.browser
def test_cash_on_delivery(live_shop, chromium, screenshot_dir):
    context, page, shot = checkout_with(live_shop, chromium, screenshot_dir, COD, "cod")

    assert text_of(page, "payment-method") == (
        "Phương thức thanh toán: Thanh toán khi nhận hàng (COD)"
    )
    assert text_of(page, "cod-amount") == f"Thanh toán khi nhận hàng: 280.000{NBSP}₫"
    assert page.locator('[data-testid="vietqr"]').count() == 0
    shot("order-page")
    context.close()


def notify_bank(live_shop: str, reference: str, bank_id: str, amount: int = 280000) -> dict:
    """What the bank sends when the transfer arrives: signed JSON, as payments_vn.views
    documents (HMAC-SHA256 of "<timestamp>.<body>")."""
    body = json.dumps(
        {"id": bank_id, "amount": amount, "description": f"CK {reference} mua mien dong",
         "bookedAt": "2026-11-23T09:30:00+07:00"}
    ).encode()  # fmt: skip
    stamp = str(int(time.time()))
    signed = hmac.new(BANK_WEBHOOK_SECRET.encode(), stamp.encode() + b"." + body, hashlib.sha256)
    request = urllib.request.Request(
        f"{live_shop}/payments/vietqr/notify/", data=body, method="POST",
        headers={"Content-Type": "application/json", "X-OCOP-Timestamp": stamp,
                 "X-OCOP-Signature": signed.hexdigest()},
    )  # fmt: skip
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


@pytest.mark.browser
def test_vietqr_bank_transfer_turns_the_order_page_to_paid(live_shop, chromium, screenshot_dir):
    context, page, shot = checkout_with(live_shop, chromium, screenshot_dir, VIETQR, "vietqr")

    # The order page shows the QR code as an image, the bank details beside it
    qr = page.locator('[data-testid="vietqr"]')
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0")
    assert text_of(page, "payment-status") == "Trạng thái thanh toán: Chờ chuyển khoản"
    assert text_of(page, "bank-name") == "VietinBank"
    assert text_of(page, "account-number") == "113366668888"
    assert text_of(page, "account-name") == "CONG TY CHO OCOP (MAU)"
    assert text_of(page, "transfer-amount") == f"280.000{NBSP}₫"
    reference = text_of(page, "transfer-reference")
    assert re.fullmatch(r"OCOP[2-9A-HJ-NP-Z]{8}", reference), reference
    shot("order-page-qr")

    # When the bank notifies the shop of the transfer
    assert notify_bank(live_shop, reference, f"FT{reference}") == {
        "id": f"FT{reference}", "outcome": "matched", "duplicate": False,
    }  # fmt: skip

    # Then the order page, reloaded, says paid and no longer asks for a transfer
    page.reload()
    assert text_of(page, "payment-status") == "Trạng thái thanh toán: Đã thanh toán"
    assert page.locator('[data-testid="vietqr"]').count() == 0
    shot("order-page-paid")
    context.close()


@pytest.mark.browser
def test_card_through_stripe_test_mode(live_shop, chromium, screenshot_dir):
    stub = STRIPE_STUBS[live_shop]
    before = len(stub.requests)

    context, page, shot = checkout_with(live_shop, chromium, screenshot_dir, STRIPE, "stripe")

    assert text_of(page, "payment-method") == (
        "Phương thức thanh toán: Thẻ quốc tế (Visa/Mastercard) qua Stripe"
    )
    assert text_of(page, "payment-status") == "Trạng thái thanh toán: Đã thanh toán"
    shot("order-page")
    # Stripe was asked once, for 280000 VND (whole dong) with the test Visa card
    [(method, path, form)] = stub.requests[before:]
    assert (method, path, form["amount"], form["currency"], form["payment_method"]) == (
        "POST", "/v1/payment_intents", ["280000"], ["vnd"], ["pm_card_visa"],
    )  # fmt: skip
    context.close()
