"""Saleor 2.10's accounts for the back office: finding customers, their orders, and the
platform's half of erasing a customer's personal data (``marketplace.erasure`` does
ours). Registered as the domain's ``accounts`` port (``marketplace.ports.AccountsPort``);
the back office's customer pages read the search and order helpers directly.

The erasure writes with ``QuerySet.update()``: a model ``save()`` would have
django-auditlog record the old e-mail, names and phone as the "before" of the change,
which is the very data being erased (the erasure's own record is ``CustomerErasure``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from saleor.account.models import Address, CustomerEvent, CustomerNote, User
from saleor.checkout.models import Checkout
from saleor.order.models import Order, OrderEvent
from saleor.payment.models import Payment, Transaction
from saleor.wishlist.models import Wishlist

from common.phones import national_digits
from marketplace.erasure import redact
from marketplace.ports import PersonalValues

PHONE_LIKE = re.compile(r"^\+?[\d\s.\-()]{6,20}$")
ADDRESS_BLANK = {
    "first_name": "", "last_name": "", "company_name": "", "street_address_1": "",
    "street_address_2": "", "city": "", "city_area": "", "postal_code": "",
    "country_area": "", "phone": "",
}  # fmt: skip
PAYMENT_BLANK = {
    "billing_email": "", "billing_first_name": "", "billing_last_name": "",
    "billing_company_name": "", "billing_address_1": "", "billing_address_2": "",
    "billing_city": "", "billing_city_area": "", "billing_postal_code": "",
    "billing_country_area": "", "cc_first_digits": "", "cc_last_digits": "",
    "cc_exp_month": None, "cc_exp_year": None, "customer_ip_address": None, "extra_data": "",
}  # fmt: skip


@dataclass(frozen=True)
class CustomerRow:
    pk: int
    email: str
    name: str
    phone: str
    joined: datetime
    is_active: bool
    orders: int


@dataclass(frozen=True)
class CustomerOrder:
    pk: int
    created: datetime
    status: str
    total: Decimal
    currency: str
    email: str
    guest: bool  # placed without signing in, with the account's e-mail


def _name(user: User) -> str:
    name = f"{user.first_name} {user.last_name}".strip()
    address = user.default_billing_address or user.default_shipping_address
    if not name and address is not None:
        name = f"{address.first_name} {address.last_name}".strip()
    return name


def _phone(user: User) -> str:
    address = user.default_shipping_address or user.default_billing_address
    return str(address.phone) if address is not None and address.phone else ""


def search_customers(text: str, *, before: int | None, limit: int) -> list[CustomerRow]:
    """Customer accounts (not staff) matching ``text`` — an e-mail (part), a phone
    number (any way of writing it, against their addresses and their orders'), or
    words of a name — newest first, ``limit`` of them with an id below ``before``
    (keyset: the same few queries whatever the page)."""
    users = User.objects.filter(is_staff=False)
    text = text.strip()
    if text and PHONE_LIKE.match(text) and len(national_digits(text)) >= 6:
        digits = national_digits(text)
        addresses = Address.objects.filter(phone__contains=digits)
        users = users.filter(
            Q(default_billing_address__in=addresses)
            | Q(default_shipping_address__in=addresses)
            | Q(pk__in=User.addresses.through.objects.filter(address__in=addresses).values("user"))
            | Q(pk__in=Order.objects.filter(shipping_address__in=addresses).values("user"))
        )
    elif text:
        for word in text.split()[:5]:
            users = users.filter(
                Q(email__icontains=word) | Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(default_billing_address__first_name__icontains=word)
                | Q(default_billing_address__last_name__icontains=word)
            )  # fmt: skip
    if before is not None:
        users = users.filter(pk__lt=before)
    # A correlated count, evaluated for the rows of the page only (LIMIT first).
    order_count = (
        Order.objects.filter(user=OuterRef("pk"))
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values("n")
    )
    users = (
        users.select_related("default_billing_address", "default_shipping_address")
        .annotate(order_count=Coalesce(Subquery(order_count, output_field=IntegerField()), 0))
        .order_by("-pk")[:limit]
    )
    return [
        CustomerRow(
            pk=user.pk, email=user.email, name=_name(user), phone=_phone(user),
            joined=user.date_joined, is_active=user.is_active, orders=user.order_count,
        )
        for user in users
    ]  # fmt: skip


def customer(user_id: int) -> CustomerRow | None:
    user = (
        User.objects.filter(pk=user_id, is_staff=False)
        .select_related("default_billing_address", "default_shipping_address")
        .first()
    )
    if user is None:
        return None
    return CustomerRow(
        pk=user.pk, email=user.email, name=_name(user), phone=_phone(user),
        joined=user.date_joined, is_active=user.is_active, orders=0,
    )  # fmt: skip


def _orders_of(user: User):
    return Order.objects.filter(Q(user=user) | Q(user__isnull=True, user_email__iexact=user.email))


def customer_orders(user_id: int, *, limit: int) -> list[CustomerOrder]:
    """The account's orders and the guest orders placed with its e-mail, newest first."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return []
    orders = _orders_of(user).order_by("-pk")[:limit]
    return [
        CustomerOrder(
            pk=order.pk, created=order.created, status=order.get_status_display(),
            total=order.total_gross_amount, currency=order.currency, email=order.user_email,
            guest=order.user_id is None,
        )
        for order in orders.only(
            "pk", "created", "status", "total_gross_amount", "currency", "user_email", "user_id"
        )
    ]  # fmt: skip


class SaleorAccounts:
    def deactivate(self, user: User) -> None:
        user.is_active = False
        user.save(update_fields=["is_active"])

    def has_orders(self, user: User) -> bool:
        return _orders_of(user).exists()

    def locked_customer(self, user_id: int) -> User | None:
        return User.objects.select_for_update(of=("self",)).filter(pk=user_id).first()

    def customer_order_ids(self, user: User) -> list[int]:
        return sorted(_orders_of(user).values_list("pk", flat=True))

    def _address_ids(self, user: User, order_ids: list[int], checkouts) -> tuple[set, set]:
        own = set(user.addresses.values_list("pk", flat=True))
        own |= {user.default_billing_address_id, user.default_shipping_address_id}
        for row in checkouts.values_list("billing_address_id", "shipping_address_id"):
            own |= set(row)
        of_orders = set()
        for row in Order.objects.filter(pk__in=order_ids).values_list(
            "billing_address_id", "shipping_address_id"
        ):
            of_orders |= set(row)
        return own - {None}, of_orders - {None}

    def personal_values(self, user: User, order_ids: list[int]) -> PersonalValues:
        checkouts = Checkout.objects.filter(Q(user=user) | Q(email__iexact=user.email))
        own, of_orders = self._address_ids(user, order_ids, checkouts)
        addresses = Address.objects.filter(pk__in=own | of_orders)
        identifiers = {user.email.lower()}
        identifiers |= {e.lower() for e in _orders_of(user).values_list("user_email", flat=True)}
        identifiers |= {e.lower() for e in checkouts.values_list("email", flat=True)}
        # Vietnamese names are written family name first ("Nguyễn Thị Lan"), forms
        # often take them given name first: both.
        people = [(user.first_name, user.last_name)]
        names = set()
        for first, last, phone in addresses.values_list("first_name", "last_name", "phone"):
            people.append((first, last))
            if phone:
                phone = str(phone)
                identifiers |= {phone, "0" + national_digits(phone)}
        for first, last in people:
            names |= {f"{first} {last}".strip(), f"{last} {first}".strip()}
        return PersonalValues(
            identifiers=frozenset(value for value in identifiers if len(value) >= 6),
            names=frozenset(name for name in names if len(name) >= 3),
        )

    def erase_customer(self, user: User, order_ids: list[int], placeholder_email: str) -> dict:
        checkouts = Checkout.objects.filter(Q(user=user) | Q(email__iexact=user.email))
        own, of_orders = self._address_ids(user, order_ids, checkouts)
        values = self.personal_values(user, order_ids)  # before the addresses go blank
        counts = {}
        counts["addresses"] = Address.objects.filter(pk__in=own | of_orders).update(**ADDRESS_BLANK)
        orders = Order.objects.filter(pk__in=order_ids)
        counts["orders"] = orders.update(user_email=placeholder_email, customer_note="")
        # The orders' history: the e-mails sent name the address, staff notes may name
        # the person; the events themselves (what happened, when, by whom) stay.
        everything = values.identifiers | values.names
        events = 0
        for pk, parameters in OrderEvent.objects.filter(order_id__in=order_ids).values_list(
            "pk", "parameters"
        ):
            cleaned = {
                key: redact(value, everything) if isinstance(value, str) else value
                for key, value in (parameters or {}).items()
            }
            if "email" in cleaned:
                cleaned["email"] = placeholder_email
            if cleaned != (parameters or {}):
                OrderEvent.objects.filter(pk=pk).update(parameters=cleaned)
                events += 1
        counts["order_events"] = events
        payments = Payment.objects.filter(Q(order_id__in=order_ids) | Q(checkout__in=checkouts))
        payment_ids = list(payments.values_list("pk", flat=True))
        counts["payments"] = Payment.objects.filter(pk__in=payment_ids).update(**PAYMENT_BLANK)
        # The gateway's replies can carry the card holder's name and e-mail; the
        # transaction's kind, amount, token and outcome are the accounting record.
        counts["transactions"] = Transaction.objects.filter(payment_id__in=payment_ids).update(
            gateway_response={}, customer_id=None
        )
        counts["customer_events"] = CustomerEvent.objects.filter(user=user).update(parameters={})
        counts["customer_notes"], _ = CustomerNote.objects.filter(customer=user).delete()
        counts["checkouts"], _ = checkouts.delete()
        Wishlist.objects.filter(user=user).delete()
        if user.avatar:
            user.avatar.delete(save=False)
        User.objects.filter(pk=user.pk).update(
            email=placeholder_email, first_name="", last_name="", note="", is_active=False,
            password=make_password(None), default_billing_address=None,
            default_shipping_address=None, metadata={}, private_metadata={}, avatar="",
        )  # fmt: skip
        user.addresses.clear()
        # Its own addresses (not an order's copy) are blank now; nothing needs them.
        Address.objects.filter(pk__in=own - of_orders).delete()
        counts["accounts"] = 1
        return counts
