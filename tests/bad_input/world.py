"""The shop the bad-input tests attack, built once per test module: two cooperatives'
certified products imported from a registry, two routed orders (one part new, one
packed, one rejected so the order needs staff), a Thái Nguyên fair with a booth and a
featured product, and the people who use each area, each with a signed-in client."""

from __future__ import annotations

import datetime
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from saleor.account.models import User
from saleor.order.models import Order

from fairs import editing
from fairs.models import Booth, Fair, FairProduct, ProvinceStaff
from marketplace import lifecycle
from marketplace.models import CooperativeOrder, OcopProduct
from marketplace.routing import route_order
from payments_vn.matching import BankCredit, record_bank_credit
from payments_vn.models import BankTransaction
from tests.routing.marketplace import Catalog, build_catalog, member_of, place_order
from tests.saleor_fixtures.api import grant
from tests.storefront.shopping import ADDRESS, variant_of
from verification import reports, stamps
from verification.models import FakeReport, StampBatch, StampFlag

WEBHOOK_SECRET = "bi-mat-ngan-hang-thu-nghiem"
PASSWORD = "mat-khau-thu-1"
THAI_NGUYEN = "19"


@dataclass
class World:
    catalog: Catalog
    order: Order  # its Tài Hoan part is new, its Tân Cương part rejected
    new_part: CooperativeOrder
    packed_part: CooperativeOrder
    shipped_part: CooperativeOrder  # Tài Hoan's, handed to VNPost: the delivery form
    fair: Fair
    booth: Booth
    fair_product: FairProduct
    listing: OcopProduct
    cooperative: User
    platform_staff: User
    province_staff: User
    shop_staff: User
    clients: dict[str, Client]  # by who: anonymous, shopper, cooperative, …
    stamp_batch: StampBatch | None = None
    fake_report: FakeReport | None = None
    stamp_flag: StampFlag | None = None
    bank_credit: BankTransaction | None = None  # a stray credit kept for review


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def build_world(folder) -> World:
    catalog = build_catalog(folder)
    cooperative = member_of(catalog.tai_hoan, "ban.hang@taihoan.test", role="manager")
    tan_cuong = member_of(catalog.tan_cuong, "ban.hang@tancuong.test")
    platform_staff = grant(
        User.objects.create_user(email="dieu.phoi@ocop.test", password=PASSWORD, is_staff=True),
        "manage_orders",
    )
    orders = [place_order(catalog, [(catalog.mien_dong, 2), (catalog.tra, 1)]) for _ in "abc"]
    for order in orders:
        route_order(order.pk)
    parts = {(co.order_id, co.producer_id): co for co in CooperativeOrder.objects.all()}
    new_part = parts[(orders[0].pk, catalog.tai_hoan.pk)]
    lifecycle.reject(tan_cuong, parts[(orders[0].pk, catalog.tan_cuong.pk)].pk, "Hết hàng.")
    packed_part = parts[(orders[1].pk, catalog.tai_hoan.pk)]
    lifecycle.accept(cooperative, packed_part.pk)
    lifecycle.pack(cooperative, packed_part.pk)
    shipped_part = parts[(orders[2].pk, catalog.tai_hoan.pk)]
    lifecycle.accept(cooperative, shipped_part.pk)
    lifecycle.pack(cooperative, shipped_part.pk)
    lifecycle.ship(cooperative, shipped_part.pk, "VNPost", "EB000000001VN")

    province_staff = User.objects.create_user(email="hoi.cho@thainguyen.test", password=PASSWORD)
    ProvinceStaff.objects.create(user=province_staff, province_code=THAI_NGUYEN)
    today = timezone.localdate()
    fair = editing.save_fair(
        province_staff,
        {"name": "Hội chợ OCOP Thái Nguyên 2026", "slug": "ocop-thai-nguyen-2026",
         "province": THAI_NGUYEN, "venue": "Quảng trường 19/8", "description": "",
         "starts_on": today - datetime.timedelta(days=1),
         "ends_on": today + datetime.timedelta(days=2)},
    )  # fmt: skip
    editing.set_cooperatives(fair, [catalog.tai_hoan, catalog.tan_cuong])
    booth = editing.save_booth(
        fair, {"name": "HTX Tài Hoan", "code": "A12", "producer": catalog.tai_hoan}
    )
    listing = OcopProduct.objects.get(product=catalog.mien_dong.product)
    fair_product = editing.save_fair_product(fair, {"ocop_product": listing, "booth": booth})

    shop_staff = grant(
        User.objects.create_user(email="quan.tri@ocop.test", password=PASSWORD, is_staff=True),
        "manage_settings",
    )
    staff_client = Client()
    signed = staff_client.post(
        reverse("backoffice-login"), {"username": shop_staff.email, "password": PASSWORD}
    )
    assert signed.status_code == 302, signed.content
    # A shopper with a cart that has reached the delivery step.
    shopper = Client()
    product = catalog.mien_dong.product
    line = {"variant": variant_of(shopper, product), "quantity": "1", "product_slug": product.slug}
    added = shopper.post("/gio-hang/them/", line)
    assert added.status_code == 302, added.content
    addressed = shopper.post("/thanh-toan/", ADDRESS)
    assert addressed.status_code == 302, addressed.content
    stamp_batch = stamps.issue_batch(listing, 2, issued_as=StampBatch.IssuedAs.COOPERATIVE)
    fake_report = reports.submit_report(listing, what="Bao bì lạ", where="Chợ Thái")
    stamp_flag = StampFlag.objects.create(
        ocop_product=listing, serial=1, province_code=THAI_NGUYEN, checks=25, places=1
    )
    bank_credit, _ = record_bank_credit(
        BankCredit("FT-BAD-INPUT", Decimal(50000), "chuyen tien", timezone.now()), "statement"
    )
    return World(
        bank_credit=bank_credit,
        stamp_batch=stamp_batch, fake_report=fake_report, stamp_flag=stamp_flag,
        catalog=catalog, order=orders[0], new_part=new_part, packed_part=packed_part,
        shipped_part=shipped_part,
        fair=fair, booth=booth, fair_product=fair_product, listing=listing,
        cooperative=cooperative, platform_staff=platform_staff,
        province_staff=province_staff, shop_staff=shop_staff,
        clients={
            "anonymous": Client(), "shopper": shopper, "cooperative": _signed_in(cooperative),
            "platform_staff": _signed_in(platform_staff),
            "province_staff": _signed_in(province_staff), "shop_staff": staff_client,
        },
    )  # fmt: skip


@contextmanager
def world_for_module(django_db_blocker, folder):
    """The world in a transaction of its own, rolled back when the module is done; each
    request of the tests runs in a savepoint inside it (tests.bad_input.site.attempt)."""
    from django.db import transaction

    settings = override_settings(
        OCOP_BANK_WEBHOOK_SECRET=WEBHOOK_SECRET,
        # Every request runs the view: no rendered page kept from an earlier one.
        STOREFRONT_SEARCH_CACHE_SECONDS=0,
        # Sign-in forms are sent a hundred times: a fast hash (the accounts are made here).
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    with django_db_blocker.unblock(), settings:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world(folder)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
