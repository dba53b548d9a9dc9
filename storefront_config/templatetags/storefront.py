"""Template helpers: VND prices the Vietnamese way, badges, page links, stars."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from babel.numbers import format_currency
from django import template
from django.utils.http import urlencode

from storefront_config.badges import badge_url

register = template.Library()


@lru_cache(maxsize=4096)
def _vnd(amount: int) -> str:
    return format_currency(amount, "VND", locale="vi_VN")


def format_vnd(amount) -> str:
    """125000 → "125.000 ₫" (a non-breaking space before the sign, as babel writes it)."""
    if amount is None or amount == "":
        return ""
    return _vnd(int(Decimal(str(amount)).quantize(Decimal(1))))


@register.filter
def vnd(amount) -> str:
    return format_vnd(amount)


@register.simple_tag
def ocop_badge_url(stars, style="classic") -> str:
    return badge_url(int(stars), style)


@register.filter
def star_string(stars) -> str:
    return "★" * int(stars or 0)


@register.simple_tag(takes_context=True)
def url_with(context, **changes) -> str:
    """The current query string with some parameters replaced (None removes one)."""
    params = dict(context.get("query_params", {}))
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(params) if params else "?"
