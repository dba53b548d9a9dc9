"""Throttling of every password sign-in (django-axes 5): the back office's one sign-in
(``backoffice.signin``: the cooperative portal, the provinces' fair pages, the shop
settings), the shoppers' sign-in on the storefront (``storefront.accounts``, through
``tokenCreate``) and GraphQL ``tokenCreate``.

Both call Django's ``authenticate()``, where ``AxesStandaloneBackend`` refuses a
locked-out client before any password is checked, and each failure is recorded by
axes' ``user_login_failed`` handler. Two counts, over the cool-off window:

- per account and address: ``AXES_FAILURE_LIMIT`` failures of one account from one
  address lock that pair (someone else's guesses from elsewhere do not lock the owner out);
- per address: ``SIGN_IN_ADDRESS_FAILURE_LIMIT`` failures on any accounts from one
  address lock that address (one client trying many accounts).

A locked-out sign-in is answered by ``lockout_response``: the back office's login page
with a bilingual message, or one GraphQL error for ``tokenCreate``; HTTP 429 either way.
"""

from __future__ import annotations

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

LOCKOUT_CODE = "LOGIN_LOCKED_OUT"


def lockout_message() -> str:
    minutes = int(get_cool_off().total_seconds() // 60)
    return (
        f"Đăng nhập tạm bị khoá vì sai mật khẩu quá nhiều lần; hãy thử lại sau {minutes} "
        f"phút / Sign-in locked after too many failed attempts; try again in {minutes} "
        f"minutes."
    )


def account_name(request: HttpRequest | None, credentials: dict | None) -> str | None:
    """The account a sign-in names, as axes counts it: ``email`` (the storefront page,
    tokenCreate) or ``username`` (Django's login form), case-folded so ``A@x`` and
    ``a@x`` share one count. None when nothing names an account (not a sign-in)."""
    credentials = credentials or {}
    name = credentials.get("email") or credentials.get("username")
    if not name and request is not None and request.method == "POST":
        name = request.POST.get("email") or request.POST.get("username")
    if not isinstance(name, str):
        return None
    name = name.replace("\x00", "").strip().lower()
    return name[:255] or None


class AccountAndAddressHandler(AxesDatabaseHandler):
    """Axes' database handler (per account and address, AXES_FAILURE_LIMIT) plus a
    second, higher count per address (SIGN_IN_ADDRESS_FAILURE_LIMIT)."""

    def address_failures(self, request) -> int:
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        cool_off = get_cool_off()
        if cool_off is not None:
            attempts = attempts.filter(attempt_time__gte=request.axes_attempt_time - cool_off)
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return (
            settings.AXES_LOCK_OUT_AT_FAILURE
            and self.address_failures(request) >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT
        )

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        # Django also reports a failure when a JWT names a deleted user: no account
        # name, no password guess, nothing to count.
        if request is None or account_name(request, credentials) is None:
            return
        super().user_login_failed(sender, credentials, request, **kwargs)
        if self.is_locked(request, credentials):
            # Axes flags the request only for the per-account count; the per-address
            # lock must be answered as a lockout too.
            request.axes_locked_out = True
            request.axes_credentials = credentials


def lockout_response(request: HttpRequest, credentials: dict | None) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the refused sign-in's own page, with the reason."""
    message = lockout_message()
    view = getattr(request.resolver_match, "view_name", "")
    status = settings.AXES_HTTP_RESPONSE_CODE
    if view == "api":
        response = JsonResponse(
            {"errors": [{"message": message, "extensions": {"code": LOCKOUT_CODE}}]},
            status=status,
        )
    elif view == "storefront-account-login":
        from storefront.accounts import locked_out_page

        response = locked_out_page(request, message, status)
    elif view == "backoffice-login":
        context = {"locked_out": message, "form": None, "next": request.POST.get("next", "")}
        response = render(request, "backoffice/login.html", context, status=status)
    else:
        response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(int(get_cool_off().total_seconds()))
    return response
