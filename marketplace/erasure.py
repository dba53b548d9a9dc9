"""Erasing a customer's personal data on their request (Vietnam's decree 13/2023/NĐ-CP
on personal data protection), keeping the accounting records.

What goes: the account's e-mail (it becomes ``erased-<id>@invalid``), names, phone,
addresses, notes, default addresses, carts; their orders' e-mail, addresses and notes,
their payments' billing details (Saleor's tables, through ``ports.accounts()``); and our
own copies — the cooperatives' parts' customer name, e-mail and phone, the delivery
proof's text, the shopper's bank details on refunds (all paid by then), the
notifications' recipient, the bank transfers' memo (it carries the payer's name; the
order reference stays), a fake report's contact, failed sign-in records, and the audit
log's copies of all these. What stays: every order, part, line, amount, status, date
and number, the ledger, escrow and payment records, payouts and invoices, so the books
still add up. Fair attribution and stamp checks hold nothing personal (a random visitor
id, a province) and are left alone.

The erasure refuses while the customer still has a part on its way or money owed back
to them: those need the address and the bank account (the decree lets a contract be
carried out first). It is recorded as a ``CustomerErasure`` (who, when, the note; no
personal data), which django-auditlog logs like any staff write.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass

from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q

from common.errors import DomainError, bilingual
from common.inputs import has_nul, required_text
from marketplace import access, ports
from marketplace.models import (
    CooperativeMembership,
    CooperativeOrder,
    CooperativeOrderEvent,
    CooperativeOrderStatus,
    CustomerErasure,
    NotificationDelivery,
    OrderRouting,
    PartRefund,
)

MAX_NOTE = 1000
REDACTED = "[đã xoá]"
OPEN_PARTS = (
    CooperativeOrderStatus.NEW,
    CooperativeOrderStatus.ACCEPTED,
    CooperativeOrderStatus.PACKED,
    CooperativeOrderStatus.SHIPPED,
)
# The account's fields the audit log may hold old values of.
USER_FIELDS = (
    "email", "first_name", "last_name", "note", "metadata", "avatar",
    "default_billing_address", "default_shipping_address",
)  # fmt: skip


class ErasureError(DomainError):
    pass


@dataclass(frozen=True)
class Scope:
    """What one erasure covers, as the apps holding personal data need it."""

    user_id: int
    order_ids: list[int]
    part_ids: list[int]
    identifiers: frozenset[str]  # e-mails and phones: searched for anywhere
    everything: frozenset[str]  # with the names: cleaned from the customer's own records


@dataclass(frozen=True)
class Cleaned:
    """What a holder erased: how many rows, and which of them (``model``'s ``ids``) the
    audit log may still show with ``fields`` holding the old values."""

    count: int
    model: type | None = None
    ids: tuple = ()
    fields: tuple[str, ...] = ()


# The apps above this one that keep personal data of their own (bank memos, fake
# reports) register a holder in their AppConfig.ready(): the domain below cannot import
# them, and one erasure must reach them all.
_holders: dict[str, Callable[[Scope], Cleaned]] = {}


def register_holder(name: str, erase: Callable[[Scope], Cleaned]) -> None:
    _holders[name] = erase


def placeholder_email(user_id: int) -> str:
    return f"erased-{user_id}@invalid"


def _refuse(code: str, vietnamese: str, english: str, field: str | None = None):
    raise ErasureError(code, bilingual(vietnamese, english), field)


def _check_note(note: str) -> str:
    return required_text(
        note, field="note", max_length=MAX_NOTE, error=ErasureError,
        missing=("Ghi căn cứ của yêu cầu", "Say what the request was"),
    )  # fmt: skip


def erase_customer(actor, customer_id: int, note: str, confirmation: str) -> CustomerErasure:
    """Erase the personal data of customer ``customer_id``; ``confirmation`` is their
    e-mail address typed again by the staff member (a guard against the wrong row)."""
    if not access.sees_all(actor):
        _refuse("forbidden", "Chỉ nhân viên sàn được xoá dữ liệu", "Only platform staff may erase")
    note = _check_note(note)
    confirmation = (confirmation or "").strip().lower()
    accounts = ports.accounts()
    with transaction.atomic():
        user = accounts.locked_customer(customer_id)
        if user is None:
            _refuse("not_found", "Không có khách hàng này", "No such customer")
        if CustomerErasure.objects.filter(customer_id=user.pk).exists():
            _refuse("already_erased", "Dữ liệu đã được xoá", "Already erased")
        if user.is_staff or user.is_superuser or _has_staff_role(user):
            _refuse(
                "staff_account",
                "Đây là tài khoản nhân viên: gỡ vai trò trước",
                "This is a staff account: remove its roles first",
            )
        if has_nul(confirmation) or confirmation != user.email.lower():
            _refuse(
                "confirmation",
                "Gõ lại đúng e-mail của khách hàng để xác nhận",
                "Type the customer's e-mail address exactly to confirm",
                "confirmation",
            )
        order_ids = accounts.customer_order_ids(user)
        parts = CooperativeOrder.objects.filter(order_id__in=order_ids)
        if parts.filter(status__in=OPEN_PARTS).exists():
            _refuse(
                "open_orders",
                "Khách còn đơn đang giao: hoàn tất hoặc huỷ trước khi xoá",
                "The customer has parts still on their way: finish or cancel them first",
            )
        if (
            PartRefund.objects.filter(cooperative_order__in=parts)
            .exclude(status=PartRefund.Status.REFUNDED)
            .exists()
        ):
            _refuse(
                "refund_owed",
                "Còn khoản hoàn tiền chưa trả cho khách: hoàn tất trước khi xoá",
                "Money is still owed back to the customer: refund it first",
            )
        personal = accounts.personal_values(user, order_ids)
        if any(value.lower() in note.lower() for value in personal.identifiers):
            _refuse(
                "note_personal",
                "Ghi chú không được chứa e-mail hay số điện thoại của khách",
                "The note must not hold the customer's e-mail or phone",
                "note",
            )
        scope = Scope(
            user_id=user.pk,
            order_ids=order_ids,
            part_ids=list(parts.values_list("pk", flat=True)),
            identifiers=personal.identifiers,
            everything=personal.identifiers | personal.names,
        )
        counts = accounts.erase_customer(user, order_ids, placeholder_email(user.pk))
        cleaned = {"account": Cleaned(1, get_user_model(), (user.pk,), USER_FIELDS)}
        cleaned.update(_erase_our_copies(scope))
        for name, holder in sorted(_holders.items()):
            cleaned[name] = holder(scope)
        counts.update({name: result.count for name, result in cleaned.items() if name != "account"})
        counts["log_entries"] = _scrub_audit_log(scope, cleaned.values())
        return CustomerErasure.objects.create(
            customer_id=user.pk, erased_by=actor, note=note, counts=counts
        )


def _has_staff_role(user) -> bool:
    return CooperativeMembership.objects.filter(user=user).exists()


def redact(text: str, values) -> str:
    """``text`` with each of ``values`` (any case) replaced by "[đã xoá]"."""
    for value in sorted(values, key=len, reverse=True):
        text = re.sub(re.escape(value), REDACTED, text, flags=re.IGNORECASE)
    return text


def _redact_json(data, values):
    """The same JSON with every string cleaned of ``values`` (keys too)."""
    if not values:
        return data
    if isinstance(data, str):
        return redact(data, values)
    if isinstance(data, dict):
        return {redact(str(k), values): _redact_json(v, values) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return [_redact_json(item, values) for item in data]
    return data


def _erase_our_copies(scope: Scope) -> dict[str, Cleaned]:
    # Every write here (and in the holders) is an update() of a queryset: a model save
    # would have the audit log keep the old values, the personal data, as its "before".
    parts = CooperativeOrder.objects.filter(pk__in=scope.part_ids)
    cleaned = {
        "cooperative_orders": Cleaned(
            parts.update(customer_name="", customer_email="", customer_phone="", delivery_note=""),
            CooperativeOrder, tuple(scope.part_ids),
            ("customer_name", "customer_email", "customer_phone", "delivery_note", "reason"),
        )
    }  # fmt: skip
    for model, field, where in (
        (CooperativeOrder, "reason", Q(pk__in=scope.part_ids)),
        (CooperativeOrderEvent, "note", Q(cooperative_order_id__in=scope.part_ids)),
        (OrderRouting, "attention_reason", Q(order_id__in=scope.order_ids)),
        (PartRefund, "last_error", Q(cooperative_order_id__in=scope.part_ids)),
    ):
        for pk, text in model.objects.filter(where).exclude(**{field: ""}).values_list("pk", field):
            if redact(text, scope.everything) != text:
                model.objects.filter(pk=pk).update(**{field: redact(text, scope.everything)})
    refunds = PartRefund.objects.filter(cooperative_order_id__in=scope.part_ids)
    cleaned["refunds"] = Cleaned(
        refunds.update(bank_account_number="", bank_account_holder=""),
        PartRefund, tuple(refunds.values_list("pk", flat=True)),
        ("bank_account_number", "bank_account_holder", "last_error"),
    )  # fmt: skip
    notified = 0
    for delivery in NotificationDelivery.objects.filter(cooperative_order_id__in=scope.part_ids):
        after = (
            redact(delivery.recipient, scope.identifiers),
            _redact_json(delivery.attempt_log, scope.everything),
            redact(delivery.last_error, scope.everything),
        )
        if after != (delivery.recipient, delivery.attempt_log, delivery.last_error):
            NotificationDelivery.objects.filter(pk=delivery.pk).update(
                recipient=after[0], attempt_log=after[1], last_error=after[2]
            )
            notified += 1
    cleaned["notifications"] = Cleaned(notified)
    # Failed sign-ins name the account's e-mail (django-axes).
    emails = [value for value in scope.identifiers if "@" in value]
    attempts = 0
    if emails:
        named = Q()
        for email in emails:
            named |= Q(username__iexact=email)
        for model in (AccessAttempt, AccessFailureLog):
            attempts += model.objects.filter(named).delete()[0]
    cleaned["sign_in_attempts"] = Cleaned(attempts)
    return cleaned


def _scrub_audit_log(scope: Scope, cleaned) -> int:
    """The audit log kept the personal data as the before and after of past changes (an
    e-mail typed by the shopper, a part's customer name, a refund's holder): left there,
    the erasure would be undone by anyone reading the log. The entries stay — who
    changed which record, when — with those values replaced: the fields named by each
    holder on the customer's own records, and the customer's e-mail and phone anywhere."""
    records = [result for result in cleaned if result.model is not None and result.ids]
    kinds = ContentType.objects.get_for_models(*(result.model for result in records))
    own_fields: dict[tuple[int, str], tuple[str, ...]] = {}
    own = Q()
    for result in records:
        kind = kinds[result.model]
        own |= Q(content_type=kind, object_pk__in=[str(pk) for pk in result.ids])
        for pk in result.ids:
            own_fields[(kind.pk, str(pk))] = result.fields
    anywhere = Q()
    for value in scope.identifiers:
        anywhere |= Q(changes__icontains=value) | Q(object_repr__icontains=value)
    user_kind = ContentType.objects.get_for_model(get_user_model())
    scrubbed = 0
    for entry in LogEntry.objects.filter(own | anywhere | Q(actor_id=scope.user_id)):
        changes = entry.changes or {}
        if isinstance(changes, str):  # entries written before auditlog 3 kept text
            changes = json.loads(changes or "{}")
        fields = own_fields.get((entry.content_type_id, entry.object_pk))
        if fields is not None:
            changes = {
                field: [REDACTED, REDACTED] if field in fields else change
                for field, change in changes.items()
            }
        changes = _redact_json(changes, scope.everything if fields else scope.identifiers)
        update = {
            "changes": changes,
            "changes_text": "",
            "serialized_data": None,
            "object_repr": redact(entry.object_repr, scope.identifiers),
        }
        if (entry.content_type_id, entry.object_pk) == (user_kind.pk, str(scope.user_id)):
            update["object_repr"] = placeholder_email(scope.user_id)
        if entry.actor_id == scope.user_id:
            update["remote_addr"] = None  # the shopper's own IP address
        LogEntry.objects.filter(pk=entry.pk).update(**update)
        scrubbed += 1
    return scrubbed
