"""The shopper's order page is the truth: one block per parcel with its timeline, the
carrier's tracking link and the reason of a rejection, and the money as it stands —
due, refunded, refund owed (with the form for the bank account). Its query count does
not grow with the number of parcels.

The order: 2 miến dong of Hợp tác xã Tài Hoan (250.000 ₫ + 12.500 ₫ shipping) and 1 trà
of Hợp tác xã Chè Tân Cương (350.000 ₫ + 17.500 ₫), 630.000 ₫ in all.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from marketplace import lifecycle
from marketplace.models import PartRefund
from marketplace.routing import route_order
from payments_vn.matching import BankCredit, record_bank_credit
from saleor_adapter.payments.cod import GATEWAY_ID as COD
from saleor_adapter.payments.saleor_payments import transfer_reference
from saleor_adapter.payments.vietqr import GATEWAY_ID as VIETQR
from tests.settlement.test_payments_in_ledger import checkout, parts_of

NBSP = "\u00a0"


@pytest.fixture
def mixed_lines(catalog):
    return [(catalog.mien_dong, 2), (catalog.tra, 1)]


def text(response) -> str:
    return response.content.decode()


def parcel_blocks(page: str) -> list[str]:
    return re.findall(r'<article class="panel parcel.*?</article>', page, re.S)


def test_each_parcel_shows_its_own_story_and_the_amount_now_due(
    api_client, catalog, mixed_lines, cooperative_settings, tai_hoan_staff, tan_cuong_staff
):
    # Given a COD order: Tân Cương rejected its part, Tài Hoan shipped by Viettel Post
    # and marked it delivered
    order = checkout(api_client, mixed_lines, COD, "cod")
    tai_hoan, tan_cuong = parts_of(order, catalog)
    lifecycle.reject(tan_cuong_staff, tan_cuong.pk, "Hết chè")
    for step in (lifecycle.accept, lifecycle.pack):
        step(tai_hoan_staff, tai_hoan.pk)
    lifecycle.ship(tai_hoan_staff, tai_hoan.pk, "Viettel Post", "VTP 2026/001")
    lifecycle.deliver(tai_hoan_staff, tai_hoan.pk, datetime.date.today(), "Bà Lan ký nhận")

    # When the shopper opens the order page
    page = text(Client().get(f"/don-hang/{order.token}/"))

    # Then there is one block per parcel, in the parcels' order
    first, second = parcel_blocks(page)
    assert "Hợp tác xã Tài Hoan" in first
    assert "Hợp tác xã Chè Tân Cương" in second
    # Tài Hoan's: delivered, every step done, the tracking number linked to Viettel Post
    assert 'data-testid="parcel-status">Đã giao<' in first
    assert re.findall(r'data-step="(\w+)"', first) == [
        "placed", "accepted", "packed", "shipped", "delivered",
    ]  # fmt: skip
    assert 'class="todo' not in first
    assert (
        '<a href="https://viettelpost.com.vn/tra-cuu-hanh-trinh-don/?orderNumber=VTP%202026%2F001"'
        in first
    )
    # Tân Cương's: rejected with its reason, and the shopper does not pay for it
    assert 'data-testid="parcel-status">Không giao được<' in second
    assert "Lý do: Hết chè" in second
    assert "Bạn không phải trả tiền cho kiện này." in second
    # the money: 630.000 − 367.500 = 262.500 ₫ still to pay the courier
    assert f'data-testid="amount-due">Còn phải thanh toán: <strong>262.500{NBSP}₫</strong>' in page
    assert "Cảm ơn bạn đã đặt hàng!" not in page

    # and in English
    english = Client()
    english.cookies["ocop_lang"] = "en"
    page = text(english.get(f"/don-hang/{order.token}/"))
    assert 'data-testid="parcel-status">Delivered<' in page
    assert "Reason: Hết chè" in page
    assert f"Amount due: <strong>262.500{NBSP}₫</strong>" in page


def test_the_page_costs_the_same_queries_for_one_parcel_or_two(
    api_client, catalog, cooperative_settings
):
    def queries(order) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert Client().get(f"/don-hang/{order.token}/").status_code == 200
        return len(captured)

    one = checkout(api_client, [(catalog.mien_dong, 1)], COD, "cod")
    two = checkout(api_client, [(catalog.mien_dong, 1), (catalog.tra, 1)], COD, "cod")
    queries(one)  # warm the per-process caches (plugins, shop settings)

    assert queries(two) == queries(one)


@pytest.fixture
def owed(api_client, catalog, mixed_lines, cooperative_settings, vietqr_account, tan_cuong_staff):
    """A VietQR order paid in full (630.000 ₫), then Tân Cương rejected its part: the
    shop owes the shopper 367.500 ₫."""
    order = checkout(api_client, mixed_lines, VIETQR, "vietqr")
    reference = transfer_reference(order.payments.get())
    credit = BankCredit(
        "FT1", Decimal(630000), reference, datetime.datetime(2026, 11, 23, tzinfo=datetime.UTC)
    )
    record_bank_credit(credit, "notification")
    _, tan_cuong = parts_of(order, catalog)
    lifecycle.reject(tan_cuong_staff, tan_cuong.pk, "Hết chè")
    return order, tan_cuong


def test_the_shopper_gives_the_account_for_a_refund_owed(owed):
    order, tan_cuong = owed
    shopper = Client()

    # The page says what is owed and asks for an account
    page = text(shopper.get(f"/don-hang/{order.token}/"))
    assert f"Cửa hàng nợ bạn <strong>367.500{NBSP}₫</strong> (kiện {tan_cuong.number})." in page
    assert 'data-testid="refund-form"' in page
    assert 'data-testid="amount-due"' not in page  # nothing more to pay

    # When they send it
    sent = shopper.post(
        f"/don-hang/{order.token}/hoan-tien/",
        {"parcel": tan_cuong.number, "bank": "970436", "account_number": "0071001234567",
         "holder": "Nguyễn Thị Lan"},
    )  # fmt: skip

    # Then it is kept for staff, and the page shows it back
    assert (sent.status_code, sent["Location"]) == (
        302, f"/don-hang/{order.token}/#kien-{tan_cuong.number}",
    )  # fmt: skip
    refund = PartRefund.objects.get()
    assert (refund.status, refund.bank_bin, refund.bank_account_holder) == (
        "ready", "970436", "NGUYEN THI LAN",
    )  # fmt: skip
    assert "0071001234567 (NGUYEN THI LAN)" in text(shopper.get(f"/don-hang/{order.token}/"))


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"bank": "", "account_number": "", "holder": ""},
         ["error-bank", "error-account_number", "error-holder"]),
        ({"bank": "999999", "account_number": "0071001234567", "holder": "LAN"}, ["error-bank"]),
        ({"bank": "970436", "account_number": "12ab", "holder": "LAN"}, ["error-account_number"]),
        ({"bank": "970436", "account_number": "0071001234567", "holder": "LAN\x00"},
         ["error-holder"]),
        ({"bank": "970436", "account_number": "9" * 10_000, "holder": "LAN"},
         ["error-account_number"]),
    ],
)  # fmt: skip
def test_bad_bank_details_get_field_errors_never_a_500(owed, data, errors):
    order, tan_cuong = owed

    answer = Client().post(
        f"/don-hang/{order.token}/hoan-tien/", {"parcel": tan_cuong.number, **data}
    )

    assert answer.status_code == 400
    page = text(answer)
    assert sorted(re.findall(r'data-testid="(error-\w+)"', page)) == sorted(errors)
    assert " / " in page.split('data-testid="' + errors[0] + '">', 1)[1].split("<", 1)[0]
    assert PartRefund.objects.get().status == "awaiting_details"


def test_a_refund_form_for_another_parcel_or_order_changes_nothing(owed, catalog, order_of):
    order, tan_cuong = owed
    other = order_of((catalog.mien_dong, 1))
    route_order(other.pk)
    good = {"bank": "970436", "account_number": "0071001234567", "holder": "LAN"}

    wrong_parcel = Client().post(
        f"/don-hang/{order.token}/hoan-tien/", {"parcel": f"{order.pk}-9", **good}
    )
    other_order = Client().post(
        f"/don-hang/{other.token}/hoan-tien/", {"parcel": tan_cuong.number, **good}
    )
    unknown = Client().post(
        "/don-hang/8d4f3c2a-0000-4000-8000-000000000000/hoan-tien/",
        {"parcel": tan_cuong.number, **good},
    )

    assert (wrong_parcel.status_code, other_order.status_code, unknown.status_code) == (
        400, 400, 404,
    )  # fmt: skip
    assert "This parcel has no refund awaiting a bank account." in text(wrong_parcel)
    assert PartRefund.objects.get().status == "awaiting_details"


def test_the_refund_form_is_protected_against_cross_site_requests(owed):
    order, tan_cuong = owed
    browser = Client(enforce_csrf_checks=True)
    page = text(browser.get(f"/don-hang/{order.token}/"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = {"parcel": tan_cuong.number, "bank": "970436", "account_number": "0071001234567",
            "holder": "LAN"}  # fmt: skip

    forged = Client(enforce_csrf_checks=True).post(f"/don-hang/{order.token}/hoan-tien/", data)
    sent = browser.post(
        f"/don-hang/{order.token}/hoan-tien/", {**data, "csrfmiddlewaretoken": token}
    )

    assert (forged.status_code, sent.status_code) == (403, 302)
