"""``{{ amount|vnd }}`` → "125.000 ₫", the same in every language and locale."""

from django import template

from common.money import format_vnd

register = template.Library()


@register.filter
def vnd(amount) -> str:
    if amount in (None, ""):
        return ""
    return format_vnd(amount)
