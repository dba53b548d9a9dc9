"""`manage.py ocop_payout`: the operator's way to pay cooperatives and record the bank's
confirmation."""

import csv
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from marketplace import payouts
from marketplace.models import PayoutBatch
from tests.settlement import test_ledger

delivered = test_ledger.delivered
cash_collected = test_ledger.cash_collected
parts = test_ledger.parts  # the fixture, shared with the ledger tests


def run(*args) -> str:
    out = io.StringIO()
    call_command("ocop_payout", *args, stdout=out)
    return out.getvalue()


def test_a_payout_writes_the_bank_file_then_the_batch_is_marked_paid_once(
    parts,
    platform_staff,
    tmp_path,
):
    # Given both cooperative orders of an order were delivered
    for part in parts:
        delivered(platform_staff, part)
    cash_collected(parts[0].order)

    # When the operator runs a payout
    output = run("--output-dir", str(tmp_path))

    # Then one batch pays both cooperatives, and its transfer file is written
    batch = PayoutBatch.objects.get()
    assert output == (
        f"{batch.reference}: 2 hợp tác xã / cooperatives, 577000 VND → "
        f"{tmp_path / (batch.reference + '.csv')}\n"
    )
    rows = list(
        csv.reader(io.StringIO((tmp_path / f"{batch.reference}.csv").read_text("utf-8-sig")))
    )
    assert [row[5] for row in rows[1:]] == ["339500", "237500"]

    # and a second run has nothing to pay
    assert (
        run("--output-dir", str(tmp_path)) == "Không có khoản nào cần chi trả / nothing to pay.\n"
    )

    # When the bank confirms the batch, it is marked paid, and only once
    assert run("--mark-paid", batch.reference) == f"{batch.reference}: đã trả / paid\n"
    assert PayoutBatch.objects.get().status == PayoutBatch.Status.PAID
    with pytest.raises(CommandError, match=r"already marked paid \(already_paid\)"):
        run("--mark-paid", batch.reference)


def test_cooperatives_without_a_bank_account_are_named_as_held(
    parts,
    platform_staff,
    cooperative_settings,
    tmp_path,
):
    cooperative_settings["tan_cuong"].bank_account_number = ""
    cooperative_settings["tan_cuong"].save()
    for part in parts:
        delivered(platform_staff, part)
    cash_collected(parts[0].order)

    output = run("--output-dir", str(tmp_path))

    assert output.splitlines()[0] == (
        "Tạm giữ / held: Hợp tác xã Chè Tân Cương — Chưa có tài khoản ngân hàng / no bank account"
    )
    assert PayoutBatch.objects.get().lines.count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--mark-paid", "OCOP-NOPE"), "Không tìm thấy đợt chi trả / no payout batch 'OCOP-NOPE'"),
        (
            ("--output-dir", "/nonexistent/folder"),
            "Không có thư mục / no such folder: /nonexistent/folder",
        ),
    ],
)
def test_bad_arguments_are_refused_with_a_reason(db, args, message):
    with pytest.raises(CommandError) as error:
        run(*args)
    assert str(error.value) == message
    assert error.value.returncode == 2
    assert not PayoutBatch.objects.exists()


def test_parts_delivered_before_the_cash_came_in_wait_for_it(parts, platform_staff, tmp_path):
    # Given both parts of a cash-on-delivery order delivered, the courier's cash not in yet
    for part in parts:
        delivered(platform_staff, part)

    # When the operator runs a payout
    output = run("--output-dir", str(tmp_path))

    # Then nobody is paid money the marketplace has not received
    assert output.splitlines() == [
        f"Tạm giữ / held: {parts[0].producer.name} — {payouts.AWAITING_PAYMENT}",
        f"Tạm giữ / held: {parts[1].producer.name} — {payouts.AWAITING_PAYMENT}",
        "Không có khoản nào cần chi trả / nothing to pay.",
    ]
    assert not PayoutBatch.objects.exists()

    # When the cash is collected, the next payout pays both
    cash_collected(parts[0].order)
    run("--output-dir", str(tmp_path))
    assert PayoutBatch.objects.get().lines.count() == 2
