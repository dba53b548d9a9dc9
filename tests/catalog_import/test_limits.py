"""A row the database would refuse is refused by validation, in the dry run and the real
run alike, and never stops the rest of the file; a refusal at write time leaves out only
the product it concerns."""

import json

import pytest
from django.core.management import call_command
from django.db import connection
from saleor.product.models import Product

from catalog_sync.limits import column_limits, model_limits
from marketplace.models import Certificate, Producer
from tests.catalog_import.registry import MIEN_DONG, ORPHANS, TRA_TAN_CUONG, write_registry

AS_OF = "2026-11-23"


def run_command(path, tmp_path, *options) -> dict:
    """`manage.py ocop_import` in process (a CommandError would be a non-zero exit)."""
    report_path = tmp_path / f"report{len(list(tmp_path.glob('report*')))}.json"
    call_command(
        "ocop_import", str(path), "--as-of", AS_OF, "--json-report", str(report_path), *options
    )
    return json.loads(report_path.read_text())


def rejected(report: dict) -> list[tuple]:
    return [(r["row"], r["field"], r["code"]) for r in report["rejections"]]


def orphans() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for name, query in ORPHANS.items():
            cursor.execute(query)
            counts[name] = cursor.fetchone()[0]
    return counts


def numbered(count: int, start: int) -> list[dict]:
    return [
        {**MIEN_DONG, "product_name": f"Miến dong Tài Hoan số {start + i}"} for i in range(count)
    ]


def test_limits_are_those_of_the_columns(db):
    # Given the migrated database; when the limits are read from the models and columns
    limits = column_limits()

    # Then they are the columns' sizes: Saleor's product name (250) is shorter than our
    # certificate's (255); a price is numeric(12,2) in Saleor's migration: 10 whole digits
    assert dict(limits.max_length) == {
        "product_name": 250, "product_name_en": 250, "producer_name": 255, "producer_tax_code": 20,
        "producer_phone": 30, "producer_email": 254, "decision_number": 100,
        "issuing_authority": 255, "province": 100, "commune": 100, "legacy_district": 100,
        "sku": 255,
    }  # fmt: skip
    assert dict(limits.max_value) == {
        "price_vnd": 9_999_999_999, "stock": 2_147_483_647, "weight_grams": 2**53,
    }  # fmt: skip
    # and the models declare nothing larger than the columns hold
    assert all(model_limits().max_length[k] >= v for k, v in limits.max_length.items())
    assert all(model_limits().max_value[k] >= v for k, v in limits.max_value.items())


def test_a_too_long_name_among_1200_rows_is_reported_and_the_rest_imported(db, tmp_path):
    # Given 600 valid rows, one with a 300-character product name, then 600 more
    path = write_registry(
        tmp_path / "national.csv",
        [*numbered(600, 1), {**MIEN_DONG, "product_name": "M" * 300}, *numbered(600, 601)],
    )

    # When it is checked with a dry run, then imported
    dry = run_command(path, tmp_path, "--dry-run")
    real = run_command(path, tmp_path)

    # Then both report that row (602: the header is row 1) and only it, the same way
    expected = [(602, "product_name", "product_name_too_long")]
    assert rejected(dry) == rejected(real) == expected
    assert real["rejections"][0]["message"] == (
        "Tên sản phẩm dài 300 ký tự, quá mức tối đa 250 ký tự: '" + "M" * 40 + "…'. Hãy rút "
        "gọn. / The product name is 300 characters long, more than the 250 allowed: '"
        + "M" * 40
        + "…'. Shorten it."
    )
    assert (dry["accepted"], dry["rejected"], dry["created"]) == (1200, 1, 1200)
    assert (real["accepted"], real["rejected"], real["created"]) == (1200, 1, 1200)
    # and the 1,200 others are whole products, nothing half-written
    assert Product.objects.count() == Certificate.objects.count() == 1200
    assert orphans() == dict.fromkeys(ORPHANS, 0)


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("producer_name", "Hợp tác xã " + "Tài Hoan " * 30, "producer_name_too_long"),
        ("decision_number", "1124/QĐ-BNN-" + "V" * 90, "decision_number_too_long"),
        ("price_vnd", "99999999999999999999999", "price_too_large"),
        ("price_vnd", "10.000.000.000", "price_too_large"),
        ("price_vnd", "9" * 5000, "price_too_large"),
        ("stock", "2147483648", "stock_too_large"),
        ("issuing_authority", "Bộ Nông nghiệp " * 20, "issuing_authority_too_long"),
        ("sku", "S" * 256, "sku_too_long"),
        ("producer_phone", "0912 345 678 " * 3, "producer_phone_too_long"),
        ("product_name", "Miến\x00dong", "invalid_character"),
        ("description", "Miến dong\ud800", "invalid_character"),
    ],
)
def test_a_value_the_database_would_refuse_is_reported_in_both_runs(
    db, tmp_path, field, value, code
):
    # Given a file whose middle row holds a value too large for its column
    path = tmp_path / "r.json"
    rows = [MIEN_DONG, {**MIEN_DONG, "product_name": "Bánh gio", field: value}, TRA_TAN_CUONG]
    path.write_text(json.dumps(rows), encoding="utf-8")

    # When it is checked, then imported
    dry = run_command(path, tmp_path, "--dry-run")
    real = run_command(path, tmp_path)

    # Then that row is refused with its code in both, and the two others are imported
    assert rejected(dry) == rejected(real) == [(3, field, code)]
    assert (real["accepted"], real["created"]) == (2, 2)
    assert sorted(Product.objects.values_list("name", flat=True)) == [
        "Miến dong Tài Hoan", "Trà xanh Tân Cương",
    ]  # fmt: skip


REFUSE_BANH_GIO = """
CREATE FUNCTION test_refuse_banh_gio() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.product_name = 'Bánh gio' THEN
    RAISE EXCEPTION 'value too long for type character varying(8)'
      USING ERRCODE = 'string_data_right_truncation';
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER test_refuse_banh_gio BEFORE INSERT ON marketplace_certificate
  FOR EACH ROW EXECUTE FUNCTION test_refuse_banh_gio();
"""


def test_a_row_refused_at_write_time_is_reported_and_leaves_nothing_behind(db, tmp_path):
    # Given a database that refuses one certificate validation cannot foresee (a trigger
    # raising the error PostgreSQL gives for a value too long), in a chunk of three
    # products, the refused one from a producer of its own
    with connection.cursor() as cursor:
        cursor.execute(REFUSE_BANH_GIO)
    banh_gio = {**MIEN_DONG, "product_name": "Bánh gio", "producer_name": "HTX Bánh Gio Na Rì"}
    path = write_registry(tmp_path / "r.csv", [MIEN_DONG, banh_gio, TRA_TAN_CUONG])

    # When it is imported
    report = run_command(path, tmp_path)

    # Then that row is reported with the database's reason, and the others are imported
    assert rejected(report) == [(3, "", "write_failed")]
    assert "value too long for type character varying(8)" in report["rejections"][0]["message"]
    assert (report["accepted"], report["rejected"], report["created"]) == (2, 1, 2)
    assert sorted(Product.objects.values_list("name", flat=True)) == [
        "Miến dong Tài Hoan", "Trà xanh Tân Cương",
    ]  # fmt: skip
    # and nothing of the refused product was left: no product, producer or warehouse
    assert not Producer.objects.filter(name="HTX Bánh Gio Na Rì").exists()
    assert orphans() == dict.fromkeys(ORPHANS, 0)

    # When the same file is imported again, the two written products are unchanged
    again = run_command(path, tmp_path)
    assert (again["unchanged"], again["created"], rejected(again)) == (
        2,
        0,
        [(3, "", "write_failed")],
    )
