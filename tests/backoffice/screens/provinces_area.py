"""The provinces' area (/tinh/…: fairs in backoffice.fairs, certificates, stamps, reports
and the programme in backoffice.verification), on a fair and a certificate of province A."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from fairs import editing
from fairs.models import Booth, Fair, FairProduct
from marketplace.models import Certificate, OcopProduct
from tests.backoffice.roles import PROVINCE_A, World
from tests.backoffice.screens import Cell, any_province, province_a
from verification import stamps
from verification.models import FakeReport, StampBatch, StampFlag


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


def booth_of_province_a(world: World) -> Booth:
    """Tài Hoan's booth at the fair, with its miến dong featured."""
    if "booth" not in world.things:
        fair = fair_of_province_a(world)
        editing.set_cooperatives(fair, [world.catalog.tai_hoan])
        booth = editing.save_booth(
            fair, {"name": "HTX Tài Hoan", "code": "A12", "producer": world.catalog.tai_hoan}
        )
        world.things["booth"] = booth
        world.things["fair_product"] = editing.save_fair_product(
            fair, {"ocop_product": mien_dong(world), "booth": booth}
        )
    return world.things["booth"]


def fair_product_of_province_a(world: World) -> FairProduct:
    booth_of_province_a(world)
    return world.things["fair_product"]


def _fair_item_url(name: str, item):
    return lambda world: reverse(name, args=[fair_of_province_a(world).pk, item(world).pk])


def mien_dong(world: World) -> OcopProduct:
    return OcopProduct.objects.get(product=world.catalog.mien_dong.product)


def stamp_batch(world: World) -> StampBatch:
    """Two stamps of Tài Hoan's miến dong (province A), issued by its cooperative."""
    if "stamps" not in world.things:
        world.things["stamps"] = stamps.issue_batch(
            mien_dong(world), 2, issued_as=StampBatch.IssuedAs.COOPERATIVE
        )
    return world.things["stamps"]


def fake_report(world: World) -> FakeReport:
    if "report" not in world.things:
        world.things["report"] = FakeReport.objects.create(
            ocop_product=mien_dong(world),
            province_code=PROVINCE_A,
            what="Bao bì in mờ, không có tem / Blurred print, no stamp",
            where="Chợ Đồng Xuân, Hà Nội",
            photo=SimpleUploadedFile("anh.png", PNG, content_type="image/png"),
        )
    return world.things["report"]


def stamp_flag(world: World) -> StampFlag:
    if "flag" not in world.things:
        world.things["flag"] = StampFlag.objects.create(
            ocop_product=mien_dong(world), serial=1, province_code=PROVINCE_A, checks=9, places=4
        )
    return world.things["flag"]


# A 1×1 PNG: the report's photo
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8ffff3f0005fe02fea7d6a4f90000000049454e44ae426082"
)


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
    Cell(
        "fair booth edit form",
        _fair_item_url("fairs:booth_edit", booth_of_province_a),
        province_a(),
    ),
    Cell(
        "fair booth edit",
        _fair_item_url("fairs:booth_edit", booth_of_province_a),
        province_a(302),
        method="post",
        data=lambda world: {
            "name": "HTX Tài Hoan (gian lớn)",
            "code": "A12",
            "slug": "tai-hoan",
            "producer": world.catalog.tai_hoan.pk,
        },
    ),
    Cell(
        "fair booth delete",
        _fair_item_url("fairs:booth_delete", booth_of_province_a),
        province_a(400),  # its featured miến dong must move first (fairs.editing)
        method="post",
    ),
    Cell(
        "fair product add",
        _fair_url("fairs:product_add"),
        province_a(400),  # the miến dong is featured already
        method="post",
        data=lambda world: {
            "ocop_product": fair_product_of_province_a(world).ocop_product_id,
            "slug": "mien-dong-2",
        },
    ),
    Cell(
        "fair product edit form",
        _fair_item_url("fairs:product_edit", fair_product_of_province_a),
        province_a(),
    ),
    Cell(
        "fair product delete",
        _fair_item_url("fairs:product_delete", fair_product_of_province_a),
        province_a(302),
        method="post",
    ),
    Cell(
        "province stamp sheet",
        lambda world: reverse("verification:stamp_sheet", args=[stamp_batch(world).pk]),
        province_a(),
    ),
    Cell(
        "fake report",
        lambda world: reverse("verification:report_detail", args=[fake_report(world).pk]),
        province_a(),
    ),
    Cell(
        "fake report resolve",
        lambda world: reverse("verification:report_detail", args=[fake_report(world).pk]),
        province_a(302),
        method="post",
        data=lambda world: {"note": "Đã báo quản lý thị trường / Reported to market control"},
    ),
    Cell(
        "fake report photo",
        lambda world: reverse("verification:report_photo", args=[fake_report(world).pk]),
        province_a(),
    ),
    Cell(
        "copied stamp flag resolve",
        lambda world: reverse("verification:flag_resolve", args=[stamp_flag(world).pk]),
        province_a(302),
        method="post",
        data=lambda world: {"note": "Tem của một lô bị lộ / A leaked batch"},
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
