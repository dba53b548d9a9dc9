from collections import Counter
from datetime import date
from pathlib import Path

import catalog_sync
from catalog_sync.readers import read_registry
from catalog_sync.synthetic import SAMPLE_NOTE
from catalog_sync.validation import validate_rows

SAMPLE = Path(catalog_sync.__file__).parent / "sample_data" / "ocop-registry-sample.csv"
EXPECTED_REJECTIONS = [
    (66, "stars_not_certified"),
    (67, "stars_not_certified"),
    (68, "certificate_expired"),
    (69, "certificate_expired"),
    (70, "decision_number_missing"),
    (71, "issuing_level_mismatch"),
    (72, "issuing_level_mismatch"),
    (73, "issuing_level_mismatch"),
    (74, "province_unknown"),
    (75, "price_invalid"),
    (76, "price_invalid"),
    (77, "duplicate_row"),
    (78, "score_stars_mismatch"),
    (79, "decision_date_in_future"),
    (80, "commune_not_in_province"),
    (81, "product_group_unknown"),
]


def test_sample_file_gives_the_documented_counts():
    # Given the sample registry (UTF-8 with BOM, Vietnamese headers)
    assert SAMPLE.read_bytes().startswith(b"\xef\xbb\xbf")
    registry = read_registry(SAMPLE)
    # When validated as of 2026-11-23
    accepted, rejections = validate_rows(registry.rows, as_of=date(2026, 11, 23))
    # Then 64 rows are accepted and the 16 documented rows are rejected
    assert len(accepted) == 64
    assert [(r.row, r.code) for r in rejections] == EXPECTED_REJECTIONS
    readme = (SAMPLE.parent / "README.md").read_text(encoding="utf-8")
    assert "64 accepted rows and 16 rejected rows" in readme


def test_sample_file_covers_levels_stars_types_and_provinces():
    accepted, _ = validate_rows(read_registry(SAMPLE).rows, as_of=date(2026, 11, 23))
    assert Counter(row.stars for row in accepted).keys() == {3, 4, 5}
    assert {row.issuing_level.value for row in accepted} == {"central", "province", "district"}
    assert {row.producer_type for row in accepted} == {
        "cooperative",
        "cooperative_group",
        "enterprise",
        "household",
    }
    assert len({row.origin.province_code for row in accepted}) >= 6
    assert any(row.origin.legacy_province_name == "Tỉnh Bắc Kạn" for row in accepted)


def test_sample_rows_are_labelled_as_sample():
    rows = list(read_registry(SAMPLE).rows)
    assert 80 <= len(rows) <= 120
    text = SAMPLE.read_text(encoding="utf-8-sig")
    assert text.count(SAMPLE_NOTE) == len(rows)
    assert all("MẪU" in raw["decision_number"] for _, raw in rows if raw["decision_number"])


def test_formula_in_sample_is_imported_as_plain_text():
    accepted, _ = validate_rows(read_registry(SAMPLE).rows, as_of=date(2026, 11, 23))
    row = next(row for row in accepted if row.row == 19)
    assert row.description == '=HYPERLINK("http://x","y")'
