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

from common.phones import national_phone


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


def first_photos(product_ids: list[int]) -> dict:
    """Each product's first photo with its renditions (``marketplace.ports.Photo``)."""
    from saleor_adapter.product_photos import photo

    return {pk: photo(image) for pk, image in first_images(product_ids).items()}


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


def product_photos(product: Product) -> list:
    """The product's photos in their order, with their renditions' URLs."""
    from saleor_adapter.product_photos import SaleorPhotos

    return SaleorPhotos().photos([product.pk])[product.pk]


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


def order_for_page(token) -> tuple[Order, dict] | None:
    """The order with ``token`` and what its page shows of it, in two queries (the order
    with its address, its lines), shaped like Saleor's ``orderByToken`` (``number``,
    ``lines``, ``subtotal``, ``shippingPrice``, ``total``, ``shippingAddress`` …): the
    page is opened after every change of a parcel, and Saleor's GraphQL layer cost more
    than the page itself."""
    order = (
        Order.objects.filter(token=token)
        .select_related("shipping_address")
        .prefetch_related("lines")
        .first()
    )
    if order is None:
        return None

    def money(amount) -> dict:
        return {"gross": {"amount": amount}}

    lines = [
        {
            "productName": line.product_name,
            "productSku": line.product_sku,
            "quantity": line.quantity,
            "unitPrice": money(line.unit_price_gross_amount),
        }
        for line in sorted(order.lines.all(), key=lambda line: line.pk)
    ]
    subtotal = sum((line.unit_price_gross_amount * line.quantity for line in order.lines.all()), 0)
    address = order.shipping_address
    summary = {
        "number": str(order.pk),
        "created": order.created,
        "status": order.status,
        "shippingMethodName": order.shipping_method_name,
        "lines": lines,
        "subtotal": money(subtotal),
        "shippingPrice": money(order.shipping_price_gross_amount),
        "total": money(order.total_gross_amount),
        "shippingAddress": {
            "firstName": address.first_name,
            "lastName": address.last_name,
            "streetAddress1": address.street_address_1,
            "city": address.city,
            "countryArea": address.country_area,
            "postalCode": address.postal_code,
            "phone": str(address.phone or ""),
        }
        if address
        else None,
    }
    return order, summary


def order_placed_from(checkout_token: str) -> dict | None:
    """The order a checkout became (its token and number), if it did."""
    order = Order.objects.filter(checkout_token=checkout_token).only("pk", "token").first()
    return {"token": order.token, "number": str(order.pk)} if order else None


def checkout_shipping_quote(checkout_token: str):
    """The checkout's parcels, priced as Saleor will charge them
    (``saleor_adapter.shipping``); None when the checkout is gone or the OCOP plugin,
    which prices them, is off."""
    from saleor.checkout.models import Checkout
    from saleor.plugins.manager import get_plugins_manager

    from saleor_adapter.ocop.plugin import PLUGIN_ID
    from saleor_adapter.shipping import checkout_quote

    plugin = get_plugins_manager().get_plugin(PLUGIN_ID)
    if plugin is None or not plugin.active:
        return None  # Saleor charges its shipping method's own price
    checkout = (
        Checkout.objects.filter(token=checkout_token).select_related("shipping_address").first()
    )
    if checkout is None:
        return None
    return checkout_quote(checkout, checkout.lines.all(), plugin.settings)


# -- shopper accounts (storefront.accounts): Saleor's own User, read here --------------


def active_customer(pk: int):
    """The active Saleor account with ``pk`` (a shopper signed in on the storefront)."""
    from saleor.account.models import User

    return User.objects.filter(pk=pk, is_active=True).first()


def attach_guest_orders(user) -> int:
    """The guest orders placed with the account's (confirmed) e-mail become its orders,
    whatever the case the shopper typed it in (Saleor's ``confirmAccount`` matches the
    exact text); returns how many."""
    return (
        Order.objects.confirmed()
        .filter(user_email__iexact=user.email, user__isnull=True)
        .update(user=user)
    )


def order_token_for_lookup(number: int, phone: str) -> str | None:
    """The token of order ``number`` when ``phone`` is its delivery (or billing)
    phone number; None otherwise (a draft, a wrong phone, no such order alike)."""
    from saleor.order import OrderStatus

    order = (
        Order.objects.exclude(status=OrderStatus.DRAFT)
        .select_related("shipping_address", "billing_address")
        .filter(pk=number)
        .first()
    )
    wanted = national_phone(phone)
    if order is None or len(wanted) < 9:
        return None
    for address in (order.shipping_address, order.billing_address):
        if address is not None and national_phone(str(address.phone or "")) == wanted:
            return str(order.token)
    return None


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
