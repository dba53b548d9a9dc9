import datetime
import json
import time
from decimal import Decimal

import pytest
from django.utils import timezone
from saleor.payment import ChargeStatus

from payments_vn.matching import BankCredit, record_bank_credit
from payments_vn.models import BankTransaction
from payments_vn.vietqr import has_valid_crc, parse_tlv
from payments_vn.views import signature
from saleor_adapter.payments.saleor_payments import transfer_instructions, transfer_reference
from saleor_adapter.payments.vietqr import REFERENCE_PATTERN
from tests.payments.conftest import SECRET

BOOKED = datetime.datetime(2026, 11, 23, 9, 30, tzinfo=datetime.UTC)


def credit(bank_id: str, amount: int, description: str) -> BankCredit:
    return BankCredit(bank_id, Decimal(amount), description, BOOKED)


def test_the_buyer_gets_a_vietqr_code_for_the_exact_amount_and_reference(transfer_order):
    # When the confirmation page asks how to pay the order
    instructions = transfer_instructions(transfer_order)

    # Then the payload names the shop's account, the amount due and the order's reference
    reference = transfer_reference(transfer_order.payments.get())
    assert REFERENCE_PATTERN.fullmatch(reference)
    fields = parse_tlv(instructions.payload)
    assert parse_tlv(parse_tlv(fields["38"])["01"]) == {"00": "970415", "01": "113366668888"}
    assert fields["54"] == "280000"
    assert parse_tlv(fields["62"]) == {"08": reference}
    assert has_valid_crc(instructions.payload)
    assert (instructions.bank_name, instructions.account_name) == (
        "VietinBank",
        "CONG TY CHO OCOP (MAU)",
    )
    assert instructions.qr_svg().startswith("<svg")
    assert instructions.qr_png().startswith(b"\x89PNG")


def test_a_transfer_of_the_exact_amount_pays_the_order_once(transfer_order):
    # Given the order's reference, written the way a bank app may mangle it
    reference = transfer_reference(transfer_order.payments.get())
    message = f"ck {reference[:6].lower()} {reference[6:]} thanh toan"

    # When the bank reports the credit, and then reports it again
    first, created = record_bank_credit(credit("FT2632700001", 280000, message), "notification")
    again, created_again = record_bank_credit(credit("FT2632700001", 280000, message), "statement")

    # Then the payment is captured once and the duplicate changes nothing
    payment = transfer_order.payments.get()
    assert (first.outcome, first.needs_review, created) == ("matched", False, True)
    assert (again.pk, created_again) == (first.pk, False)
    assert (payment.charge_status, payment.captured_amount) == (
        ChargeStatus.FULLY_CHARGED,
        Decimal(280000),
    )


@pytest.mark.parametrize(
    ("amount", "describe", "outcome"),
    [
        (200000, lambda ref: ref, "partial"),
        (300000, lambda ref: ref, "excess"),
        (280000, lambda ref: "OCOPZZZZZZZZ", "unknown"),
        (280000, lambda ref: "chuyen tien mua mien dong", "unknown"),
    ],
    ids=["less", "more", "unknown reference", "no reference"],
)
def test_wrong_transfers_are_kept_for_staff_and_never_accepted(
    transfer_order, amount, describe, outcome
):
    reference = transfer_reference(transfer_order.payments.get())

    row, _ = record_bank_credit(credit("FT1", amount, describe(reference)), "statement")

    assert (row.outcome, row.needs_review) == (outcome, True)
    payment = transfer_order.payments.get()
    assert (payment.charge_status, payment.captured_amount) == (ChargeStatus.NOT_CHARGED, 0)


def test_a_second_payment_for_a_paid_order_is_flagged(transfer_order):
    reference = transfer_reference(transfer_order.payments.get())
    record_bank_credit(credit("FT1", 280000, reference), "statement")

    row, _ = record_bank_credit(credit("FT2", 280000, reference), "statement")

    assert (row.outcome, row.needs_review) == ("already_paid", True)
    assert transfer_order.payments.get().captured_amount == Decimal(280000)


def post_notification(client, payload: dict | bytes, secret=SECRET, timestamp=None, sign=True):
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    timestamp = str(int(time.time())) if timestamp is None else timestamp
    headers = {"HTTP_X_OCOP_TIMESTAMP": timestamp}
    if sign:
        headers["HTTP_X_OCOP_SIGNATURE"] = signature(secret, timestamp, body)
    return client.post(
        "/payments/vietqr/notify/", data=body, content_type="application/json", **headers
    )


def test_a_signed_bank_notification_pays_the_order_and_a_repeat_is_idempotent(
    client, transfer_order, webhook_secret
):
    reference = transfer_reference(transfer_order.payments.get())
    notice = {"id": "FT26327", "amount": 280000, "description": reference,
              "bookedAt": timezone.now().isoformat()}  # fmt: skip

    first = post_notification(client, notice)
    repeat = post_notification(client, notice)

    assert (first.status_code, first.json()) == (
        200, {"id": "FT26327", "outcome": "matched", "duplicate": False},
    )  # fmt: skip
    assert (repeat.status_code, repeat.json()["duplicate"]) == (200, True)
    assert BankTransaction.objects.count() == 1
    assert transfer_order.payments.get().charge_status == ChargeStatus.FULLY_CHARGED


@pytest.mark.parametrize(
    ("tamper", "status", "error"),
    [
        ({"secret": "doan-mo"}, 403, "bad_signature"),
        ({"sign": False}, 403, "bad_signature"),
        ({"timestamp": str(int(time.time()) - 3600)}, 400, "stale"),
        ({"body": b"{not json"}, 400, "malformed"),
        ({"body": json.dumps({"id": "X", "amount": -5, "bookedAt": BOOKED.isoformat()}).encode()},
         400, "invalid_credit"),
        ({"body": json.dumps(["FT1", 280000]).encode()}, 400, "invalid_credit"),
    ],
    ids=["forged", "unsigned", "stale", "not json", "negative amount", "not an object"],
)  # fmt: skip
def test_bad_notifications_are_refused_and_change_nothing(
    client, transfer_order, webhook_secret, tamper, status, error
):
    reference = transfer_reference(transfer_order.payments.get())
    body = (
        tamper.get("body")
        or json.dumps(
            {
                "id": "FT9",
                "amount": 280000,
                "description": reference,
                "bookedAt": "2026-11-23T09:00:00Z",
            }
        ).encode()
    )

    response = post_notification(
        client,
        body,
        secret=tamper.get("secret", SECRET),
        timestamp=tamper.get("timestamp"),
        sign=tamper.get("sign", True),
    )

    assert (response.status_code, response.json()["error"]) == (status, error)
    assert " / " in response.json()["message"]  # Vietnamese / English
    assert BankTransaction.objects.count() == 0
    assert transfer_order.payments.get().charge_status == ChargeStatus.NOT_CHARGED


def test_notifications_are_refused_until_a_secret_is_configured(client, db, settings):
    settings.OCOP_BANK_WEBHOOK_SECRET = ""
    response = post_notification(client, {"id": "FT1"})
    assert (response.status_code, response.json()["error"]) == (503, "not_configured")


def test_a_bank_statement_matches_what_it_can_and_skips_debits(transfer_order, tmp_path, capsys):
    from django.core.management import call_command

    # Given an internet-banking export with the order's credit, a debit and a stray credit
    reference = transfer_reference(transfer_order.payments.get())
    statement = tmp_path / "sao-ke.csv"
    statement.write_text(
        "Mã giao dịch;Ngày giao dịch;Số tiền ghi có;Nội dung\n"
        f"FT001;23/11/2026 09:12;280.000;CT DEN {reference} MUA MIEN DONG\n"
        "FT002;23/11/2026 10:00;;PHI SMS\n"
        "FT003;23/11/2026 11:30;50.000;chuyen tien\n",
        encoding="utf-8-sig",
    )

    # When staff import it, twice
    call_command("ocop_bank_statement", str(statement))
    call_command("ocop_bank_statement", str(statement))

    # Then the order is paid once, the stray credit waits for review, the debit is skipped
    out = capsys.readouterr().out
    assert "matched: 1\nunknown: 1\nskipped rows (not credits): 3\n" in out
    assert "duplicate: 2\nskipped rows (not credits): 3\n" in out
    assert transfer_order.payments.get().charge_status == ChargeStatus.FULLY_CHARGED
    assert list(BankTransaction.objects.order_by("bank_transaction_id").values_list(
        "bank_transaction_id", "outcome", "needs_review")) == [
        ("FT001", "matched", False), ("FT003", "unknown", True),
    ]  # fmt: skip


def test_an_unreadable_statement_is_refused(db, tmp_path):
    from django.core.management import CommandError, call_command

    statement = tmp_path / "sao-ke.csv"
    statement.write_text("Ngày;Số tiền\n23/11/2026;280000\n", encoding="utf-8")
    missing = "the statement lacks columns: bank_transaction_id, description"
    with pytest.raises(CommandError, match=missing) as error:
        call_command("ocop_bank_statement", str(statement))
    assert error.value.returncode == 2
