"""Saleor's ``checkoutComplete``, made safe against two buyers racing for the last units.

Saleor 2.10's ``allocate_stock`` sums existing allocations before it locks the stock
rows, so concurrent checkouts could all allocate the same last packs, and a refusal
after that comes too late: the buyer has been charged. Here the stock rows of the
checkout's variants are locked first (in primary-key order, so two checkouts cannot
deadlock) and availability is checked *before* any payment is processed; the lock is
held until the order is committed, so checkouts of the same products run one at a time.
Checkouts of other products are not affected.
"""

from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from saleor.checkout import models as checkout_models
from saleor.checkout.error_codes import CheckoutErrorCode
from saleor.graphql.checkout.mutations import CheckoutComplete as SaleorCheckoutComplete
from saleor.graphql.checkout.types import Checkout
from saleor.graphql.core.types.common import CheckoutError
from saleor.warehouse.models import Allocation, Stock, Warehouse


def lock_and_check_stock(checkout: checkout_models.Checkout) -> None:
    wanted: dict[int, int] = defaultdict(int)
    names = {}
    for line in checkout.lines.select_related("variant__product"):
        if line.variant.track_inventory:
            wanted[line.variant_id] += line.quantity
            names[line.variant_id] = line.variant.product.name
    if not wanted:
        return
    country = checkout.get_country()
    stocks = list(
        Stock.objects.select_for_update(of=("self",))
        .filter(product_variant_id__in=list(wanted))
        .filter(warehouse__in=Warehouse.objects.filter(shipping_zones__countries__contains=country))
        .order_by("pk")
    )
    allocated = dict(
        Allocation.objects.filter(stock__in=[s.pk for s in stocks])
        .order_by()
        .values("stock_id")
        .annotate(total=Sum("quantity_allocated"))
        .values_list("stock_id", "total")
    )
    available: dict[int, int] = defaultdict(int)
    for stock in stocks:
        available[stock.product_variant_id] += stock.quantity - allocated.get(stock.pk, 0)
    short = [variant for variant, quantity in wanted.items() if available[variant] < quantity]
    if short:
        products = ", ".join(names[variant] for variant in short)
        raise ValidationError(
            f"Không đủ hàng: {products} / Insufficient stock: {products}",
            code=CheckoutErrorCode.INSUFFICIENT_STOCK.value,
        )


class CheckoutComplete(SaleorCheckoutComplete):
    class Meta:
        description = (
            "Completes the checkout. Stock is reserved before the payment is processed, "
            "so a buyer is never charged for a product that sold out meanwhile."
        )
        error_type_class = CheckoutError
        error_type_field = "checkout_errors"

    @classmethod
    def perform_mutation(cls, _root, info, checkout_id, store_source, **data):
        with transaction.atomic():
            checkout = cls.get_node_or_error(
                info, checkout_id, only_type=Checkout, field="checkout_id"
            )
            lock_and_check_stock(checkout)
            return super().perform_mutation(_root, info, checkout_id, store_source, **data)
