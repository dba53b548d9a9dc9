"""Routing: a customer's order becomes one cooperative order per producer, once."""

from decimal import Decimal

from django.core import mail
from django.core.mail.utils import DNS_NAME
from saleor.order.models import Order
from saleor.plugins.models import PluginConfiguration
from saleor.product.models import Product, ProductVariant
from saleor.warehouse.models import Allocation, Stock, Warehouse

from marketplace.models import (
    CooperativeOrder,
    CooperativeOrderLine,
    NotificationDelivery,
    OrderRouting,
)
from marketplace.routing import route_order
from marketplace.tasks import route_order_task
from saleor_adapter.ocop.plugin import PLUGIN_ID


def parts(order):
    return [
        (
            co.number,
            co.producer.name,
            co.status,
            co.subtotal_amount,
            co.shipping_amount,
            [(li.sku[:5], li.product_name, li.quantity, li.total_amount) for li in co.lines.all()],
        )
        for co in CooperativeOrder.objects.filter(order=order).order_by("number")
    ]  # fmt: skip


def test_an_order_from_two_cooperatives_becomes_two_cooperative_orders(
    catalog, order_of, cooperative_settings, marketplace_on_commit, celery_runs_tasks_inline
):
    # Given a customer who buys 2 miến dong (Tài Hoan) and 1 trà (Tân Cương), shipping 30.000 ₫
    with marketplace_on_commit():
        order = order_of((catalog.mien_dong, 2), (catalog.tra, 1))
        # When the order is created, the hook only records it for routing
        assert OrderRouting.objects.get(order=order).status == "pending"
        assert CooperativeOrder.objects.count() == 0
    # and after commit the routing task splits it

    # Then each cooperative gets its own part, with its lines, its goods and a shipping
    # share in proportion to its goods (250.000 : 350.000 of 30.000 ₫)
    first, second = (
        f"{order.pk}-1" if catalog.tai_hoan.pk < catalog.tan_cuong.pk else f"{order.pk}-2",
        f"{order.pk}-2" if catalog.tai_hoan.pk < catalog.tan_cuong.pk else f"{order.pk}-1",
    )
    assert sorted(parts(order)) == sorted(
        [
            (first, "Hợp tác xã Tài Hoan", "new", Decimal(250000), Decimal(12500),
             [("OCOP-", "Miến dong Tài Hoan", 2, Decimal(250000))]),
            (second, "Hợp tác xã Chè Tân Cương", "new", Decimal(350000), Decimal(17500),
             [("OCOP-", "Trà xanh Tân Cương", 1, Decimal(350000))]),
        ]
    )  # fmt: skip
    assert OrderRouting.objects.get(order=order).status == "routed"
    # with the customer's name, phone and e-mail
    co = CooperativeOrder.objects.get(order=order, producer=catalog.tai_hoan)
    assert (co.customer_name, co.customer_phone, co.customer_email) == (
        "Nguyễn Thị Lan", "+84912345678", "lan.nguyen@example.vn",
    )  # fmt: skip
    # and the stock Saleor allocated at checkout comes from each cooperative's own warehouse
    allocations = sorted(
        Allocation.objects.filter(order_line__order=order).values_list(
            "stock__warehouse_id", "quantity_allocated"
        )
    )
    assert allocations == sorted(
        [(catalog.tai_hoan.warehouse_id, 2), (catalog.tan_cuong.warehouse_id, 1)]
    )
    # and each cooperative is e-mailed once, in Vietnamese, with a link to its portal
    assert sorted((m.to, m.subject) for m in mail.outbox) == sorted(
        [
            (["donhang@taihoan.test"], f"[Chợ OCOP] Đơn hàng mới {co.number} – 262.500\u00a0₫"),
            (
                ["donhang@tancuong.test"],
                f"[Chợ OCOP] Đơn hàng mới {co.number[:-1]}{3 - int(co.number[-1])}"
                " – 367.500\u00a0₫",
            ),
        ]
    )
    body = next(m.body for m in mail.outbox if m.to == ["donhang@taihoan.test"])
    assert "Miến dong Tài Hoan" in body
    assert "× 2: 250.000\u00a0₫" in body
    assert "Giao đến: Nguyễn Thị Lan – +84912345678" in body
    assert f"/htx/don-hang/{co.pk}/" in body
    assert "Trà xanh" not in body  # the other cooperative's line is not shown
    # under a Message-ID of its own notification, the same on any repeated attempt
    delivery = NotificationDelivery.objects.get(
        cooperative_order=co, channel=NotificationDelivery.Channel.COOPERATIVE_EMAIL
    )
    (message,) = (m for m in mail.outbox if m.to == ["donhang@taihoan.test"])
    assert message.extra_headers["Message-ID"] == f"<ocop-notification-{delivery.pk}@{DNS_NAME}>"


def test_routing_again_changes_nothing(catalog, order_of, cooperative_settings):
    # Given an order routed once
    order = order_of((catalog.mien_dong, 1), (catalog.tra, 2))
    first = route_order(order.pk)
    sent = len(mail.outbox)

    # When the hook's task runs again, twice, and the function too
    again = [route_order(order.pk), route_order_task.apply(args=[order.pk]).get()]
    route_order_task.apply(args=[order.pk]).get()

    # Then the same two cooperative orders exist, with one line each and no new notification
    assert first.created is True
    assert again[0].created is False
    assert again[0].cooperative_order_ids == first.cooperative_order_ids
    assert again[1] == first.cooperative_order_ids
    assert CooperativeOrder.objects.filter(order=order).count() == 2
    assert CooperativeOrderLine.objects.filter(cooperative_order__order=order).count() == 2
    assert NotificationDelivery.objects.filter(cooperative_order__order=order).count() == 2
    assert len(mail.outbox) == sent


def test_one_cooperative_order_keeps_all_its_lines_and_the_whole_shipping(catalog, order_of):
    # Given an order of only Tài Hoan's products
    order = order_of((catalog.mien_dong, 3))

    # When it is routed
    route_order(order.pk)

    # Then there is one cooperative order carrying the whole shipping price
    (co,) = CooperativeOrder.objects.filter(order=order)
    assert (co.subtotal_amount, co.shipping_amount, co.total_amount) == (
        Decimal(375000), Decimal(30000), Decimal(405000),
    )  # fmt: skip
    assert co.total_amount == Order.objects.get(pk=order.pk).total_gross_amount


def test_with_the_plugin_inactive_orders_are_not_routed(catalog, order_of, marketplace_on_commit):
    # Given the OCOP plugin switched off by the operator
    PluginConfiguration.objects.update_or_create(
        identifier=PLUGIN_ID, defaults={"name": "OCOP Marketplace", "active": False}
    )

    # When a customer orders
    with marketplace_on_commit():
        order = order_of((catalog.mien_dong, 1))

    # Then nothing is recorded for routing
    assert not OrderRouting.objects.filter(order=order).exists()
    assert CooperativeOrder.objects.count() == 0


def test_a_line_without_producer_flags_the_order_for_staff(catalog, order_of):
    # Given a Saleor product that is not an OCOP product, stocked in a warehouse of no
    # producer, ordered together with Tài Hoan's miến dong
    stranger = Product.objects.create(
        name="Quà tặng", slug="qua-tang", product_type=catalog.mien_dong.product.product_type,
        category=catalog.mien_dong.product.category, price_amount=Decimal(10000),
        currency="VND", is_published=True,
    )  # fmt: skip
    variant = ProductVariant.objects.create(product=stranger, sku="QUA-TANG")
    warehouse = Warehouse.objects.create(
        name="Kho sàn", slug="kho-san", address=catalog.tai_hoan.warehouse.address
    )
    warehouse.shipping_zones.add(catalog.shipping_method.shipping_zone)
    Stock.objects.create(warehouse=warehouse, product_variant=variant, quantity=5)
    order = order_of((catalog.mien_dong, 1), (variant, 1))

    # When it is routed
    result = route_order(order.pk)

    # Then Tài Hoan's part is routed and the order is flagged with the lost line
    assert [co.producer for co in CooperativeOrder.objects.filter(order=order)] == [
        catalog.tai_hoan
    ]
    routing = OrderRouting.objects.get(order=order)
    assert routing.needs_attention is True
    lost = order.lines.get(product_sku="QUA-TANG").pk
    assert result.unrouted_line_ids == [lost]
    assert str(lost) in routing.attention_reason
