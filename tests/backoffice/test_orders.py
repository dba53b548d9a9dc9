"""Platform staff's orders (/quan-tri/don-hang/): the search finds exactly the orders it
should, the order's page shows its parts, payments and history, and each action (cash on
delivery collected, cancel, refund a part, e-mail again) goes through the same services as
the API, with exact amounts, the books balanced, and the actor on record.

The order of the money tests: 2 miến dong of Hợp tác xã Tài Hoan (250.000 ₫, commission
10%) and 1 trà of Hợp tác xã Chè Tân Cương (350.000 ₫, its own 8%), 30.000 ₫ shipping
split 12.500 / 17.500: parts of 262.500 and 367.500 ₫, 630.000 ₫ in all.
"""

import re

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from saleor.order.models import OrderEvent
from saleor.payment import ChargeStatus

from common.banks import BANK_NAMES
from marketplace import lifecycle, order_desk, ports, refunds
from marketplace.models import CooperativeOrder, NotificationDelivery, PartRefund
from marketplace.routing import route_order
from saleor_adapter.payments.cod import GATEWAY_ID as COD
from saleor_adapter.payments.saleor_payments import cod_amount_due, transfer_reference
from saleor_adapter.payments.vietqr import GATEWAY_ID as VIETQR
from tests.routing.marketplace import client_for, place_order
from tests.settlement.test_parts_money import DUMMY, pay_by_transfer
from tests.settlement.test_payments_in_ledger import (
    checkout,
    deliver,
    escrow_of,
    ledger_of,
    money,
    parts_of,
)

LIST = reverse("backoffice-orders")


def action(order, name: str) -> str:
    return reverse("backoffice-order-action", args=[order.pk, name])


def found(client, **params) -> list[int]:
    response = client.get(LIST, params)
    assert response.status_code == 200, response.content.decode()[:2000]
    return [int(pk) for pk in re.findall(r'data-order="(\d+)"', response.content.decode())]


def field_error(response, field: str) -> str:
    match = re.search(rf'data-field="{field}">([^<]*)<', response.content.decode())
    assert match, response.content.decode()[-3000:]
    return match.group(1)


def alert(response) -> str:
    return re.search(r'data-testid="error">([^<]*)<', response.content.decode()).group(1)


@pytest.fixture
def mixed_lines(catalog):
    return [(catalog.mien_dong, 2), (catalog.tra, 1)]


@pytest.fixture
def three_orders(catalog, orders):
    """The two orders of ``orders`` (Lan and Hoa, phone +84912345678, each with a Tài Hoan
    and a Tân Cương part) and a third, Tài Hoan only, to another phone."""
    third = place_order(
        catalog, [(catalog.mien_dong, 1)], email="minh@example.vn",
        address={"phone": "+84987654321", "first_name": "Minh", "last_name": "Trần"},
    )  # fmt: skip
    route_order(third.pk)
    first, second = (part.order_id for part in orders["tai_hoan"])
    return first, second, third.pk


# -- the search ------------------------------------------------------------------------


def test_the_search_finds_orders_by_number_phone_email_cooperative_and_part_status(
    catalog, orders, three_orders, platform_staff
):
    first, second, third = three_orders
    staff = client_for(platform_staff)
    # Newest first, all three
    assert found(staff) == [third, second, first]
    # By number: as typed, with "#", or a part's number
    assert found(staff, so=str(second)) == [second]
    assert found(staff, so=f"#{second}") == [second]
    assert found(staff, so=f"{first}-2") == [first]
    # By phone, in every Vietnamese spelling
    for typed in ("0987 654 321", "+84 987.654.321", "84987654321", "0987-654-321"):
        assert found(staff, dien_thoai=typed) == [third], typed
    assert found(staff, dien_thoai="0912345678") == [second, first]
    # By e-mail, any case
    assert found(staff, email="HOA@Example.vn") == [second]
    # By cooperative: Tân Cương has parts of the first two only
    assert found(staff, htx=catalog.tan_cuong.pk) == [second, first]
    # By part status: Tân Cương accepts its part of the first order
    lifecycle.accept(platform_staff, orders["tan_cuong"][0].pk)
    assert found(staff, trang_thai="accepted") == [first]
    # with a cooperative: that cooperative's part in that status
    assert found(staff, trang_thai="accepted", htx=catalog.tan_cuong.pk) == [first]
    assert found(staff, trang_thai="accepted", htx=catalog.tai_hoan.pk) == []
    assert found(staff, trang_thai="new", htx=catalog.tan_cuong.pk) == [second]
    # Filters combine
    assert found(staff, dien_thoai="0912 345 678", email="lan.nguyen@example.vn") == [first]
    assert found(staff, so=str(third), htx=catalog.tan_cuong.pk) == []


def test_the_search_by_payment_method_and_status(
    api_client, catalog, mixed_lines, cooperative_settings, platform_staff
):
    # Given a COD order (unpaid) and a card order (paid at checkout)
    cod = checkout(api_client, mixed_lines, COD, "cod")
    card = checkout(api_client, mixed_lines, DUMMY, "charged")
    staff = client_for(platform_staff)

    assert found(staff, thanh_toan="cod") == [cod.pk]
    assert found(staff, thanh_toan="card") == [card.pk]
    assert found(staff, thanh_toan="transfer") == []
    assert found(staff, tt_thanh_toan="paid") == [card.pk]
    assert found(staff, tt_thanh_toan="unpaid") == [cod.pk]
    assert found(staff, thanh_toan="cod", tt_thanh_toan="paid") == []


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"so": "abc"}, "so", "The order number is a number"),
        ({"so": "99999999999"}, "so", "The order number is a number"),
        ({"so": "١٢"}, "so", "The order number is a number"),  # Arabic-Indic digits
        ({"dien_thoai": "12"}, "dien_thoai", "Not a Vietnamese phone number"),
        ({"dien_thoai": "+1 202 555 0100"}, "dien_thoai", "Not a Vietnamese phone number"),
        ({"email": "lan@"}, "email", "Not a valid e-mail address"),
        ({"htx": "987654"}, "htx", "No such cooperative"),
        ({"htx": "x"}, "htx", "No such cooperative"),
        ({"trang_thai": "lost"}, "trang_thai", "Choose from the list"),
        ({"thanh_toan": "bitcoin"}, "thanh_toan", "Choose from the list"),
        ({"tt_thanh_toan": "maybe"}, "tt_thanh_toan", "Choose from the list"),
        ({"email": "a\x00@b.vn"}, "email", "Invalid value"),
        ({"so": "1" * 10000}, "so", "Invalid value"),
    ],
)
def test_a_bad_search_is_a_bilingual_field_error(catalog, platform_staff, params, field, message):
    response = client_for(platform_staff).get(LIST, params)
    assert response.status_code == 400
    error = field_error(response, field)
    assert message in error
    assert " / " in error


@pytest.mark.parametrize("params", [{"sau": "²"}, {"truoc": "-1"}, {"sau": "1" * 40}])
def test_bad_page_cursors_are_400(catalog, platform_staff, params):
    response = client_for(platform_staff).get(LIST, params)
    assert response.status_code == 400
    assert "Trang không hợp lệ / Invalid page." in response.content.decode()


def test_pages_are_keyset_newest_first(catalog, orders, three_orders, platform_staff):
    first, second, third = three_orders
    query = ports.OrderQuery()
    page = order_desk.search_page(platform_staff, query, size=2)
    assert ([row.order.pk for row in page.rows], page.newer, page.older) == (
        [third, second], None, second,
    )  # fmt: skip
    older = order_desk.search_page(platform_staff, query, after=page.older, size=2)
    assert ([row.order.pk for row in older.rows], older.newer, older.older) == (
        [first], first, None,
    )  # fmt: skip
    back = order_desk.search_page(platform_staff, query, before=older.newer, size=2)
    assert [row.order.pk for row in back.rows] == [third, second]
    # and the page's links carry the filters
    response = client_for(platform_staff).get(LIST, {"dien_thoai": "0912345678", "sau": third})
    assert [int(pk) for pk in re.findall(r'data-order="(\d+)"', response.content.decode())] == [
        second, first,
    ]  # fmt: skip


def test_the_list_costs_the_same_queries_for_one_order_or_many(catalog, order_of, platform_staff):
    staff = client_for(platform_staff)
    order = order_of((catalog.mien_dong, 1), (catalog.tra, 1))
    route_order(order.pk)
    staff.get(LIST)  # sessions, content types: warmed once
    with CaptureQueriesContext(connection) as one:
        assert staff.get(LIST).status_code == 200
    for _ in range(6):
        route_order(order_of((catalog.mien_dong, 1), (catalog.tra, 1)).pk)
    with CaptureQueriesContext(connection) as seven:
        response = staff.get(LIST)
    assert response.content.decode().count('data-testid="order-row"') == 7
    assert len(seven) == len(one)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    params=st.dictionaries(
        st.sampled_from([*order_desk.FIELDS, "sau", "truoc"]), st.text(max_size=40), max_size=4
    )
)
def test_any_search_is_answered_or_refused_never_a_crash(catalog, platform_staff, params):
    response = client_for(platform_staff).get(LIST, params)
    assert response.status_code in (200, 400)


# -- the order's page ------------------------------------------------------------------


def test_the_order_page_shows_parts_payments_and_history(
    api_client, catalog, mixed_lines, cooperative_settings, platform_staff, tan_cuong_staff
):
    order = checkout(api_client, mixed_lines, COD, "cod")
    tai_hoan, tan_cuong = parts_of(order, catalog)
    lifecycle.reject(tan_cuong_staff, tan_cuong.pk, "Hết chè")

    response = client_for(platform_staff).get(reverse("backoffice-order", args=[order.pk]))

    page = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r'data-part="([^"]+)"', page) == [tai_hoan.number, tan_cuong.number]
    assert 'data-testid="cod-due">262.500' in page
    assert "Hết chè" in page
    assert "ban.hang@tancuong.test" in page  # the rejection's actor, in the history
    assert COD in page


def test_unknown_orders_and_actions_are_404(catalog, orders, platform_staff):
    staff = client_for(platform_staff)
    order = orders["tai_hoan"][0].order
    assert staff.get(reverse("backoffice-order", args=[987654])).status_code == 404
    assert staff.get(f"/quan-tri/don-hang/{'9' * 10000}/").status_code == 404
    assert staff.post(action(order, "khong-co")).status_code == 404
    huge = f"/quan-tri/don-hang/{'9' * 10000}/huy-don/"
    assert staff.post(huge, {"reason": "x"}).status_code == 404
    assert staff.get(action(order, "huy-don")).status_code == 405


# -- confirm cash on delivery collected ------------------------------------------------


def test_staff_confirm_the_cod_cash_of_the_parcel_still_coming(
    api_client, catalog, mixed_lines, cooperative_settings, platform_staff, tan_cuong_staff
):
    # Given a COD order whose Tân Cương part was rejected and Tài Hoan's delivered
    order = checkout(api_client, mixed_lines, COD, "cod")
    tai_hoan, tan_cuong = parts_of(order, catalog)
    lifecycle.reject(tan_cuong_staff, tan_cuong.pk, "Hết chè")
    deliver(platform_staff, tai_hoan)
    assert cod_amount_due(order) == 262500
    staff = client_for(platform_staff)

    # When staff type an amount that is not what is due, then nothing is captured
    refused = staff.post(action(order, "thu-cod"), {"collected": "630.000"})
    assert refused.status_code == 400
    assert "differs from the 262.500" in field_error(refused, "collected")
    assert cod_amount_due(order) == 262500

    # When they confirm the 262.500 ₫ the courier handed over
    confirmed = staff.post(action(order, "thu-cod"), {"collected": "262.500"})

    # Then the payment is captured and the books balance: escrow −262.500 at delivery,
    # +262.500 now; ledger 250.000 goods + 12.500 shipping, commission 25.000
    assert confirmed.status_code == 302
    assert order.payments.get().charge_status == ChargeStatus.FULLY_CHARGED
    assert escrow_of(tai_hoan) == [("delivery", -250000, -12500), ("capture", 250000, 12500)]
    assert ledger_of(tai_hoan) == [("delivery", 250000, 25000, 12500, 237500)]
    assert money(order) == (262500, 262500, 0, 25000)
    # and the capture is on the order's history with the staff member
    capture = OrderEvent.objects.get(order=order, type="payment_captured")
    assert (capture.user, capture.parameters["amount"]) == (platform_staff, "262500.00")
    # and confirming twice is refused, not a second capture
    again = staff.post(action(order, "thu-cod"), {"collected": "0"})
    assert again.status_code == 400
    assert money(order) == (262500, 262500, 0, 25000)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(collected=st.one_of(st.text(max_size=30), st.just("155000"), st.just("155.000")))
def test_any_typed_cod_amount_is_captured_exactly_or_refused(
    api_client, catalog, platform_staff, collected
):
    # One miến dong (125.000 ₫) and 30.000 ₫ shipping, cash on delivery
    order = checkout(api_client, [(catalog.mien_dong, 1)], COD, "cod")
    response = client_for(platform_staff).post(action(order, "thu-cod"), {"collected": collected})
    assert response.status_code in (302, 400)
    captured = order.payments.get().captured_amount
    assert captured == (155000 if response.status_code == 302 else 0)


# -- cancel ----------------------------------------------------------------------------


def test_staff_cancel_one_part_and_the_books_and_audit_follow(
    api_client, catalog, mixed_lines, cooperative_settings, platform_staff
):
    # Given an unpaid COD order of 630.000 ₫
    order = checkout(api_client, mixed_lines, COD, "cod")
    _, tan_cuong = parts_of(order, catalog)
    staff = client_for(platform_staff)

    # When staff cancel Tân Cương's part without a reason, then nothing happens
    refused = staff.post(action(order, "huy-phan"), {"part": tan_cuong.pk, "reason": " "})
    assert refused.status_code == 400
    assert "Please give the reason" in field_error(refused, "reason")
    # and a part of another order is a field error
    other = place_order(catalog, [(catalog.tra, 1)])
    route_order(other.pk)
    stranger = CooperativeOrder.objects.get(order=other)
    wrong = staff.post(action(order, "huy-phan"), {"part": stranger.pk, "reason": "Nhầm"})
    assert wrong.status_code == 400
    assert "No such part" in field_error(wrong, "part")

    # When they cancel it with a reason
    cancelled = staff.post(action(order, "huy-phan"), {"part": tan_cuong.pk, "reason": "Hết chè"})

    # Then it is cancelled, the courier collects 262.500 ₫, nothing was paid to refund
    assert cancelled.status_code == 302
    tan_cuong.refresh_from_db()
    assert (tan_cuong.status, tan_cuong.reason) == ("cancelled", "Hết chè")
    assert cod_amount_due(order) == 262500
    assert not PartRefund.objects.exists()
    assert money(order) == (0, 0, 0, 0)
    # and the audit log names the staff member
    entry = LogEntry.objects.get_for_object(tan_cuong).filter(changes__icontains="cancelled").get()
    assert entry.actor == platform_staff


def test_staff_cancel_the_whole_order_all_or_nothing(
    api_client, catalog, mixed_lines, cooperative_settings, platform_staff
):
    # Given a card order paid 630.000 ₫ whose Tài Hoan part is shipped
    order = checkout(api_client, mixed_lines, DUMMY, "charged")
    tai_hoan, tan_cuong = parts_of(order, catalog)
    lifecycle.accept(platform_staff, tai_hoan.pk)
    lifecycle.pack(platform_staff, tai_hoan.pk)
    lifecycle.ship(platform_staff, tai_hoan.pk, "VNPost", "EB123456789VN")
    staff = client_for(platform_staff)

    # When staff cancel the order
    response = staff.post(action(order, "huy-don"), {"reason": "Khách huỷ"})

    # Then only the part not shipped is cancelled, and its 367.500 ₫ is a card refund
    assert response.status_code == 302
    statuses = dict(CooperativeOrder.objects.filter(order=order).values_list("pk", "status"))
    assert statuses == {tai_hoan.pk: "shipped", tan_cuong.pk: "cancelled"}
    refund = PartRefund.objects.get()
    assert (refund.cooperative_order_id, refund.amount, refund.method, refund.status) == (
        tan_cuong.pk, 367500, "gateway", "pending",
    )  # fmt: skip
    # and a second time there is nothing left to cancel
    again = staff.post(action(order, "huy-don"), {"reason": "Khách huỷ"})
    assert again.status_code == 400
    assert "No part is left to cancel" in again.content.decode()


# -- refund a part ---------------------------------------------------------------------


def test_staff_record_a_bank_refund_with_its_reference(
    api_client, catalog, mixed_lines, cooperative_settings, vietqr_account, tan_cuong_staff,
    platform_staff,
):  # fmt: skip
    # Given a VietQR order paid in full, Tân Cương's part rejected: 367.500 ₫ owed
    order = checkout(api_client, mixed_lines, VIETQR, "vietqr")
    tai_hoan, tan_cuong = parts_of(order, catalog)
    assert transfer_reference(order.payments.get())
    assert pay_by_transfer(order, 630000).outcome == "matched"
    lifecycle.reject(tan_cuong_staff, tan_cuong.pk, "Hết chè")
    staff = client_for(platform_staff)

    # When staff record a refund before the shopper gave an account, it is refused
    early = staff.post(action(order, "hoan-tien"), {"part": tan_cuong.pk, "reference": "FT1"})
    assert early.status_code == 400
    assert "the shopper has not given an account" in early.content.decode()

    # When the shopper gave one, staff without a reference are refused
    details = refunds.clean_bank_details("970436", "0071001234567", "Nguyễn Thị Lan", BANK_NAMES)
    refunds.give_bank_details(refunds.owed_refund(order.pk, tan_cuong.number), details)
    blank = staff.post(action(order, "hoan-tien"), {"part": tan_cuong.pk, "reference": ""})
    assert blank.status_code == 400
    assert "Please enter the bank reference" in field_error(blank, "reference")

    # When staff record the bank's reference
    done = staff.post(action(order, "hoan-tien"), {"part": tan_cuong.pk, "reference": "FT-HOAN-1"})

    # Then 367.500 ₫ are refunded out of Tân Cương's escrow only; the books balance
    assert done.status_code == 302
    refund = PartRefund.objects.get()
    assert (refund.status, refund.bank_reference, refund.refunded_by) == (
        "refunded", "FT-HOAN-1", platform_staff,
    )  # fmt: skip
    assert escrow_of(tan_cuong) == [("capture", 350000, 17500), ("refund", -350000, -17500)]
    assert escrow_of(tai_hoan) == [("capture", 250000, 12500)]
    assert money(order) == (262500, 0, 262500, 0)
    # and the audit log has the staff member on the refund
    actors = {entry.actor for entry in LogEntry.objects.get_for_object(refund)}
    assert platform_staff in actors


def test_staff_refund_a_card_part_through_the_gateway_now(
    api_client, catalog, mixed_lines, cooperative_settings, tan_cuong_staff, platform_staff
):
    # Given a card order of 630.000 ₫ whose Tân Cương part was rejected (task not run)
    order = checkout(api_client, mixed_lines, DUMMY, "charged")
    _, tan_cuong = parts_of(order, catalog)
    lifecycle.reject(tan_cuong_staff, tan_cuong.pk, "Hết chè")
    staff = client_for(platform_staff)

    # When staff refund it from the order's page
    response = staff.post(action(order, "hoan-tien"), {"part": tan_cuong.pk})

    # Then 367.500 ₫ went back through the gateway, out of Tân Cương's escrow
    assert response.status_code == 302
    refund = PartRefund.objects.get()
    assert (refund.amount, refund.status, refund.refunded_by) == (
        367500, "refunded", platform_staff,
    )  # fmt: skip
    assert escrow_of(tan_cuong) == [("capture", 350000, 17500), ("refund", -350000, -17500)]
    assert money(order) == (262500, 0, 262500, 0)
    # and the task that comes later refunds nothing more; staff again: a field error
    assert refunds.refund_through_gateway(refund.pk) == "done"
    again = staff.post(action(order, "hoan-tien"), {"part": tan_cuong.pk})
    assert again.status_code == 400
    assert "This part has no open refund" in alert(again)
    assert money(order) == (262500, 0, 262500, 0)


# -- e-mails again ---------------------------------------------------------------------


def test_staff_resend_the_order_confirmation_and_it_is_recorded(
    catalog, orders, platform_staff, run_on_commit, celery_runs_tasks_inline
):
    order = orders["tai_hoan"][0].order
    mail.outbox.clear()
    with run_on_commit():
        response = client_for(platform_staff).post(
            action(order, "gui-lai-email"), {"which": "confirmation"}
        )
    assert response.status_code == 302
    [sent] = mail.outbox
    assert sent.to == ["lan.nguyen@example.vn"]
    assert f"Xác nhận đơn hàng #{order.pk} / Order confirmation" in sent.subject
    note = OrderEvent.objects.get(
        order=order,
        type="note_added",
        parameters__message="Gửi lại e-mail xác nhận đơn hàng / Order confirmation e-mail resent",
    )
    assert note.user == platform_staff
    assert OrderEvent.objects.get(order=order, type="email_sent").user == platform_staff


def test_staff_resend_a_parts_latest_email(
    catalog, orders, platform_staff, tan_cuong_staff, marketplace_on_commit,
    celery_runs_tasks_inline,
):  # fmt: skip
    # Given Tân Cương rejected its part and the shopper was told
    part = orders["tan_cuong"][0]
    with marketplace_on_commit():
        lifecycle.reject(tan_cuong_staff, part.pk, "Hết chè")
    told = NotificationDelivery.objects.get(cooperative_order=part, channel="customer_email")
    assert told.status == "sent"
    mail.outbox.clear()

    # When staff send it again
    with marketplace_on_commit():
        response = client_for(platform_staff).post(
            action(part.order, "gui-lai-email"), {"which": str(part.pk)}
        )

    # Then the same e-mail leaves again, and who asked is on record
    assert response.status_code == 302
    [sent] = mail.outbox
    assert sent.to == ["lan.nguyen@example.vn"]
    assert f"Part {part.number} cannot be delivered" in sent.subject
    told.refresh_from_db()
    assert (told.status, told.attempts) == ("sent", 2)
    assert told.attempt_log[1]["resent_by"] == "dieu.phoi@ocop.test"
    note = OrderEvent.objects.filter(order=part.order, type="note_added").last()
    assert note.user == platform_staff
    assert f"of part {part.number} resent" in note.parameters["message"]


def test_resending_nothing_is_a_field_error(catalog, orders, platform_staff):
    part = orders["tai_hoan"][0]
    staff = client_for(platform_staff)
    for which, message in [
        (str(part.pk), "No e-mail was sent about this part"),
        ("", "No such part"),
        ("9" * 30, "No such part"),
    ]:
        response = staff.post(action(part.order, "gui-lai-email"), {"which": which})
        assert response.status_code == 400, which
        assert message in field_error(response, "which")


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    name=st.sampled_from(["huy-phan", "huy-don", "hoan-tien", "gui-lai-email"]),
    data=st.dictionaries(
        st.sampled_from(["part", "reason", "reference", "which"]), st.text(max_size=60)
    ),
)
def test_any_action_form_is_done_or_refused_never_a_crash(
    catalog, orders, platform_staff, name, data
):
    order = orders["tai_hoan"][0].order
    response = client_for(platform_staff).post(action(order, name), data)
    assert response.status_code in (302, 400)
