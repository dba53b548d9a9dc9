"""What every response of the site gets, and what no request may exceed.

Installed in settings.MIDDLEWARE right after Django's SecurityMiddleware; the values
are settings (README "Security").
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse

PRIVATE = "private, no-store"
# The areas whose pages show a person's data (name, phone, address, orders, payouts) or
# a staff member's session: never kept by a browser's history cache or a shared proxy.
PRIVATE_AREAS = [
    "storefront-cart",  # /gio-hang/…
    "storefront-checkout",  # /thanh-toan/…
    "storefront-account",  # /tai-khoan/… (shopper accounts: orders, addresses, sign-in)
    "storefront-order-lookup",  # /tra-cuu-don-hang/
    "storefront-configuration",  # /cau-hinh-cua-hang/… (shop settings, staff sign-in)
    "portal:home",  # /htx/… (cooperatives)
    "fairs:staff_home",  # /tinh/… (provincial staff)
    "backoffice-login",  # /dang-nhap/ (the back office's one sign-in)
    "backoffice-logout",  # /dang-xuat/
    "backoffice-areas",  # /quan-tri/
    "api",  # /graphql/ (accounts, orders, tokens)
]
_SAMPLE_TOKEN = "00000000-0000-0000-0000-000000000000"


@functools.cache
def private_prefixes() -> tuple[str, ...]:
    """URL prefixes of the private areas, reversed once (the order pages' prefix is the
    order URL up to its token: /don-hang/<token>/ and its QR images)."""
    order = reverse("storefront-order", kwargs={"token": _SAMPLE_TOKEN})
    return (*(reverse(name) for name in PRIVATE_AREAS), order[: order.index(_SAMPLE_TOKEN)])


def is_private(path: str) -> bool:
    return path.startswith(private_prefixes())


def security_headers(get_response):
    """Content-Security-Policy on HTML pages; ``Cache-Control: private, no-store`` in the
    private areas, whatever a view set; with OCOP_HTTPS every cookie is Secure (ours
    too, not only Django's session and CSRF cookies)."""

    def middleware(request):
        response = get_response(request)
        content_type = response.get("Content-Type", "")
        if content_type.startswith("text/html") and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = settings.OCOP_CONTENT_SECURITY_POLICY
        if is_private(request.path):
            response["Cache-Control"] = PRIVATE
        if settings.OCOP_HTTPS:
            for morsel in response.cookies.values():
                morsel["secure"] = True
        return response

    return middleware


def request_size_limit(get_response):
    """A request announcing a body above OCOP_MAX_REQUEST_BYTES is answered 413 before
    anything reads it (Django limits form data, not uploaded files)."""

    def middleware(request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads such a body as empty
        limit = settings.OCOP_MAX_REQUEST_BYTES
        if limit and length > limit:
            megabytes = limit // (1024 * 1024)
            return HttpResponse(
                f"Yêu cầu quá lớn (tối đa {megabytes} MB) / "
                f"Request too large (at most {megabytes} MB).",
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return get_response(request)

    return middleware
