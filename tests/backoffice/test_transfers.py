"""Bank transfers to review: platform staff match a credit to an order (captured only for
exactly what it owes, through matching's own path), record that it was sent back, or
dismiss it with a note. Each resolution happens once and is in the audit log with its
actor."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from saleor.order.models import Order
from saleor.payment import ChargeStatus

from payments_vn.matching import BankCredit, record_bank_credit
from payments_vn.models import BankTransaction
from saleor_adapter.payments.saleor_payments import transfer_reference
from saleor_adapter.payments.vietqr import GATEWAY_ID as VIETQR
from tests.routing.marketplace import client_for
from tests.saleor_fixtures.checkout import buy

BOOKED = datetime.datetime(2026, 11, 23, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def transfer_order(api_client, ocop_product, vietqr_account):
    """An order of 280.000 ₫ placed to be paid by VietQR transfer."""
    result = buy(api_client, ocop_product.variants.get(), 2, VIETQR, token="vietqr")
    assert result["checkoutErrors"] == []
    return Order.objects.get()


def bank_credit(bank_id: str, amount: int, description: str = "chuyen tien") -> BankTransaction:
    row, created = record_bank_credit(
        BankCredit(bank_id, Decimal(amount), description, BOOKED), "statement"
    )
    assert created
    return row


def action(row: BankTransaction, name: str) -> str:
    return reverse("backoffice-transfer-action", args=[row.pk, name])


@pytest.fixture
def staff(platform_staff):
    return client_for(platform_staff)


def test_a_credit_without_a_reference_is_matched_to_the_order_staff_name(
    transfer_order, platform_staff, staff
):
    # Given a transfer of exactly what the order owes, whose message names no order
    row = bank_credit("FT100", 280000, "chuyen tien mua mien dong")
    assert (row.outcome, row.needs_review) == ("unknown", True)

    # When platform staff match it to the order by its number
    response = staff.post(
        action(row, "khop-don"), {"order": f" #{transfer_order.pk} ", "note": "Khách gọi điện"}
    )

    # Then the order's transfer payment is captured for the credit, once
    assert (response.status_code, response["Location"]) == (
        302,
        reverse("backoffice-transfer", args=[row.pk]),
    )
    payment = transfer_order.payments.get()
    assert (payment.charge_status, payment.captured_amount) == (
        ChargeStatus.FULLY_CHARGED,
        Decimal(280000),
    )
    row.refresh_from_db()
    assert (row.needs_review, row.resolution, row.matched_order_id, row.payment_id) == (
        False, "matched", transfer_order.pk, payment.pk,
    )  # fmt: skip
    assert (row.resolved_by, row.resolution_note) == (platform_staff, "Khách gọi điện")
    assert row.outcome == "unknown"  # what the bank's matching found stays on record
    # and the audit log names who did it
    [entry] = LogEntry.objects.get_for_object(row).filter(action=LogEntry.Action.UPDATE)
    assert entry.actor == platform_staff
    assert entry.changes_dict["resolution"] == ["", "matched"]
    # and the page says it is resolved, with no form left
    page = staff.get(reverse("backoffice-transfer", args=[row.pk])).content.decode()
    assert 'data-testid="resolution"' in page
    assert "khop-don/" not in page


@pytest.mark.parametrize(
    ("amount", "due_text"),
    [(200000, "200.000\u00a0₫"), (300000, "300.000\u00a0₫")],
    ids=["less", "more"],
)
def test_less_or_more_than_due_is_refused_and_nothing_is_captured(
    transfer_order, staff, amount, due_text
):
    # Given a credit for less or more than the order owes, with the order's reference
    reference = transfer_reference(transfer_order.payments.get())
    row = bank_credit("FT200", amount, reference)

    # When staff match it to that order
    response = staff.post(action(row, "khop-don"), {"order": str(transfer_order.pk)})

    # Then it is refused on the order field, as matching would, and nothing changes
    assert response.status_code == 400
    page = response.content.decode()
    assert f"The credit of {due_text} is not what order #{transfer_order.pk} still owes" in page
    assert "(280.000\u00a0₫)" in page
    payment = transfer_order.payments.get()
    assert (payment.charge_status, payment.captured_amount) == (ChargeStatus.NOT_CHARGED, 0)
    row.refresh_from_db()
    assert (row.needs_review, row.resolution, row.matched_order_id) == (True, "", None)


def test_a_second_payment_cannot_be_matched_to_a_paid_order(transfer_order, staff):
    # Given the order was paid by its own transfer
    reference = transfer_reference(transfer_order.payments.get())
    assert bank_credit("FT300", 280000, reference).outcome == "matched"
    stray = bank_credit("FT301", 280000)

    # When staff match another credit to it
    response = staff.post(action(stray, "khop-don"), {"order": str(transfer_order.pk)})

    # Then it is refused and the payment is as it was
    assert response.status_code == 400
    assert f"Order #{transfer_order.pk} is already paid" in response.content.decode()
    assert transfer_order.payments.get().captured_amount == Decimal(280000)
    stray.refresh_from_db()
    assert (stray.needs_review, stray.resolution) == (True, "")


@pytest.mark.parametrize(
    ("order", "message"),
    [
        ("", "Enter the order number"),
        ("99999", "There is no order 99999"),
        ("abc", "There is no order abc"),
        ("9" * 25, "There is no order 9999999999999999999999999"),
        ("9" * 31, "At most 30 characters"),
        ("1\x00", "Must not contain the NUL character"),
    ],
    ids=["empty", "unknown", "not a number", "out of range", "too long", "NUL"],
)
def test_a_wrong_order_number_is_a_field_error(transfer_order, staff, order, message):
    row = bank_credit("FT400", 280000)

    response = staff.post(action(row, "khop-don"), {"order": order})

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert " / " in page
    assert 'class="errorlist"' in page  # beside the order field
    assert BankTransaction.objects.get(pk=row.pk).needs_review


def test_an_order_not_paid_by_transfer_is_refused(catalog, order_of, staff):
    # Given an order of the catalogue with no payment at all
    order = order_of((catalog.mien_dong, 1))
    row = bank_credit("FT450", 155000)

    response = staff.post(action(row, "khop-don"), {"order": str(order.pk)})

    assert response.status_code == 400
    assert f"Order #{order.pk} is not paid by VietQR transfer" in response.content.decode()


def test_a_refund_to_the_payer_is_recorded_with_its_bank_reference(db, platform_staff, staff):
    # Given a credit nobody can place
    row = bank_credit("FT500", 50000)

    # When staff record that they sent it back
    response = staff.post(
        action(row, "hoan-tien"), {"reference": "  FT26330  9981 ", "note": "Chuyển nhầm"}
    )

    # Then the review is closed with the reference (spaces folded, as for part refunds)
    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.needs_review, row.resolution, row.refund_reference, row.resolution_note) == (
        False, "refunded", "FT26330 9981", "Chuyển nhầm",
    )  # fmt: skip
    assert row.resolved_by == platform_staff
    [entry] = LogEntry.objects.get_for_object(row).filter(action=LogEntry.Action.UPDATE)
    assert entry.actor == platform_staff


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("   ", "Please enter the bank reference"),
        ("F" * 101, "The bank reference is at most 100 characters"),
        ("FT\x001", "The bank reference is at most 100 characters, without NUL"),
    ],
    ids=["blank", "too long", "NUL"],
)
def test_a_bad_refund_reference_is_a_field_error(db, staff, reference, message):
    row = bank_credit("FT600", 50000)

    response = staff.post(action(row, "hoan-tien"), {"reference": reference})

    assert response.status_code == 400
    assert message in response.content.decode()
    row.refresh_from_db()
    assert (row.needs_review, row.refund_reference) == (True, "")


def test_a_dismissal_needs_a_note(db, platform_staff, staff):
    row = bank_credit("FT700", 10000)

    # A dismissal without a reason (or with a too long one) is refused
    for note in ("", "   ", "x" * 1001, "a\x00b"):
        refused = staff.post(action(row, "bo-qua"), {"note": note})
        assert refused.status_code == 400, note
        assert " / " in refused.content.decode()
    assert BankTransaction.objects.get(pk=row.pk).needs_review

    # With one, the review is closed
    assert staff.post(action(row, "bo-qua"), {"note": "Giao dịch thử / Test"}).status_code == 302
    row.refresh_from_db()
    assert (row.needs_review, row.resolution, row.resolution_note, row.resolved_by) == (
        False, "dismissed", "Giao dịch thử / Test", platform_staff,
    )  # fmt: skip
    assert row.resolved_at is not None


def test_a_credit_is_resolved_once(transfer_order, staff):
    row = bank_credit("FT800", 280000)
    assert staff.post(action(row, "bo-qua"), {"note": "Đã xử lý ngoài"}).status_code == 302

    # Whatever is tried next is refused, and the first resolution stands
    for name, data in [
        ("bo-qua", {"note": "lần hai"}),
        ("hoan-tien", {"reference": "FT1"}),
        ("khop-don", {"order": str(transfer_order.pk)}),
    ]:
        response = staff.post(action(row, name), data)
        assert response.status_code == 400, name
        assert "This transaction was already resolved" in response.content.decode()
    row.refresh_from_db()
    assert (row.resolution, row.resolution_note) == ("dismissed", "Đã xử lý ngoài")
    assert transfer_order.payments.get().charge_status == ChargeStatus.NOT_CHARGED


def test_unknown_transactions_and_actions_are_404(db, staff):
    row = bank_credit("FT900", 10000)
    for url in (
        reverse("backoffice-transfer", args=[row.pk + 1]),
        reverse("backoffice-transfer", args=[10**40]),
        reverse("backoffice-transfer-action", args=[10**40, "bo-qua"]),
        reverse("backoffice-transfer-action", args=[row.pk, "xoa"]),
    ):
        assert staff.post(url, {"note": "x"}).status_code in (404, 405), url
        assert staff.get(url).status_code == 404, url
    assert staff.get(action(row, "bo-qua")).status_code == 405


def test_the_list_shows_what_waits_and_filters_by_outcome(transfer_order, staff):
    # Given a matched credit, two waiting ones and one already dismissed
    reference = transfer_reference(transfer_order.payments.get())
    bank_credit("FT-LESS", 1000, reference.replace("OCOP", "OCOP "))
    bank_credit("FT-OK", 280000, reference)
    bank_credit("FT-STRAY", 5000)
    dismissed = bank_credit("FT-OLD", 7000)
    staff.post(action(dismissed, "bo-qua"), {"note": "thử"})
    url = reverse("backoffice-transfers")

    def shown(query=""):
        page = staff.get(f"{url}{query}")
        assert page.status_code == 200
        text = page.content.decode()
        ids = ("FT-OK", "FT-LESS", "FT-STRAY", "FT-OLD")
        return [bank_id for bank_id in ids if bank_id in text]

    # Then the default is what waits; filters narrow it
    assert shown() == ["FT-LESS", "FT-STRAY"]
    assert shown("?ket_qua=partial") == ["FT-LESS"]
    assert shown("?trang_thai=da-xu-ly") == ["FT-OLD"]
    assert shown("?trang_thai=tat-ca") == ["FT-OK", "FT-LESS", "FT-STRAY", "FT-OLD"]
    # and a bad filter or page is a clear error, never a crash
    for query, status in [
        ("?ket_qua=lost", 400), ("?trang_thai=\x00", 400), ("?trang=0", 400),
        ("?trang=" + "9" * 10000, 400), ("?trang=99", 404),
    ]:  # fmt: skip
        assert staff.get(f"{url}{query}").status_code == status, query


def test_the_list_costs_the_same_queries_for_one_row_or_many(db, staff):
    url = reverse("backoffice-transfers") + "?trang_thai=tat-ca"
    bank_credit("FT-1", 1000)
    staff.get(url)  # the session and the user, warmed
    with CaptureQueriesContext(connection) as one:
        assert staff.get(url).status_code == 200
    for number in range(2, 41):
        bank_credit(f"FT-{number}", 1000 + number)
    staff.post(
        action(BankTransaction.objects.get(bank_transaction_id="FT-2"), "bo-qua"), {"note": "x"}
    )
    with CaptureQueriesContext(connection) as many:
        page = staff.get(url)
    assert page.content.decode().count('data-testid="transfer"') == 40
    assert len(many) == len(one)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    name=st.sampled_from(["khop-don", "hoan-tien", "bo-qua"]),
    order=st.text(max_size=40),
    reference=st.text(max_size=120),
    note=st.text(max_size=1100),
)
def test_any_typed_form_is_resolved_or_refused_never_a_crash(
    transfer_order, staff, name, order, reference, note
):
    # A new credit each time (the order is paid by the first one matched to it)
    row = bank_credit(f"FT-H{BankTransaction.objects.count()}", 280000)
    response = staff.post(action(row, name), {"order": order, "reference": reference, "note": note})
    assert response.status_code in (302, 400)
    row.refresh_from_db()
    if response.status_code == 302:
        assert row.resolution in ("matched", "refunded", "dismissed")
        assert not row.needs_review
        assert "\x00" not in row.resolution_note + row.refund_reference
