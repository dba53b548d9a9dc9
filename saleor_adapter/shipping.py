"""Shipping per parcel in Saleor 2.10 (the rules are ``marketplace.shipping``'s).

Saleor prices a checkout's shipping with its shipping method's flat price, then lets
every plugin change it (``calculate_checkout_shipping``); the OCOP plugin answers with
``checkout_shipping`` below: the sum of the cooperatives' parcels, plus the method's
own price for goods of no cooperative. Saleor's checkout totals, the payment amount,
the COD limit (checked on the checkout's total) and the order's shipping price
(``prepare_order_data`` asks the same hook) therefore all agree with what the
checkout page shows. ``store_parcel_fees`` keeps each parcel's fee on the order (private
metadata, in the order's own transaction) for routing (``parcel_fees``).

Both the checkout and the order are read from the same facts — the variant's weight
(variant, else product, else product type, as Saleor's ``get_weight``) and base price,
the producer of the product, the delivery province — so the stored fees are the fees
the shopper was shown.
"""

from __future__ import annotations

import logging
from decimal import Decimal

from django.db import transaction
from prices import Money, TaxedMoney
from saleor.product.models import ProductVariant

from common.units import OriginError, resolve_province_code
from marketplace.shipping import ParcelLine, ShippingQuote, quote_for

logger = logging.getLogger(__name__)

PARCEL_FEES_METADATA_KEY = "ocop_parcel_shipping"


def province_of(address) -> str:
    """The two-digit current province code of a Saleor address ("" when unknown)."""
    area = getattr(address, "country_area", "") or ""
    if not isinstance(area, str) or not area.strip():
        return ""  # no province (or not an address Saleor stored: nothing to price from)
    area = area.strip()
    try:
        return resolve_province_code(area[:100])
    except OriginError:
        return ""


def _grams(variant: ProductVariant) -> int:
    weight = variant.weight or variant.product.weight or variant.product.product_type.weight
    return round(weight.g) if weight else 0


def parcel_lines(quantities: list[tuple[int | None, int]]) -> list[ParcelLine]:
    """(variant id, quantity) pairs → the lines shipping prices, in one query."""
    variants = {
        v.pk: v
        for v in ProductVariant.objects.filter(
            pk__in={pk for pk, _quantity in quantities if pk}
        ).select_related("product__product_type")
    }
    return [
        ParcelLine(None, quantity, 0, Decimal(0))
        if variants.get(variant_id) is None
        else _parcel_line(variants[variant_id], quantity)
        for variant_id, quantity in quantities
    ]


def _parcel_line(variant: ProductVariant, quantity: int) -> ParcelLine:
    return ParcelLine(
        product_id=variant.product_id,
        quantity=quantity,
        unit_grams=_grams(variant),
        total=variant.base_price.amount * quantity,
    )


def checkout_quote(checkout, lines=None, settings=None) -> ShippingQuote:
    """The parcels of a checkout, priced to its shipping address; memoised on the
    checkout object for its lines, address and method (Saleor asks for the shipping
    price several times per request)."""
    lines = list(checkout) if lines is None else list(lines)
    quantities = [(line.variant_id, line.quantity) for line in lines]
    destination = province_of(checkout.shipping_address)
    key = (tuple(quantities), destination)
    cached = getattr(checkout, "_ocop_shipping_quote", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    result = quote_for(parcel_lines(quantities), destination, settings)
    checkout._ocop_shipping_quote = (key, result)
    return result


def _money(amount: Decimal, currency: str) -> TaxedMoney:
    money = Money(amount, currency)
    return TaxedMoney(net=money, gross=money)


def checkout_shipping(checkout, lines, previous_value: TaxedMoney, settings=None) -> TaxedMoney:
    """Saleor's shipping price of a checkout: Σ parcels (+ the method's price for
    goods no cooperative ships). Nothing changes while no method or address is set."""
    if checkout.shipping_method_id is None or checkout.shipping_address_id is None:
        return previous_value
    result = checkout_quote(checkout, lines, settings)
    if not result.parcels:
        return previous_value
    extra = previous_value.gross.amount if result.other_lines else Decimal(0)
    return _money(result.total + extra, previous_value.currency)


def order_quote(order, settings=None) -> ShippingQuote:
    lines = order.lines.select_related("variant__product__product_type")
    return quote_for(
        [
            ParcelLine(None, line.quantity, 0, Decimal(0))
            if line.variant is None
            else _parcel_line(line.variant, line.quantity)
            for line in lines
        ],
        province_of(order.shipping_address),
        settings,
    )


def store_parcel_fees(order, settings=None) -> None:
    """Inside the order's creation: keep each parcel's fee with the order, when they
    are what Saleor charged (the checkout's hook gave the same sum). In a savepoint: a
    failure is logged and never costs the shopper the order (routing then shares the
    shipping in proportion to goods, which still adds up to what was charged)."""
    if order.shipping_method_id is None:
        return
    try:
        with transaction.atomic():
            _store_parcel_fees(order, settings)
    except Exception:
        logger.exception("Could not store the parcel fees of order %s", order.pk)


def _store_parcel_fees(order, settings) -> None:
    result = order_quote(order, settings)
    if not result.parcels:
        return
    charged = Decimal(order.shipping_price_gross_amount or 0)
    if result.other_lines == 0 and result.total != charged:
        logger.warning(
            "Order %s: parcels cost %s, Saleor charged %s shipping; fees not stored",
            order.pk, result.total, charged,
        )  # fmt: skip
        return
    order.store_value_in_private_metadata(
        {
            PARCEL_FEES_METADATA_KEY: {
                str(producer_id): int(fee) for producer_id, fee in result.fees_by_producer.items()
            }
        }
    )
    order.save(update_fields=["private_metadata"])


def parcel_fees(order) -> dict[int, Decimal] | None:
    """producer pk → the shipping fee of its parcel, as stored at order creation;
    None for an order without them (placed before, or priced by the method alone)."""
    stored = (order.private_metadata or {}).get(PARCEL_FEES_METADATA_KEY)
    if not isinstance(stored, dict):
        return None
    try:
        return {int(key): Decimal(int(value)) for key, value in stored.items()}
    except (TypeError, ValueError):
        return None
