"""Bank statements, couriers' COD files and bank notifications with bad rows: each bad
row is reported with its number and reason, the rest of the file is processed, and
nothing is half-written or answered with a server error."""

import pytest
from django.core.management import call_command
from django.db import connection
from saleor.order import OrderStatus
from saleor.order.models import Order
from saleor.payment import ChargeStatus

from payments_vn.models import BankTransaction
from saleor_adapter.payments.cod import GATEWAY_ID as COD
from saleor_adapter.payments.saleor_payments import transfer_reference
from tests.payments.test_bank_transfer import post_notification
from tests.saleor_fixtures.checkout import buy

HEADER = "Mã giao dịch;Ngày giao dịch;Số tiền ghi có;Nội dung\n"


def run(command: str, path, capsys) -> list[str]:
    call_command(command, str(path))
    return capsys.readouterr().out.splitlines()


def test_bad_statement_rows_are_reported_and_the_rest_recorded(transfer_order, tmp_path, capsys):
    # Given a statement whose rows 3–7 cannot be recorded, between two good credits
    reference = transfer_reference(transfer_order.payments.get())
    statement = tmp_path / "sao-ke.csv"
    statement.write_text(
        HEADER
        + f"FT001;23/11/2026;280.000;CT DEN {reference}\n"
        + f"{'F' * 150};23/11/2026;50.000;chuyen tien\n"
        + "FT003;23/11/2026;năm mươi nghìn;chuyen tien\n"
        + f"FT004;23/11/2026;{10**30};chuyen tien\n"
        + "FT005;31/02/2026;50.000;chuyen tien\n"
        + "FT006;23/11/2026;50.000;chuyen\x00tien\n"
        + "FT007;23/11/2026;50.000;chuyen tien\n",
        encoding="utf-8",
    )

    # When staff import it
    out = run("ocop_bank_statement", statement, capsys)

    # Then each bad row is named with its reason, and both good credits are recorded
    assert out == [
        "matched: 1",
        "unknown: 1",
        "row 3: mã giao dịch dài 150 ký tự, tối đa 100 / the transaction id is 150 characters "
        "long, at most 100",
        "row 4: số tiền 'năm mươi nghìn' không phải số đồng nguyên / the amount 'năm mươi "
        "nghìn' is not a whole number of VND",
        "row 5: số tiền vượt quá 99,999,999,999,999 đồng / the amount is more than "
        "99,999,999,999,999 VND",
        "row 6: ngày '31/02/2026' không hợp lệ / the date '31/02/2026' is not valid",
        "row 7: mã giao dịch hoặc nội dung chứa ký tự không lưu được (NUL) / the transaction "
        "id or description holds a character that cannot be stored (NUL)",
        "Cần kiểm tra / to review: 1",
        "Dòng bị từ chối / rows refused: 5",
    ]
    assert sorted(BankTransaction.objects.values_list("bank_transaction_id", "outcome")) == [
        ("FT001", "matched"), ("FT007", "unknown"),
    ]  # fmt: skip
    assert transfer_order.payments.get().charge_status == ChargeStatus.FULLY_CHARGED


REFUSE_FT002 = """
CREATE FUNCTION test_refuse_ft002() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.bank_transaction_id = 'FT002' THEN
    RAISE EXCEPTION 'numeric field overflow' USING ERRCODE = 'numeric_value_out_of_range';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER test_refuse_ft002 BEFORE INSERT ON payments_vn_banktransaction
  FOR EACH ROW EXECUTE FUNCTION test_refuse_ft002();
"""


def test_a_statement_row_the_database_refuses_is_reported_and_the_next_recorded(
    db, tmp_path, capsys
):
    # Given a database that refuses one credit (a trigger raising what PostgreSQL raises
    # for a number too large), second of three
    with connection.cursor() as cursor:
        cursor.execute(REFUSE_FT002)
    statement = tmp_path / "sao-ke.csv"
    statement.write_text(
        HEADER + "".join(f"FT00{n};23/11/2026;50.000;chuyen tien\n" for n in (1, 2, 3)),
        encoding="utf-8",
    )

    out = run("ocop_bank_statement", statement, capsys)

    assert out[0] == "unknown: 2"
    assert out[1] == "row 3: không ghi được / could not be recorded: numeric field overflow"
    assert sorted(BankTransaction.objects.values_list("bank_transaction_id", flat=True)) == [
        "FT001", "FT003",
    ]  # fmt: skip


def test_a_malformed_statement_is_refused_before_anything_is_recorded(db, tmp_path):
    from django.core.management import CommandError

    # Given a statement whose third row holds a cell past csv's field size limit
    statement = tmp_path / "sao-ke.csv"
    statement.write_text(
        HEADER
        + "FT001;23/11/2026;50.000;a\n"
        + 'FT002;23/11/2026;50.000;"'
        + "x" * 200_000
        + '"\n',
        encoding="utf-8",
    )

    with pytest.raises(CommandError, match="malformed CSV near line 3") as error:
        call_command("ocop_bank_statement", str(statement))

    assert error.value.returncode == 2
    assert BankTransaction.objects.count() == 0


def test_bad_cod_rows_are_reported_and_the_rest_settled(api_client, ocop_product, tmp_path, capsys):
    # Given two COD orders of 280.000 ₫ and a courier's file with bad rows between them
    for _ in range(2):
        buy(api_client, ocop_product.variants.get(), 2, COD, token="cod")
    first, second = Order.objects.order_by("pk")
    file = tmp_path / "doi-soat.csv"
    file.write_text(
        "Mã đơn hàng,Trạng thái,Số tiền thu hộ\n"
        f"{first.pk},Đã giao,280.000\n"
        "²,Đã giao,280.000\n"
        f"{10**30},Đã giao,280.000\n"
        f"{second.pk},Đã giao,hai trăm\n"
        f"{second.pk},Đã giao,{10**30}\n"
        f"{second.pk},Hoàn hàng,0\n",
        encoding="utf-8",
    )

    # When staff import it
    out = run("ocop_cod_reconciliation", file, capsys)

    # Then the good rows are settled and each bad one is reported with its reason
    assert out == [
        "collected: 1",
        "returned: 1",
        "row 3: unknown order / không tìm thấy đơn",
        "row 4: unknown order / không tìm thấy đơn",
        "row 5: amount 'hai trăm' is not a whole number of VND / số tiền thu hộ không hợp lệ",
        "row 6: collected (too large) ≠ due 280000 / số tiền thu hộ lệch",
    ]
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_fully_paid()
    assert second.status == OrderStatus.CANCELED


BOOKED_AT = "2026-11-23T09:30:00+07:00"


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({"id": "FT9", "amount": 10**30, "bookedAt": BOOKED_AT}, "amount_out_of_range"),
        ({"id": "F" * 150, "amount": 50000, "bookedAt": BOOKED_AT}, "invalid_id"),
        ({"id": "FT\x009", "amount": 50000, "bookedAt": BOOKED_AT}, "invalid_id"),
        (b"[" * 30_000 + b"]" * 30_000, "malformed"),  # nested past the parser, under 64 KB
    ],
)
def test_bad_signed_bank_notifications_are_refused_without_a_server_error(
    client, db, webhook_secret, body, error
):
    response = post_notification(client, body)
    assert (response.status_code, response.json()["error"]) == (400, error)
    assert BankTransaction.objects.count() == 0


def test_a_signature_with_a_non_ascii_character_is_refused(client, db, webhook_secret):
    response = client.post(
        "/payments/vietqr/notify/",
        data=b"{}",
        content_type="application/json",
        HTTP_X_OCOP_TIMESTAMP="1",
        HTTP_X_OCOP_SIGNATURE="chữ-ký",
    )
    assert (response.status_code, response.json()["error"]) == (403, "bad_signature")
