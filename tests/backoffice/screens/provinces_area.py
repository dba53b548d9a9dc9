"""The provinces' area (/tinh/…: fairs in backoffice.fairs, certificates, stamps, reports
and the programme in backoffice.verification), on a fair and a certificate of province A."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from fairs import editing
from fairs.models import Fair
from marketplace.models import Certificate
from tests.backoffice.roles import PROVINCE_A, World
from tests.backoffice.screens import Cell, any_province, province_a


def fair_of_province_a(world: World) -> Fair:
    if "fair" not in world.things:
        today = timezone.localdate()
        world.things["fair"] = editing.save_fair(
            world.users["province_a"],
            {
                "name": "Hội chợ OCOP Thái Nguyên 2026",
                "slug": "ocop-thai-nguyen-2026",
                "province": PROVINCE_A,
                "venue": "Quảng trường 19/8",
                "starts_on": today - datetime.timedelta(days=1),
                "ends_on": today + datetime.timedelta(days=2),
                "description": "Tuần lễ sản phẩm OCOP.",
            },
        )
    return world.things["fair"]


def _fair_url(name: str):
    return lambda world: reverse(name, args=[fair_of_province_a(world).pk])


def certificate_of_province_a(world: World) -> Certificate:
    return Certificate.objects.get(ocop_product__product=world.catalog.mien_dong.product)


CELLS = [
    Cell("province home", lambda world: reverse("fairs:staff_home"), any_province(302)),
    Cell("fairs list", lambda world: reverse("fairs:fair_list"), any_province()),
    Cell("fair create form", lambda world: reverse("fairs:fair_create"), any_province()),
    Cell("fair page", _fair_url("fairs:fair_detail"), province_a()),
    Cell("fair edit form", _fair_url("fairs:fair_edit"), province_a()),
    Cell(
        "fair create",
        lambda world: reverse("fairs:fair_create"),
        {**any_province(302), "province_b": 400},  # B may not choose province A
        method="post",
        data=lambda world: {
            "name": "Phiên chợ OCOP",
            "province": PROVINCE_A,
            "venue": "Chợ Thái",
            "starts_on": "2026-12-10",
            "ends_on": "2026-12-12",
        },
    ),
    Cell(
        "fair cooperatives",
        _fair_url("fairs:fair_cooperatives"),
        province_a(302),
        method="post",
        data=lambda world: {"cooperatives": [world.catalog.tai_hoan.pk]},
    ),
    Cell(
        "fair booth add",
        _fair_url("fairs:booth_add"),
        province_a(400),  # the cooperative is not yet at the fair
        method="post",
        data=lambda world: {
            "name": "HTX Tài Hoan",
            "code": "A12",
            "producer": world.catalog.tai_hoan.pk,
        },
    ),
    Cell("fair report", _fair_url("fairs:report"), province_a()),
    Cell("fair report csv", _fair_url("fairs:report_csv"), province_a()),
    Cell("fair orders csv", _fair_url("fairs:orders_csv"), province_a()),
    Cell("fair posters", _fair_url("fairs:poster"), province_a()),
    Cell(
        "fair qr code",
        lambda world: reverse(
            "fairs:qr",
            kwargs={
                "pk": fair_of_province_a(world).pk,
                "kind": "fair",
                "item": fair_of_province_a(world).pk,
                "fmt": "svg",
            },
        ),
        province_a(),
    ),
    Cell("verification queue", lambda world: reverse("verification:queue"), any_province()),
    Cell("certificates", lambda world: reverse("verification:certificates"), any_province()),
    Cell(
        "certificate revoke",
        lambda world: reverse("verification:revoke", args=[certificate_of_province_a(world).pk]),
        province_a(302),
        method="post",
        data=lambda world: {
            "decision_number": "123/QĐ-UBND",
            "decided_on": timezone.localdate().isoformat(),
            "reason": "Vi phạm chất lượng / Quality breach",
        },
    ),
    Cell("province stamps", lambda world: reverse("verification:stamps"), any_province()),
    Cell("programme", lambda world: reverse("verification:programme"), any_province()),
    Cell("programme csv", lambda world: reverse("verification:programme_csv"), any_province()),
]
