"""Money rules of the marketplace. VND has no minor unit: every amount is whole đồng.

The project's one parser (``parse_vnd``, on ``parse_whole_number``), one rounding
rule (``whole``) and one formatter (``format_vnd``); templates format through the
``vnd`` filter (``marketplace/templatetags/ocop_money.py``).

Rounding: every amount is rounded half up to the đồng (ROUND_HALF_UP: 2,5 ₫ → 3 ₫,
12 345,5 ₫ → 12 346 ₫, -2,5 ₫ → -3 ₫), before it is stored, split or shown; so a
formatted amount always equals the stored one. Commission = goods amount × rate / 100,
rounded the same way. Shipping is split between a Saleor order's
cooperative orders in proportion to their goods, by largest remainder, so the shares
always add up to what the customer paid.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import lru_cache

from babel.numbers import format_currency

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


@lru_cache(maxsize=4096)
def _formatted(amount: int) -> str:
    return format_currency(amount, "VND", locale="vi_VN")


def format_vnd(amount) -> str:
    """125000 → "125.000\u00a0₫": babel's Vietnamese format (a dot between thousands, a
    no-break space before the sign), after rounding half up to the đồng; "" for None."""
    if amount is None or amount == "":
        return ""
    return _formatted(int(whole(Decimal(str(amount)))))


# More digits than any amount column holds: a longer number is only compared with a
# limit, so it is read as 10**40 (int() of a string past 4,300 digits raises).
MAX_DIGITS = 40


def whole_digits(digits: str) -> int:
    """The number an ASCII digit string writes, capped at 10**MAX_DIGITS."""
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= MAX_DIGITS else 10**MAX_DIGITS


_CURRENCY = re.compile(r"\s*(?:vnđ|vnd|đồng|dong|đ|₫|d)\.?$", re.IGNORECASE)
_PLAIN_INT = re.compile(r"^[0-9]+$")


def parse_whole_number(text: str) -> int | None:
    """A non-negative whole number, with "." "," or space as thousands separators.

    "125.000", "125,000", "125 000" and "125000" are 125000; "125000.00" is accepted
    (a zero fraction); "125000.5", "12.50" and "1,5" are not whole numbers → None.
    """
    text = text.replace("\u00a0", " ").strip()
    if _PLAIN_INT.match(text):
        return whole_digits(text)
    match = re.match(r"^(\d{1,3}(?:([.,\s])\d{3})(?:\2\d{3})*)(?:([.,])(\d+))?$", text, re.ASCII)
    if match:
        separator, decimal_mark, fraction = match.group(2), match.group(3), match.group(4)
        if decimal_mark is not None and (decimal_mark == separator or fraction.strip("0")):
            return None
        return whole_digits(re.sub(r"\D", "", match.group(1)))
    match = re.match(r"^(\d+)[.,](0+)$", text, re.ASCII)
    if match:
        return whole_digits(match.group(1))
    return None


def parse_vnd(text: str) -> int | None:
    """A whole-đồng amount as people write it ("125.000 ₫", "125,000đ", "125000 VND");
    None when it is not a non-negative whole number."""
    return parse_whole_number(_CURRENCY.sub("", text.strip()))
