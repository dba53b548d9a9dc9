"""Settlement: an append-only ledger per cooperative, and payouts paid exactly once."""

import csv
import io
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from saleor.payment import gateway
from saleor.payment.utils import create_payment
from saleor.plugins.models import PluginConfiguration

from common.money import commission, split_by_weight
from marketplace import lifecycle, payouts, settlement
from marketplace.models import CooperativeOrder, LedgerEntry, PayoutBatch
from marketplace.routing import route_order
from saleor_adapter.ocop.plugin import PLUGIN_ID
from saleor_adapter.payments.cod import GATEWAY_ID as COD
from saleor_adapter.payments.saleor_payments import collect_cash_on_delivery


def cash_collected(order) -> None:
    """The buyer paid cash on delivery and the courier handed it over: a COD payment
    authorised as at checkout, then captured through Saleor, which reaches the books."""
    payment = create_payment(
        gateway=COD, total=order.total_gross_amount, currency="VND",
        email=order.user_email, order=order,
    )  # fmt: skip
    gateway.authorize(payment, token="")
    collect_cash_on_delivery(order)


def delivered(user, part):
    lifecycle.accept(user, part.pk)
    lifecycle.pack(user, part.pk)
    lifecycle.ship(user, part.pk, "VNPost", f"EB{part.pk:09d}VN")
    lifecycle.deliver(user, part.pk)
    return CooperativeOrder.objects.get(pk=part.pk)


@pytest.fixture
def parts(catalog, order_of, cooperative_settings):
    """One order: 2 miến dong (Tài Hoan, 250.000 ₫) + 1 trà (Tân Cương, 350.000 ₫)."""
    order = order_of((catalog.mien_dong, 2), (catalog.tra, 1))
    route_order(order.pk)
    return (
        CooperativeOrder.objects.get(order=order, producer=catalog.tai_hoan),
        CooperativeOrder.objects.get(order=order, producer=catalog.tan_cuong),
    )


def amounts(entry):
    return (
        entry.kind, entry.gross_amount, entry.commission_rate_percent, entry.commission_amount,
        entry.shipping_amount, entry.net_amount,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("goods", "rate", "expected"),
    [
        (Decimal(250000), Decimal(10), Decimal(25000)),
        (Decimal(12345), Decimal(10), Decimal(1235)),  # 1 234,5 → half up
        (Decimal(12344), Decimal(10), Decimal(1234)),  # 1 234,4 → down
        (Decimal(99999), Decimal("12.5"), Decimal(12500)),  # 12 499,875
        (Decimal(1), Decimal(50), Decimal(1)),  # 0,5 → 1
        (Decimal(0), Decimal(10), Decimal(0)),
    ],
)
def test_commission_is_rounded_half_up_to_the_dong(goods, rate, expected):
    assert commission(goods, rate) == expected


def test_shipping_shares_add_up_to_what_the_customer_paid():
    assert split_by_weight(Decimal(30000), [Decimal(250000), Decimal(350000)]) == [12500, 17500]
    assert split_by_weight(Decimal(30000), [Decimal(125000), Decimal(700000)]) == [4545, 25455]
    assert split_by_weight(Decimal(10), [Decimal(1)] * 3) == [4, 3, 3]
    assert split_by_weight(Decimal(0), [Decimal(5), Decimal(7)]) == [0, 0]


def test_delivery_writes_one_entry_with_the_cooperatives_rate(parts, platform_staff):
    tai_hoan_part, tan_cuong_part = parts
    delivered(platform_staff, tai_hoan_part)
    delivered(platform_staff, tan_cuong_part)

    # Tài Hoan pays the operator's default 10%; Tân Cương its own 8%
    assert amounts(LedgerEntry.objects.get(cooperative_order=tai_hoan_part)) == (
        "delivery", Decimal(250000), Decimal(10), Decimal(25000), Decimal(12500),
        Decimal(237500),
    )  # fmt: skip
    assert amounts(LedgerEntry.objects.get(cooperative_order=tan_cuong_part)) == (
        "delivery", Decimal(350000), Decimal(8), Decimal(28000), Decimal(17500),
        Decimal(339500),
    )  # fmt: skip
    # and recording the delivery again returns the same entry
    again = settlement.record_delivery(tai_hoan_part)
    assert again == LedgerEntry.objects.get(cooperative_order=tai_hoan_part)
    assert LedgerEntry.objects.count() == 2


def test_the_default_rate_comes_from_the_plugin_configuration(parts, platform_staff):
    PluginConfiguration.objects.update_or_create(
        identifier=PLUGIN_ID, defaults={"name": "OCOP Marketplace", "active": True,
        "configuration": [{"name": "commission_rate_percent", "value": "12,5"}]},
    )  # fmt: skip
    entry = settlement.record_delivery(delivered(platform_staff, parts[0]))
    assert (entry.commission_rate_percent, entry.commission_amount) == (
        Decimal("12.5"), Decimal(31250),
    )  # fmt: skip


def test_refunds_are_reversing_entries_that_give_back_exactly_the_commission(parts, platform_staff):
    part = delivered(platform_staff, parts[0])  # 250.000 ₫ at 10%: commission 25.000 ₫

    first = settlement.record_refund(part.pk, 33333, reason="Hỏng 1 gói", key="tx-1")
    again = settlement.record_refund(part.pk, 33333, reason="Hỏng 1 gói", key="tx-1")
    second = settlement.record_refund(part.pk, 216667, reason="Trả hàng", key="tx-2")

    assert again == first
    # 3 333,3 → 3 333; then commission(250 000) − commission(33 333) = 25 000 − 3 333
    assert amounts(first) == (
        "refund", Decimal(-33333), Decimal(10), Decimal(-3333), Decimal(0), Decimal(-30000),
    )  # fmt: skip
    assert amounts(second) == (
        "refund", Decimal(-216667), Decimal(10), Decimal(-21667), Decimal(0), Decimal(-195000),
    )  # fmt: skip
    totals = settlement.totals(LedgerEntry.objects.filter(cooperative_order=part))
    assert totals == {
        "gross": Decimal(0), "commission": Decimal(0), "shipping": Decimal(12500),
        "net": Decimal(12500),
    }  # fmt: skip
    with pytest.raises(settlement.SettlementError) as refused:
        settlement.record_refund(part.pk, 1, reason="Thêm", key="tx-3")
    assert refused.value.code == "amount_too_large"


@pytest.mark.parametrize("amount", [0, -5, "1.5", "abc", "NaN"])
def test_a_refund_must_be_whole_positive_dong(parts, platform_staff, amount):
    part = delivered(platform_staff, parts[0])
    with pytest.raises(settlement.SettlementError) as refused:
        settlement.record_refund(part.pk, amount, reason="x", key="k")
    assert refused.value.code == "invalid_amount"


def test_an_undelivered_order_cannot_be_refunded(parts):
    with pytest.raises(settlement.SettlementError) as refused:
        settlement.record_refund(parts[0].pk, 1000, reason="x", key="k")
    assert refused.value.code == "not_refundable"


def test_cancelling_after_delivery_reverses_what_is_left(parts, platform_staff):
    part = delivered(platform_staff, parts[0])
    settlement.record_refund(part.pk, 50000, reason="Hỏng", key="tx-1")

    lifecycle.cancel(platform_staff, part.pk, "Khách trả lại toàn bộ")

    reversal = LedgerEntry.objects.get(cooperative_order=part, kind="reversal")
    assert amounts(reversal) == (
        "reversal", Decimal(-200000), Decimal(10), Decimal(-20000), Decimal(-12500),
        Decimal(-192500),
    )  # fmt: skip
    assert settlement.totals(LedgerEntry.objects.filter(cooperative_order=part))["net"] == 0
    with pytest.raises(settlement.SettlementError):
        settlement.record_refund(part.pk, 1000, reason="x", key="tx-9")


def test_ledger_entries_cannot_be_edited_or_deleted(parts, platform_staff):
    entry = settlement.record_delivery(delivered(platform_staff, parts[0]))
    with pytest.raises(IntegrityError, match="immutable"), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(net_amount=1)
    with pytest.raises(IntegrityError, match="cannot be deleted"), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert LedgerEntry.objects.get(pk=entry.pk).net_amount == 237500


def test_the_ledger_balances(catalog, order_of, cooperative_settings, platform_staff):
    # Given 5 orders: 3 delivered (one refunded in part, one cancelled after delivery),
    # one shipped and one rejected
    delivered_goods, refunded_goods = Decimal(0), Decimal(0)
    for index in range(5):
        order = order_of((catalog.mien_dong, 1 + index % 2), (catalog.tra, 1))
        route_order(order.pk)
        for part in CooperativeOrder.objects.filter(order=order):
            if index < 3:
                delivered(platform_staff, part)
                delivered_goods += part.subtotal_amount
            elif index == 3:
                lifecycle.accept(platform_staff, part.pk)
            else:
                lifecycle.reject(platform_staff, part.pk, "Hết hàng")
        if index == 1:
            part = CooperativeOrder.objects.get(order=order, producer=catalog.tan_cuong)
            settlement.record_refund(part.pk, 70001, reason="Móp hộp", key=f"r{index}")
            refunded_goods += 70001
        if index == 2:
            part = CooperativeOrder.objects.get(order=order, producer=catalog.tai_hoan)
            lifecycle.cancel(platform_staff, part.pk, "Khách trả hàng")
            refunded_goods += part.subtotal_amount

    # Then Σ gross of entries = Σ delivered − Σ refunded, and net = gross + shipping − fee
    totals = settlement.totals(LedgerEntry.objects.all())
    assert delivered_goods == Decimal(3 * 350000 + 125000 + 250000 + 125000)
    assert totals["gross"] == delivered_goods - refunded_goods
    assert totals["net"] == totals["gross"] + totals["shipping"] - totals["commission"]
    assert settlement.delivered_minus_refunded() == totals["gross"]


def test_a_payout_run_pays_every_entry_exactly_once(
    catalog, order_of, parts, platform_staff, cooperative_settings
):
    for part in parts:
        delivered(platform_staff, part)
    # and the buyer's cash was collected
    cash_collected(parts[0].order)

    # When a payout is run
    result = payouts.run_payout(platform_staff)

    # Then one batch pays each cooperative what it is owed, to its bank account
    batch = result.batch
    assert batch.total_amount == Decimal(237500 + 339500)
    assert sorted(batch.lines.values_list("producer__name", "amount", "entry_count")) == [
        ("Hợp tác xã Chè Tân Cương", Decimal(339500), 1),
        ("Hợp tác xã Tài Hoan", Decimal(237500), 1),
    ]
    assert LedgerEntry.objects.filter(payout_batch=batch).count() == 2
    rows = list(csv.reader(io.StringIO(payouts.payout_csv(batch).decode("utf-8-sig"))))
    assert rows[0] == payouts.PAYOUT_CSV_HEADER
    assert rows[1:] == [
        [batch.reference, "970436", "Vietcombank", "0011002233445", "HTX CHE TAN CUONG",
         "339500", f"{batch.reference} thanh toan 1 don OCOP"],
        [batch.reference, "970405", "Agribank", "1234567890123", "HTX TAI HOAN",
         "237500", f"{batch.reference} thanh toan 1 don OCOP"],
    ]  # fmt: skip

    # and a second run finds nothing to pay
    assert payouts.run_payout(platform_staff).batch is None
    # and a paid entry cannot be moved to another batch
    other = PayoutBatch.objects.create(reference="X", total_amount=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        LedgerEntry.objects.filter(payout_batch=batch).update(payout_batch=other)

    # When a refund comes after the payout, it waits for the next run (never an edit)
    settlement.record_refund(parts[0].pk, 10000, reason="Hỏng", key="late")
    order = order_of((catalog.mien_dong, 4))
    route_order(order.pk)
    delivered(platform_staff, CooperativeOrder.objects.get(order=order))
    # the new order's entry waits until its cash is collected (and the refund alone
    # leaves nothing owed)
    waiting = payouts.run_payout(platform_staff)
    assert (waiting.batch, waiting.awaiting_payment) == (None, {catalog.tai_hoan.pk: 1})
    cash_collected(order)
    later = payouts.run_payout(platform_staff).batch
    # 500.000 ₫ goods + 30.000 shipping − 50.000 fee, minus the refund's 10.000 − 1.000 fee
    assert list(later.lines.values_list("amount", "entry_count")) == [(Decimal(471000), 2)]

    # and a batch is marked paid once
    payouts.mark_batch_paid(batch.pk)
    with pytest.raises(settlement.SettlementError):
        payouts.mark_batch_paid(batch.pk)


def test_cooperatives_without_a_bank_account_or_owed_nothing_are_held(
    parts, platform_staff, cooperative_settings
):
    cooperative_settings["tan_cuong"].bank_account_number = ""
    cooperative_settings["tan_cuong"].save()
    for part in parts:
        delivered(platform_staff, part)
    cash_collected(parts[0].order)
    result = payouts.run_payout()
    assert [line.producer_id for line in result.batch.lines.all()] == [parts[0].producer_id]
    assert list(result.held) == [parts[1].producer_id]
    assert LedgerEntry.objects.filter(payout_batch__isnull=True).count() == 1


def test_the_statement_shows_only_the_cooperatives_own_ledger(
    parts, platform_staff, tai_hoan_staff
):
    for part in parts:
        delivered(platform_staff, part)
    client = Client()
    client.force_login(tai_hoan_staff, backend="django.contrib.auth.backends.ModelBackend")
    html = client.get("/htx/doi-soat/").content.decode()
    assert parts[0].number in html
    assert parts[1].number not in html
    assert "237.500\u00a0₫" in html
    assert "339.500" not in html
    rows = list(
        csv.reader(io.StringIO(client.get("/htx/doi-soat/xuat-csv/").content.decode("utf-8-sig")))
    )
    assert [row[2] for row in rows[1:]] == [parts[0].number]
    assert rows[1][4:9] == ["250000", "10", "25000", "12500", "237500"]
