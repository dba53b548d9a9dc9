"""Prepare a trade fair in a live shop's database (run in a subprocess, like the shop):

    DATABASE_URL=... python -m tests.browser.fair_setup HOST:PORT

A Thái Nguyên fair with booth A12 (HTX Tài Hoan, miến dong) and the province's staff
account. The shop's public domain is already the live server (tests/browser/live_shop.py).
"""

from __future__ import annotations

import datetime
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

STAFF_EMAIL = "hoi.cho@thainguyen.test"
STAFF_PASSWORD = "mat-khau-tinh-1"


def main(host: str) -> None:
    import django

    django.setup()
    from django.contrib.sites.models import Site
    from django.utils import timezone
    from saleor.account.models import User

    from fairs import editing
    from fairs.models import Fair, ProvinceStaff
    from marketplace.models import OcopProduct, Producer

    # The live shop set its domain before serving; printed codes must open it.
    assert Site.objects.get_current().domain == host, Site.objects.get_current().domain
    user = User.objects.filter(email=STAFF_EMAIL).first() or User.objects.create_user(
        email=STAFF_EMAIL, password=STAFF_PASSWORD
    )
    ProvinceStaff.objects.get_or_create(user=user, province_code="19")
    if Fair.objects.filter(slug="ocop-bac-kan-2026").exists():
        return
    today = timezone.localdate()
    fair = editing.save_fair(
        user,
        {
            "name": "Hội chợ OCOP Bắc Kạn 2026", "slug": "ocop-bac-kan-2026", "province": "19",
            "venue": "Quảng trường thành phố", "starts_on": today - datetime.timedelta(days=1),
            "ends_on": today + datetime.timedelta(days=2), "description": "",
        },
    )  # fmt: skip
    tai_hoan = Producer.objects.get(name="Hợp tác xã Tài Hoan")
    dinh_hoa = Producer.objects.get(name="Hợp tác xã Định Hóa")
    editing.set_cooperatives(fair, [tai_hoan, dinh_hoa])
    booth = editing.save_booth(fair, {"name": "HTX Tài Hoan", "code": "A12", "producer": tai_hoan})
    for producer, at in ((tai_hoan, booth), (dinh_hoa, None)):
        product = OcopProduct.objects.filter(producer=producer).first()
        editing.save_fair_product(fair, {"ocop_product": product, "booth": at})


if __name__ == "__main__":
    main(sys.argv[1])
