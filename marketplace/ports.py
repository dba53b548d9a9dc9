"""What the OCOP domain asks of the shop platform it runs on (Saleor 2.10 today).

The domain packages (``marketplace``, ``catalog_sync``, ``fairs``, ``payments_vn``) never
import Saleor, nor the adapter: they call the ports below. The adapter
(``saleor_adapter``) registers one implementation of each in its ``AppConfig.ready()``;
a port to Saleor 3 (channels, ``order_confirmed``, per-channel settings) writes new
implementations there and changes nothing here. import-linter checks both rules in
``make test`` (``.importlinter``).

Platform objects (an order, an order line, a product) pass through the domain as
opaque handles: the domain reads only the attributes named in these docstrings
(``pk``, ``currency``, an order line's ``quantity`` …) and hands them back to a port.

A port that is asked for before the adapter registered it raises ``PortMissing`` with
the name of the port: one clear error, never an ``AttributeError`` on ``None``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from marketplace.configuration import MarketplaceSettings


class PortMissing(RuntimeError):
    """A domain function needs a port that no adapter registered."""


class OutOfStock(Exception):
    """The platform refused to take stock that is not there (``product_name`` says which)."""

    def __init__(self, product_name: str = ""):
        super().__init__(product_name)
        self.product_name = product_name


@dataclass(frozen=True)
class RoutedLine:
    """An order line as routing sees it: who holds its stock, and what it costs."""

    line: Any  # the platform's order line (handed back to OrdersPort)
    pk: int
    quantity: int
    product_name: str
    sku: str
    unit_price: Decimal
    warehouse_ids: frozenset[int]
    product_id: int | None


@dataclass(frozen=True)
class PaymentState:
    """An order's payment as the domain needs it (``PaymentsPort.payment_states``)."""

    kind: str = ""  # "cod", "transfer" (VietQR), "card"; "" when the order has none
    gateway: str = ""  # the platform's gateway id
    # "unpaid", "partly_paid", "paid", "partly_refunded", "refunded", "voided"
    status: str = "unpaid"
    due: Decimal = Decimal(0)  # what the shopper still has to pay
    captured: Decimal = Decimal(0)  # captured, net of refunds


@dataclass(frozen=True)
class OrderQuery:
    """What platform staff search orders by (``marketplace.order_desk.parse_query``);
    None / "" means any."""

    number: int | None = None  # the shop's order number
    phone: str = ""  # E.164, "+84912345678"
    email: str = ""
    producer_id: int | None = None  # orders with a part of this cooperative
    part_status: str = ""  # orders with a part in this status
    payment_kind: str = ""  # "cod", "transfer", "card"
    payment_status: str = ""  # PaymentState.status values


@dataclass(frozen=True)
class OrderSummary:
    """One row of the staff order list."""

    pk: int
    created: Any
    status: str  # the platform's order status
    email: str
    customer_name: str
    phone: str
    total: Decimal
    currency: str


@dataclass(frozen=True)
class OrderHistoryItem:
    """One line of an order's history on the platform (payment captured, note added…)."""

    at: Any
    kind: str
    user_email: str
    message: str


@dataclass(frozen=True)
class PaymentTransaction:
    at: Any
    kind: str  # "auth", "capture", "refund", "void" …
    amount: Decimal
    success: bool
    error: str = ""


@dataclass(frozen=True)
class PaymentSummary:
    """A payment of an order with its gateway transactions, oldest first."""

    pk: int
    kind: str  # as PaymentState.kind
    gateway: str
    charge_status: str
    active: bool
    total: Decimal
    captured: Decimal
    created: Any
    transactions: tuple[PaymentTransaction, ...] = ()


@dataclass(frozen=True)
class StockLevel:
    quantity: int
    allocated: int


@dataclass(frozen=True)
class PersonalValues:
    """What identifies a customer in free text: ``identifiers`` (e-mail addresses and
    phone numbers, as stored and as people write them) are unique to them, so they are
    searched for anywhere; ``names`` are not, so only the customer's own records are
    cleaned of them."""

    identifiers: frozenset[str]
    names: frozenset[str]


@dataclass(frozen=True)
class Photo:
    """A product photo as the pages show it: its alt text and its renditions' URLs
    (gallery 540 px and 1080 px, card 255 px and 510 px, editor 120 px)."""

    pk: int
    alt: str
    sort_order: int
    url: str
    url_2x: str
    card_url: str
    card_url_2x: str
    small_url: str


class SettingsPort(Protocol):
    def marketplace_settings(self) -> MarketplaceSettings:
        """The operator's settings, parsed by ``marketplace.configuration``."""


class OrdersPort(Protocol):
    def get(self, order_id: int, *, lock: bool = False) -> Any | None:
        """The order (``pk``, ``currency``, ``shipping_address``, ``billing_address``,
        ``shipping_price_gross_amount``, ``total_gross_amount``, ``status``), or None."""

    def exists(self, order_id: int) -> bool: ...

    def statuses(self) -> OrderStatuses: ...

    def is_routable(self, order: Any) -> bool:
        """False for drafts and cancelled orders: they get no cooperative orders."""

    def customer_email(self, order: Any) -> str: ...

    def parcel_shipping(self, order: Any) -> dict[int, Decimal] | None:
        """producer pk → the shipping fee of its parcel, as priced at checkout
        (``marketplace.shipping``) and stored with the order; None when not stored."""

    def routed_lines(self, order: Any) -> list[RoutedLine]:
        """The order's lines with the warehouses their stock was allocated from."""

    def assert_not_oversold(self, order: Any) -> None:
        """Inside the order's creation: raise the platform's stock error if any stock of
        the order is now allocated beyond what is on hand."""

    def fulfil(self, user: Any, order: Any, warehouse_id: int, lines: Sequence[tuple[Any, int]]):
        """Ship ``(order line, quantity)`` from ``warehouse_id``; returns the platform's
        fulfilment. Raises ``OutOfStock`` when the warehouse lacks the goods."""

    def record_shipment(self, fulfilment: Any, carrier: str, tracking_number: str) -> None: ...

    def unfulfilled_quantity(self, order_line: Any) -> int: ...

    def release_stock(self, order_line: Any, quantity: int) -> None:
        """Give back ``quantity`` allocated units of ``order_line`` (all that is left when
        less was allocated)."""

    def add_note(self, order: Any, user: Any, message: str) -> None:
        """A line on the order's history that staff see."""

    def sync_payments(self, order: Any) -> None:
        """Record the order's captures, refunds and voids in the cooperatives' books
        (idempotent; failures are logged, not raised)."""

    def sync_unrecorded_payments(self) -> int:
        """The sweeper's catch-up of payments a failed hook left out; returns a count."""

    def absolute_url(self, path: str) -> str: ...

    def search(
        self, query: OrderQuery, *, after: int | None, before: int | None, limit: int
    ) -> list[OrderSummary]:
        """Orders matching ``query``, newest first, at most ``limit``: those numbered below
        ``after`` (the next page), or the ``limit`` just above ``before`` (the previous
        one). A fixed number of queries; indexed for 100,000 orders."""

    def summary(self, order: Any) -> OrderSummary: ...

    def history(self, order: Any) -> list[OrderHistoryItem]:
        """The platform's own events of the order (payments, notes, e-mails), oldest first."""

    def payments_of(self, order: Any) -> list[PaymentSummary]:
        """Every payment of the order with its transactions, in two queries."""

    def resend_confirmation(self, order: Any, user: Any) -> None:
        """Send the order confirmation e-mail to the shopper again (after commit); the
        platform records it on the order's history with ``user``."""


class CataloguePort(Protocol):
    def stock_levels(self, product_ids: Iterable[int]) -> dict[tuple[int, int], StockLevel]:
        """(product id, warehouse id) → on hand and allocated."""

    def set_price(self, product: Any, price: Decimal) -> None: ...

    def locked_stock(self, product: Any, warehouse_id: int) -> StockLevel | None:
        """Lock the product's stock row in ``warehouse_id`` for this transaction and
        return its level; None when the product has no stock there."""

    def set_stock(self, product: Any, warehouse_id: int, quantity: int) -> None: ...

    def set_published(self, product_ids: Iterable[int], published: bool) -> int:
        """Publish or unpublish these products; returns how many changed."""

    def products(self, product_ids: Iterable[int]) -> dict[int, Any]:
        """The products by id (``name``, ``slug``, ``price_amount``, ``is_published``)."""

    def registry_columns(self) -> dict[str, list]:
        """Registry field → the shop's model fields its value is written to (their
        lengths and magnitudes bound what validation accepts)."""

    def sku_owners(self, skus: list[str]) -> dict[str, tuple[str, str, str]]:
        """SKU → (producer name key, province code, product name key) of the shop's
        product that already has it."""

    def registry_writer(self, as_of, source_file: str):
        """An object with ``reject_sku_clashes(rows)`` and ``write(groups, report)`` that
        writes validated registry rows into the platform's catalogue (catalog_sync)."""


class PhotosPort(Protocol):
    """A product's photos and its story (``marketplace.product_pages``); every write is
    recorded in the audit log with the request's actor."""

    def photos(self, product_ids: Iterable[int]) -> dict[int, list[Photo]]:
        """Each product's photos in their order (one query for all)."""

    def add_photo(self, product: Any, upload: Any, alt: str) -> Photo:
        """Store an already validated image file as the product's last photo; its
        renditions are written when the transaction commits."""

    def set_alt(self, product: Any, photo_id: int, alt: str) -> None:
        """Raises LookupError when ``photo_id`` is not one of the product's photos."""

    def move(self, product: Any, photo_id: int, step: int) -> bool:
        """Swap with the neighbour ``step`` away (-1 or +1); False at either end."""

    def delete(self, product: Any, photo_id: int) -> None: ...

    def set_story(self, product: Any, text: str) -> None:
        """The product's description (plain text, one paragraph a line)."""


@dataclass(frozen=True)
class OrderStatuses:
    """The platform's order status values the domain must tell apart."""

    draft: str
    cancelled: str


class PaymentsPort(Protocol):
    """Payments the Vietnamese methods settle (payments_vn): a bank transfer matched to
    its order, cash collected or refused at the door."""

    NothingToSettle: type[Exception]  # the order has no open payment of that kind
    REFERENCE_PATTERN: Any  # compiled regex finding an order's reference in a bank memo

    def lock_transfer_payment(self, reference: str) -> Any | None: ...

    def order_transfer_reference(self, order: Any) -> str:
        """The reference of the order's active VietQR payment, "" when it has none."""

    def amount_due(self, payment: Any) -> Decimal: ...

    def capture_transfer(self, payment: Any, amount: Decimal) -> None: ...

    def order_by_number(self, number: str) -> Any | None: ...

    def cod_amount_due(self, order: Any) -> int | None: ...

    def collect_cash_on_delivery(self, order: Any, user: Any = None) -> Any: ...

    def refuse_delivery(self, order: Any, user: Any = None) -> Any: ...

    def payment_states(self, order_ids: Iterable[int]) -> dict[int, PaymentState]:
        """Each order's current payment, in one query."""

    def refunds_through_gateway(self, order: Any) -> bool:
        """True when captured money goes back through the gateway (a card); False when
        staff transfer it back (bank transfer, cash on delivery)."""

    def reduce_amount_due(self, order: Any, amount: Decimal) -> Decimal:
        """Ask the shopper ``amount`` đồng less (a part that will not be delivered);
        returns what was released, never below what was captured."""

    def refund_cooperative_order(
        self, cooperative_order: Any, amount: Decimal, user: Any = None, reason: str = ""
    ) -> Any:
        """Refund ``amount`` of one part through the order's gateway, charged to that
        part in the books; raises ``settlement.SettlementError`` when it cannot."""

    def transfer_instructions(self, order: Any) -> Any | None:
        """How to pay the order by bank transfer (``payments_vn.transfer.
        TransferInstructions``), or None when it is not paid that way."""


class AccountsPort(Protocol):
    """The platform's accounts (Saleor's users) as staff areas and the personal data
    erasure need them. Users pass as opaque handles (``pk``, ``email``, ``is_active``,
    ``is_staff``, ``is_superuser``)."""

    def deactivate(self, user: Any) -> None:
        """The account can no longer sign in anywhere (a logged change)."""

    def has_orders(self, user: Any) -> bool:
        """Whether the account ever placed an order (it is a shopper)."""

    def locked_customer(self, user_id: int) -> Any | None:
        """The account, locked for this transaction, or None."""

    def customer_order_ids(self, user: Any) -> list[int]:
        """The orders the account placed, and the guest orders placed with its e-mail."""

    def personal_values(self, user: Any, order_ids: list[int]) -> PersonalValues:
        """The e-mail addresses, phone numbers and names the account and those orders
        hold: what an erasure must not leave in free text elsewhere (notes, logs)."""

    def erase_customer(self, user: Any, order_ids: list[int], placeholder_email: str) -> dict:
        """Anonymise the account and its orders' personal data (e-mail, names, phone,
        addresses, notes, payments' billing details), keeping every amount, number and
        status; deletes its carts. Returns how many rows of each kind were changed."""


_registry: dict[str, object] = {}


def register(**implementations: object) -> None:
    """Called by the adapter's AppConfig.ready(): ``register(orders=..., catalogue=...)``."""
    unknown = set(implementations) - set(_PORTS)
    if unknown:
        raise ValueError(f"Unknown ports: {sorted(unknown)}")
    _registry.update(implementations)


def _get(name: str):
    try:
        return _registry[name]
    except KeyError:
        raise PortMissing(
            f"No adapter registered the {name!r} port: is saleor_adapter in INSTALLED_APPS?"
        ) from None


def settings() -> SettingsPort:
    return _get("settings")


def orders() -> OrdersPort:
    return _get("orders")


def catalogue() -> CataloguePort:
    return _get("catalogue")


def payments() -> PaymentsPort:
    return _get("payments")


def accounts() -> AccountsPort:
    return _get("accounts")


def photos() -> PhotosPort:
    return _get("photos")


_PORTS = {"settings", "orders", "catalogue", "payments", "accounts", "photos"}
