"""The life of a cooperative order, and what each step does to Saleor.

    new → accepted → packed → shipped (carrier, tracking number) → delivered
    new | accepted → rejected (by the cooperative, with a reason)
    new | accepted | packed → cancelled (by platform staff, with a reason)
    delivered → cancelled (platform staff: a return; reversing ledger entry)

Each step locks the cooperative order, checks who asks (``marketplace.access.may``)
and the current status, and does its Saleor side in the same transaction:

* shipping creates the Saleor fulfillment for exactly this cooperative's lines, from
  its warehouse, through Saleor's ``create_fulfillments`` (which turns the allocation
  into a stock decrease); the customer's order shows a partial fulfilment per
  cooperative, and the customer gets an email for this part;
* rejecting or cancelling before shipment releases this part's allocations through
  Saleor's ``deallocate_stock`` and flags the order for staff (routing flag + a note
  on the Saleor order);
* delivery writes the ledger entry (``marketplace.settlement``).
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from common.errors import DomainError
from common.inputs import NUL_MESSAGE, has_nul
from marketplace import access, ports, settlement
from marketplace.models import (
    CooperativeOrder,
    CooperativeOrderEvent,
    NotificationDelivery,
    OrderRouting,
)
from marketplace.models import (
    CooperativeOrderStatus as S,
)
from marketplace.routing import enqueue_notifications

ALLOWED_FROM = {
    "accept": {S.NEW},
    "reject": {S.NEW, S.ACCEPTED},
    "pack": {S.ACCEPTED},
    "ship": {S.PACKED},
    "deliver": {S.SHIPPED},
    "cancel": {S.NEW, S.ACCEPTED, S.PACKED, S.DELIVERED},
}
TARGET = {
    "accept": S.ACCEPTED,
    "reject": S.REJECTED,
    "pack": S.PACKED,
    "ship": S.SHIPPED,
    "deliver": S.DELIVERED,
    "cancel": S.CANCELLED,
}
ACTION_LABELS = {
    "accept": "Nhận đơn",
    "reject": "Từ chối",
    "pack": "Đã đóng gói",
    "ship": "Giao cho vận chuyển",
    "deliver": "Đã giao",
    "cancel": "Huỷ đơn",
}


class LifecycleError(DomainError):
    """A refused step. ``code`` is stable (for APIs); the message is Vietnamese."""


class NotFound(LifecycleError):
    def __init__(self):
        super().__init__("not_found", "Không tìm thấy đơn hàng.")


def actions_for(user, cooperative_order: CooperativeOrder) -> list[str]:
    """The steps ``user`` may take now, in display order."""
    return [
        action
        for action in ("accept", "pack", "ship", "deliver", "reject", "cancel")
        if cooperative_order.status in ALLOWED_FROM[action]
        and access.may(user, action, cooperative_order)
    ]


def _locked(user, cooperative_order_id: int, action: str) -> CooperativeOrder:
    """The cooperative order, locked; NotFound for anything ``user`` cannot see
    (another cooperative's order is indistinguishable from a missing one)."""
    cooperative_order = (
        access.cooperative_orders_for(user)
        .select_for_update(of=("self",))
        .select_related("producer", "order")
        .filter(pk=cooperative_order_id)
        .first()
    )
    if cooperative_order is None:
        raise NotFound()
    if not access.may(user, action, cooperative_order):
        raise LifecycleError("forbidden", "Bạn không có quyền thực hiện thao tác này.")
    if cooperative_order.status not in ALLOWED_FROM[action]:
        raise LifecycleError(
            "invalid_status",
            f"Không thể «{ACTION_LABELS[action]}» khi đơn đang ở trạng thái "
            f"«{cooperative_order.get_status_display()}».",
        )
    return cooperative_order


def _move(cooperative_order: CooperativeOrder, user, status: str, note: str = "") -> None:
    now = timezone.now()
    cooperative_order.status = status
    cooperative_order.updated_at = now
    stamp = {
        S.ACCEPTED: "accepted_at",
        S.PACKED: "packed_at",
        S.SHIPPED: "shipped_at",
        S.DELIVERED: "delivered_at",
        S.REJECTED: "closed_at",
        S.CANCELLED: "closed_at",
    }[status]
    setattr(cooperative_order, stamp, now)
    cooperative_order.save()
    CooperativeOrderEvent.objects.create(
        cooperative_order=cooperative_order,
        status=status,
        user=user if access.is_authenticated(user) else None,
        note=note,
    )


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise LifecycleError("reason_required", "Vui lòng nhập lý do.", field="reason")
    if len(reason) > 1000:
        raise LifecycleError("reason_too_long", "Lý do tối đa 1000 ký tự.", field="reason")
    if has_nul(reason):
        raise LifecycleError("null_character", NUL_MESSAGE, field="reason")
    return reason


@transaction.atomic
def accept(user, cooperative_order_id: int) -> CooperativeOrder:
    cooperative_order = _locked(user, cooperative_order_id, "accept")
    _move(cooperative_order, user, S.ACCEPTED)
    return cooperative_order


@transaction.atomic
def pack(user, cooperative_order_id: int) -> CooperativeOrder:
    cooperative_order = _locked(user, cooperative_order_id, "pack")
    _move(cooperative_order, user, S.PACKED)
    return cooperative_order


@transaction.atomic
def reject(user, cooperative_order_id: int, reason: str) -> CooperativeOrder:
    reason = _reason(reason)
    cooperative_order = _locked(user, cooperative_order_id, "reject")
    _release_stock(cooperative_order)
    _move(cooperative_order, user, S.REJECTED, reason)
    cooperative_order.reason = reason
    cooperative_order.save(update_fields=["reason"])
    _flag_for_staff(cooperative_order, user, f"HTX từ chối đơn {cooperative_order}: {reason}")
    return cooperative_order


@transaction.atomic
def cancel(user, cooperative_order_id: int, reason: str) -> CooperativeOrder:
    reason = _reason(reason)
    cooperative_order = _locked(user, cooperative_order_id, "cancel")
    if cooperative_order.status == S.DELIVERED:
        settlement.record_reversal(cooperative_order, reason=reason, user=user)
    else:
        _release_stock(cooperative_order)
    _move(cooperative_order, user, S.CANCELLED, reason)
    cooperative_order.reason = reason
    cooperative_order.save(update_fields=["reason"])
    _flag_for_staff(cooperative_order, user, f"Đơn {cooperative_order} bị huỷ: {reason}")
    return cooperative_order


def cancel_after_void(cooperative_order: CooperativeOrder, reason: str, user=None) -> None:
    """The order's payment was voided after this part was marked delivered (a COD
    parcel refused at the door): reverse it in the books and close it. The caller
    (``settlement.record_payment_events``) holds the part's lock."""
    settlement.record_reversal(cooperative_order, reason=reason, user=user)
    _move(cooperative_order, user, S.CANCELLED, reason)
    cooperative_order.reason = reason
    cooperative_order.save(update_fields=["reason"])
    _flag_for_staff(cooperative_order, user, f"Đơn {cooperative_order} bị huỷ: {reason}")


def _clean_shipment(carrier: str, tracking_number: str) -> tuple[str, str]:
    carrier, tracking_number = (carrier or "").strip(), (tracking_number or "").strip()
    if not carrier:
        raise LifecycleError("carrier_required", "Vui lòng nhập đơn vị vận chuyển.", "carrier")
    if not tracking_number:
        raise LifecycleError(
            "tracking_number_required", "Vui lòng nhập mã vận đơn.", "tracking_number"
        )
    if len(carrier) > 100 or len(tracking_number) > 100:
        raise LifecycleError("too_long", "Đơn vị vận chuyển và mã vận đơn tối đa 100 ký tự.")
    for field, value in (("carrier", carrier), ("tracking_number", tracking_number)):
        if has_nul(value):
            raise LifecycleError("null_character", NUL_MESSAGE, field)
    return carrier, tracking_number


@transaction.atomic
def ship(user, cooperative_order_id: int, carrier: str, tracking_number: str) -> CooperativeOrder:
    carrier, tracking_number = _clean_shipment(carrier, tracking_number)
    cooperative_order = _locked(user, cooperative_order_id, "ship")
    # Saleor numbers fulfillments per order (max + 1): two cooperatives shipping parts
    # of one order at the same moment must take turns.
    shop = ports.orders()
    order = shop.get(cooperative_order.order_id, lock=True)
    lines = [
        (line.order_line, shop.unfulfilled_quantity(line.order_line))
        for line in cooperative_order.lines.select_related("order_line__variant")
        if shop.unfulfilled_quantity(line.order_line) > 0
    ]
    if not lines:
        raise LifecycleError("nothing_to_ship", "Đơn không còn hàng cần giao.")
    try:
        fulfillment = shop.fulfil(user, order, cooperative_order.producer.warehouse_id, lines)
    except ports.OutOfStock as error:
        raise LifecycleError(
            "insufficient_stock", "Kho của HTX không đủ hàng cho đơn này."
        ) from error
    shop.record_shipment(fulfillment, carrier, tracking_number)
    cooperative_order.fulfillment = fulfillment
    cooperative_order.carrier = carrier
    cooperative_order.tracking_number = tracking_number
    _move(cooperative_order, user, S.SHIPPED, f"{carrier} {tracking_number}")
    delivery, _ = NotificationDelivery.objects.get_or_create(
        cooperative_order=cooperative_order,
        channel=NotificationDelivery.Channel.CUSTOMER_EMAIL,
        event="shipped",
    )
    enqueue_notifications([delivery.pk])
    return cooperative_order


@transaction.atomic
def deliver(user, cooperative_order_id: int) -> CooperativeOrder:
    cooperative_order = _locked(user, cooperative_order_id, "deliver")
    _move(cooperative_order, user, S.DELIVERED)
    settlement.record_delivery(cooperative_order, user=user)
    return cooperative_order


def _release_stock(cooperative_order: CooperativeOrder) -> None:
    """Give back this part's allocated stock, with the shop's own deallocation."""
    shop = ports.orders()
    for line in cooperative_order.lines.select_related("order_line"):
        quantity = shop.unfulfilled_quantity(line.order_line)
        if quantity > 0:
            shop.release_stock(line.order_line, quantity)


def _flag_for_staff(cooperative_order: CooperativeOrder, user, message: str) -> None:
    routing, _ = OrderRouting.objects.select_for_update().get_or_create(
        order_id=cooperative_order.order_id,
        defaults={"status": OrderRouting.Status.ROUTED},
    )
    routing.needs_attention = True
    routing.attention_reason = "\n".join(filter(None, [routing.attention_reason, message]))
    routing.save(update_fields=["needs_attention", "attention_reason"])
    ports.orders().add_note(cooperative_order.order, user, message)


def attention_for(user, cooperative_order: CooperativeOrder) -> OrderRouting | None:
    """The staff flag on the order of ``cooperative_order``, for platform staff only
    (its reasons can name other cooperatives' parts)."""
    if not access.sees_all(user):
        return None
    return OrderRouting.objects.filter(
        order_id=cooperative_order.order_id, needs_attention=True
    ).first()


@transaction.atomic
def resolve_attention(user, cooperative_order_id: int, note: str) -> OrderRouting:
    """Platform staff dealt with a flagged order (a part rejected or cancelled: refund,
    another cooperative, a call to the buyer): the flag is cleared and what was done goes
    on the Saleor order's history. Anyone else gets NotFound, as for a missing order."""

    if not access.sees_all(user):
        raise NotFound()
    cooperative_order = (
        access.cooperative_orders_for(user)
        .select_related("order")
        .filter(pk=cooperative_order_id)
        .first()
    )
    if cooperative_order is None:
        raise NotFound()
    note = _reason(note)
    routing = (
        OrderRouting.objects.select_for_update()
        .filter(order_id=cooperative_order.order_id, needs_attention=True)
        .first()
    )
    if routing is None:
        raise LifecycleError(
            "not_flagged", "Đơn này không cần xử lý / This order needs no attention."
        )
    routing.needs_attention = False
    routing.save(update_fields=["needs_attention"])
    ports.orders().add_note(cooperative_order.order, user, f"Đã xử lý: {note}")
    return routing


def saleor_order_cancelled(order) -> list[int]:
    """Saleor cancelled the whole order (and already released its allocations): close
    the cooperative parts that were not shipped yet."""
    cancelled = []
    with transaction.atomic():
        for cooperative_order in (
            CooperativeOrder.objects.select_for_update()
            .filter(order=order, status__in=[S.NEW, S.ACCEPTED, S.PACKED])
            .order_by("pk")
        ):
            _move(cooperative_order, None, S.CANCELLED, "Cửa hàng đã huỷ đơn hàng.")
            cooperative_order.reason = "Cửa hàng đã huỷ đơn hàng."
            cooperative_order.save(update_fields=["reason"])
            cancelled.append(cooperative_order.pk)
    return cancelled
