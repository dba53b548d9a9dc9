"""Middleware of the shop's own."""

from __future__ import annotations

from storefront.models import StorefrontConfiguration


def storefront_configuration_once_per_request(get_response):
    """Whatever asks for the storefront's configuration during a request (every
    ``{% shop_name %}`` of an e-mail sent from it) shares one reading of it."""

    def middleware(request):
        with StorefrontConfiguration.once_per_request():
            return get_response(request)

    return middleware
