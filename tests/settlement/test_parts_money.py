"""Money follows the parts: when a cooperative rejects (or staff cancel) its part, the
shopper is asked for less at once, and what they paid for that part goes back to them —
through the gateway for a card, as a refund owed (bank account on the order page, then
staff's transfer) for a bank transfer or cash. The books balance at every step:

    Σ (gross + shipping) of the order's ledger entries + Σ its escrow entries
        = captured − refunded

The order in every test: 2 miến dong of Hợp tác xã Tài Hoan (2 × 125.000 = 250.000 ₫,
commission 10%) and 1 trà of Hợp tác xã Chè Tân Cương (350.000 ₫, its own 8%), with
30.000 ₫ shipping split 12.500 / 17.500 in proportion to the goods: parts of 262.500 and
367.500 ₫, 630.000 ₫ in all. Tân Cương rejects its part ("Hết chè").
"""

import datetime
from decimal import Decimal

import graphene
import pytest
from django.core import mail
from django.utils import timezone
from saleor.payment import ChargeStatus

from common.banks import BANK_NAMES
from marketplace import lifecycle, parcels, refunds
from marketplace.models import NotificationDelivery, OrderRouting, PartRefund, PaymentRecord
from marketplace.tasks import route_pending_orders
from payments_vn.matching import BankCredit, record_bank_credit
from saleor_adapter.payments.cod import GATEWAY_ID as COD
from saleor_adapter.payments.saleor_payments import (
    cod_amount_due,
    collect_cash_on_delivery,
    transfer_instructions,
    transfer_reference,
)
from saleor_adapter.payments.vietqr import GATEWAY_ID as VIETQR
from tests.saleor_fixtures.api import ApiClient
from tests.settlement.test_payments_in_ledger import (
    REFUND,
    checkout,
    deliver,
    escrow_of,
    ledger_of,
    money,
    parts_of,
)

DUMMY = "mirumee.payments.dummy"
BOOKED = datetime.datetime(2026, 11, 23, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def mixed_lines(catalog):
    return [(catalog.mien_dong, 2), (catalog.tra, 1)]


def pay_by_transfer(order, amount: int, bank_id: str = "FT2632700001"):
    reference = transfer_reference(order.payments.get())
    row, _ = record_bank_credit(
        BankCredit(bank_id, Decimal(amount), f"CK {reference}", BOOKED), "notification"
    )
    return row


def customer_mails(part, event):
    return NotificationDelivery.objects.filter(
        cooperative_order=part, channel="customer_email", event=event
    )


def test_cash_on_delivery_each_courier_collects_only_the_parts_still_coming(
    api_client, catalog, mixed_lines, cooperative_settings, platform_staff, tan_cuong_staff
):
    # Given a COD order of 630.000 ₫
    order = checkout(api_client, mixed_lines, COD, "cod")
    tai_hoan, tan_cuong = parts_of(order, catalog)
    assert cod_amount_due(order) == 630000

    # When Tân Cương rejects its part
    lifecycle.reject(tan_cuong_staff, tan_cuong.pk, "Hết chè")

    # Then the shopper owes 630.000 − 367.500 = 262.500 ₫, all of it Tài Hoan's parcel
    assert cod_amount_due(order) == 262500
    view = parcels.order_view(order.pk)
    assert view.due == 262500
    assert [(p.part.number, p.cash_to_collect) for p in view.parcels] == [
        (tai_hoan.number, 262500),
        (tan_cuong.number, 0),
    ]
    # nothing was paid, so nothing is refunded; one e-mail tells the shopper
    assert not PartRefund.objects.exists()
    assert customer_mails(tan_cuong, "rejected").count() == 1

    # When Tài Hoan delivers and the courier hands over the 262.500 ₫ collected
    deliver(platform_staff, tai_hoan)
    collect_cash_on_delivery(order)

    # Then the capture is all Tài Hoan's: escrow −262.500 at delivery, +262.500 now
    assert escrow_of(tai_hoan) == [("delivery", -250000, -12500), ("capture", 250000, 12500)]
    assert escrow_of(tan_cuong) == []
    # paid 262.500 = ledger 262.500 (250.000 goods + 12.500 shipping) + escrow 0;
    # commission 10% of 250.000 = 25.000
    assert money(order) == (262500, 262500, 0, 25000)
    assert order.payments.get().charge_status == ChargeStatus.FULLY_CHARGED


def test_vietqr_not_yet_paid_asks_for_the_new_amount(
    api_client, catalog, mixed_lines, cooperative_settings, vietqr_account, tan_cuong_staff,
    marketplace_on_commit, celery_runs_tasks_inline,
):  # fmt: skip
    # Given a VietQR order of 630.000 ₫ not paid yet
    order = checkout(api_client, mixed_lines, VIETQR, "vietqr")
    tai_hoan, tan_cuong = parts_of(order, catalog)
    assert transfer_instructions(order).amount_vnd == 630000

    # When Tân Cương rejects its part
    mail.outbox.clear()
    with marketplace_on_commit():
        lifecycle.reject(tan_cuong_staff, tan_cuong.pk, "Hết chè")

    # Then the code asks for 630.000 − 367.500 = 262.500 ₫
    assert transfer_instructions(order).amount_vnd == 262500
    # and the shopper's e-mail says so, with the new code
    (told,) = [m for m in mail.outbox if m.to == ["lan.nguyen@example.vn"]]
    assert "Amount now due: 262.500\u00a0₫" in told.body
    assert f"/don-hang/{order.token}/vietqr.png" in told.body
    assert "You are not charged for this part." in told.body
    # and a transfer of the old amount is not accepted silently
    assert pay_by_transfer(order, 630000, "FT-OLD").outcome == "excess"

    # When the shopper transfers exactly 262.500 ₫
    assert pay_by_transfer(order, 262500).outcome == "matched"

    # Then it pays Tài Hoan's part only (its 250.000 goods + 12.500 shipping)
    assert escrow_of(tai_hoan) == [("capture", 250000, 12500)]
    assert escrow_of(tan_cuong) == []
    assert money(order) == (262500, 0, 262500, 0)
    assert not PartRefund.objects.exists()


def test_vietqr_paid_in_full_before_the_rejection_is_a_refund_owed_then_transferred(
    api_client, catalog, mixed_lines, cooperative_settings, vietqr_account, tan_cuong_staff,
    platform_staff,
):  # fmt: skip
    # Given a VietQR order of 630.000 ₫ paid in full: 262.500 and 367.500 ₫ in escrow
    order = checkout(api_client, mixed_lines, VIETQR, "vietqr")
    tai_hoan, tan_cuong = parts_of(order, catalog)
    assert pay_by_transfer(order, 630000).outcome == "matched"
    assert money(order) == (630000, 0, 630000, 0)

    # When Tân Cương rejects its part
    lifecycle.reject(tan_cuong_staff, tan_cuong.pk, "Hết chè")

    # Then the shop owes the shopper that part's 367.500 ₫, to be paid by bank transfer
    refund = PartRefund.objects.get()
    assert (refund.cooperative_order_id, refund.amount, refund.method, refund.status) == (
        tan_cuong.pk, 367500, "bank_transfer", "awaiting_details",
    )  # fmt: skip
    view = parcels.order_view(order.pk)
    assert (view.due, view.owed_total) == (0, 367500)
    # and staff cannot record a transfer before the shopper gave an account
    with pytest.raises(refunds.RefundError) as early:
        refunds.record_bank_refund(platform_staff, tan_cuong.pk, "FT-HOAN-1")
    assert early.value.code == "not_ready"

    # When the shopper gives an account (spaces typed in, lower case with diacritics)
    details = refunds.clean_bank_details("970436", "0071 0012 34567", "Nguyễn Thị Lan", BANK_NAMES)
    refunds.give_bank_details(refunds.owed_refund(order.pk, tan_cuong.number), details)
    refund.refresh_from_db()
    assert (refund.status, refund.bank_account_number, refund.bank_account_holder) == (
        "ready", "0071001234567", "NGUYEN THI LAN",
    )  # fmt: skip

    # When staff transfer it and record the bank's reference
    refunds.record_bank_refund(platform_staff, tan_cuong.pk, "FT-HOAN-1")

    # Then Saleor refunded 367.500 ₫ of the payment, charged to Tân Cương's escrow only
    refund.refresh_from_db()
    assert (refund.status, refund.bank_reference) == ("refunded", "FT-HOAN-1")
    payment = order.payments.get()
    assert (payment.charge_status, payment.captured_amount) == (
        ChargeStatus.PARTIALLY_REFUNDED, 262500,
    )  # fmt: skip
    assert escrow_of(tan_cuong) == [("capture", 350000, 17500), ("refund", -350000, -17500)]
    assert escrow_of(tai_hoan) == [("capture", 250000, 12500)]
    # paid 630.000 − 367.500 = 262.500 = escrow 262.500
    assert money(order) == (262500, 0, 262500, 0)
    assert customer_mails(tan_cuong, "refund_sent").count() == 1
    # and recording it twice is refused, not a second refund
    with pytest.raises(refunds.RefundError):
        refunds.record_bank_refund(platform_staff, tan_cuong.pk, "FT-HOAN-1")
    assert PaymentRecord.objects.filter(kind="refund").count() == 1


def test_a_card_payment_is_refunded_through_the_gateway(
    api_client, catalog, mixed_lines, cooperative_settings, tan_cuong_staff, platform_staff,
    marketplace_on_commit, celery_runs_tasks_inline,
):  # fmt: skip
    # Given an order of 630.000 ₫ paid by card at checkout (Saleor's dummy gateway)
    order = checkout(api_client, mixed_lines, DUMMY, "charged")
    tai_hoan, tan_cuong = parts_of(order, catalog)

    # When Tân Cương rejects its part (the refund task runs after the commit)
    with marketplace_on_commit():
        lifecycle.reject(tan_cuong_staff, tan_cuong.pk, "Hết chè")

    # Then its 367.500 ₫ went back through the gateway, out of Tân Cương's escrow only
    refund = PartRefund.objects.get()
    assert (refund.amount, refund.method, refund.status) == (367500, "gateway", "refunded")
    assert escrow_of(tan_cuong) == [("capture", 350000, 17500), ("refund", -350000, -17500)]
    assert money(order) == (262500, 0, 262500, 0)
    # and the task run again refunds nothing more
    assert refunds.refund_through_gateway(refund.pk) == "done"
    assert PaymentRecord.objects.filter(kind="refund").count() == 1
    # the shopper got two e-mails: the rejection (with the refund), then the refund sent
    subjects = [m.subject for m in mail.outbox if m.to == ["lan.nguyen@example.vn"]]
    assert subjects == [
        f"[Chợ OCOP] Đơn hàng #{order.pk}: Hợp tác xã Chè Tân Cương không giao được phần đơn "
        f"{tan_cuong.number} / Part {tan_cuong.number} cannot be delivered",
        f"[Chợ OCOP] Đơn hàng #{order.pk}: Đã hoàn tiền phần đơn {tan_cuong.number} / "
        f"Refund sent for part {tan_cuong.number}",
    ]
    assert "367.500\u00a0₫ is refunded to your card" in mail.outbox[-2].body

    # When Tài Hoan delivers, it earns its 262.500 ₫
    deliver(platform_staff, tai_hoan)
    assert ledger_of(tai_hoan) == [("delivery", 250000, 25000, 12500, 237500)]
    assert money(order) == (262500, 262500, 0, 25000)


def test_cancelling_a_delivered_cod_part_before_the_cash_came_in_asks_for_less(
    api_client, catalog, mixed_lines, cooperative_settings, platform_staff
):
    # Given a COD order whose Tân Cương part was marked delivered before any cash
    order = checkout(api_client, mixed_lines, COD, "cod")
    _, tan_cuong = parts_of(order, catalog)
    deliver(platform_staff, tan_cuong)
    # (escrow −367.500: the courier owes it; ledger +367.500)
    assert money(order) == (0, 367500, -367500, 28000)

    # When staff cancel it (the parcel came back)
    lifecycle.cancel(platform_staff, tan_cuong.pk, "Khách trả hàng")

    # Then it is reversed, nothing is owed to anyone for it, and the courier of the other
    # parcel collects 262.500 ₫
    assert money(order) == (0, 0, 0, 0)
    assert not PartRefund.objects.exists()
    assert cod_amount_due(order) == 262500


@pytest.mark.parametrize(
    ("bank", "account", "holder", "fields"),
    [
        ("", "0071001234567", "LAN", {"bank"}),
        ("999999", "0071001234567", "LAN", {"bank"}),
        ("970436", "", "LAN", {"account_number"}),
        ("970436", "12345", "LAN", {"account_number"}),
        ("970436", "٠١٢٣٤٥٦٧", "LAN", {"account_number"}),  # Arabic-Indic digits
        ("970436", "0071abc", "LAN", {"account_number"}),
        ("970436", "1" * 20, "LAN", {"account_number"}),
        ("970436", "0071001234567", "", {"holder"}),
        ("970436", "0071001234567", "LAN\x00", {"holder"}),
        ("970436", "0071001234567", "Lan 123", {"holder"}),
        ("970436", "0071001234567", "A" * 101, {"holder"}),
        ("", "", "", {"bank", "account_number", "holder"}),
    ],
)
def test_bad_bank_details_are_refused_field_by_field_in_both_languages(
    bank, account, holder, fields
):
    with pytest.raises(refunds.DetailsError) as refused:
        refunds.clean_bank_details(bank, account, holder, BANK_NAMES)

    assert set(refused.value.errors) == fields
    assert all(" / " in message for message in refused.value.errors.values())


def test_a_gateway_refund_that_cannot_be_made_is_flagged_for_staff_not_retried(
    api_client, catalog, mixed_lines, cooperative_settings, tan_cuong_staff, platform_staff
):
    # Given a card order whose Tân Cương part was rejected (its refund task not run yet)
    order = checkout(api_client, mixed_lines, DUMMY, "charged")
    _, tan_cuong = parts_of(order, catalog)
    lifecycle.reject(tan_cuong_staff, tan_cuong.pk, "Hết chè")
    refund = PartRefund.objects.get()
    assert (refund.status, refund.amount) == ("pending", 367500)
    # and staff refunded the whole order in Saleor meanwhile (630.000 ₫)
    result = ApiClient(platform_staff).post_graphql(
        REFUND, {"id": graphene.Node.to_global_id("Order", order.pk), "amount": 630000}
    )
    assert result["orderRefund"]["orderErrors"] == []

    # When the task runs, nothing is left to refund through the gateway
    assert refunds.refund_through_gateway(refund.pk) == "failed"

    # Then the refund is marked failed with the reason and the order is on the staff
    # queue; the books hold what Saleor did: paid 630.000 − 630.000 = 0
    refund.refresh_from_db()
    assert refund.status == "failed"
    assert "The order has no captured payment to refund" in refund.last_error
    routing = OrderRouting.objects.get(order=order)
    assert routing.needs_attention is True
    assert f"Hoàn tiền {tan_cuong.number} qua cổng lỗi" in routing.attention_reason
    assert money(order) == (0, 0, 0, 0)
    # and running it again does nothing
    assert refunds.refund_through_gateway(refund.pk) == "done"


def test_the_sweeper_queues_a_gateway_refund_whose_task_was_lost(
    api_client, catalog, mixed_lines, cooperative_settings, tan_cuong_staff,
    celery_runs_tasks_inline,
):  # fmt: skip
    order = checkout(api_client, mixed_lines, DUMMY, "charged")
    _, tan_cuong = parts_of(order, catalog)
    lifecycle.reject(tan_cuong_staff, tan_cuong.pk, "Hết chè")  # its on-commit task is lost
    PartRefund.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=5))

    route_pending_orders()

    assert PartRefund.objects.get().status == "refunded"
    assert money(order) == (262500, 0, 262500, 0)
