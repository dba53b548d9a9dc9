"""Platform staff's order desk: find an order, read its file, and act on it.

* ``parse_query`` reads the search form (number, phone in any Vietnamese spelling,
  e-mail, cooperative, part status, payment method and status), field by field, with
  bilingual errors; ``search_page`` lists a keyset page of orders in three queries
  whatever its size (the shop's search, the parts, the payments).
* ``order_file`` is everything the order's page shows: its parcels
  (``parcels.order_view``), payments, refunds, the merged history of its parts and of the
  shop's order, and the customer e-mails sent.
* The actions are the services the API uses: ``lifecycle.cancel`` per part,
  ``refunds.record_bank_refund`` / ``refunds.refund_now`` for a part's refund, and the
  e-mails sent again (``resend_email``), which go on the order's history with the actor.
  Confirming cash collected is ``payments_vn.cod_reconciliation.confirm_collected``
  (the same check and capture as a courier's file).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from common.errors import DomainError, bilingual
from common.inputs import has_nul, required_text, whole_number
from common.phones import normalise_phone
from marketplace import access, lifecycle, parcels, ports, refunds
from marketplace.models import (
    CooperativeOrder,
    CooperativeOrderEvent,
    CooperativeOrderStatus,
    NotificationDelivery,
    PartRefund,
    Producer,
)
from marketplace.routing import enqueue_notifications

PAGE_SIZE = 50
LARGEST_ORDER_NUMBER = 2**31 - 1  # Saleor 2.10's 32-bit ids
PAYMENT_KINDS = {
    "cod": "Thanh toán khi nhận hàng / Cash on delivery",
    "transfer": "Chuyển khoản VietQR / Bank transfer",
    "card": "Thẻ / Card",
}
PAYMENT_STATUSES = {
    "unpaid": "Chưa thanh toán / Unpaid",
    "partly_paid": "Thanh toán một phần / Partly paid",
    "paid": "Đã thanh toán / Paid",
    "partly_refunded": "Hoàn một phần / Partly refunded",
    "refunded": "Đã hoàn tiền / Refunded",
    "voided": "Đã huỷ thanh toán / Voided",
}
CANCELLABLE = (CooperativeOrderStatus.NEW, CooperativeOrderStatus.ACCEPTED,
               CooperativeOrderStatus.PACKED)  # fmt: skip
CONFIRMATION = "confirmation"


class OrderDeskError(DomainError):
    pass


def _not_found() -> OrderDeskError:
    return OrderDeskError("not_found", bilingual("Không tìm thấy đơn hàng", "Order not found"))


def _staff(user) -> None:
    if not access.sees_all(user):
        raise _not_found()


# -- the search ----------------------------------------------------------------------


def parse_order_number(text: str) -> int | None:
    """ "123", "#123", or a part's number "123-2" → 123; None when it is none."""
    text = text.strip().lstrip("#")
    head, _, tail = text.partition("-")
    if tail and whole_number(tail, max_digits=4) is None:
        return None
    number = whole_number(head, max_digits=10)
    if number is None or number < 1 or number > LARGEST_ORDER_NUMBER:
        return None
    return number


@dataclass
class ParsedQuery:
    query: ports.OrderQuery
    filters: dict[str, str]  # as typed (trimmed), for the form and the page links
    errors: dict[str, str] = field(default_factory=dict)
    producer: Producer | None = None


FIELDS = ("so", "dien_thoai", "email", "htx", "trang_thai", "thanh_toan", "tt_thanh_toan")


def parse_query(params: Mapping[str, str]) -> ParsedQuery:
    raw = {name: (params.get(name) or "").strip() for name in FIELDS}
    errors: dict[str, str] = {}
    for name, value in raw.items():
        if has_nul(value) or len(value) > 254:
            errors[name] = bilingual("Giá trị không hợp lệ", "Invalid value")
    values: dict[str, Any] = {}
    if raw["so"] and "so" not in errors:
        values["number"] = parse_order_number(raw["so"])
        if values["number"] is None:
            errors["so"] = bilingual(
                "Mã đơn là số, ví dụ 1024 hoặc 1024-1", "The order number is a number, e.g. 1024"
            )
    if raw["dien_thoai"] and "dien_thoai" not in errors:
        values["phone"] = normalise_phone(raw["dien_thoai"])
        if values["phone"] is None:
            errors["dien_thoai"] = bilingual(
                "Số điện thoại Việt Nam không hợp lệ, ví dụ 0912 345 678",
                "Not a Vietnamese phone number, e.g. 0912 345 678",
            )
    if raw["email"] and "email" not in errors:
        try:
            validate_email(raw["email"])
            values["email"] = raw["email"]
        except ValidationError:
            errors["email"] = bilingual("E-mail không hợp lệ", "Not a valid e-mail address")
    producer = None
    if raw["htx"] and "htx" not in errors:
        producer_id = whole_number(raw["htx"], max_digits=12)
        producer = Producer.objects.filter(pk=producer_id).first() if producer_id else None
        if producer is None:
            errors["htx"] = bilingual("Không có hợp tác xã này", "No such cooperative")
        else:
            values["producer_id"] = producer.pk
    for name, key, known in (
        ("trang_thai", "part_status", CooperativeOrderStatus.values),
        ("thanh_toan", "payment_kind", PAYMENT_KINDS),
        ("tt_thanh_toan", "payment_status", PAYMENT_STATUSES),
    ):
        if raw[name] and name not in errors:
            if raw[name] in known:
                values[key] = raw[name]
            else:
                errors[name] = bilingual("Vui lòng chọn trong danh sách", "Choose from the list")
    query = ports.OrderQuery(**values) if not errors else ports.OrderQuery()
    return ParsedQuery(query, {k: v for k, v in raw.items() if v}, errors, producer)


@dataclass
class OrderRow:
    order: ports.OrderSummary
    parts: list[CooperativeOrder]
    payment: ports.PaymentState

    @property
    def payment_label(self) -> str:
        if not self.payment.kind:
            return "Chưa có thanh toán / No payment"
        return (
            f"{PAYMENT_KINDS.get(self.payment.kind, self.payment.kind)} · "
            f"{PAYMENT_STATUSES.get(self.payment.status, self.payment.status)}"
        )


@dataclass
class OrderPage:
    rows: list[OrderRow]
    newer: int | None  # ``truoc`` of the previous page, None on the first
    older: int | None  # ``sau`` of the next page, None on the last


def search_page(
    user, query: ports.OrderQuery, *, after: int | None = None, before: int | None = None,
    size: int = PAGE_SIZE,
) -> OrderPage:  # fmt: skip
    """One page of orders, newest first: three queries whatever ``size``."""
    _staff(user)
    found = ports.orders().search(query, after=after, before=before, limit=size + 1)
    if before is not None:
        more_newer = len(found) > size
        found = found[-size:] if more_newer else found
        more_older = True  # we came back from an older page
    else:
        more_older = len(found) > size
        found = found[:size]
        more_newer = after is not None
    ids = [summary.pk for summary in found]
    parts: dict[int, list[CooperativeOrder]] = {pk: [] for pk in ids}
    for part in (
        CooperativeOrder.objects.filter(order_id__in=ids)
        .select_related("producer")
        .only("id", "number", "status", "order_id", "producer__name", "subtotal_amount",
              "shipping_amount")
        .order_by("order_id", "number")
    ):  # fmt: skip
        parts[part.order_id].append(part)
    payments = ports.payments().payment_states(ids)
    rows = [OrderRow(summary, parts[summary.pk], payments[summary.pk]) for summary in found]
    return OrderPage(
        rows=rows,
        newer=ids[0] if ids and more_newer else None,
        older=ids[-1] if ids and more_older else None,
    )


# -- one order -------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryItem:
    at: Any
    source: str  # "part" (a cooperative's part), "shop" (the shop's order), "email"
    kind: str
    who: str
    message: str


@dataclass
class OrderFile:
    order: Any
    summary: ports.OrderSummary
    view: parcels.OrderView
    payments: list[ports.PaymentSummary]
    refunds: list[PartRefund]
    history: list[HistoryItem]
    emails: list[NotificationDelivery]
    cod_due: int | None  # cash on delivery still to collect, None: not a COD order


def get_order(user, order_id: int):
    _staff(user)
    order = ports.orders().get(order_id) if order_id <= LARGEST_ORDER_NUMBER else None
    if order is None or order.status == ports.orders().statuses().draft:
        raise _not_found()
    return order


def order_file(user, order_id: int) -> OrderFile:
    order = get_order(user, order_id)
    view = parcels.order_view(order.pk)
    part_ids = [parcel.part.pk for parcel in view.parcels]
    numbers = {parcel.part.pk: parcel.part.number for parcel in view.parcels}
    history = [
        HistoryItem(e.created_at, "part", f"{numbers[e.cooperative_order_id]}: "
                    f"{e.get_status_display()}", e.user.email if e.user else "", e.note)
        for e in CooperativeOrderEvent.objects.filter(cooperative_order_id__in=part_ids)
        .select_related("user")
    ]  # fmt: skip
    history += [
        HistoryItem(item.at, "shop", item.kind, item.user_email, item.message)
        for item in ports.orders().history(order)
    ]
    emails = list(
        NotificationDelivery.objects.filter(
            cooperative_order_id__in=part_ids,
            channel=NotificationDelivery.Channel.CUSTOMER_EMAIL,
        ).order_by("created_at", "pk")
    )
    history.sort(key=lambda item: item.at)
    payments = ports.orders().payments_of(order)
    cod_due = None
    if view.payment.kind == "cod":
        cod_due = ports.payments().cod_amount_due(order)
    return OrderFile(
        order=order,
        summary=ports.orders().summary(order),
        view=view,
        payments=payments,
        refunds=[parcel.refund for parcel in view.parcels if parcel.refund is not None],
        history=history,
        emails=emails,
        cod_due=cod_due,
    )


def _part_of(order, part_id: int | None) -> CooperativeOrder:
    part = (
        CooperativeOrder.objects.filter(order_id=order.pk, pk=part_id).first()
        if part_id is not None
        else None
    )
    if part is None:
        raise OrderDeskError(
            "unknown_part", bilingual("Không có phần đơn này", "No such part"), "part"
        )
    return part


# -- actions ---------------------------------------------------------------------------


def cancel_part(user, order_id: int, part_id: int | None, reason: str) -> CooperativeOrder:
    """One part, as the API's ``cooperativeOrderCancel``."""
    order = get_order(user, order_id)
    part = _part_of(order, part_id)
    return lifecycle.cancel(user, part.pk, reason)


@transaction.atomic
def cancel_order(user, order_id: int, reason: str) -> list[CooperativeOrder]:
    """Every part not shipped yet (new, accepted, packed), each through
    ``lifecycle.cancel`` with ``reason``: all or none. Shipped and delivered parts stay
    (a delivered one is cancelled on its own, as a return)."""
    order = get_order(user, order_id)
    # The reason's field error before anything else (lifecycle.cancel checks it the same).
    required_text(
        reason, field="reason", max_length=1000,
        missing=("Vui lòng nhập lý do", "Please give the reason"), error=OrderDeskError,
    )  # fmt: skip
    open_ids = list(
        CooperativeOrder.objects.filter(order_id=order.pk, status__in=CANCELLABLE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not open_ids:
        raise OrderDeskError(
            "nothing_to_cancel",
            bilingual(
                "Không còn phần đơn nào có thể huỷ (đã gửi, đã giao hoặc đã đóng)",
                "No part is left to cancel (shipped, delivered or closed)",
            ),
        )
    return [lifecycle.cancel(user, part_id, reason) for part_id in open_ids]


def refund_part(user, order_id: int, part_id: int | None, reference: str = "") -> PartRefund:
    """The part's refund, as its method wants: a bank refund owed is recorded with the
    bank's ``reference`` (``refunds.record_bank_refund``); a card refund queued or failed
    goes through the gateway now (``refunds.refund_now``)."""
    order = get_order(user, order_id)
    part = _part_of(order, part_id)
    refund = PartRefund.objects.filter(cooperative_order=part).first()
    if refund is None or refund.status == PartRefund.Status.REFUNDED:
        raise OrderDeskError(
            "nothing_to_refund",
            bilingual("Phần đơn này không có khoản hoàn nào mở", "This part has no open refund"),
            "part",
        )
    if refund.method == PartRefund.Method.BANK_TRANSFER:
        return refunds.record_bank_refund(user, part.pk, reference)
    return refunds.refund_now(user, refund.pk)


def resend_email(user, order_id: int, which: str) -> str:
    """Send the shopper an e-mail again: ``"confirmation"`` (the order confirmation) or a
    part's id (that part's latest e-mail: shipped, delivered, cancelled …). The resend
    goes on the order's history with the staff member. Returns what was sent."""
    order = get_order(user, order_id)
    if not ports.orders().customer_email(order):
        raise OrderDeskError(
            "no_email", bilingual("Đơn hàng không có e-mail khách", "The order has no e-mail")
        )
    if which == CONFIRMATION:
        with transaction.atomic():
            ports.orders().resend_confirmation(order, user)
            ports.orders().add_note(
                order, user,
                bilingual("Gửi lại e-mail xác nhận đơn hàng", "Order confirmation e-mail resent"),
            )  # fmt: skip
        return CONFIRMATION
    part = _part_of(order, whole_number(which, max_digits=12))
    with transaction.atomic():
        delivery = (
            NotificationDelivery.objects.select_for_update()
            .filter(cooperative_order=part, channel=NotificationDelivery.Channel.CUSTOMER_EMAIL)
            .order_by("-created_at", "-pk")
            .first()
        )
        if delivery is None:
            raise OrderDeskError(
                "no_email_sent",
                bilingual(
                    "Chưa có e-mail nào về phần đơn này", "No e-mail was sent about this part"
                ),
                "part",
            )
        # One row per part and event (it is the outbox's idempotency key): sending again
        # puts the same row back in the queue, with who asked in its attempt log.
        delivery.status = NotificationDelivery.Status.PENDING
        delivery.attempt_log = [
            *delivery.attempt_log,
            {"at": timezone.now().isoformat(), "resent_by": user.email},
        ]
        delivery.save(update_fields=["status", "attempt_log"])
        ports.orders().add_note(
            order, user,
            bilingual(f"Gửi lại e-mail «{delivery.event}» của phần đơn {part.number}",
                      f"E-mail «{delivery.event}» of part {part.number} resent"),
        )  # fmt: skip
        enqueue_notifications([delivery.pk])
    return delivery.event
