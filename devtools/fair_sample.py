"""Sample fairs for ``make demo``: one running now and one that ended, in the province
with the most sample products, and a provincial staff account to run them. Labelled as
sample data; safe to run again (nothing is created twice)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from common.units import province_name
from fairs import editing
from fairs.models import Fair, ProvinceStaff
from marketplace.catalogue import ocop_products_in_force
from marketplace.models import OcopProduct, Producer

BOOTHS_PER_FAIR = 4
PRODUCTS_PER_BOOTH = 3


@transaction.atomic
def load_sample_fairs(email: str, password: str) -> tuple[str, list[Fair]] | None:
    """The staff e-mail's province and its sample fairs; None without sample products."""
    from devtools.demo import ensure_account

    busiest = (
        Producer.objects.filter(products__in=ocop_products_in_force())
        .values("province_code")
        .annotate(n=Count("products"))
        .order_by("-n", "province_code")
        .first()
    )
    if busiest is None:
        return None
    code = busiest["province_code"]
    user = ensure_account(email, password)
    ProvinceStaff.objects.get_or_create(user=user, province_code=code)
    province = province_name(code).removeprefix("Tỉnh ").removeprefix("Thành phố ")
    today = timezone.localdate()
    fairs = [
        _fair(user, code, f"Tuần lễ OCOP {province} (dữ liệu mẫu)",
              today - datetime.timedelta(days=1), today + datetime.timedelta(days=5)),
        _fair(user, code, f"Hội chợ Xuân OCOP {province} (dữ liệu mẫu)",
              today - datetime.timedelta(days=60), today - datetime.timedelta(days=56)),
    ]  # fmt: skip
    return user.email, fairs


def _fair(user, code: str, name: str, starts_on, ends_on) -> Fair:
    existing = Fair.objects.filter(name=name, province_code=code).first()
    if existing is not None:
        return existing
    fair = editing.save_fair(
        user,
        {"name": name, "slug": "", "province": code, "venue": "Quảng trường trung tâm tỉnh",
         "starts_on": starts_on, "ends_on": ends_on,
         "description": "Hội chợ mẫu để xem thử tính năng, không phải sự kiện thật."},
    )  # fmt: skip
    producers = list(
        Producer.objects.filter(province_code=code, products__in=ocop_products_in_force())
        .annotate(n=Count("products"))
        .order_by("-n", "name")[:BOOTHS_PER_FAIR]
    )
    editing.set_cooperatives(fair, producers)
    for number, producer in enumerate(producers, start=1):
        booth = editing.save_booth(
            fair, {"name": producer.name, "code": f"A{number:02d}", "producer": producer}
        )
        listed = OcopProduct.objects.filter(
            pk__in=ocop_products_in_force().filter(producer=producer).values("pk")
        ).select_related("product")[:PRODUCTS_PER_BOOTH]
        for ocop_product in listed:
            editing.save_fair_product(fair, {"ocop_product": ocop_product, "booth": booth})
    return fair
