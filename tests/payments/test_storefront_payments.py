"""The storefront's payment step and the order page, for each payment method.

Pages are driven with Django's test client through the storefront's own forms (which
call Saleor's GraphQL checkout); Stripe's HTTP API is the only thing stubbed.
"""

import json
import re
import time

import pytest
from django.test import Client
from saleor.order.models import Order

from payments_vn.vietqr import has_valid_crc, parse_tlv
from payments_vn.views import signature
from saleor_adapter.payments.cod import GATEWAY_ID as COD
from saleor_adapter.payments.saleor_payments import transfer_instructions, transfer_reference
from saleor_adapter.payments.vietqr import GATEWAY_ID as VIETQR
from saleor_adapter.payments.vietqr import REFERENCE_PATTERN
from tests.saleor_fixtures.stripe_api import stripe_keys
from tests.storefront.catalogue import import_catalogue
from tests.storefront.shopping import ADDRESS, add_to_cart
from tests.storefront.shopping import page as text

NBSP = "\xa0"
STRIPE = "mirumee.payments.stripe"
SECRET = "bi-mat-cua-ngan-hang"


@pytest.fixture
def shopper(db, tmp_path) -> Client:
    """A shopper with 2 packs of miến dong (2 × 125.000 ₫) in the cart and an address
    given: the next page is the delivery and payment step (30.000 ₫ shipping)."""
    product = import_catalogue(tmp_path / "registry.csv")["Miến dong Tài Hoan"]
    client = Client()
    add_to_cart(client, product, 2)
    assert client.post("/thanh-toan/", ADDRESS)["Location"] == "/thanh-toan/giao-hang/"
    return client


def shipping_method(page: str) -> str:
    return re.search(r'name="shipping_method" value="([^"]+)"', page).group(1)


def place_order(shopper, gateway: str):
    page = text(shopper.get("/thanh-toan/giao-hang/"))
    return shopper.post(
        "/thanh-toan/giao-hang/", {"shipping_method": shipping_method(page), "gateway": gateway}
    )


def choice(page: str, gateway: str) -> str:
    """The text of one payment choice on the delivery page, tags removed."""
    block = re.search(rf'data-testid="gateway-{re.escape(gateway)}">(.*?)</div>', page, re.S)
    return re.sub(r"[ \n]+", " ", re.sub(r"<[^>]+>", " ", block.group(1))).strip()


def test_the_checkout_offers_the_three_methods_with_vietnamese_explanations(
    shopper, vietqr_account, stripe_api
):
    page = text(shopper.get("/thanh-toan/giao-hang/"))

    assert choice(page, COD) == (
        "Thanh toán khi nhận hàng (COD) Trả tiền mặt cho người giao hàng khi nhận hàng."
    )
    assert choice(page, VIETQR) == (
        "Chuyển khoản qua mã VietQR Sau khi đặt hàng, quét mã VietQR bằng ứng dụng ngân hàng "
        "bất kỳ; đơn hàng được xác nhận khi tiền về tài khoản cửa hàng."
    )
    assert choice(page, STRIPE) == (
        "Thẻ quốc tế (Visa/Mastercard) qua Stripe Thanh toán bằng thẻ qua Stripe, số tiền tính "
        "bằng đồng Việt Nam. Chế độ thử nghiệm: thanh toán bằng thẻ thử Visa của Stripe, không "
        "trừ tiền thật."
    )


def test_the_methods_are_explained_in_english_too(shopper, vietqr_account, stripe_api):
    shopper.cookies["ocop_lang"] = "en"
    page = text(shopper.get("/thanh-toan/giao-hang/"))
    assert choice(page, COD) == (
        "Cash on delivery (COD) Pay the courier in cash when your parcel arrives."
    )
    assert choice(page, STRIPE).startswith("International card (Visa/Mastercard) via Stripe")


def test_cod_above_the_limit_is_shown_as_unavailable_with_the_reason(shopper, cod_limit):
    # Given a COD limit of 200.000 ₫ and a cart of 280.000 ₫ with shipping
    cod_limit("200000")

    # Then COD is listed, disabled, with the reason
    page = text(shopper.get("/thanh-toan/giao-hang/"))
    assert re.search(rf'name="gateway" value="{COD}" *disabled', page)
    assert choice(page, COD).endswith(
        f"Không áp dụng: đơn hàng trên 200.000{NBSP}₫ không thể thanh toán khi nhận hàng. "
        "Vui lòng chọn cách khác."
    )

    # and a forged form choosing it anyway is refused with that reason, no order placed
    refused = place_order(shopper, COD)
    assert refused.status_code == 400
    assert f"đơn hàng trên 200.000{NBSP}₫ không thể thanh toán khi nhận hàng" in text(refused)
    assert not Order.objects.exists()


def test_stripe_with_live_keys_is_not_offered_by_this_storefront(shopper):
    stripe_keys("pk_live_example", "sk_live_example")
    page = text(shopper.get("/thanh-toan/giao-hang/"))
    assert 'data-testid="gateway-mirumee.payments.dummy"' in page
    assert STRIPE not in page
    assert place_order(shopper, STRIPE).status_code == 400
    assert not Order.objects.exists()


def test_a_cod_order_page_shows_the_cash_to_hand_the_courier(shopper):
    placed = place_order(shopper, COD)

    order = Order.objects.get()
    assert placed["Location"] == f"/don-hang/{order.token}/"
    response = shopper.get(placed["Location"])
    # the shopper's name, phone and address: never kept by a browser or a proxy
    assert response["Cache-Control"] == "private, no-store"
    page = text(response)
    assert 'data-testid="payment-method">Phương thức thanh toán: <strong>Thanh toán khi ' in page
    assert "Trạng thái thanh toán: <strong>Thanh toán khi nhận hàng</strong>" in page
    assert f'data-testid="cod-amount">Thanh toán khi nhận hàng: <strong>280.000{NBSP}₫' in page
    assert 'data-testid="vietqr"' not in page
    assert shopper.get(f"/don-hang/{order.token}/vietqr.svg").status_code == 404


def test_a_transfer_order_page_shows_the_qr_code_beside_the_bank_details_until_paid(
    shopper, vietqr_account, settings
):
    settings.OCOP_BANK_WEBHOOK_SECRET = SECRET

    # When the shopper orders with VietQR
    placed = place_order(shopper, VIETQR)

    # Then the order page shows the code and, beside it, the same details in plain text
    order = Order.objects.get()
    reference = transfer_reference(order.payments.get())
    assert REFERENCE_PATTERN.fullmatch(reference)
    page = text(shopper.get(placed["Location"]))
    assert "Trạng thái thanh toán: <strong>Chờ chuyển khoản</strong>" in page
    assert f'<img src="/don-hang/{order.token}/vietqr.svg"' in page
    details = dict(re.findall(r'data-testid="([a-z-]+)">(?:<strong>)?([^<]*)<', page))
    assert {k: details[k] for k in (
        "bank-name", "account-number", "account-name", "transfer-amount", "transfer-reference"
    )} == {
        "bank-name": "VietinBank", "account-number": "113366668888",
        "account-name": "CONG TY CHO OCOP (MAU)", "transfer-amount": f"280.000{NBSP}₫",
        "transfer-reference": reference,
    }  # fmt: skip

    # and the image is the VietQR code of exactly that transfer
    svg = shopper.get(f"/don-hang/{order.token}/vietqr.svg")
    assert (svg.status_code, svg["Content-Type"]) == (200, "image/svg+xml")
    assert svg["Cache-Control"] == "private, no-store"
    assert text(svg) == transfer_instructions(order).qr_svg()
    png = shopper.get(f"/don-hang/{order.token}/vietqr.png")
    assert (png["Content-Type"], png.content[:4]) == ("image/png", b"\x89PNG")
    payload = transfer_instructions(order).payload
    assert has_valid_crc(payload)
    assert parse_tlv(payload)["54"] == "280000"

    # When the bank reports the transfer
    body = json.dumps(
        {"id": "FT26327123", "amount": 280000, "description": f"{reference} chuyen tien",
         "bookedAt": "2026-11-23T09:30:00+07:00"}
    ).encode()  # fmt: skip
    stamp = str(int(time.time()))
    notified = Client().post(
        "/payments/vietqr/notify/", body, content_type="application/json",
        HTTP_X_OCOP_TIMESTAMP=stamp, HTTP_X_OCOP_SIGNATURE=signature(SECRET, stamp, body),
    )  # fmt: skip
    assert notified.json() == {"id": "FT26327123", "outcome": "matched", "duplicate": False}

    # Then the page says paid, and there is no code left to scan
    page = text(shopper.get(placed["Location"]))
    assert "Trạng thái thanh toán: <strong>Đã thanh toán</strong>" in page
    assert 'data-testid="vietqr"' not in page
    gone = shopper.get(f"/don-hang/{order.token}/vietqr.svg")
    assert (gone.status_code, text(gone)) == (
        404,
        "Không có mã VietQR cần thanh toán cho đơn hàng này / No VietQR code to pay for "
        "this order.",
    )


@pytest.mark.parametrize(
    "path",
    [
        "/don-hang/8d4f3c2a-0000-4000-8000-000000000000/vietqr.svg",  # no such order
        "/don-hang/8d4f3c2a-0000-4000-8000-000000000000/vietqr.gif",
        "/don-hang/not-a-uuid/vietqr.svg",
    ],
)
def test_bad_qr_addresses_are_answered_without_an_error(db, path):
    response = Client().get(path)
    assert response.status_code == 404
    if "not-a-uuid" not in path:
        assert "No VietQR code to pay for this order." in text(response)


def test_e_mails_get_the_bank_details_and_an_absolute_qr_image_url(shopper, vietqr_account):
    place_order(shopper, VIETQR)
    order = Order.objects.get()

    instructions = transfer_instructions(order)

    assert instructions.qr_image_url.startswith("http")
    assert instructions.qr_image_url.endswith(f"/don-hang/{order.token}/vietqr.png")
    assert (instructions.bank_name, instructions.amount_vnd, instructions.is_due) == (
        "VietinBank", 280000, True,
    )  # fmt: skip


def test_a_card_order_through_stripe_api(shopper, stripe_api):
    # When the shopper chooses the card in test mode
    placed = place_order(shopper, STRIPE)

    # Then Stripe was asked for 280000 VND with its Visa test payment method
    order = Order.objects.get()
    assert placed["Location"] == f"/don-hang/{order.token}/"
    [(method, path, form)] = stripe_api.requests
    assert (method, path, form["amount"], form["currency"], form["payment_method"]) == (
        "POST", "/v1/payment_intents", ["280000"], ["vnd"], ["pm_card_visa"],
    )  # fmt: skip
    # and the order page says it is paid by card
    page = text(shopper.get(placed["Location"]))
    assert "Phương thức thanh toán: <strong>Thẻ quốc tế (Visa/Mastercard) qua Stripe" in page
    assert "Trạng thái thanh toán: <strong>Đã thanh toán</strong>" in page
