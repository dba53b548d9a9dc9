"""What the storefront pages read from Saleor's catalogue and orders.

The pages (``storefront``) never import Saleor: a Saleor 3 port (channel listings,
product media instead of images) changes these functions and leaves the pages alone.
"""

from __future__ import annotations

from django.db.models import Sum, Value
from django.db.models.functions import Coalesce
from saleor.order.models import Order
from saleor.product.models import Product, ProductImage
from saleor.warehouse.models import Stock


def card_products(product_ids: list[int]) -> dict[int, Product]:
    """The products of cards (``slug``, ``name``, ``minimal_variant_price_amount``)."""
    return {
        p.pk: p
        for p in Product.objects.filter(pk__in=product_ids).only(
            "id", "slug", "name", "minimal_variant_price_amount", "currency"
        )
    }


def first_images(product_ids: list[int]) -> dict[int, ProductImage]:
    """Each product's first image (the lowest sort order), in one query."""
    images: dict[int, ProductImage] = {}
    for image in ProductImage.objects.filter(product_id__in=product_ids).order_by(
        "product_id", "-sort_order"
    ):
        images[image.product_id] = image  # the lowest sort_order wins
    return images


def published_product(slug: str) -> Product | None:
    """The published product with ``slug``, with what its detail page shows."""
    return (
        Product.objects.filter(slug=slug, is_published=True)
        .select_related("category")
        .only(
            "id",
            "slug",
            "name",
            "description",
            "seo_description",
            "minimal_variant_price_amount",
            "currency",
            "category__name",
            "category__slug",
        )
        .first()
    )


def product_images(product: Product) -> list[ProductImage]:
    return list(ProductImage.objects.filter(product=product).order_by("sort_order", "pk"))


def available_by_variant(product_id: int) -> dict[int, int]:
    """Units a shopper can still buy per variant (stock minus allocations), in one small
    grouped query: the detail page is the most visited page and reads nothing else of
    the variants."""
    rows = (
        Stock.objects.filter(product_variant__product_id=product_id)
        .values("pk", "product_variant_id", "quantity")
        .annotate(allocated=Coalesce(Sum("allocations__quantity_allocated"), Value(0)))
    )
    stock: dict[int, int] = {}
    allocated: dict[int, int] = {}
    for row in rows:
        variant_id = row["product_variant_id"]
        stock[variant_id] = stock.get(variant_id, 0) + row["quantity"]
        allocated[variant_id] = allocated.get(variant_id, 0) + row["allocated"]
    return {pk: max(0, stock[pk] - allocated[pk]) for pk in sorted(stock)}


def products_by_slug(slugs: list[str]) -> dict[str, Product]:
    return {p.slug: p for p in Product.objects.filter(slug__in=slugs)}


def order_by_token(token) -> Order | None:
    return Order.objects.filter(token=token).first()


def order_placed_from(checkout_token: str) -> dict | None:
    """The order a checkout became (its token and number), if it did."""
    order = Order.objects.filter(checkout_token=checkout_token).only("pk", "token").first()
    return {"token": order.token, "number": str(order.pk)} if order else None


def search_fields(product_ids: list[int]) -> dict[int, dict]:
    """What the search index holds of Saleor's products, in three queries: name,
    description, price, published, English name (Saleor's product translation), and
    whether any unit can be bought (stock minus allocations)."""
    from saleor.product.models import ProductTranslation

    rows = {
        row["id"]: {**row, "name_en": "", "in_stock": False}
        for row in Product.objects.filter(pk__in=product_ids).values(
            "id", "name", "description", "minimal_variant_price_amount", "is_published"
        )
    }
    for product_id, name in ProductTranslation.objects.filter(
        product_id__in=list(rows), language_code="en"
    ).values_list("product_id", "name"):
        rows[product_id]["name_en"] = name or ""
    stocks = (
        Stock.objects.filter(product_variant__product_id__in=list(rows))
        .values("product_variant__product_id", "quantity")
        .annotate(allocated=Coalesce(Sum("allocations__quantity_allocated"), Value(0)))
    )
    for stock in stocks:
        if stock["quantity"] - stock["allocated"] > 0:
            rows[stock["product_variant__product_id"]]["in_stock"] = True
    return rows


def product_ids_updated_since(since) -> list[int]:
    """Products Saleor saved since ``since`` (its ``updated_at``)."""
    return list(Product.objects.filter(updated_at__gte=since).values_list("id", flat=True))
