"""Template helpers: VND prices the Vietnamese way, badges, page links, stars."""

from __future__ import annotations

from django import template
from django.utils.http import urlencode

from common.badges import badge_url

register = template.Library()


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
