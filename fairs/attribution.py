"""Which fair and booth brought an order: a first-party cookie, one row per visit, one
row per cart, one credit per order.

1. A visit through a fair link inserts one ``FairVisit`` and sets the signed cookie
   ``ocop_fair`` = "<visitor id>.<visit id>" for the attribution window. The visitor id
   is random (no IP address, no user agent, nothing from a third party) and is kept
   across visits so unique visitors can be counted.
2. When the shopper's cart (a Saleor checkout) is created or changed, and again when
   the order is placed, the checkout is tied to the visit in the cookie (``FairCart``).
3. When Saleor creates the order (the OCOP plugin's ``order_created``, inside the
   order's transaction), the order is credited to that visit's fair and booth if it is
   placed within the window after the visit — once: ``FairOrder`` is unique per order.

Last touch: the latest fair link the shopper opened before the order wins; a scan at a
second fair (or a second booth) moves the cart to it. The window is the OCOP plugin's
``fair_attribution_days`` (default 30), read when the order is placed.
"""

from __future__ import annotations

import datetime
import logging
import re
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from fairs.models import Booth, Fair, FairCart, FairOrder, FairProduct, FairVisit

logger = logging.getLogger(__name__)

COOKIE = "ocop_fair"
SALT = "fairs.attribution"
DEFAULT_WINDOW_DAYS = 30


def window_days() -> int:
    """The operator's attribution window (the OCOP plugin's configuration)."""
    from marketplace import ports

    return ports.settings().marketplace_settings().fair_attribution_days


@dataclass(frozen=True)
class CookieVisit:
    visitor_id: uuid.UUID
    visit_id: int


def read_cookie(request, days: int | None = None) -> CookieVisit | None:
    """The visit in the shopper's cookie, if it is ours, intact and within the window."""
    days = window_days() if days is None else days
    raw = request.get_signed_cookie(COOKIE, default=None, salt=SALT, max_age=days * 86400)
    if not raw:
        return None
    visitor, _, visit = raw.partition(".")
    try:
        return CookieVisit(uuid.UUID(visitor), int(visit))
    except ValueError:
        return None


def _visitor_of(request) -> uuid.UUID:
    """The shopper's visitor id, even from an expired cookie: the same phone scanning
    again next year is still one visitor, only no longer attributed."""
    raw = request.get_signed_cookie(COOKIE, default=None, salt=SALT)
    if raw:
        try:
            return uuid.UUID(raw.partition(".")[0])
        except ValueError:
            pass
    return uuid.uuid4()


# Link previews (a fair link shared on Facebook, Telegram, WhatsApp…), search engines and
# scripts fetch pages too; they are not visitors. Zalo's in-app browser is a person.
AUTOMATED_AGENT = re.compile(
    r"(bot|crawler|spider)([/;\s)_-]|$)|facebookexternalhit|WhatsApp|preview|curl/|Wget|"
    r"python-requests|python-urllib|Go-http-client",
    re.IGNORECASE,
)


def is_automated(request) -> bool:
    return bool(AUTOMATED_AGENT.search(request.META.get("HTTP_USER_AGENT", "")))


def record_visit(
    request,
    response,
    fair: Fair,
    booth: Booth | None = None,
    fair_product: FairProduct | None = None,
) -> FairVisit | None:
    """One insert, and the cookie on ``response``; nothing for a link preview or crawler."""
    if is_automated(request):
        return None
    days = window_days()
    visit = FairVisit.objects.create(
        fair=fair, booth=booth, fair_product=fair_product, visitor_id=_visitor_of(request)
    )
    response.set_signed_cookie(
        COOKIE,
        f"{visit.visitor_id}.{visit.pk}",
        salt=SALT,
        max_age=days * 86400,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return visit


def _within_window(visited_at: datetime.datetime, at: datetime.datetime, days: int) -> bool:
    return visited_at <= at <= visited_at + datetime.timedelta(days=days)


def attach_to_checkout(request, checkout_token) -> FairCart | None:
    """Tie the shopper's checkout to the visit in their cookie (last touch). Cheap when
    there is no cookie (no query) or nothing changed (one query)."""
    if COOKIE not in request.COOKIES or not checkout_token:
        return None
    days = window_days()
    cookie = read_cookie(request, days)
    if cookie is None:
        return None
    token = uuid.UUID(str(checkout_token))
    cart = FairCart.objects.filter(checkout_token=token).first()
    if cart is not None and cart.visit_id == cookie.visit_id:
        return cart
    visit = (
        FairVisit.objects.filter(pk=cookie.visit_id, visitor_id=cookie.visitor_id)
        .only("pk", "fair_id", "booth_id", "created_at")
        .first()
    )
    now = timezone.now()
    if visit is None or not _within_window(visit.created_at, now, days):
        return cart
    if cart is None:
        try:
            with transaction.atomic():
                return FairCart.objects.create(
                    checkout_token=token, visit=visit, fair_id=visit.fair_id,
                    booth_id=visit.booth_id, created_at=now, updated_at=now,
                )  # fmt: skip
        except IntegrityError:  # the same cart from two tabs at once
            cart = FairCart.objects.get(checkout_token=token)
    cart.visit, cart.fair_id, cart.booth_id, cart.updated_at = (
        visit, visit.fair_id, visit.booth_id, now
    )  # fmt: skip
    cart.save(update_fields=["visit", "fair", "booth", "updated_at"])
    return cart


def credit_order(
    order_id: int, checkout_token, placed_at: datetime.datetime, days: int | None = None
) -> FairOrder | None:
    """Credit a just-created order to the fair of its checkout's visit, once.

    Runs inside the order's transaction (a refused credit never blocks the order): an
    order without a fair cart, or placed outside the window, is not credited.
    """
    if not checkout_token:
        return None
    cart = (
        FairCart.objects.filter(checkout_token=uuid.UUID(str(checkout_token)))
        .select_related("visit")
        .first()
    )
    if cart is None:
        return None
    days = window_days() if days is None else days
    visit = cart.visit
    if not _within_window(visit.created_at, placed_at, days):
        logger.info(
            "Order %s: fair visit %s is outside the %s-day window", order_id, visit.pk, days
        )
        return None
    FairOrder.objects.bulk_create(
        [
            FairOrder(
                order_id=order_id,
                fair_id=visit.fair_id,
                booth_id=visit.booth_id,
                fair_product_id=visit.fair_product_id,
                visit=visit,
                visited_at=visit.created_at,
                credited_at=placed_at,
            )
        ],
        ignore_conflicts=True,
    )
    return FairOrder.objects.select_related("fair", "booth").get(order_id=order_id)
