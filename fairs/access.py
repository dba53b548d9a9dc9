"""Who may see and manage which fairs: the one place province scoping is decided.

Provincial staff (``ProvinceStaff``) see and manage the fairs of their own provinces
only; another province's fair is answered exactly like a missing one (404). Platform
staff — the same people ``marketplace.access`` lets see every cooperative (a Saleor staff
account with ``manage_orders``; superusers have every permission) — see all fairs.
"""

from __future__ import annotations

from django.db.models import QuerySet

from common.units import provinces
from fairs.models import Fair, ProvinceStaff
from marketplace import access as marketplace_access
from marketplace.models import OcopProduct, Producer

# What anyone is told about a fair that is not theirs, as about one that does not exist.
NOT_FOUND = "Không tìm thấy hội chợ / Fair not found."

is_authenticated = marketplace_access.is_authenticated


def sees_all(user) -> bool:
    return marketplace_access.sees_all(user)


def province_codes(user) -> list[str] | None:
    """The provinces ``user`` runs fairs for; None means every province."""
    if sees_all(user):
        return None
    if not is_authenticated(user):
        return []
    cache = getattr(user, "_ocop_fair_provinces", None)
    if cache is None:
        cache = sorted(
            ProvinceStaff.objects.filter(user=user).values_list("province_code", flat=True)
        )
        user._ocop_fair_provinces = cache
    return cache


# The answer to a signed-in account that runs no province's fairs (pages and API).
NOT_FAIR_STAFF = (
    "Tài khoản của bạn không phụ trách hội chợ của tỉnh nào / "
    "Your account does not run fairs for any province."
)


def is_fair_staff(user) -> bool:
    codes = province_codes(user)
    return codes is None or bool(codes)


def province_choices(user) -> list[tuple[str, str]]:
    """(code, name) of the provinces ``user`` may create fairs in, in code order."""
    codes = province_codes(user)
    return [(code, name) for code, name in provinces() if codes is None or code in codes]


def fairs_for(user) -> QuerySet:
    codes = province_codes(user)
    if codes is None:
        return Fair.objects.all()
    if not codes:
        return Fair.objects.none()
    return Fair.objects.filter(province_code__in=codes)


def may_manage(user, fair: Fair) -> bool:
    codes = province_codes(user)
    return codes is None or fair.province_code in codes


def producers_for_fair(fair: Fair) -> QuerySet:
    """Cooperatives a fair may invite: the producers of the fair's province."""
    return Producer.objects.filter(province_code=fair.province_code).order_by("name", "pk")


def products_for_fair(fair: Fair) -> QuerySet:
    """Products a fair may feature: those of its participating cooperatives."""
    return (
        OcopProduct.objects.filter(producer__in=fair.cooperatives.all())
        .select_related("product", "producer")
        .order_by("producer__name", "product__name", "pk")
    )
