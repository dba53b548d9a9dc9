"""Platform staff pay the cooperatives without a shell: the next run previewed with the
amounts it will pay (and who is held, why), the run, the bank file, the bank's
confirmation; the history. Amounts are exact, as the ledger writes them."""

import csv
import io
import re
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from marketplace import cooperatives, payouts
from marketplace.models import CooperativeOrder, LedgerEntry, PayoutBatch
from marketplace.routing import route_order
from tests.routing.marketplace import client_for
from tests.settlement.test_ledger import cash_collected, delivered

PAYOUTS = "/quan-tri/chi-tra/"
NBSP = "\u00a0"


@pytest.fixture
def both_delivered(catalog, order_of, platform_staff, cooperative_settings):
    """One order: 2 miến dong (Tài Hoan, 2 × 125.000 = 250.000 ₫) + 1 trà (Tân Cương,
    350.000 ₫), shipping 30.000 ₫ shared by goods (12.500 / 17.500), both parts
    delivered and the cash collected.
    Tài Hoan: 250.000 + 12.500 − 10% × 250.000 (25.000) = 237.500 ₫.
    Tân Cương: 350.000 + 17.500 − 8% × 350.000 (28.000) = 339.500 ₫."""
    order = order_of((catalog.mien_dong, 2), (catalog.tra, 1))
    route_order(order.pk)
    for part in CooperativeOrder.objects.filter(order=order):
        delivered(platform_staff, part)
    cash_collected(order)
    return order


def preview_rows(html: str) -> list[str]:
    """The preview table's rows as text, one string per cooperative."""
    table = html.split('data-testid="preview"')[1].split("</table>")[0]
    rows = table.split("<tr data-producer=")[1:]
    # (ASCII whitespace only: amounts keep their no-break space, "237.500\u00a0₫")
    return [re.sub(r"[ \t\r\n]+", " ", _text(row)).strip() for row in rows]


def _text(html: str) -> str:
    return re.sub(r"<[^>]+>", " ", html)


def test_the_preview_shows_what_the_run_will_pay_and_the_run_pays_exactly_that(
    catalog, both_delivered, platform_staff
):
    staff = client_for(platform_staff)

    # Given two cooperatives owed money, when staff open the payouts page
    page = staff.get(PAYOUTS)

    # Then each cooperative's entries, gross, shipping, commission, net and account show
    assert page.status_code == 200
    html = page.content.decode()
    assert preview_rows(html) == [
        f'"{catalog.tan_cuong.pk}"> Hợp tác xã Chè Tân Cương 1 350.000{NBSP}₫ 17.500{NBSP}₫ '
        f"28.000{NBSP}₫ 339.500{NBSP}₫ Vietcombank · 0011002233445 · HTX CHE TAN CUONG "
        "Sẽ trả / To pay",
        f'"{catalog.tai_hoan.pk}"> Hợp tác xã Tài Hoan 1 250.000{NBSP}₫ 12.500{NBSP}₫ '
        f"25.000{NBSP}₫ 237.500{NBSP}₫ Agribank · 1234567890123 · HTX TAI HOAN Sẽ trả / To pay",
    ]
    # 237.500 + 339.500 = 577.000 ₫
    assert f"<strong>577.000{NBSP}₫</strong>" in html
    # and the preview wrote nothing
    assert not PayoutBatch.objects.exists()
    assert LedgerEntry.objects.filter(payout_batch__isnull=True).count() == 2

    # When they run it without ticking the confirmation, then nothing is paid
    unconfirmed = staff.post(reverse("backoffice-payout-run"))
    assert unconfirmed.status_code == 400
    assert "Tick to confirm the payout run" in unconfirmed.content.decode()
    assert not PayoutBatch.objects.exists()

    # When they confirm the run
    ran = staff.post(reverse("backoffice-payout-run"), {"confirm": "1"})

    # Then one batch pays exactly the preview, and the page of the batch opens
    batch = PayoutBatch.objects.get()
    assert (ran.status_code, ran["Location"]) == (
        302,
        reverse("backoffice-payout", args=[batch.pk]),
    )
    assert batch.total_amount == Decimal(577000)
    assert sorted(batch.lines.values_list("producer__name", "amount", "entry_count")) == [
        ("Hợp tác xã Chè Tân Cương", Decimal(339500), 1),
        ("Hợp tác xã Tài Hoan", Decimal(237500), 1),
    ]
    assert LedgerEntry.objects.filter(payout_batch=batch).count() == 2
    batch_page = staff.get(ran["Location"]).content.decode()
    assert f'data-testid="batch-total">577.000{NBSP}₫' in batch_page
    assert f"339.500{NBSP}₫" in batch_page
    assert f"237.500{NBSP}₫" in batch_page
    # and the run is logged with the person who ran it
    [created] = LogEntry.objects.get_for_object(batch)
    assert (created.action, created.actor) == (LogEntry.Action.CREATE, platform_staff)

    # When they run again, then it says there is nothing to pay, and makes no batch
    again = staff.post(reverse("backoffice-payout-run"), {"confirm": "1"})
    assert again.status_code == 200
    assert "There is nothing to pay right now" in again.content.decode()
    assert PayoutBatch.objects.count() == 1
    # and the history lists the batch
    assert batch.reference in staff.get(PAYOUTS).content.decode()


def test_held_cooperatives_are_shown_with_their_reason_and_not_paid(
    catalog, order_of, both_delivered, platform_staff, cooperative_settings
):
    # Given Tân Cương suspended, Tài Hoan without a bank account holder, and a second
    # Tài Hoan order delivered before its cash came in (COD not collected)
    cooperatives.suspend(platform_staff, catalog.tan_cuong.pk, "Kiểm tra chất lượng")
    cooperative_settings["tai_hoan"].bank_account_holder = ""
    cooperative_settings["tai_hoan"].save()
    order = order_of((catalog.mien_dong, 1))
    route_order(order.pk)
    delivered(platform_staff, CooperativeOrder.objects.get(order=order))
    staff = client_for(platform_staff)

    # When staff open the preview
    html = staff.get(PAYOUTS).content.decode()

    # Then both are held, each with its reason; the uncollected entry waits (+1)
    rows = preview_rows(html)
    assert "Tạm giữ / Held Hợp tác xã đang tạm ngừng / the cooperative is suspended" in rows[0]
    assert rows[1].startswith(
        f'"{catalog.tai_hoan.pk}"> Hợp tác xã Tài Hoan 1 (+1 chờ tiền khách / awaiting the buyer)'
        f" 250.000{NBSP}₫"
    )
    assert rows[1].endswith("Tạm giữ / Held Chưa có tài khoản ngân hàng / no bank account")
    assert f"<strong>0{NBSP}₫</strong>" in html
    # and there is nothing to run: no run button, and a forged run pays nothing
    assert reverse("backoffice-payout-run") not in html
    ran = staff.post(reverse("backoffice-payout-run"), {"confirm": "1"})
    assert "There is nothing to pay right now" in ran.content.decode()
    assert not PayoutBatch.objects.exists()
    # and the plan the command runs is the one the page showed
    plan = payouts.plan_payout()
    assert [(line.producer_name, line.held) for line in plan.held] == [
        ("Hợp tác xã Chè Tân Cương", payouts.SUSPENDED),
        ("Hợp tác xã Tài Hoan", payouts.NO_BANK_ACCOUNT),
    ]
    assert plan.paid == []


def test_the_bank_file_and_the_banks_confirmation(both_delivered, platform_staff):
    staff = client_for(platform_staff)
    batch = payouts.run_payout(platform_staff).batch
    ref = batch.reference

    # When staff download the bank file
    download = staff.get(reverse("backoffice-payout-file", args=[batch.pk]))

    # Then it is the batch's transfer CSV, named after the batch
    assert download["Content-Disposition"] == f'attachment; filename="{ref}.csv"'
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows == [
        payouts.PAYOUT_CSV_HEADER,
        [ref, "970436", "Vietcombank", "0011002233445", "HTX CHE TAN CUONG", "339500",
         f"{ref} thanh toan 1 don OCOP"],
        [ref, "970405", "Agribank", "1234567890123", "HTX TAI HOAN", "237500",
         f"{ref} thanh toan 1 don OCOP"],
    ]  # fmt: skip

    # When they mark it paid without the bank's reference, or with a date to come
    today = timezone.localdate()
    paid = reverse("backoffice-payout-paid", args=[batch.pk])
    no_reference = staff.post(paid, {"bank_reference": " ", "paid_on": today.isoformat()})
    no_such_day = staff.post(
        paid, {"bank_reference": "FT2633612345", "paid_on": f"{today.day:02d}/13/{today.year}"}
    )
    future = staff.post(
        paid,
        {
            "bank_reference": "FT2633612345",
            "paid_on": (today.replace(year=today.year + 1)).isoformat(),
        },
    )

    # Then each is a field error, and the batch stays pending
    assert no_reference.status_code == no_such_day.status_code == future.status_code == 400
    assert (
        "Give the bank&#x27;s reference (at most 100 characters)" in no_reference.content.decode()
    )
    assert "Not a valid transfer date (DD/MM/YYYY)" in no_such_day.content.decode()
    assert "The transfer date is between the batch&#x27;s day and today" in future.content.decode()
    assert PayoutBatch.objects.get().status == "pending"

    # When they give the bank's reference and the day (as Vietnamese write it)
    done = staff.post(paid, {"bank_reference": " FT2633612345 ", "paid_on": f"{today:%d/%m/%Y}"})

    # Then the batch is paid, with both, and the change is logged with its actor
    assert done.status_code == 302
    batch.refresh_from_db()
    assert (batch.status, batch.bank_reference, batch.paid_on) == ("paid", "FT2633612345", today)
    update = LogEntry.objects.get_for_object(batch).get(action=LogEntry.Action.UPDATE)
    assert update.actor == platform_staff
    assert update.changes_dict["bank_reference"] == ["", "FT2633612345"]
    assert (
        "FT2633612345" in staff.get(reverse("backoffice-payout", args=[batch.pk])).content.decode()
    )

    # When they mark it paid again, then it is a field error, and nothing changes
    twice = staff.post(paid, {"bank_reference": "FT999", "paid_on": today.isoformat()})
    assert twice.status_code == 400
    assert "This payout batch is already marked paid" in twice.content.decode()
    batch.refresh_from_db()
    assert batch.bank_reference == "FT2633612345"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (PAYOUTS + "?trang=abc", 400),
        (PAYOUTS + "?trang=0", 400),
        (PAYOUTS + "?trang=" + "9" * 40, 400),
        (PAYOUTS + "?trang=99", 404),
        (PAYOUTS + "?xem=%00", 400),
        (PAYOUTS + "1" * 10_000 + "/", 404),
        (PAYOUTS + "9" * 25 + "/", 404),
        (PAYOUTS + "123456/", 404),
        (PAYOUTS + "123456/tep-ngan-hang.csv", 404),
    ],
)
def test_bad_pages_and_ids_are_a_clear_400_or_404(platform_staff, url, status):
    assert client_for(platform_staff).get(url).status_code == status


def test_a_run_and_a_confirmation_are_posts_only(both_delivered, platform_staff):
    staff = client_for(platform_staff)
    batch = payouts.run_payout(platform_staff).batch
    assert staff.get(reverse("backoffice-payout-run")).status_code == 405
    assert staff.get(reverse("backoffice-payout-paid", args=[batch.pk])).status_code == 405


def test_the_history_costs_the_same_queries_for_one_batch_or_many(platform_staff):
    staff = client_for(platform_staff)
    PayoutBatch.objects.create(reference="OCOP-20261201-00000001", total_amount=1)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff.get(PAYOUTS).status_code == 200
        return len(captured)

    queries()  # the session's and the sign-in's first queries, once per client
    one = queries()
    for number in range(2, 31):
        PayoutBatch.objects.create(
            reference=f"OCOP-20261201-{number:08d}", total_amount=number, created_by=platform_staff
        )
    assert queries() == one


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(reference=st.text(max_size=120), day=st.text(max_size=20))
def test_any_typed_confirmation_is_accepted_or_refused_never_a_crash(
    both_delivered, platform_staff, reference, day
):
    batch = PayoutBatch.objects.first() or payouts.run_payout(platform_staff).batch
    response = client_for(platform_staff).post(
        reverse("backoffice-payout-paid", args=[batch.pk]),
        {"bank_reference": reference, "paid_on": day},
    )
    assert response.status_code in (302, 400)
    batch.refresh_from_db()
    if batch.status == "paid":
        assert 0 < len(batch.bank_reference) <= 100
        assert "\x00" not in batch.bank_reference
