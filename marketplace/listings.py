"""A cooperative's listings: its Saleor products, their price, stock and visibility.

Changes go through Saleor's models (the product's price and its minimal variant price,
the variant's stock in the producer's own warehouse, ``is_published``). A paused
product can be resumed only while its OCOP certificate is in force.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from marketplace import access
from marketplace.certification import valid_on
from marketplace.inputs import whole_number
from marketplace.models import OcopProduct

MIN_PRICE = Decimal(1000)
MAX_PRICE = Decimal(1_000_000_000)
MAX_STOCK = 1_000_000


class ListingError(Exception):
    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field


@dataclass
class Listing:
    ocop_product: OcopProduct
    price: Decimal
    stock: int
    allocated: int
    published: bool
    certified: bool

    @property
    def available(self) -> int:
        return max(self.stock - self.allocated, 0)


def listings(queryset) -> list[Listing]:
    """Listings of an (already scoped) OcopProduct queryset, in a fixed few queries."""
    from saleor.warehouse.models import Stock

    today = timezone.localdate()
    products = list(queryset.select_related("product", "producer").order_by("product__name", "pk"))
    certified = set(queryset.filter(valid_on(today)).values_list("pk", flat=True))
    stocks = {
        (row["product_variant__product_id"], row["warehouse_id"]): row
        for row in Stock.objects.filter(
            product_variant__product_id__in=[p.product_id for p in products]
        )
        .order_by()
        .values("product_variant__product_id", "warehouse_id", "quantity")
        .annotate(allocated=Sum("allocations__quantity_allocated"))
    }
    result = []
    for ocop_product in products:
        stock = stocks.get((ocop_product.product_id, ocop_product.producer.warehouse_id), {})
        result.append(
            Listing(
                ocop_product=ocop_product,
                price=ocop_product.product.price_amount,
                stock=stock.get("quantity", 0),
                allocated=stock.get("allocated") or 0,
                published=ocop_product.product.is_published,
                certified=ocop_product.pk in certified,
            )
        )
    return result


def parse_price(raw) -> Decimal:
    text = str(raw).strip().replace(".", "").replace(",", "").replace(" ", "")
    try:
        # Decimal() reads other scripts' digits ("٣"); a price is written in ASCII.
        price = Decimal(text) if text.isascii() else None
    except (InvalidOperation, ValueError):
        price = None
    if price is None or not price.is_finite() or price != price.to_integral_value():
        raise ListingError("invalid_price", "Giá phải là số đồng nguyên.", "price")
    if not MIN_PRICE <= price <= MAX_PRICE:
        raise ListingError(
            "price_out_of_range", "Giá phải từ 1.000 ₫ đến 1.000.000.000 ₫.", "price"
        )
    return price


def parse_stock(raw) -> int:
    stock = whole_number(raw, max_digits=len(str(MAX_STOCK)))
    if stock is None or stock > MAX_STOCK:
        raise ListingError("invalid_stock", "Tồn kho phải là số nguyên từ 0.", "stock")
    return stock


def update_listing(
    user, ocop_product_id: int, *, price=None, stock=None, published: bool | None = None
) -> Listing:
    """Change what is given; raises ListingError (or LookupError if not the user's)."""
    from saleor.product.utils.variant_prices import update_product_minimal_variant_price
    from saleor.warehouse.models import Stock

    price = parse_price(price) if price not in (None, "") else None
    stock = parse_stock(stock) if stock not in (None, "") else None
    with transaction.atomic():
        ocop_product = (
            access.listings_for(user)
            .select_related("product", "producer")
            .filter(pk=ocop_product_id)
            .first()
        )
        if ocop_product is None:
            raise LookupError(ocop_product_id)
        product = ocop_product.product
        if price is not None and product.price_amount != price:
            product.price_amount = price
            product.save(update_fields=["price_amount", "updated_at"])
            update_product_minimal_variant_price(product)
        if stock is not None:
            row = (
                Stock.objects.select_for_update(of=("self",))
                .filter(
                    product_variant__product=product,
                    warehouse_id=ocop_product.producer.warehouse_id,
                )
                .first()
            )
            if row is None:
                raise ListingError("no_stock_row", "Sản phẩm chưa có kho.", "stock")
            allocated = row.allocations.aggregate(s=Sum("quantity_allocated"))["s"] or 0
            if stock < allocated:
                raise ListingError(
                    "below_allocated",
                    f"Tồn kho không thể ít hơn {allocated} (số đã giữ cho đơn chưa giao).",
                    "stock",
                )
            row.quantity = stock
            row.save(update_fields=["quantity"])
        if published is not None and product.is_published != published:
            if (
                published
                and not OcopProduct.objects.filter(
                    valid_on(timezone.localdate()), pk=ocop_product.pk
                ).exists()
            ):
                raise ListingError(
                    "certificate_not_valid",
                    "Không thể mở bán: giấy chứng nhận OCOP đã hết hạn.",
                    "published",
                )
            product.is_published = published
            product.save(update_fields=["is_published", "updated_at"])
    return listings(OcopProduct.objects.filter(pk=ocop_product.pk))[0]
