"""Who the shopper is: a Saleor account signed in on the storefront, or nobody.

The storefront's sign-in (``storefront.accounts``) keeps the account in the Django
session under its own key, never through ``django.contrib.auth.login``: a staff member
who signs in here is a customer in the shop, and the back office (its own sign-in,
``backoffice.signin``) does not open. The session also keeps the account's password
hash digest, so a password reset signs out every other session of the account.
"""

from __future__ import annotations

from django.contrib.sessions.middleware import SessionMiddleware
from django.utils.crypto import constant_time_compare
from django.utils.decorators import decorator_from_middleware

from saleor_adapter import storefront_data

CUSTOMER_KEY = "ocop_customer"
CUSTOMER_HASH_KEY = "ocop_customer_hash"

with_session = decorator_from_middleware(SessionMiddleware)


def customer(request):
    """The signed-in shopper's Saleor account, or None (read once per request)."""
    if hasattr(request, "_ocop_customer"):
        return request._ocop_customer
    found = None
    session = getattr(request, "session", None)
    pk = session.get(CUSTOMER_KEY) if session is not None else None
    if isinstance(pk, int):
        user = storefront_data.active_customer(pk)
        if user is not None and constant_time_compare(
            session.get(CUSTOMER_HASH_KEY, ""), user.get_session_auth_hash()
        ):
            found = user
    request._ocop_customer = found
    return found


def sign_in(request, user) -> None:
    """Start the shopper's session (a new session key: no fixation)."""
    request.session.cycle_key()
    request.session[CUSTOMER_KEY] = user.pk
    request.session[CUSTOMER_HASH_KEY] = user.get_session_auth_hash()
    request._ocop_customer = user


def sign_out(request) -> None:
    """End the shopper's session; a back-office sign-in in the same browser stays."""
    for key in (CUSTOMER_KEY, CUSTOMER_HASH_KEY):
        request.session.pop(key, None)
    request.session.cycle_key()
    request._ocop_customer = None
