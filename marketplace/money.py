"""Money rules of the marketplace. VND has no minor unit: every amount is whole đồng.

Rounding: commission = goods amount × rate / 100, rounded half up to the đồng
(ROUND_HALF_UP: 12 345,5 ₫ → 12 346 ₫). Shipping is split between a Saleor order's
cooperative orders in proportion to their goods, by largest remainder, so the shares
always add up to what the customer paid.
"""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

ONE = Decimal(1)


def whole(amount) -> Decimal:
    return Decimal(amount).quantize(ONE, rounding=ROUND_HALF_UP)


def commission(goods_amount: Decimal, rate_percent: Decimal) -> Decimal:
    """Commission on a non-negative goods amount, half up to the đồng."""
    return whole(Decimal(goods_amount) * Decimal(rate_percent) / 100)


def split_by_weight(total: Decimal, weights: list[Decimal]) -> list[Decimal]:
    """Split whole-đồng ``total`` in proportion to ``weights`` (largest remainder;
    ties to the earlier part). The parts are whole and add up to ``total`` exactly."""
    total = whole(total)
    weight_sum = sum(weights, Decimal(0))
    if not weights:
        return []
    if weight_sum <= 0:
        weights, weight_sum = [ONE] * len(weights), Decimal(len(weights))
    exact = [total * w / weight_sum for w in weights]
    parts = [e.quantize(ONE, rounding=ROUND_DOWN) for e in exact]
    left = int(total - sum(parts))
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return parts


def format_vnd(amount) -> str:
    """125000 → "125.000 ₫" (Vietnamese thousands separator)."""
    value = int(whole(amount))
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value):,}".replace(",", ".") + " ₫"
