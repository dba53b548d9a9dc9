"""Platform staff's "Today": what needs someone, counted and listed with a link to where it
is handled, for the same number of queries on a quiet day and a busy one."""

import datetime
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalog_sync.models import ImportRun
from marketplace.models import (
    Certificate,
    CooperativeOrder,
    OcopProduct,
    OrderRouting,
    PartRefund,
)
from marketplace.routing import route_order
from payments_vn.matching import BankCredit, record_bank_credit
from payments_vn.models import BankTransaction
from tests.routing.marketplace import client_for

URL = "/quan-tri/hom-nay/"


def count_of(page: str, section: str) -> int:
    block = page.split(f'data-testid="section-{section}"', 1)[1].split("</section>", 1)[0]
    return int(re.search(r'data-testid="count">(\d+)<', block).group(1))


def section_of(page: str, section: str) -> str:
    return page.split(f'data-testid="section-{section}"', 1)[1].split("</section>", 1)[0]


def credit(bank_id: str, amount: int = 50000):
    booked = datetime.datetime(2026, 11, 30, 8, 0, tzinfo=datetime.UTC)
    row, _ = record_bank_credit(
        BankCredit(bank_id, Decimal(amount), "chuyen tien", booked), "statement"
    )
    return row


def busy_day(orders, catalog, *, tag: str = ""):
    """One of each thing that needs someone, and one of each that does not."""
    now = timezone.now()
    first, second = orders["tai_hoan"]
    # An order placed yesterday morning is not new any more; the other one is.
    OrderRouting.objects.filter(order_id=first.order_id).update(
        created_at=now - datetime.timedelta(hours=30)
    )
    # Tài Hoan has left its first part "new" for 50 hours (the limit is 48), the second
    # for 47.
    CooperativeOrder.objects.filter(pk=first.pk).update(
        created_at=now - datetime.timedelta(hours=50, minutes=5)
    )
    CooperativeOrder.objects.filter(pk=second.pk).update(
        created_at=now - datetime.timedelta(hours=47)
    )
    OrderRouting.objects.filter(order_id=second.order_id).update(
        needs_attention=True,
        attention_reason="HTX Chè Tân Cương từ chối / rejected\nKhách gọi lại / Customer called",
    )
    credit(f"FT-REVIEW{tag}")
    tan_cuong = orders["tan_cuong"]
    PartRefund.objects.create(
        cooperative_order=tan_cuong[0], amount=350000, method="bank_transfer", status="ready"
    )
    PartRefund.objects.create(
        cooperative_order=tan_cuong[1], amount=700000, method="gateway", status="refunded"
    )
    today = timezone.localdate()
    mien_dong = OcopProduct.objects.get(product__name="Miến dong Tài Hoan")
    Certificate.objects.filter(pk=mien_dong.current_certificate_id).update(
        expiry_date=today + datetime.timedelta(days=10)
    )
    ImportRun.objects.create(
        file="r.csv", original_name="thai-nguyen-2026.xlsx", status="failed",
        error_message="Không đọc được tệp / Unreadable file",
        created_at=now - datetime.timedelta(days=1),
    )  # fmt: skip
    ImportRun.objects.create(
        file="r.csv", original_name="cu.csv", status="failed",
        created_at=now - datetime.timedelta(days=10),
    )  # fmt: skip
    ImportRun.objects.create(file="r.csv", original_name="tot.csv", status="done")


def test_today_counts_and_lists_what_needs_someone(
    catalog, cooperative_settings, orders, platform_staff
):
    # Given a day with one of each thing to handle
    busy_day(orders, catalog)

    # When platform staff open Today
    response = client_for(platform_staff).get(reverse("backoffice-today"))

    # Then each section has its exact count and links to where it is handled
    assert response.status_code == 200
    page = response.content.decode()
    counts = {
        key: count_of(page, key)
        for key in ("new_orders", "late_acceptance", "attention", "transfers", "refunds",
                    "certificates", "failed_imports")
    }  # fmt: skip
    assert counts == {
        "new_orders": 1, "late_acceptance": 1, "attention": 1, "transfers": 1, "refunds": 1,
        "certificates": 1, "failed_imports": 1,
    }  # fmt: skip
    first, second = orders["tai_hoan"]
    new = section_of(page, "new_orders")
    assert f"#{second.order_id}" in new
    assert f"#{first.order_id}" not in new
    assert reverse("portal:order_detail", args=[second.pk]) in new
    late = section_of(page, "late_acceptance")
    assert f'href="{reverse("portal:order_detail", args=[first.pk])}"' in late
    assert "50 giờ / hours" in late
    assert "Waiting for acceptance over 48 hours" in late
    attention = section_of(page, "attention")
    assert "Khách gọi lại / Customer called" in attention  # the newest reason
    assert "can_xu_ly=1" in attention
    transfers = section_of(page, "transfers")
    assert "FT-REVIEW" in transfers
    assert "50.000\u00a0₫" in transfers
    row = BankTransaction.objects.get(bank_transaction_id="FT-REVIEW")
    assert reverse("backoffice-transfer", args=[row.pk]) in transfers
    refunds = section_of(page, "refunds")
    assert orders["tan_cuong"][0].number in refunds
    assert "350.000\u00a0₫" in refunds
    assert orders["tan_cuong"][1].number not in refunds
    certificates = section_of(page, "certificates")
    assert "Miến dong Tài Hoan" in certificates
    assert "left 10" in certificates
    assert reverse("verification:certificates") in certificates
    imports = section_of(page, "failed_imports")
    assert "thai-nguyen-2026.xlsx" in imports
    assert "Unreadable file" in imports
    assert "cu.csv" not in imports


def test_a_quiet_day_shows_nothing_to_do(db, platform_staff):
    page = client_for(platform_staff).get(URL).content.decode()
    assert page.count('data-testid="count">0<') == 7
    assert page.count("Không có / Nothing.") == 7


def test_today_costs_the_same_queries_on_a_busy_day(
    catalog, cooperative_settings, orders, order_of, platform_staff
):
    staff = client_for(platform_staff)
    staff.get(URL)  # the session, the user, the shop's settings: warmed
    with CaptureQueriesContext(connection) as quiet:
        assert staff.get(URL).status_code == 200

    # Given every section full, past what it lists
    busy_day(orders, catalog)
    for number in range(8):
        order = order_of((catalog.mien_dong, 1), (catalog.tra, 1))
        route_order(order.pk)
        OrderRouting.objects.filter(order=order).update(needs_attention=True)
        CooperativeOrder.objects.filter(order=order).update(
            created_at=timezone.now() - datetime.timedelta(days=3)
        )
        credit(f"FT-MORE{number}")
        ImportRun.objects.create(file="r.csv", original_name=f"{number}.csv", status="failed")
    with CaptureQueriesContext(connection) as busy:
        page = staff.get(URL).content.decode()

    # Then the page is as cheap, and each list stops at five with the count beside it
    assert len(busy) == len(quiet)
    # (two a section, the listed orders' parts, the shop's settings, the session, the user)
    assert len(busy) <= 20, [query["sql"][:120] for query in busy.captured_queries]
    assert count_of(page, "late_acceptance") == 1 + 16
    assert section_of(page, "late_acceptance").count("<li>") == 5
    assert count_of(page, "transfers") == 9
    assert "Xem tất cả / See all (9)" in page


@pytest.mark.parametrize("role", ["customer", "coop_a_owner", "province_a"])
def test_only_platform_staff_see_today(world, role):
    response = world.client(role).get(URL)
    assert response.status_code == 403
    assert "Only platform staff may see this page" in response.content.decode()


def test_platform_staff_find_today_first_after_signing_in(db, platform_staff):
    client = Client()
    signed_in = client.post(
        reverse("backoffice-login"),
        {"username": platform_staff.email, "password": "mat-khau-staff-1"},
    )
    assert signed_in["Location"] == reverse("backoffice-areas")
    areas = client.get(signed_in["Location"]).content.decode()
    first = re.search(r'href="([^"]+)" data-testid="area"', areas).group(1)
    assert first == reverse("backoffice-today")
    assert reverse("backoffice-transfers") in areas
