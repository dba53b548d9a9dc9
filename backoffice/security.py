"""The back office's own request handling. Saleor's settings run no session, auth or CSRF
middleware (its API uses JWT); the portal applies them to its views only, so the
GraphQL API is unchanged. Every error is a Vietnamese page with the right status."""

from __future__ import annotations

import datetime
from functools import wraps

from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import decorator_from_middleware
from django.views.decorators.csrf import csrf_protect

from common.inputs import whole_number
from marketplace import access

with_session = decorator_from_middleware(SessionMiddleware)
with_user = decorator_from_middleware(AuthenticationMiddleware)


class BadRequest(Exception):
    """Malformed input: answered with 400."""


def post_only(request) -> HttpResponseNotAllowed | None:
    """The 405 answer to anything but POST on an action's URL, else None."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


def number_param(data, name: str, minimum: int = 1, *, required: bool = False) -> int | None:
    """``data[name]`` (a query string or a form) as a whole number of ASCII digits, at
    least ``minimum``; None when absent or empty (BadRequest when ``required``); BadRequest
    when anything else. The back office's one reader of page numbers and ids."""
    raw = data.get(name, "")
    raw = raw.strip() if isinstance(raw, str) else ""
    if not raw and not required:
        return None
    number = whole_number(raw, max_digits=12)
    if number is None or number < minimum:
        raise BadRequest(f"Tham số «{name}» không hợp lệ / Invalid «{name}».")
    return number


def date_param(data, name: str) -> datetime.date | None:
    """``data[name]`` as a YYYY-MM-DD date; None when absent; BadRequest when not one."""
    raw = data.get(name, "")
    raw = raw.strip() if isinstance(raw, str) else ""
    if not raw:
        return None
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise BadRequest(
            f"Ngày «{name}» phải có dạng YYYY-MM-DD / «{name}» must be a YYYY-MM-DD date."
        ) from None


def web(view):
    """Session + user + CSRF for a portal view (outermost first)."""
    return with_session(with_user(csrf_protect(view)))


ERROR_TITLES = {
    400: "Yêu cầu không hợp lệ",
    403: "Không có quyền truy cập",
    404: "Không tìm thấy trang",
}


def error_page(request, status: int, message: str = "") -> TemplateResponse:
    response = TemplateResponse(
        request,
        "portal/error.html",
        {"status": status, "title": ERROR_TITLES[status], "message": message, "user": None},
        status=status,
    )
    return response


def signed_in_area(*, may_enter, refusal: str, error_page=error_page):
    """A decorator for the pages of a staff area (the cooperative portal, the provinces'
    fair pages, the shop settings): anonymous users go to the one back-office sign-in
    (``backoffice.signin``); signed-in users for
    whom ``may_enter(user)`` is false get 403 with ``refusal``; bad input 400; anything
    they cannot see 404."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not access.is_authenticated(user):
                return redirect_to_login(request.get_full_path(), reverse("backoffice-login"))
            if not may_enter(user):
                return error_page(request, 403, refusal)
            try:
                response = view(request, *args, **kwargs)
            except Http404 as error:
                return error_page(request, 404, str(error) if error.args else "")
            except PermissionDenied as error:
                return error_page(request, 403, str(error) if error.args else "")
            except BadRequest as error:
                return error_page(request, 400, str(error))
            return response  # never cached: config.middleware.PRIVATE_AREAS

        return web(wrapped)

    return decorator


portal_view = signed_in_area(
    may_enter=access.is_portal_user,
    refusal="Tài khoản của bạn không thuộc hợp tác xã nào.",
)
"""A page for cooperative staff (or platform staff)."""
