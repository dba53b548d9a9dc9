"""Saleor 2.10's implementations of the domain's ports (``marketplace.ports``).

Registered by ``saleor_adapter.apps.SaleorAdapterConfig.ready()``. Everything Saleor
does for the domain goes through here or through the plugins and GraphQL types beside
it: a Saleor 3 port rewrites this package and leaves the domain alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal

from auditlog.models import LogEntry
from django.db.models import F, OuterRef, Subquery, Sum
from django.utils import timezone
from saleor.core.exceptions import AllocationError, InsufficientStock
from saleor.core.utils import build_absolute_uri
from saleor.order import OrderStatus
from saleor.order.actions import create_fulfillments
from saleor.order.events import order_note_added_event
from saleor.order.models import Order
from saleor.product.models import Product, ProductVariant
from saleor.product.utils.variant_prices import update_product_minimal_variant_price
from saleor.warehouse.management import deallocate_stock
from saleor.warehouse.models import Allocation, Stock

from marketplace import search_outbox
from marketplace.configuration import MarketplaceSettings
from marketplace.ports import OrderStatuses, OutOfStock, RoutedLine, StockLevel
from saleor_adapter import catalog, staff_orders


def _user_or_none(user):
    return user if user is not None and getattr(user, "is_authenticated", False) else None


class SaleorSettings:
    def marketplace_settings(self) -> MarketplaceSettings:
        from saleor_adapter.ocop.plugin import marketplace_settings

        return marketplace_settings()


class SaleorOrders:
    def get(self, order_id: int, *, lock: bool = False) -> Order | None:
        orders = Order.objects.select_related("shipping_address", "billing_address")
        if lock:
            orders = Order.objects.select_for_update(of=("self",))
        return orders.filter(pk=order_id).first()

    def exists(self, order_id: int) -> bool:
        return Order.objects.filter(pk=order_id).exists()

    def statuses(self) -> OrderStatuses:
        return OrderStatuses(draft=OrderStatus.DRAFT, cancelled=OrderStatus.CANCELED)

    def is_routable(self, order: Order) -> bool:
        return order.status not in (OrderStatus.DRAFT, OrderStatus.CANCELED)

    def customer_email(self, order: Order) -> str:
        return order.get_customer_email() or ""

    def parcel_shipping(self, order: Order) -> dict[int, Decimal] | None:
        from saleor_adapter.shipping import parcel_fees

        return parcel_fees(order)

    def routed_lines(self, order: Order) -> list[RoutedLine]:
        lines = order.lines.select_related("variant").prefetch_related("allocations__stock")
        return [
            RoutedLine(
                line=line,
                pk=line.pk,
                quantity=line.quantity,
                product_name=line.product_name,
                sku=line.product_sku,
                unit_price=line.unit_price_gross_amount,
                warehouse_ids=frozenset(a.stock.warehouse_id for a in line.allocations.all()),
                product_id=line.variant.product_id if line.variant else None,
            )
            for line in lines.order_by("pk")
        ]

    def assert_not_oversold(self, order: Order) -> None:
        """By now this transaction holds the lock on each of the order's stock rows
        (taken by Saleor's ``allocate_stock``, kept until commit), so this one query
        sees every committed allocation plus ours: exact, and serialised per stock."""
        allocated = (
            Allocation.objects.filter(stock_id=OuterRef("pk"))
            .order_by()
            .values("stock_id")
            .annotate(total=Sum("quantity_allocated"))
            .values("total")
        )
        oversold = (
            Stock.objects.filter(
                pk__in=Allocation.objects.filter(order_line__order_id=order.pk).values("stock_id")
            )
            .annotate(allocated=Subquery(allocated))
            .filter(allocated__gt=F("quantity"))
            .select_related("product_variant")
            .first()
        )
        if oversold is not None:
            raise InsufficientStock(oversold.product_variant)

    def fulfil(self, user, order: Order, warehouse_id: int, lines: Sequence[tuple]):
        try:
            (fulfillment,) = create_fulfillments(
                _user_or_none(user),
                order,
                {
                    warehouse_id: [
                        {"order_line": line, "quantity": quantity} for line, quantity in lines
                    ]
                },
                notify_customer=False,  # the marketplace sends its own Vietnamese e-mail
            )
        except InsufficientStock as error:
            raise OutOfStock(str(error)) from error
        return fulfillment

    def record_shipment(self, fulfilment, carrier: str, tracking_number: str) -> None:
        fulfilment.tracking_number = tracking_number
        fulfilment.store_value_in_metadata({"ocop.carrier": carrier})
        fulfilment.save(update_fields=["tracking_number", "metadata"])

    def unfulfilled_quantity(self, order_line) -> int:
        return order_line.quantity_unfulfilled

    def release_stock(self, order_line, quantity: int) -> None:
        search_outbox.mark_products(
            ProductVariant.objects.filter(pk=order_line.variant_id).values_list(
                "product_id", flat=True
            )
        )
        try:
            deallocate_stock(order_line, quantity)
        except AllocationError:
            # Less was allocated than ordered (an untracked variant, a staff edit):
            # release whatever is left.
            order_line.allocations.update(quantity_allocated=0)

    def add_note(self, order: Order, user, message: str) -> None:
        order_note_added_event(order=order, user=_user_or_none(user), message=message)

    def sync_payments(self, order: Order) -> None:
        from saleor_adapter.payments.ledger import sync_order_ledger_safely

        sync_order_ledger_safely(order)

    def sync_unrecorded_payments(self) -> int:
        from saleor_adapter.payments.ledger import sync_unrecorded_payments

        return sync_unrecorded_payments()

    def absolute_url(self, path: str) -> str:
        return build_absolute_uri(path)

    # Platform staff's order desk (saleor_adapter.staff_orders).
    search = staticmethod(staff_orders.search)
    summary = staticmethod(staff_orders.summary)
    history = staticmethod(staff_orders.history)
    payments_of = staticmethod(staff_orders.payments_of)
    resend_confirmation = staticmethod(staff_orders.resend_confirmation)


class SaleorCatalogue:
    def stock_levels(self, product_ids: Iterable[int]) -> dict[tuple[int, int], StockLevel]:
        rows = (
            Stock.objects.filter(product_variant__product_id__in=list(product_ids))
            .order_by()
            .values("product_variant__product_id", "warehouse_id", "quantity")
            .annotate(allocated=Sum("allocations__quantity_allocated"))
        )
        return {
            (row["product_variant__product_id"], row["warehouse_id"]): StockLevel(
                quantity=row["quantity"], allocated=row["allocated"] or 0
            )
            for row in rows
        }

    def set_price(self, product: Product, price: Decimal) -> None:
        product.price_amount = price
        product.save(update_fields=["price_amount", "updated_at"])
        update_product_minimal_variant_price(product)
        search_outbox.mark_products([product.pk])

    def locked_stock(self, product: Product, warehouse_id: int) -> StockLevel | None:
        """Lock the product's stock row in ``warehouse_id`` until the transaction ends."""
        row = (
            Stock.objects.select_for_update(of=("self",))
            .filter(product_variant__product=product, warehouse_id=warehouse_id)
            .first()
        )
        if row is None:
            return None
        allocated = row.allocations.aggregate(s=Sum("quantity_allocated"))["s"] or 0
        return StockLevel(quantity=row.quantity, allocated=allocated)

    def set_stock(self, product: Product, warehouse_id: int, quantity: int) -> None:
        rows = Stock.objects.select_for_update(of=("self",)).filter(
            product_variant__product=product, warehouse_id=warehouse_id
        )
        for row in rows:
            if row.quantity == quantity:
                continue
            before, row.quantity = row.quantity, quantity
            Stock.objects.filter(pk=row.pk).update(quantity=quantity)
            # Saleor's Stock is not tracked by the audit log (its checkout and fulfilment
            # save stock with F() expressions, thousands a day); a person's edit of it
            # is, written here with the request's actor (config/audit.py).
            LogEntry.objects.log_create(
                row,
                action=LogEntry.Action.UPDATE,
                changes={"quantity": [str(before), str(quantity)]},
            )
        search_outbox.mark_products([product.pk])

    def set_published(self, product_ids: Iterable[int], published: bool) -> int:
        product_ids = list(product_ids)
        if len(product_ids) == 1:
            # One product: a person's decision (a listing's publish or pause), saved so
            # the audit log records it with its actor; many: the guard's sweeps.
            product = Product.objects.filter(pk=product_ids[0]).first()
            if product is None or product.is_published == published:
                return 0
            product.is_published = published
            product.save(update_fields=["is_published", "updated_at"])
            search_outbox.mark_products(product_ids)
            return 1
        changed = (
            Product.objects.filter(pk__in=product_ids)
            .exclude(is_published=published)
            .update(is_published=published, updated_at=timezone.now())
        )
        search_outbox.mark_products(product_ids)
        return changed

    def products(self, product_ids: Iterable[int]) -> dict[int, Product]:
        return Product.objects.in_bulk(list(product_ids))

    def registry_columns(self) -> dict[str, list]:
        return catalog.registry_columns()

    def sku_owners(self, skus: list[str]) -> dict[str, tuple[str, str, str]]:
        from saleor_adapter.registry_writer import sku_owners

        return sku_owners(skus)

    def registry_writer(self, as_of, source_file: str):
        from saleor_adapter.registry_writer import RegistryWriter

        return RegistryWriter(catalog.ensure_scaffold(), as_of, source_file)


def register_all() -> None:
    from marketplace import ports
    from saleor_adapter.accounts import SaleorAccounts
    from saleor_adapter.payments import saleor_payments
    from saleor_adapter.product_photos import SaleorPhotos

    ports.register(
        settings=SaleorSettings(),
        orders=SaleorOrders(),
        catalogue=SaleorCatalogue(),
        payments=saleor_payments,
        accounts=SaleorAccounts(),
        photos=SaleorPhotos(),
    )
