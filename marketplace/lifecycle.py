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
* delivery writes the ledger entry (``marketplace.settlement``); the cooperative or
  staff say on which day the parcel arrived, with an optional proof note;
* a rejected or cancelled part stops being billed and what was paid for it is refunded
  (``marketplace.refunds``); shipping a part paid by bank transfer waits for the money
  (the plugin's ``ship_unpaid_transfers``).

The shopper gets an e-mail for each step that matters to them (rejected, cancelled,
shipped, delivered, refund sent): one ``NotificationDelivery`` per part and event.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from common.errors import DomainError, bilingual
from common.inputs import NUL_MESSAGE, has_nul, required_text
from marketplace import access, ports, refunds, settlement
from marketplace.models import (
    CooperativeOrder,
    CooperativeOrderEvent,
    OrderRouting,
)
from marketplace.models import (
    CooperativeOrderStatus as S,
)

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
    return required_text(
        reason,
        field="reason",
        max_length=1000,
        missing=("Vui lòng nhập lý do", "Please give the reason"),
        error=LifecycleError,
    )


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
    # Payments not in the books yet are split while this part still counts as open.
    ports.orders().sync_payments(cooperative_order.order)
    _release_stock(cooperative_order)
    _move(cooperative_order, user, S.REJECTED, reason)
    cooperative_order.reason = reason
    cooperative_order.save(update_fields=["reason"])
    flag_for_staff(cooperative_order, user, f"HTX từ chối đơn {cooperative_order}: {reason}")
    refunds.part_closed(cooperative_order)
    refunds.notify_customer(cooperative_order, "rejected")
    return cooperative_order


@transaction.atomic
def cancel(user, cooperative_order_id: int, reason: str) -> CooperativeOrder:
    reason = _reason(reason)
    cooperative_order = _locked(user, cooperative_order_id, "cancel")
    ports.orders().sync_payments(cooperative_order.order)
    if cooperative_order.status == S.DELIVERED:
        settlement.record_reversal(cooperative_order, reason=reason, user=user)
    else:
        _release_stock(cooperative_order)
    _move(cooperative_order, user, S.CANCELLED, reason)
    cooperative_order.reason = reason
    cooperative_order.save(update_fields=["reason"])
    flag_for_staff(cooperative_order, user, f"Đơn {cooperative_order} bị huỷ: {reason}")
    refunds.part_closed(cooperative_order)
    refunds.notify_customer(cooperative_order, "cancelled")
    return cooperative_order


def cancel_after_void(cooperative_order: CooperativeOrder, reason: str, user=None) -> None:
    """The order's payment was voided after this part was marked delivered (a COD
    parcel refused at the door): reverse it in the books and close it. The caller
    (``settlement.record_payment_events``) holds the part's lock."""
    settlement.record_reversal(cooperative_order, reason=reason, user=user)
    _move(cooperative_order, user, S.CANCELLED, reason)
    cooperative_order.reason = reason
    cooperative_order.save(update_fields=["reason"])
    flag_for_staff(cooperative_order, user, f"Đơn {cooperative_order} bị huỷ: {reason}")


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
    if awaiting_transfer(cooperative_order):
        raise LifecycleError("awaiting_payment", AWAITING_PAYMENT_MESSAGE)
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
    refunds.notify_customer(cooperative_order, "shipped")
    return cooperative_order


AWAITING_PAYMENT_MESSAGE = bilingual(
    "Đơn chờ thanh toán (chuyển khoản chưa về): chưa thể giao cho vận chuyển",
    "Awaiting payment (the bank transfer has not arrived): the part cannot be shipped yet",
)


def awaiting_transfer(cooperative_order: CooperativeOrder, state=None) -> bool:
    """A part paid by bank transfer whose money has not come in, while the operator
    does not ship unpaid transfers (``ship_unpaid_transfers``): "chờ thanh toán"."""
    if state is None:
        state = ports.payments().payment_states([cooperative_order.order_id])[
            cooperative_order.order_id
        ]
    if state.kind != "transfer" or state.due <= 0:
        return False
    return not ports.settings().marketplace_settings().ship_unpaid_transfers


def _clean_delivery(delivered_on, note: str, cooperative_order) -> tuple[datetime.date, str]:
    today = timezone.localdate()
    if delivered_on in (None, ""):
        day = today
    elif isinstance(delivered_on, datetime.date):
        day = delivered_on
    else:
        try:
            day = datetime.date.fromisoformat(str(delivered_on).strip())
        except ValueError:
            raise LifecycleError(
                "invalid_date",
                bilingual("Ngày giao phải có dạng YYYY-MM-DD", "The date must be YYYY-MM-DD"),
                "delivered_on",
            ) from None
    shipped = cooperative_order.shipped_at
    earliest = timezone.localtime(shipped).date() if shipped else None
    if day > today or (earliest and day < earliest):
        raise LifecycleError(
            "date_out_of_range",
            bilingual(
                "Ngày giao phải từ ngày gửi hàng đến hôm nay",
                "The delivery date must be between the shipping day and today",
            ),
            "delivered_on",
        )
    note = (note or "").strip()
    if len(note) > 1000:
        raise LifecycleError(
            "note_too_long",
            bilingual("Ghi chú tối đa 1000 ký tự", "The note is at most 1000 characters"),
            "note",
        )
    if has_nul(note):
        raise LifecycleError("null_character", NUL_MESSAGE, "note")
    return day, note


@transaction.atomic
def deliver(user, cooperative_order_id: int, delivered_on=None, note: str = "") -> CooperativeOrder:
    """The parcel reached the shopper on ``delivered_on`` (today when not given; a
    ``date`` or ``YYYY-MM-DD``), with an optional proof ``note``. The cooperative or
    staff may say so; the books record it the same way (``settlement.record_delivery``)."""
    cooperative_order = _locked(user, cooperative_order_id, "deliver")
    day, note = _clean_delivery(delivered_on, note, cooperative_order)
    cooperative_order.delivered_on = day
    cooperative_order.delivery_note = note
    _move(
        cooperative_order,
        user,
        S.DELIVERED,
        " · ".join(filter(None, [day.strftime("%d/%m/%Y"), note])),
    )
    settlement.record_delivery(cooperative_order, user=user)
    refunds.notify_customer(cooperative_order, "delivered")
    return cooperative_order


def _release_stock(cooperative_order: CooperativeOrder) -> None:
    """Give back this part's allocated stock, with the shop's own deallocation."""
    shop = ports.orders()
    for line in cooperative_order.lines.select_related("order_line"):
        quantity = shop.unfulfilled_quantity(line.order_line)
        if quantity > 0:
            shop.release_stock(line.order_line, quantity)


def flag_for_staff(cooperative_order: CooperativeOrder, user, message: str) -> None:
    """Put the order on platform staff's "needs attention" queue, with ``message`` added
    to its reasons and to the shop's order history."""
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
