"""The cooperative sees the money: payment method and status on its order list, order
page, packing slip and courier CSV; for cash on delivery what the courier collects (the
part's own goods + shipping); a transfer not paid yet is "chờ thanh toán" and cannot be
shipped (unless the operator allows it); the cooperative marks a part delivered itself.

The order: 2 miến dong of Hợp tác xã Tài Hoan (250.000 + 12.500 ₫ shipping = 262.500 ₫)
and 1 trà of Hợp tác xã Chè Tân Cương (350.000 + 17.500 ₫ = 367.500 ₫).
"""

import csv
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from saleor.plugins.models import PluginConfiguration

from backoffice.views import packing_slip_html
from marketplace import lifecycle
from marketplace.models import CooperativeOrder, LedgerEntry, PartRefund
from payments_vn.matching import BankCredit, record_bank_credit
from saleor_adapter.ocop.plugin import PLUGIN_ID
from saleor_adapter.payments.cod import GATEWAY_ID as COD
from saleor_adapter.payments.saleor_payments import transfer_reference
from saleor_adapter.payments.vietqr import GATEWAY_ID as VIETQR
from tests.routing.marketplace import client_for
from tests.settlement.test_payments_in_ledger import checkout, parts_of

NBSP = "\u00a0"


@pytest.fixture
def mixed_lines(catalog):
    return [(catalog.mien_dong, 2), (catalog.tra, 1)]


def text(response) -> str:
    return response.content.decode()


def test_cash_on_delivery_shows_what_the_courier_collects_for_this_part(
    api_client, catalog, mixed_lines, cooperative_settings, tai_hoan_staff
):
    order = checkout(api_client, mixed_lines, COD, "cod")
    tai_hoan, _ = parts_of(order, catalog)
    portal = client_for(tai_hoan_staff)

    listed = text(portal.get("/htx/don-hang/"))
    assert "Thanh toán khi nhận hàng (COD)" in listed
    assert f"Thu hộ 262.500{NBSP}₫" in listed

    detail = text(portal.get(f"/htx/don-hang/{tai_hoan.pk}/"))
    assert f"Người giao hàng thu hộ <strong>262.500{NBSP}₫</strong>" in detail

    slip = packing_slip_html(CooperativeOrder.objects.get(pk=tai_hoan.pk))
    assert f"THU HỘ 262.500{NBSP}₫" in slip
    assert f"tiền hàng 250.000{NBSP}₫ + phí vận chuyển 12.500{NBSP}₫" in slip

    rows = list(
        csv.reader(io.StringIO(text(portal.get("/htx/don-hang/xuat-csv/")).lstrip("\ufeff")))
    )
    header, row = rows[0], rows[1]
    assert header[-3:] == ["Thanh toán", "Trạng thái thanh toán", "Thu hộ (VND)"]
    assert row[-3:] == ["Thanh toán khi nhận hàng (COD)", f"Thu hộ 262.500{NBSP}₫", "262500"]


@pytest.fixture
def transfer_order(api_client, catalog, mixed_lines, cooperative_settings, vietqr_account):
    return checkout(api_client, mixed_lines, VIETQR, "vietqr")


def ready_to_ship(user, part):
    lifecycle.accept(user, part.pk)
    lifecycle.pack(user, part.pk)


def test_an_unpaid_transfer_waits_for_the_money_before_shipping(
    transfer_order, catalog, tai_hoan_staff
):
    tai_hoan, _ = parts_of(transfer_order, catalog)
    ready_to_ship(tai_hoan_staff, tai_hoan)
    portal = client_for(tai_hoan_staff)

    # The list and the page say "chờ thanh toán", and the page offers no shipping form
    assert "Chờ thanh toán" in text(portal.get("/htx/don-hang/"))
    detail = text(portal.get(f"/htx/don-hang/{tai_hoan.pk}/"))
    assert 'data-testid="awaiting-payment"' in detail
    assert 'name="tracking_number"' not in detail

    # A forged shipping request is refused with the reason, nothing shipped
    refused = portal.post(
        f"/htx/don-hang/{tai_hoan.pk}/giao-van-chuyen/",
        {"carrier": "GHN", "tracking_number": "GHN1"},
    )
    assert refused.status_code == 400
    assert "Đơn chờ thanh toán (chuyển khoản chưa về)" in text(refused)
    assert CooperativeOrder.objects.get(pk=tai_hoan.pk).status == "packed"

    # When the 630.000 ₫ transfer arrives, the part is paid and can be shipped
    reference = transfer_reference(transfer_order.payments.get())
    record_bank_credit(
        BankCredit("FT9", Decimal(630000), reference, timezone.now()), "notification"
    )
    assert "Đã thanh toán" in text(portal.get(f"/htx/don-hang/{tai_hoan.pk}/"))
    shipped = portal.post(
        f"/htx/don-hang/{tai_hoan.pk}/giao-van-chuyen/",
        {"carrier": "GHN", "tracking_number": "GHN1"},
    )
    assert shipped.status_code == 302


def test_the_operator_may_allow_shipping_unpaid_transfers(transfer_order, catalog, tai_hoan_staff):
    PluginConfiguration.objects.update_or_create(
        identifier=PLUGIN_ID,
        defaults={
            "active": True,
            "configuration": [{"name": "ship_unpaid_transfers", "value": True}],
        },
    )
    tai_hoan, _ = parts_of(transfer_order, catalog)
    ready_to_ship(tai_hoan_staff, tai_hoan)

    lifecycle.ship(tai_hoan_staff, tai_hoan.pk, "GHN", "GHN1")

    assert CooperativeOrder.objects.get(pk=tai_hoan.pk).status == "shipped"


@pytest.fixture
def shipped(api_client, catalog, mixed_lines, cooperative_settings, tai_hoan_staff):
    order = checkout(api_client, mixed_lines, COD, "cod")
    tai_hoan, _ = parts_of(order, catalog)
    ready_to_ship(tai_hoan_staff, tai_hoan)
    lifecycle.ship(tai_hoan_staff, tai_hoan.pk, "VNPost", "EB123456789VN")
    return tai_hoan


def test_the_cooperative_marks_its_part_delivered_and_the_books_record_it(shipped, tai_hoan_staff):
    today = timezone.localdate()

    done = client_for(tai_hoan_staff).post(
        f"/htx/don-hang/{shipped.pk}/da-giao/",
        {"delivered_on": today.isoformat(), "note": "Biên nhận VNPost số 778"},
    )

    assert done.status_code == 302
    part = CooperativeOrder.objects.get(pk=shipped.pk)
    assert (part.status, part.delivered_on, part.delivery_note) == (
        "delivered", today, "Biên nhận VNPost số 778",
    )  # fmt: skip
    # the same entry as when staff mark it: 250.000 goods, 10% commission, 12.500 shipping
    entry = LedgerEntry.objects.get(cooperative_order=part)
    assert (entry.kind, entry.gross_amount, entry.commission_amount, entry.shipping_amount,
            entry.net_amount, entry.created_by) == (
        "delivery", 250000, 25000, 12500, 237500, tai_hoan_staff,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"delivered_on": "2026-13-01"}, "Ngày giao phải có dạng YYYY-MM-DD"),
        ({"delivered_on": "hôm qua"}, "Ngày giao phải có dạng YYYY-MM-DD"),
        ({"delivered_on": "²⁰²⁶-01-01"}, "Ngày giao phải có dạng YYYY-MM-DD"),
        ({"delivered_on": "2999-01-01"}, "Ngày giao phải từ ngày gửi hàng đến hôm nay"),
        ({"delivered_on": "2000-01-01"}, "Ngày giao phải từ ngày gửi hàng đến hôm nay"),
        ({"note": "x" * 10_000}, "Ghi chú tối đa 1000 ký tự"),
        ({"note": "ký\x00nhận"}, "Không được chứa ký tự NUL"),
    ],
)
def test_a_bad_delivery_date_or_note_is_refused_and_changes_nothing(
    shipped, tai_hoan_staff, data, message
):
    answer = client_for(tai_hoan_staff).post(f"/htx/don-hang/{shipped.pk}/da-giao/", data)

    assert answer.status_code == 400
    assert message in text(answer)
    assert " / " in text(answer).split(message, 1)[1].split("<", 1)[0]
    assert CooperativeOrder.objects.get(pk=shipped.pk).status == "shipped"
    assert not LedgerEntry.objects.exists()


def test_only_platform_staff_record_a_refund_transfer(
    api_client, catalog, mixed_lines, cooperative_settings, vietqr_account, tan_cuong_staff,
    platform_staff,
):  # fmt: skip
    # Given a paid VietQR order whose Tân Cương part was rejected, account given
    order = checkout(api_client, mixed_lines, VIETQR, "vietqr")
    reference = transfer_reference(order.payments.get())
    record_bank_credit(
        BankCredit("FT7", Decimal(630000), reference, timezone.now()), "notification"
    )
    _, tan_cuong = parts_of(order, catalog)
    lifecycle.reject(tan_cuong_staff, tan_cuong.pk, "Hết chè")
    PartRefund.objects.update(
        status="ready", bank_bin="970436", bank_account_number="0071001234567",
        bank_account_holder="NGUYEN THI LAN", details_given_at=timezone.now(),
    )  # fmt: skip
    url = f"/htx/don-hang/{tan_cuong.pk}/da-hoan-tien/"

    # The cooperative cannot (it does not pay shoppers): as if the page did not exist
    assert client_for(tan_cuong_staff).post(url, {"reference": "FT1"}).status_code == 404
    staff = client_for(platform_staff)
    # Staff see the account, and a reference is required
    assert "0071001234567" in text(staff.get(f"/htx/don-hang/{tan_cuong.pk}/"))
    for bad in ("", "x" * 101, "FT\x001"):
        assert staff.post(url, {"reference": bad}).status_code == 400
    assert PartRefund.objects.get().status == "ready"

    # When staff record the transfer, it is refunded in Saleor and the books
    assert staff.post(url, {"reference": "FT-HOAN-1"}).status_code == 302
    assert PartRefund.objects.get().status == "refunded"
    assert order.payments.get().captured_amount == 262500
