from decimal import Decimal

import pytest
from saleor.order import OrderStatus
from saleor.order.models import Order
from saleor.payment import ChargeStatus
from saleor.warehouse.models import Allocation

from saleor_adapter.payments.cod import GATEWAY_ID as COD
from saleor_adapter.payments.saleor_payments import (
    NothingToSettle,
    collect_cash_on_delivery,
    refuse_delivery,
)
from tests.saleor_fixtures.checkout import buy


def test_cod_order_is_placed_unpaid_and_captured_when_cash_is_collected(api_client, ocop_product):
    # Given a buyer who pays cash on delivery for two packs (2 × 125.000 ₫ + 30.000 ₫ shipping)
    result = buy(api_client, ocop_product.variants.get(), 2, COD, token="cod")

    # Then the order is placed, not yet paid
    assert result["checkoutErrors"] == []
    assert (result["order"]["status"], result["order"]["paymentStatus"]) == (
        "UNFULFILLED",
        "NOT_CHARGED",
    )

    # When the cooperative reports the cash collected
    order = Order.objects.get()
    payment = collect_cash_on_delivery(order)

    # Then the payment is captured in full, once
    payment.refresh_from_db()
    assert (payment.charge_status, payment.captured_amount) == (
        ChargeStatus.FULLY_CHARGED,
        Decimal(280000),
    )
    assert order.is_fully_paid()
    with pytest.raises(NothingToSettle):
        collect_cash_on_delivery(order)


def test_cod_is_refused_above_the_configured_limit(api_client, ocop_product, cod_limit):
    # Given a COD limit of 200.000 ₫
    cod_limit("200000")

    # When a buyer tries to pay 280.000 ₫ on delivery
    result = buy(api_client, ocop_product.variants.get(), 2, COD, token="cod")

    # Then no order is placed and the buyer is told why, in Vietnamese and English
    assert result["order"] is None
    assert result["checkoutErrors"] == [
        {
            "field": None,
            "code": "PAYMENT_ERROR",
            "message": "Đơn hàng trên 200.000\xa0₫ không thể thanh toán khi nhận hàng / "
            "Orders above 200.000\xa0₫ cannot be paid cash on delivery.",
        }
    ]
    assert Order.objects.count() == 0


def test_a_refused_delivery_voids_the_payment_and_releases_the_stock(api_client, ocop_product):
    # Given a COD order holding two packs of stock
    buy(api_client, ocop_product.variants.get(), 2, COD, token="cod")
    order = Order.objects.get()
    assert sum(Allocation.objects.values_list("quantity_allocated", flat=True)) == 2

    # When the buyer refuses the parcel
    payment = refuse_delivery(order)

    # Then the payment is void, the order cancelled and the stock free again
    payment.refresh_from_db()
    order.refresh_from_db()
    assert (payment.is_active, payment.charge_status) == (False, ChargeStatus.NOT_CHARGED)
    assert order.status == OrderStatus.CANCELED
    assert sum(Allocation.objects.values_list("quantity_allocated", flat=True)) == 0


def test_a_courier_reconciliation_file_settles_delivered_and_returned_parcels(
    api_client, ocop_product, tmp_path, capsys
):
    from django.core.management import call_command

    # Given three COD orders of 280.000 ₫
    for _ in range(3):
        buy(api_client, ocop_product.variants.get(), 2, COD, token="cod")
    delivered, returned, short = Order.objects.order_by("pk")
    file = tmp_path / "doi-soat-ghn.csv"
    file.write_text(
        "Mã đơn hàng,Trạng thái,Số tiền thu hộ\n"
        f"{delivered.pk},Đã giao,280.000\n"
        f"{returned.pk},Hoàn hàng,0\n"
        f"{short.pk},Đã giao,250.000\n"
        "999999,Đã giao,280.000\n",
        encoding="utf-8",
    )

    # When staff import the courier's file
    call_command("ocop_cod_reconciliation", str(file))

    # Then the delivered order is paid, the returned one cancelled, the rest reported
    out = capsys.readouterr().out
    assert out.splitlines() == [
        "collected: 1",
        "returned: 1",
        "row 4: collected 250000 ≠ due 280000 / số tiền thu hộ lệch",
        "row 5: unknown order / không tìm thấy đơn",
    ]
    for order in (delivered, returned, short):
        order.refresh_from_db()
    assert delivered.is_fully_paid()
    assert returned.status == OrderStatus.CANCELED
    assert (short.is_fully_paid(), short.status) == (False, OrderStatus.UNFULFILLED)
