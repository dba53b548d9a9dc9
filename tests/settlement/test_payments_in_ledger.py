"""Every captured, refunded or voided payment reaches the books of the cooperatives in
the order, once, and the books always reconcile with the money:

    Σ (gross + shipping) of the order's ledger entries + Σ its escrow entries
        = captured − refunded

The order in most tests: 2 miến dong of Hợp tác xã Tài Hoan (2 × 125.000 ₫, default
commission 10%) and 1 trà of Hợp tác xã Chè Tân Cương (350.000 ₫, its own 8%), with
30.000 ₫ shipping split 12.500 / 17.500: 630.000 ₫ in all. Payments go through Saleor's
GraphQL checkout and Saleor's gateways (its dummy gateway stands for a card captured at
checkout); only Stripe's HTTP API is stubbed, with payloads in Stripe's documented shape.
"""

from decimal import Decimal

import graphene
import pytest
from django.db import IntegrityError, connection, transaction
from saleor.order import OrderStatus
from saleor.order.models import Order
from saleor.payment import ChargeStatus, gateway

from marketplace import lifecycle, settlement
from marketplace.models import CooperativeOrder, EscrowEntry, LedgerEntry, PaymentRecord
from marketplace.routing import route_order
from marketplace.tasks import route_pending_orders
from saleor_adapter.payments import ledger
from saleor_adapter.payments.cod import GATEWAY_ID as COD
from saleor_adapter.payments.saleor_payments import (
    collect_cash_on_delivery,
    refund_cooperative_order,
    refuse_delivery,
)
from tests.saleor_fixtures.api import ApiClient
from tests.saleor_fixtures.checkout import (
    CHECKOUT_COMPLETE,
    CHECKOUT_CREATE,
    PAYMENT_CREATE,
    SHIPPING_METHOD_UPDATE,
    VIETNAMESE_ADDRESS,
)

DUMMY = "mirumee.payments.dummy"
STRIPE = "mirumee.payments.stripe"


def checkout(api_client, lines, gateway_id: str, token: str) -> Order:
    """Buy ``lines`` [(variant, quantity)] through Saleor's GraphQL checkout, then route
    the order (what the routing task does once the order is committed)."""
    created = api_client.post_graphql(
        CHECKOUT_CREATE,
        {
            "input": {
                "email": "lan.nguyen@example.vn",
                "lines": [
                    {"variantId": graphene.Node.to_global_id("ProductVariant", v.pk), "quantity": q}
                    for v, q in lines
                ],
                "shippingAddress": VIETNAMESE_ADDRESS,
                "billingAddress": VIETNAMESE_ADDRESS,
            }
        },
    )["checkoutCreate"]
    assert created["checkoutErrors"] == []
    checkout_id = created["checkout"]["id"]
    method = created["checkout"]["availableShippingMethods"][0]["id"]
    shipped = api_client.post_graphql(
        SHIPPING_METHOD_UPDATE, {"checkoutId": checkout_id, "shippingMethodId": method}
    )["checkoutShippingMethodUpdate"]
    total = shipped["checkout"]["totalPrice"]["gross"]["amount"]
    paid = api_client.post_graphql(
        PAYMENT_CREATE,
        {
            "checkoutId": checkout_id,
            "input": {"gateway": gateway_id, "token": token, "amount": total},
        },
    )["checkoutPaymentCreate"]
    assert paid["paymentErrors"] == []
    completed = api_client.post_graphql(CHECKOUT_COMPLETE, {"checkoutId": checkout_id})
    assert completed["checkoutComplete"]["checkoutErrors"] == []
    order = Order.objects.get(pk=int(completed["checkoutComplete"]["order"]["number"]))
    route_order(order.pk)
    return order


@pytest.fixture
def mixed_lines(catalog):
    return [(catalog.mien_dong, 2), (catalog.tra, 1)]


def parts_of(order, catalog):
    return (
        CooperativeOrder.objects.get(order=order, producer=catalog.tai_hoan),
        CooperativeOrder.objects.get(order=order, producer=catalog.tan_cuong),
    )


def deliver(user, part):
    lifecycle.accept(user, part.pk)
    lifecycle.pack(user, part.pk)
    lifecycle.ship(user, part.pk, "VNPost", f"EB{part.pk:09d}VN")
    lifecycle.deliver(user, part.pk)


def escrow_of(part) -> list[tuple]:
    return list(
        EscrowEntry.objects.filter(cooperative_order=part)
        .order_by("pk")
        .values_list("kind", "goods_amount", "shipping_amount")
    )


def ledger_of(part) -> list[tuple]:
    return list(
        LedgerEntry.objects.filter(cooperative_order=part)
        .order_by("pk")
        .values_list("kind", "gross_amount", "commission_amount", "shipping_amount", "net_amount")
    )


def money(order) -> tuple:
    books = settlement.order_money(order.pk)
    assert books.balanced, books
    captured = sum(p.captured_amount for p in order.payments.all())
    assert books.paid == captured  # Saleor's captured_amount is net of refunds
    return books.paid, books.ledger, books.escrow, books.commission


@pytest.fixture
def staff_api(platform_staff) -> ApiClient:
    return ApiClient(platform_staff)


REFUND = """mutation Refund($id: ID!, $amount: Decimal!) {
  orderRefund(id: $id, amount: $amount) { orderErrors { field code message } } }"""
PAYMENT_REFUND = """mutation Refund($id: ID!, $amount: Decimal) {
  paymentRefund(paymentId: $id, amount: $amount) { paymentErrors { field code message } } }"""


def test_a_capture_at_checkout_is_split_between_the_cooperatives_when_the_order_is_routed(
    api_client, catalog, mixed_lines, cooperative_settings, platform_staff
):
    # When a buyer pays 630.000 ₫ by card at checkout (captured before the order exists)
    order = checkout(api_client, mixed_lines, DUMMY, "charged")
    tai_hoan, tan_cuong = parts_of(order, catalog)

    # Then, once routed, each cooperative's part holds exactly its goods and shipping
    assert list(PaymentRecord.objects.values_list("kind", "amount")) == [("capture", 630000)]
    assert escrow_of(tai_hoan) == [("capture", 250000, 12500)]
    assert escrow_of(tan_cuong) == [("capture", 350000, 17500)]
    assert money(order) == (630000, 0, 630000, 0)

    # When Tài Hoan delivers, its part moves from escrow to its payable ledger
    deliver(platform_staff, tai_hoan)
    assert ledger_of(tai_hoan) == [("delivery", 250000, 25000, 12500, 237500)]
    assert escrow_of(tai_hoan)[-1] == ("delivery", -250000, -12500)
    assert money(order) == (630000, 262500, 367500, 25000)


def test_cash_on_delivery_is_captured_into_the_books_once_however_many_hooks_fire(
    api_client, catalog, mixed_lines, cooperative_settings, platform_staff
):
    # Given a COD order whose two parts were delivered before the courier paid the cash
    order = checkout(api_client, mixed_lines, COD, "cod")
    tai_hoan, tan_cuong = parts_of(order, catalog)
    for part in (tai_hoan, tan_cuong):
        deliver(platform_staff, part)
    # the cooperatives are owed their parts; the courier owes the platform the cash
    assert money(order) == (0, 630000, -630000, 53000)

    # When the cash is collected (Saleor then fires order_fully_paid and order_updated
    # twice: the capture is seen by three hooks), and staff re-run the catch-up
    collect_cash_on_delivery(order)
    assert ledger.sync_order_ledger(order) == []

    # Then the capture is recorded once and brings escrow back to zero
    assert list(PaymentRecord.objects.values_list("kind", "amount")) == [("capture", 630000)]
    assert escrow_of(tai_hoan) == [("delivery", -250000, -12500), ("capture", 250000, 12500)]
    assert escrow_of(tan_cuong) == [("delivery", -350000, -17500), ("capture", 350000, 17500)]
    assert money(order) == (630000, 630000, 0, 53000)
    # and the ledger entries are still the two deliveries
    assert LedgerEntry.objects.count() == 2


def test_a_partial_refund_without_lines_is_split_by_what_each_part_holds(
    api_client, catalog, mixed_lines, cooperative_settings, platform_staff, staff_api
):
    # Given a paid order whose Tài Hoan part is delivered and Tân Cương part is not
    order = checkout(api_client, mixed_lines, DUMMY, "charged")
    tai_hoan, tan_cuong = parts_of(order, catalog)
    deliver(platform_staff, tai_hoan)

    # When staff refund 63.000 ₫ of the order in Saleor (an amount, no lines)
    result = staff_api.post_graphql(
        REFUND, {"id": graphene.Node.to_global_id("Order", order.pk), "amount": 63000}
    )
    assert result["orderRefund"]["orderErrors"] == []

    # Then it is split 262.500 : 367.500 → 26.250 ₫ and 36.750 ₫; Tài Hoan's comes out
    # of its ledger (goods 25.000, shipping 1.250, 10% commission given back), Tân
    # Cương's out of escrow
    assert ledger_of(tai_hoan) == [
        ("delivery", 250000, 25000, 12500, 237500),
        ("refund", -25000, -2500, -1250, -23750),
    ]
    assert escrow_of(tan_cuong) == [("capture", 350000, 17500), ("refund", -35000, -1750)]
    assert money(order) == (567000, 236250, 330750, 22500)

    # When Tân Cương delivers, it earns what is left of its part (8% commission)
    deliver(platform_staff, tan_cuong)
    assert ledger_of(tan_cuong) == [("delivery", 315000, 25200, 15750, 305550)]
    assert money(order) == (567000, 567000, 0, 47700)
    # and the ledger's goods still balance against delivered − refunded goods
    gross = settlement.totals(LedgerEntry.objects.all())["gross"]
    assert settlement.delivered_minus_refunded() == gross == 540000


def test_a_refund_gives_back_the_money_of_a_rejected_part_first(
    api_client, catalog, mixed_lines, cooperative_settings, platform_staff, staff_api
):
    # Given a paid order whose Tân Cương part was rejected (out of tea)
    order = checkout(api_client, mixed_lines, DUMMY, "charged")
    tai_hoan, tan_cuong = parts_of(order, catalog)
    lifecycle.reject(platform_staff, tan_cuong.pk, "Hết hàng")

    # When staff refund the rejected part's 367.500 ₫ (Saleor knows only the amount)
    result = staff_api.post_graphql(
        REFUND, {"id": graphene.Node.to_global_id("Order", order.pk), "amount": 367500}
    )
    assert result["orderRefund"]["orderErrors"] == []

    # Then it all comes out of Tân Cương's escrow; Tài Hoan's part is untouched
    assert escrow_of(tan_cuong) == [("capture", 350000, 17500), ("refund", -350000, -17500)]
    assert escrow_of(tai_hoan) == [("capture", 250000, 12500)]
    assert money(order) == (262500, 0, 262500, 0)


def test_a_full_refund_through_the_payment_mutation_empties_both_cooperatives_books(
    api_client, catalog, mixed_lines, cooperative_settings, platform_staff, staff_api
):
    # Given a paid order, both parts delivered
    order = checkout(api_client, mixed_lines, DUMMY, "charged")
    tai_hoan, tan_cuong = parts_of(order, catalog)
    for part in (tai_hoan, tan_cuong):
        deliver(platform_staff, part)

    # When staff refund the whole payment with paymentRefund (Saleor calls no hook there)
    payment = order.payments.get()
    result = staff_api.post_graphql(
        PAYMENT_REFUND, {"id": graphene.Node.to_global_id("Payment", payment.pk), "amount": 630000}
    )
    assert result["paymentRefund"]["paymentErrors"] == []

    # Then each cooperative gives back its goods, shipping and commission: nothing is owed
    assert ledger_of(tai_hoan)[-1] == ("refund", -250000, -25000, -12500, -237500)
    assert ledger_of(tan_cuong)[-1] == ("refund", -350000, -28000, -17500, -339500)
    assert settlement.totals(LedgerEntry.objects.all())["net"] == 0
    payment.refresh_from_db()
    assert payment.charge_status == ChargeStatus.FULLY_REFUNDED
    assert money(order) == (0, 0, 0, 0)


def test_a_refused_cod_parcel_voids_the_payment_and_reverses_the_part_marked_delivered(
    api_client, catalog, mixed_lines, cooperative_settings, platform_staff
):
    # Given a COD order: Tài Hoan marked its part delivered, Tân Cương's is on its way
    order = checkout(api_client, mixed_lines, COD, "cod")
    tai_hoan, tan_cuong = parts_of(order, catalog)
    deliver(platform_staff, tai_hoan)
    for step in (lifecycle.accept, lifecycle.pack):
        step(platform_staff, tan_cuong.pk)
    lifecycle.ship(platform_staff, tan_cuong.pk, "GHN", "GHN0001")

    # When the courier reports the parcel refused
    refuse_delivery(order)

    # Then the void is recorded, and Tài Hoan's delivery is reversed and its part closed
    assert list(PaymentRecord.objects.values_list("kind", "amount")) == [("void", 0)]
    assert ledger_of(tai_hoan) == [
        ("delivery", 250000, 25000, 12500, 237500),
        ("reversal", -250000, -25000, -12500, -237500),
    ]
    assert escrow_of(tai_hoan) == [("delivery", -250000, -12500), ("reversal", 250000, 12500)]
    tai_hoan.refresh_from_db()
    assert (tai_hoan.status, tai_hoan.reason) == ("cancelled", settlement.VOID_REASON)
    assert ledger_of(tan_cuong) == escrow_of(tan_cuong) == []
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELED
    assert money(order) == (0, 0, 0, 0)


def test_a_refund_of_one_cooperatives_goods_is_charged_to_that_cooperative_only(
    api_client, catalog, mixed_lines, cooperative_settings, platform_staff
):
    # Given a paid order, both parts delivered
    order = checkout(api_client, mixed_lines, DUMMY, "charged")
    tai_hoan, tan_cuong = parts_of(order, catalog)
    for part in (tai_hoan, tan_cuong):
        deliver(platform_staff, part)

    # When staff refund 100.000 ₫ for a dented box of Tân Cương tea
    refund = refund_cooperative_order(tan_cuong, "100000", platform_staff, "Hộp trà bị móp")

    # Then only Tân Cương's ledger changes: 100.000 in its goods : shipping proportion
    # (350.000 : 17.500 → 95.238 + 4.762), 8% commission on the goods given back
    assert ledger_of(tan_cuong)[-1] == ("refund", -95238, -7619, -4762, -92381)
    assert ledger_of(tai_hoan) == [("delivery", 250000, 25000, 12500, 237500)]
    assert PaymentRecord.objects.get(kind="refund").saleor_transaction_id == refund.pk
    assert LedgerEntry.objects.get(kind="refund").reason == "Hộp trà bị móp"
    assert money(order) == (530000, 530000, 0, 45381)


@pytest.mark.parametrize(
    ("amount", "code"),
    [("0", "invalid_amount"), ("-5", "invalid_amount"), ("1,5", "invalid_amount"),
     ("abc", "invalid_amount"), ("367501", "amount_too_large")],
)  # fmt: skip
def test_a_bad_cooperative_refund_is_refused_before_the_gateway_is_asked(
    api_client, catalog, mixed_lines, cooperative_settings, amount, code
):
    order = checkout(api_client, mixed_lines, DUMMY, "charged")
    _, tan_cuong = parts_of(order, catalog)

    with pytest.raises(settlement.SettlementError) as refused:
        refund_cooperative_order(tan_cuong, amount)

    assert refused.value.code == code
    assert " / " in refused.value.message  # Vietnamese / English
    assert order.payments.get().captured_amount == 630000
    assert not PaymentRecord.objects.filter(kind="refund").exists()


def test_a_payment_the_hooks_missed_is_recorded_by_the_sweeper(
    api_client, catalog, mixed_lines, cooperative_settings
):
    # Given a COD order captured in part straight through Saleor's gateway (as the
    # Django shell or a script would: no order_captured, no hook)
    order = checkout(api_client, mixed_lines, COD, "cod")
    gateway.capture(order.payments.get(), Decimal(63000))
    assert ledger.orders_with_unrecorded_payments() == [order.pk]

    # When the routing sweeper runs
    route_pending_orders()

    # Then the capture is in the books, split 262.500 : 367.500
    tai_hoan, tan_cuong = parts_of(order, catalog)
    assert escrow_of(tai_hoan) == [("capture", 25000, 1250)]
    assert escrow_of(tan_cuong) == [("capture", 35000, 1750)]
    assert ledger.orders_with_unrecorded_payments() == []
    assert money(order) == (63000, 0, 63000, 0)


def test_recording_the_same_events_twice_changes_nothing_and_money_rows_are_append_only(
    api_client, catalog, mixed_lines, cooperative_settings
):
    order = checkout(api_client, mixed_lines, DUMMY, "charged")
    events = ledger.payment_events(order)

    assert settlement.record_payment_events(order.pk, 630000, events) == []
    assert (PaymentRecord.objects.count(), EscrowEntry.objects.count()) == (1, 2)
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        EscrowEntry.objects.update(goods_amount=0, amount=12500)
    with (
        pytest.raises(IntegrityError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,  # even straight SQL
    ):
        cursor.execute("DELETE FROM marketplace_paymentrecord")


def test_a_card_payment_captured_and_partly_refunded_through_stripe(
    api_client, catalog, cooperative_settings, staff_api, stripe_api
):
    # When a buyer pays 280.000 ₫ (2 miến dong + 30.000 ₫ shipping) by card via Stripe
    order = checkout(api_client, [(catalog.mien_dong, 2)], STRIPE, "pm_card_visa")
    (tai_hoan,) = CooperativeOrder.objects.filter(order=order)

    # Then Tài Hoan's part holds the 280.000 ₫ Stripe captured
    assert escrow_of(tai_hoan) == [("capture", 250000, 30000)]

    # When staff refund 80.000 ₫ before delivery
    result = staff_api.post_graphql(
        REFUND, {"id": graphene.Node.to_global_id("Order", order.pk), "amount": 80000}
    )
    assert result["orderRefund"]["orderErrors"] == []

    # Then Stripe was asked to refund 80000 VND (whole dong) and it leaves escrow
    assert [(m, p) for m, p, _ in stripe_api.requests] == [
        ("POST", "/v1/payment_intents"),
        ("GET", "/v1/payment_intents/pi_3QdG7mLkdIwHu7ix0a1b2c3d"),
        ("POST", "/v1/charges/ch_3QdG7mLkdIwHu7ix0e4f5g6h/refund"),
    ]
    assert stripe_api.requests[-1][2] == {"amount": ["80000"]}
    # 80.000 in the 250.000 : 30.000 proportion → 71.429 + 8.571
    assert escrow_of(tai_hoan)[-1] == ("refund", -71429, -8571)
    assert money(order) == (200000, 0, 200000, 0)
