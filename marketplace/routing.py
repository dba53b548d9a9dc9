"""Split each Saleor order into cooperative orders, exactly once.

``schedule_routing`` runs inside the checkout's transaction (the OCOP plugin's
``order_created`` hook): it only writes the order's ``OrderRouting`` row, the outbox,
and asks for the Celery task after commit. ``route_order`` (the task's body) does the
work in one transaction that first locks that row, so:

* a second run (the hook or the task delivered twice, the sweeper) finds the row
  ``routed`` and returns the existing cooperative orders;
* concurrent runs wait on the lock, then see ``routed``;
* a worker killed half-way rolls back entirely, and the task (acks_late) or the
  sweeper routes the order again from scratch.

Unique constraints (one cooperative order per order and producer, one cooperative line
per order line, one notification per event) back the lock up.

Stock is not allocated twice: Saleor's ``checkoutComplete`` already allocated each
line from the warehouses holding the variant's stock, which for an OCOP product is
only its producer's warehouse. Routing reads those allocations to decide who ships a
line (falling back to the product's producer for untracked variants).
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from common.money import split_by_weight, whole
from marketplace import ports
from marketplace.models import (
    CooperativeOrder,
    CooperativeOrderEvent,
    CooperativeOrderLine,
    CooperativeSettings,
    NotificationDelivery,
    OcopProduct,
    OrderRouting,
    Producer,
)

logger = logging.getLogger(__name__)

NOTIFY_EVENT_CREATED = "order_created"


@dataclass
class RoutingResult:
    order_id: int
    created: bool
    cooperative_order_ids: list[int] = field(default_factory=list)
    notification_ids: list[int] = field(default_factory=list)
    unrouted_line_ids: list[int] = field(default_factory=list)


def assert_not_oversold(order) -> None:
    """Inside checkoutComplete's transaction, after the shop allocated the order's stock:
    refuse the order if any of its stocks is now allocated beyond what is on hand.

    Saleor 2.10's ``allocate_stock`` sums existing allocations *before* it locks the
    stock rows, so two checkouts racing for the last units could both allocate them
    (tests/routing/test_concurrency.py saw 8 orders for 3 packs). The check itself is
    the adapter's (``OrdersPort.assert_not_oversold``): it raises the shop's own stock
    error, which checkoutComplete turns into a checkout error.
    """
    ports.orders().assert_not_oversold(order)


def schedule_routing(order) -> None:
    """Cheap, inside the caller's transaction: record that ``order`` must be routed,
    and enqueue the task once that transaction commits."""
    OrderRouting.objects.bulk_create([OrderRouting(order=order)], ignore_conflicts=True)
    order_id = order.pk

    def enqueue():
        from marketplace.tasks import route_order_task

        route_order_task.delay(order_id)

    transaction.on_commit(enqueue)


def _lock_routing(order_id: int) -> OrderRouting | None:
    routing = OrderRouting.objects.select_for_update().filter(order_id=order_id).first()
    if routing is None:
        # An order made while the plugin was off, or one the hook never saw.
        if not ports.orders().exists(order_id):
            return None
        OrderRouting.objects.bulk_create([OrderRouting(order_id=order_id)], ignore_conflicts=True)
        routing = OrderRouting.objects.select_for_update().get(order_id=order_id)
    return routing


def _customer(order) -> tuple[str, str]:
    address = order.shipping_address or order.billing_address
    if address is None:
        return "", ""
    name = " ".join(part for part in (address.last_name, address.first_name) if part)
    return name or address.company_name, str(address.phone or "")


def route_order(order_id: int) -> RoutingResult:
    """Create the cooperative orders of Saleor order ``order_id``; idempotent."""
    with transaction.atomic():
        routing = _lock_routing(order_id)
        if routing is None:
            return RoutingResult(order_id, created=False)
        if routing.status == OrderRouting.Status.ROUTED:
            return RoutingResult(
                order_id,
                created=False,
                cooperative_order_ids=list(
                    CooperativeOrder.objects.filter(order_id=order_id)
                    .order_by("pk")
                    .values_list("pk", flat=True)
                ),
            )
        order = ports.orders().get(order_id)
        result = RoutingResult(order_id, created=True)
        if ports.orders().is_routable(order):
            _create_cooperative_orders(order, routing, result)
        if result.cooperative_order_ids:
            # A card captured at checkout was paid before these parts existed: record
            # the order's payments in their books now (idempotent, failures logged).
            ports.orders().sync_payments(order)
        routing.status = OrderRouting.Status.ROUTED
        routing.routed_at = timezone.now()
        routing.save(update_fields=["status", "routed_at", "needs_attention", "attention_reason"])
        if result.notification_ids:
            enqueue_notifications(result.notification_ids)
    return result


def enqueue_notifications(ids: list[int]) -> None:
    """Send these notifications once the current transaction commits."""
    ids = list(ids)

    def enqueue():
        from marketplace.tasks import deliver_notification

        for pk in ids:
            deliver_notification.delay(pk)

    transaction.on_commit(enqueue)


def _line_producers(lines: list[ports.RoutedLine]) -> dict[int, int | None]:
    """order line pk → producer pk: the warehouse the shop allocated it from, else the
    product's producer (variants that do not track inventory)."""
    warehouse_ids = {w for line in lines for w in line.warehouse_ids}
    producer_of_warehouse = dict(
        Producer.objects.filter(warehouse_id__in=warehouse_ids).values_list("warehouse_id", "pk")
    )
    producer_of_product = dict(
        OcopProduct.objects.filter(
            product_id__in={line.product_id for line in lines if line.product_id}
        ).values_list("product_id", "producer_id")
    )
    result = {}
    for line in lines:
        producers = {producer_of_warehouse.get(w) for w in line.warehouse_ids}
        producers.discard(None)
        if len(producers) == 1:
            result[line.pk] = producers.pop()
        else:
            result[line.pk] = producer_of_product.get(line.product_id)
    return result


def _shipping_shares(order, producer_ids: list[int], subtotals: list) -> list:
    """Each part's own shipping: its parcel's fee as priced at checkout and stored with
    the order (``marketplace.shipping``). An order without stored fees (placed before
    parcels were priced, or whose parcels were not all priced) shares its shipping in
    proportion to the parts' goods, as before."""
    fees = ports.orders().parcel_shipping(order)
    if fees is not None and all(p in fees for p in producer_ids):
        return [whole(fees[p]) for p in producer_ids]
    return split_by_weight(whole(order.shipping_price_gross_amount or 0), subtotals)


def _create_cooperative_orders(order, routing: OrderRouting, result: RoutingResult) -> None:
    lines = ports.orders().routed_lines(order)
    producer_of_line = _line_producers(lines)
    by_producer: dict[int, list[ports.RoutedLine]] = defaultdict(list)
    for line in lines:
        producer_id = producer_of_line[line.pk]
        if producer_id is None:
            result.unrouted_line_ids.append(line.pk)
        else:
            by_producer[producer_id].append(line)
    if result.unrouted_line_ids:
        routing.needs_attention = True
        routing.attention_reason = (
            "Dòng hàng không thuộc HTX nào / lines without a producer: "
            + ", ".join(str(pk) for pk in result.unrouted_line_ids)
        )
        logger.warning("Order %s has lines without a producer", order.pk)
    if not by_producer:
        return

    producer_ids = sorted(by_producer)
    subtotals = [
        sum((whole(line.unit_price) * line.quantity for line in by_producer[p]), 0)
        for p in producer_ids
    ]
    shipping = _shipping_shares(order, producer_ids, subtotals)
    name, phone = _customer(order)
    now = timezone.now()
    cooperative_orders = CooperativeOrder.objects.bulk_create(
        [
            CooperativeOrder(
                order=order,
                producer_id=producer_id,
                number=f"{order.pk}-{index}",
                currency=order.currency,
                subtotal_amount=subtotal,
                shipping_amount=shipping_share,
                customer_name=name[:512],
                customer_email=ports.orders().customer_email(order),
                customer_phone=phone[:32],
                created_at=now,
                updated_at=now,
            )
            for index, (producer_id, subtotal, shipping_share) in enumerate(
                zip(producer_ids, subtotals, shipping, strict=True), start=1
            )
        ]
    )
    CooperativeOrderLine.objects.bulk_create(
        [
            CooperativeOrderLine(
                cooperative_order=cooperative_order,
                order_line_id=line.pk,
                product_name=line.product_name,
                sku=line.sku,
                quantity=line.quantity,
                unit_price_amount=whole(line.unit_price),
                total_amount=whole(line.unit_price) * line.quantity,
            )
            for cooperative_order in cooperative_orders
            for line in by_producer[cooperative_order.producer_id]
        ]
    )
    CooperativeOrderEvent.objects.bulk_create(
        [
            CooperativeOrderEvent(cooperative_order=co, status=co.status, created_at=now)
            for co in cooperative_orders
        ]
    )
    webhooks = set(
        CooperativeSettings.objects.filter(producer_id__in=producer_ids)
        .exclude(webhook_url="")
        .values_list("producer_id", flat=True)
    )
    deliveries = [
        NotificationDelivery(
            cooperative_order=co,
            channel=NotificationDelivery.Channel.COOPERATIVE_EMAIL,
            event=NOTIFY_EVENT_CREATED,
            created_at=now,
        )
        for co in cooperative_orders
    ] + [
        NotificationDelivery(
            cooperative_order=co,
            channel=NotificationDelivery.Channel.COOPERATIVE_WEBHOOK,
            event=NOTIFY_EVENT_CREATED,
            created_at=now,
        )
        for co in cooperative_orders
        if co.producer_id in webhooks
    ]
    NotificationDelivery.objects.bulk_create(deliveries)
    _flag_unreachable(order, routing, cooperative_orders)
    result.cooperative_order_ids = [co.pk for co in cooperative_orders]
    result.notification_ids = [d.pk for d in deliveries]


def _flag_unreachable(order, routing: OrderRouting, cooperative_orders) -> None:
    """A cooperative no channel reaches: its part needs a person at once."""
    from marketplace.reachability import unreachable_message, unreachable_producers

    unreachable = unreachable_producers(co.producer_id for co in cooperative_orders)
    if not unreachable:
        return
    names = dict(Producer.objects.filter(pk__in=unreachable).values_list("pk", "name"))
    messages = [
        unreachable_message(co, names[co.producer_id])
        for co in cooperative_orders
        if co.producer_id in unreachable
    ]
    routing.needs_attention = True
    routing.attention_reason = "\n".join(filter(None, [routing.attention_reason, *messages]))
    for message in messages:
        ports.orders().add_note(order, None, message)
    logger.warning("Order %s: %d cooperatives cannot be reached", order.pk, len(messages))


def pending_order_ids(older_than: datetime.timedelta, limit: int = 500) -> list[int]:
    """Orders whose routing has not happened (a lost task, a dead worker)."""
    cutoff = timezone.now() - older_than
    return list(
        OrderRouting.objects.filter(status=OrderRouting.Status.PENDING, created_at__lt=cutoff)
        .order_by("created_at")
        .values_list("order_id", flat=True)[:limit]
    )
