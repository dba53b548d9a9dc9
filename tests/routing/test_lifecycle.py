"""The life of a cooperative order, and what each step does to the Saleor order."""

from decimal import Decimal

import pytest
from django.core import mail
from saleor.order import FulfillmentStatus, OrderStatus
from saleor.order.actions import cancel_order
from saleor.order.models import Order
from saleor.warehouse.models import Stock

from marketplace import lifecycle
from marketplace.models import CooperativeOrder, LedgerEntry, OrderRouting
from marketplace.routing import route_order


def stock_of(variant):
    stock = Stock.objects.get(product_variant=variant)
    allocated = sum(a.quantity_allocated for a in stock.allocations.all())
    return stock.quantity, allocated


@pytest.fixture
def two_part_order(catalog, order_of):
    """2 miến dong from Tài Hoan and 1 trà from Tân Cương, routed."""
    order = order_of((catalog.mien_dong, 2), (catalog.tra, 1))
    route_order(order.pk)
    return (
        order,
        CooperativeOrder.objects.get(order=order, producer=catalog.tai_hoan),
        CooperativeOrder.objects.get(order=order, producer=catalog.tan_cuong),
    )


def test_shipping_one_part_fulfils_exactly_its_lines_in_saleor(
    catalog, two_part_order, tai_hoan_staff, platform_staff, marketplace_on_commit,
    celery_runs_tasks_inline,
):  # fmt: skip
    order, tai_hoan_part, tan_cuong_part = two_part_order
    mail.outbox.clear()

    # When Tài Hoan accepts, packs and ships its part with VNPost
    with marketplace_on_commit():
        lifecycle.accept(tai_hoan_staff, tai_hoan_part.pk)
        lifecycle.pack(tai_hoan_staff, tai_hoan_part.pk)
        shipped = lifecycle.ship(tai_hoan_staff, tai_hoan_part.pk, "VNPost", "EB123456789VN")

    # Then Saleor has one fulfillment with exactly Tài Hoan's line, from its warehouse
    order.refresh_from_db()
    (fulfillment,) = order.fulfillments.all()
    assert shipped.fulfillment == fulfillment
    assert (fulfillment.status, fulfillment.tracking_number) == (
        FulfillmentStatus.FULFILLED, "EB123456789VN",
    )  # fmt: skip
    assert fulfillment.metadata == {"ocop.carrier": "VNPost"}
    assert [(fl.order_line.product_name, fl.quantity, fl.stock.warehouse_id)
            for fl in fulfillment.lines.all()] == [
        ("Miến dong Tài Hoan", 2, catalog.tai_hoan.warehouse_id)
    ]  # fmt: skip
    # and the customer's order shows a partial fulfilment
    assert order.status == OrderStatus.PARTIALLY_FULFILLED
    # and the two packs left Tài Hoan's stock (40 → 38, nothing allocated any more),
    # while Tân Cương's allocation is untouched
    assert stock_of(catalog.mien_dong) == (38, 0)
    assert stock_of(catalog.tra) == (15, 1)
    # and the customer is told, in Vietnamese, which part shipped and how
    (email,) = mail.outbox
    assert email.to == ["lan.nguyen@example.vn"]
    assert email.subject == f"[Chợ OCOP] Đơn hàng #{order.pk}: Hợp tác xã Tài Hoan đã gửi hàng"
    assert "Mã vận đơn: EB123456789VN" in email.body
    assert "Đơn vị vận chuyển: VNPost" in email.body
    assert "Trà xanh" not in email.body
    # with the carrier's own tracking page and the order page
    assert (
        "Theo dõi kiện hàng / Track the parcel: "
        "https://vnpost.vn/vi-vn/dinh-vi/buu-pham?key=EB123456789VN"
    ) in email.body
    assert f"/don-hang/{order.token}/" in email.body

    # When the platform confirms delivery
    lifecycle.deliver(platform_staff, tai_hoan_part.pk)

    # Then the part is delivered, its history complete, and its ledger entry written
    tai_hoan_part.refresh_from_db()
    assert tai_hoan_part.status == "delivered"
    assert [e.status for e in tai_hoan_part.events.all()] == [
        "new", "accepted", "packed", "shipped", "delivered",
    ]  # fmt: skip
    entry = LedgerEntry.objects.get(cooperative_order=tai_hoan_part)
    assert (entry.gross_amount, entry.commission_amount, entry.shipping_amount,
            entry.net_amount) == (Decimal(250000), Decimal(25000), Decimal(12500),
                                  Decimal(237500))  # fmt: skip

    # When Tân Cương ships too, the Saleor order is fully fulfilled
    for step in (lifecycle.accept, lifecycle.pack):
        step(platform_staff, tan_cuong_part.pk)
    lifecycle.ship(platform_staff, tan_cuong_part.pk, "Viettel Post", "VTP-0001")
    order.refresh_from_db()
    assert order.status == OrderStatus.FULFILLED
    assert sorted(f.fulfillment_order for f in order.fulfillments.all()) == [1, 2]


def test_rejecting_releases_the_stock_and_flags_the_order(catalog, two_part_order, tan_cuong_staff):
    order, _, tan_cuong_part = two_part_order
    assert stock_of(catalog.tra) == (15, 1)

    # When Tân Cương rejects its part
    lifecycle.reject(tan_cuong_staff, tan_cuong_part.pk, "  Hết chè búp vụ này  ")

    # Then the allocation is released (stock itself unchanged), the part closed with its
    # reason, and the order flagged for staff with a note in Saleor's order history
    assert stock_of(catalog.tra) == (15, 0)
    tan_cuong_part.refresh_from_db()
    assert (tan_cuong_part.status, tan_cuong_part.reason) == ("rejected", "Hết chè búp vụ này")
    routing = OrderRouting.objects.get(order=order)
    assert routing.needs_attention is True
    assert "HTX từ chối đơn" in routing.attention_reason
    note = order.events.filter(type="note_added", user=tan_cuong_staff).get()
    assert note.parameters["message"] == (
        f"HTX từ chối đơn {tan_cuong_part.number}: Hết chè búp vụ này"
    )
    assert note.user == tan_cuong_staff
    # and Tài Hoan's allocation is untouched
    assert stock_of(catalog.mien_dong) == (40, 2)


@pytest.mark.parametrize(
    ("steps", "action", "code"),
    [
        ([], "pack", "invalid_status"),
        ([], "ship", "invalid_status"),
        (["accept"], "accept", "invalid_status"),
        (["accept", "pack"], "reject", "invalid_status"),
        ([], "deliver", "invalid_status"),  # the cooperative may, once it is shipped
        ([], "cancel", "forbidden"),
    ],
)
def test_steps_out_of_order_or_beyond_the_role_are_refused(
    two_part_order, tai_hoan_staff, steps, action, code
):
    _, part, _ = two_part_order
    for step in steps:
        getattr(lifecycle, step)(tai_hoan_staff, part.pk)
    perform = {
        "pack": lambda: lifecycle.pack(tai_hoan_staff, part.pk),
        "ship": lambda: lifecycle.ship(tai_hoan_staff, part.pk, "VNPost", "X1"),
        "accept": lambda: lifecycle.accept(tai_hoan_staff, part.pk),
        "reject": lambda: lifecycle.reject(tai_hoan_staff, part.pk, "lý do"),
        "deliver": lambda: lifecycle.deliver(tai_hoan_staff, part.pk),
        "cancel": lambda: lifecycle.cancel(tai_hoan_staff, part.pk, "lý do"),
    }[action]
    status_before = CooperativeOrder.objects.get(pk=part.pk).status

    with pytest.raises(lifecycle.LifecycleError) as refused:
        perform()

    assert refused.value.code == code
    assert CooperativeOrder.objects.get(pk=part.pk).status == status_before


def test_another_cooperatives_order_is_not_found(two_part_order, tai_hoan_staff):
    _, _, tan_cuong_part = two_part_order
    with pytest.raises(lifecycle.NotFound):
        lifecycle.accept(tai_hoan_staff, tan_cuong_part.pk)
    assert CooperativeOrder.objects.get(pk=tan_cuong_part.pk).status == "new"


def test_shipping_needs_a_carrier_and_a_tracking_number(two_part_order, tai_hoan_staff):
    _, part, _ = two_part_order
    lifecycle.accept(tai_hoan_staff, part.pk)
    lifecycle.pack(tai_hoan_staff, part.pk)
    with pytest.raises(lifecycle.LifecycleError) as refused:
        lifecycle.ship(tai_hoan_staff, part.pk, "VNPost", "   ")
    assert (refused.value.code, refused.value.field) == (
        "tracking_number_required", "tracking_number",
    )  # fmt: skip
    assert not Order.objects.get(pk=part.order_id).fulfillments.exists()


def test_cancelling_the_saleor_order_cancels_the_unshipped_parts(
    catalog, two_part_order, tai_hoan_staff, platform_staff
):
    order, tai_hoan_part, _tan_cuong_part = two_part_order
    lifecycle.accept(tai_hoan_staff, tai_hoan_part.pk)

    # When staff cancel the whole order in Saleor (the dashboard's orderCancel)
    cancel_order(order=Order.objects.get(pk=order.pk), user=platform_staff)

    # Then both parts are cancelled and every allocation is released
    statuses = CooperativeOrder.objects.filter(order=order).values_list("status", flat=True)
    assert sorted(statuses) == ["cancelled", "cancelled"]
    assert stock_of(catalog.mien_dong) == (40, 0)
    assert stock_of(catalog.tra) == (15, 0)
