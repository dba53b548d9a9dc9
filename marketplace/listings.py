"""A cooperative's listings: its Saleor products, their price, stock and visibility.

Changes go through Saleor's models (the product's price and its minimal variant price,
the variant's stock in the producer's own warehouse, ``is_published``). A paused
product can be resumed only while its OCOP certificate is in force.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from common.errors import DomainError, bilingual
from common.money import parse_vnd, parse_whole_number
from marketplace import access, ports
from marketplace.certification import valid_on
from marketplace.models import OcopProduct

MIN_PRICE = Decimal(1000)
MAX_PRICE = Decimal(1_000_000_000)
MAX_STOCK = 1_000_000


class ListingError(DomainError):
    """A refused listing action (see ``common.errors.DomainError``)."""


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
    today = timezone.localdate()
    products = list(queryset.select_related("product", "producer").order_by("product__name", "pk"))
    certified = set(queryset.filter(valid_on(today)).values_list("pk", flat=True))
    levels = ports.catalogue().stock_levels(p.product_id for p in products)
    result = []
    for ocop_product in products:
        level = levels.get((ocop_product.product_id, ocop_product.producer.warehouse_id))
        result.append(
            Listing(
                ocop_product=ocop_product,
                price=ocop_product.product.price_amount,
                stock=level.quantity if level else 0,
                allocated=level.allocated if level else 0,
                published=ocop_product.product.is_published,
                certified=ocop_product.pk in certified,
            )
        )
    return result


def parse_price(raw) -> Decimal:
    price = parse_vnd(str(raw))
    if price is None:
        raise ListingError(
            "invalid_price",
            bilingual("Giá phải là số đồng nguyên", "The price is a whole number of đồng"),
            "price",
        )
    if not MIN_PRICE <= price <= MAX_PRICE:
        raise ListingError(
            "price_out_of_range",
            bilingual(
                "Giá phải từ 1.000 ₫ đến 1.000.000.000 ₫",
                "The price is from 1.000 ₫ to 1.000.000.000 ₫",
            ),
            "price",
        )
    return Decimal(price)


def parse_stock(raw) -> int:
    stock = parse_whole_number(str(raw))
    if stock is None or stock > MAX_STOCK:
        raise ListingError(
            "invalid_stock",
            bilingual("Tồn kho phải là số nguyên từ 0", "Stock is a whole number from 0"),
            "stock",
        )
    return stock


def update_listing(
    user, ocop_product_id: int, *, price=None, stock=None, published: bool | None = None
) -> Listing:
    """Change what is given; raises ListingError (or LookupError if not the user's)."""
    catalogue = ports.catalogue()

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
            catalogue.set_price(product, price)
        if stock is not None:
            level = catalogue.locked_stock(product, ocop_product.producer.warehouse_id)
            if level is None:
                raise ListingError(
                    "no_stock_row",
                    bilingual("Sản phẩm chưa có kho", "The product has no stock row"),
                    "stock",
                )
            if stock < level.allocated:
                raise ListingError(
                    "below_allocated",
                    bilingual(
                        f"Tồn kho không thể ít hơn {level.allocated} (số đã giữ cho đơn chưa giao)",
                        f"Stock cannot be below the {level.allocated} held for open orders",
                    ),
                    "stock",
                )
            catalogue.set_stock(product, ocop_product.producer.warehouse_id, stock)
        if published is not None and product.is_published != published:
            if (
                published
                and not OcopProduct.objects.filter(
                    valid_on(timezone.localdate()), pk=ocop_product.pk
                ).exists()
            ):
                raise ListingError(
                    "certificate_not_valid",
                    bilingual(
                        "Không thể mở bán: giấy chứng nhận OCOP không còn hiệu lực"
                        " hoặc hợp tác xã đang bị tạm ngừng",
                        "Cannot publish: the OCOP certificate is not in force or the"
                        " cooperative is suspended",
                    ),
                    "published",
                )
            catalogue.set_published([product.pk], published)
    return listings(OcopProduct.objects.filter(pk=ocop_product.pk))[0]
