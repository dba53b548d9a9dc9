import unicodedata
from datetime import date

import pytest

from catalog_sync.authority import IssuingLevel
from catalog_sync.validation import Rejection, ValidatedRow, validate_row, validate_rows

AS_OF = date(2026, 11, 23)


def valid_raw(**overrides: str) -> dict[str, str]:
    raw = {
        "product_name": "Chè Tân Cương nõn tôm",
        "product_group": "Chè",
        "description": "Búp chè một tôm một lá.",
        "price_vnd": "350.000",
        "weight_grams": "200",
        "stock": "150",
        "sku": "TC-01",
        "producer_name": "HTX Chè Tân Cương Xanh",
        "producer_type": "",
        "producer_tax_code": "4600000062",
        "producer_phone": "0912 000 106",
        "producer_email": "che@example.vn",
        "province": "Thái Nguyên",
        "commune": "Xã Tân Cương",
        "legacy_district": "",
        "stars": "4",
        "decision_number": "3981/QĐ-UBND",
        "decision_date": "05/08/2026",
        "issuing_authority": "UBND tỉnh Thái Nguyên",
        "expiry_date": "",
        "score": "86",
    }
    raw.update(overrides)
    return raw


def rejections(**overrides: str) -> list[tuple[str, str]]:
    result = validate_row(7, valid_raw(**overrides), as_of=AS_OF)
    assert isinstance(result, list), result
    assert all(rejection.row == 7 for rejection in result)
    return [(rejection.field, rejection.code) for rejection in result]


def accepted(**overrides: str) -> ValidatedRow:
    result = validate_row(7, valid_raw(**overrides), as_of=AS_OF)
    assert isinstance(result, ValidatedRow), result
    return result


def test_valid_row_is_typed():
    row = accepted()
    assert row.row == 7
    assert row.product_set.code == 11
    assert row.price_vnd == 350000
    assert row.weight_grams == 200
    assert row.stock == 150
    assert row.producer_type == "cooperative"
    assert row.origin.commune_code == "05503"
    assert row.stars == 4
    assert row.decision_date == date(2026, 8, 5)
    assert row.issuing_level is IssuingLevel.PROVINCE
    assert row.expiry_date == date(2029, 8, 5)
    assert row.expiry_is_explicit is False
    assert row.score == 86
    assert row.legal_basis == "148/QĐ-TTg (sửa đổi bởi 1489/QĐ-TTg)"
    assert row.certificate_key == (
        "3981/qd-ubnd",
        "htx che tan cuong xanh",
        "che tan cuong non tom",
    )


def test_nfd_input_is_stored_nfc():
    nfd = {key: unicodedata.normalize("NFD", value) for key, value in valid_raw().items()}
    row = validate_row(2, nfd, as_of=AS_OF)
    assert row.product_name == "Chè Tân Cương nõn tôm"
    assert row.decision_number == "3981/QĐ-UBND"
    assert unicodedata.is_normalized("NFC", row.producer_name)


def test_formula_like_text_is_kept_literally():
    row = accepted(description='=HYPERLINK("http://x","y")', sku="+SKU", product_name="@Chè")
    assert row.description == '=HYPERLINK("http://x","y")'
    assert (row.sku, row.product_name) == ("+SKU", "@Chè")


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"product_name": " "}, [("product_name", "product_name_missing")]),
        ({"stars": "2"}, [("stars", "stars_not_certified")]),
        ({"stars": "1 sao"}, [("stars", "stars_not_certified")]),
        ({"stars": "6"}, [("stars", "stars_invalid")]),
        ({"stars": "0"}, [("stars", "stars_invalid")]),
        ({"stars": "bốn"}, [("stars", "stars_invalid")]),
        ({"stars": ""}, [("stars", "stars_invalid")]),
        ({"decision_number": ""}, [("decision_number", "decision_number_missing")]),
        ({"decision_date": ""}, [("decision_date", "decision_date_missing")]),
        ({"decision_date": "31/02/2026"}, [("decision_date", "decision_date_invalid")]),
        ({"decision_date": "tháng 8/2026"}, [("decision_date", "decision_date_invalid")]),
        ({"decision_date": "24/11/2026"}, [("decision_date", "decision_date_in_future")]),
        ({"expiry_date": "hết hạn"}, [("expiry_date", "expiry_date_invalid")]),
        ({"expiry_date": "04/08/2026"}, [("expiry_date", "expiry_before_decision")]),
        ({"issuing_authority": ""}, [("issuing_authority", "issuing_authority_missing")]),
        (
            {"issuing_authority": "UBND xã Tân Cương"},
            [("issuing_authority", "issuing_authority_unknown")],
        ),
        (
            {"issuing_authority": "UBND thành phố Thái Nguyên"},
            [("issuing_authority", "issuing_level_mismatch")],
        ),
        (
            {"product_group": "", "product_name": "Xà phòng sả chanh"},
            [("product_group", "product_group_not_inferable")],
        ),
        ({"product_group": "Đồ điện tử"}, [("product_group", "product_group_unknown")]),
        ({"province": ""}, [("province", "province_missing")]),
        ({"province": "Atlantis"}, [("province", "province_unknown")]),
        ({"commune": ""}, [("commune", "commune_missing")]),
        ({"commune": "Xã Không Có"}, [("commune", "commune_unknown")]),
        ({"province": "Hà Nội"}, [("commune", "commune_not_in_province")]),
        ({"stock": "-1"}, [("stock", "stock_invalid")]),
        ({"stock": "nhiều"}, [("stock", "stock_invalid")]),
        ({"weight_grams": "0"}, [("weight_grams", "weight_invalid")]),
        ({"weight_grams": "nặng"}, [("weight_grams", "weight_invalid")]),
        ({"score": "101"}, [("score", "score_invalid")]),
        ({"score": "tám mươi"}, [("score", "score_invalid")]),
        ({"score": "95"}, [("score", "score_stars_mismatch")]),
        ({"score": "69"}, [("score", "score_stars_mismatch")]),
        ({"producer_type": "Hội"}, [("producer_type", "producer_type_unknown")]),
        ({"producer_name": "Nguyễn Văn A"}, [("producer_type", "producer_type_unknown")]),
        ({"producer_email": "che@"}, [("producer_email", "producer_email_invalid")]),
    ],
)
def test_each_rule_has_a_code_and_field(overrides, expected):
    assert rejections(**overrides) == expected


def test_missing_producer_name_is_reported_once():
    assert rejections(producer_name="") == [("producer_name", "producer_name_missing")]


def test_expired_certificate():
    assert rejections(decision_date="15/10/2023", score="") == [
        ("expiry_date", "certificate_expired")
    ]


@pytest.mark.parametrize(
    "price", ["", "0", "-125000", "125000.5", "125.000,50", "1,5", "liên hệ", "12.50"]
)
def test_invalid_prices(price):
    assert rejections(price_vnd=price) == [("price_vnd", "price_invalid")]


@pytest.mark.parametrize(
    "price",
    ["125000", "125.000", "125,000", "125 000", "125.000 đ", "125000 VNĐ", "125000đ", "125000.00"],
)
def test_valid_prices(price):
    assert accepted(price_vnd=price).price_vnd == 125000


@pytest.mark.parametrize("stars", ["4", "4 sao", "4★", "★★★★", "4.0", "4 Sao", "4 stars"])
def test_star_spellings(stars):
    assert accepted(stars=stars).stars == 4


@pytest.mark.parametrize("text", ["2026-08-05", "05/08/2026", "5/8/2026", "05-08-2026"])
def test_date_formats(text):
    assert accepted(decision_date=text).decision_date == date(2026, 8, 5)


def test_weight_in_kilograms_and_stock_default():
    row = accepted(weight_grams="0,5 kg", stock="")
    assert (row.weight_grams, row.stock) == (500, 0)


def test_empty_optional_fields():
    row = accepted(weight_grams="", score="", producer_email="")
    assert (row.weight_grams, row.score, row.producer_email) == (None, None, "")


def test_all_failures_of_a_row_are_collected():
    assert rejections(stars="2", price_vnd="abc", province="Atlantis", producer_email="x") == [
        ("stars", "stars_not_certified"),
        ("province", "province_unknown"),
        ("price_vnd", "price_invalid"),
        ("producer_email", "producer_email_invalid"),
    ]


@pytest.mark.parametrize(
    ("name", "declared", "producer_type"),
    [
        ("Hợp tác xã Tài Hoan", "", "cooperative"),
        ("HTX Tài Hoan", "", "cooperative"),
        ("Tổ hợp tác Quân Hà", "", "cooperative_group"),
        ("THT Chè Bản Dao", "", "cooperative_group"),
        ("Công ty TNHH Nông sản Xanh", "", "enterprise"),
        ("Cty CP Thực phẩm Việt", "", "enterprise"),
        ("DNTN Hương Ngàn", "", "enterprise"),
        ("Hộ kinh doanh Nguyễn Văn A", "", "household"),
        ("Cơ sở sản xuất Bánh tráng Thuận Hưng", "", "household"),
        ("Nguyễn Văn A", "Hộ sản xuất", "household"),
        ("Đức Mai", "Doanh nghiệp", "enterprise"),
        ("Đức Mai", "enterprise", "enterprise"),
        ("HTX Đức Mai", "tổ hợp tác", "cooperative_group"),
    ],
)
def test_producer_type(name, declared, producer_type):
    assert accepted(producer_name=name, producer_type=declared).producer_type == producer_type


def test_decision_number_qd_without_diacritics_is_the_same_certificate():
    plain = accepted(decision_number="3981/QD-UBND")
    assert plain.decision_number == "3981/QD-UBND"  # kept as written
    assert plain.certificate_key == accepted().certificate_key


# --- expiry -------------------------------------------------------------------------


def test_certificate_is_valid_through_its_expiry_day():
    # Given a decision of 23/11/2023: 36 months later is 23/11/2026
    row = validate_row(2, valid_raw(decision_date="23/11/2023", score=""), as_of=date(2026, 11, 23))
    assert row.expiry_date == date(2026, 11, 23)


def test_certificate_expires_the_day_after():
    result = validate_row(2, valid_raw(decision_date="23/11/2023"), as_of=date(2026, 11, 24))
    assert [(r.field, r.code) for r in result] == [("expiry_date", "certificate_expired")]


def test_calendar_months_end_of_month():
    row = validate_row(2, valid_raw(decision_date="31/01/2026"), as_of=date(2026, 2, 1))
    assert row.expiry_date == date(2029, 1, 31)
    short = validate_row(
        2, valid_raw(decision_date="31/01/2026"), as_of=date(2026, 2, 1), validity_months=1
    )
    assert short.expiry_date == date(2026, 2, 28)


def test_explicit_expiry_overrides_the_default():
    row = accepted(decision_date="15/10/2023", expiry_date="15/10/2027")
    assert (row.expiry_date, row.expiry_is_explicit) == (date(2027, 10, 15), True)
    assert rejections(decision_date="05/08/2026", expiry_date="22/11/2026") == [
        ("expiry_date", "certificate_expired")
    ]


# --- authority level by period -------------------------------------------------------


@pytest.mark.parametrize(
    ("stars", "score", "authority", "decided", "ok"),
    [
        ("3", "60", "UBND huyện Đại Từ", "24/02/2023", True),
        ("3", "60", "UBND huyện Đại Từ", "23/02/2023", False),
        ("3", "60", "UBND huyện Đại Từ", "05/07/2025", True),
        ("3", "60", "UBND huyện Đại Từ", "06/07/2025", False),
        ("3", "60", "UBND tỉnh Thái Nguyên", "06/07/2025", True),
        ("4", "80", "UBND huyện Đại Từ", "01/06/2024", False),
        ("4", "80", "UBND thành phố Thái Nguyên", "01/06/2024", False),
        ("5", "95", "UBND tỉnh Thái Nguyên", "01/06/2024", False),
        ("5", "95", "Bộ Nông nghiệp và Phát triển nông thôn", "01/06/2024", True),
    ],
)
def test_issuing_level_by_stars_and_period(stars, score, authority, decided, ok):
    raw = valid_raw(stars=stars, score=score, issuing_authority=authority, decision_date=decided)
    result = validate_row(2, raw, as_of=date(2026, 2, 20))
    if ok:
        assert isinstance(result, ValidatedRow)
    else:
        assert [(r.field, r.code) for r in result] == [
            ("issuing_authority", "issuing_level_mismatch")
        ]


def test_hanoi_city_may_recognise_4_stars_but_thai_nguyen_city_may_not():
    hanoi = accepted(
        province="Hà Nội",
        commune="Phường Tây Hồ",
        issuing_authority="UBND thành phố Hà Nội",
    )
    assert hanoi.issuing_level is IssuingLevel.PROVINCE
    assert rejections(issuing_authority="UBND thành phố Thái Nguyên") == [
        ("issuing_authority", "issuing_level_mismatch")
    ]


def test_level_mismatch_message_names_the_required_level():
    result = validate_row(
        2, valid_raw(issuing_authority="UBND huyện Đại Từ", decision_date="01/06/2024"), as_of=AS_OF
    )
    assert "cấp tỉnh" in result[0].message_vi
    assert "provincial" in result[0].message_en
    assert "148/QĐ-TTg" in result[0].message_en


def test_legacy_origin_on_a_row():
    row = accepted(
        province="Tỉnh Bắc Kạn",
        legacy_district="Huyện Na Rì",
        commune="Xã Côn Minh",
        stars="5",
        score="91",
        issuing_authority="Bộ Nông nghiệp và Phát triển nông thôn",
        decision_date="15/03/2024",
        product_group="Sản phẩm chế biến từ gạo, ngũ cốc",
    )
    assert (row.origin.province_name, row.origin.commune_name) == ("Thái Nguyên", "Xã Côn Minh")
    assert row.origin.legacy_province_name == "Tỉnh Bắc Kạn"
    assert row.legal_basis == "148/QĐ-TTg"


# --- rejections and files ------------------------------------------------------------


def test_rejection_as_dict():
    rejection = Rejection(3, "stars", "stars_not_certified", "Hạng sao 2", "2 stars")
    assert rejection.message == "Hạng sao 2 / 2 stars"
    assert rejection.as_dict() == {
        "row": 3,
        "field": "stars",
        "code": "stars_not_certified",
        "message": "Hạng sao 2 / 2 stars",
        "message_vi": "Hạng sao 2",
        "message_en": "2 stars",
    }


def test_stars_message_for_a_clerk():
    result = validate_row(2, valid_raw(stars="2", score=""), as_of=AS_OF)
    assert result[0].message == (
        "Hạng sao 2 chưa đủ điều kiện công nhận OCOP (chỉ 3–5 sao). / "
        "2 stars is not an OCOP certification (only 3–5 stars)."
    )


def test_duplicates_are_rejected_from_the_second_occurrence_naming_the_first():
    # Given the same certificate on rows 2, 5 and 9 (row 9 spelled QD, lower case)
    rows = [
        (2, valid_raw()),
        (3, valid_raw(product_name="Chè Tân Cương đặc biệt")),
        (5, valid_raw(stock="3")),
        (9, valid_raw(decision_number="3981/QD-UBND", product_name="chè tân cương nõn tôm")),
    ]
    # When validated
    accepted_rows, problems = validate_rows(rows, as_of=AS_OF)
    # Then the first two are accepted and the repeats point at row 2
    assert [row.row for row in accepted_rows] == [2, 3]
    assert [(p.row, p.field, p.code) for p in problems] == [
        (5, "decision_number", "duplicate_row"),
        (9, "decision_number", "duplicate_row"),
    ]
    assert "dòng 2" in problems[0].message_vi
    assert "row 2" in problems[0].message_en


def test_a_duplicate_of_a_rejected_row_is_still_reported():
    rows = [(2, valid_raw(price_vnd="abc")), (3, valid_raw(price_vnd="abc"))]
    accepted_rows, problems = validate_rows(rows, as_of=AS_OF)
    assert accepted_rows == []
    assert [(p.row, p.code) for p in problems] == [
        (2, "price_invalid"),
        (3, "price_invalid"),
        (3, "duplicate_row"),
    ]


def test_the_english_name_is_optional_and_checked_like_the_name():
    # Given no English name column, or a blank one: the row is as before (same hash)
    from catalog_sync.importer import row_hash

    assert accepted().product_name_en == ""
    assert row_hash(accepted()) == row_hash(accepted(product_name_en=""))
    # Given one: normalised and kept
    assert accepted(product_name_en="  Tan Cuong\u00a0green tea ").product_name_en == (
        "Tan Cuong green tea"
    )
    # Too long, or with a NUL: refused with its own code
    assert rejections(product_name_en="x" * 251) == [
        ("product_name_en", "product_name_en_too_long")
    ]
    assert ("product_name_en", "invalid_character") in rejections(product_name_en="tea\x00")


def test_the_english_name_column_is_recognised_by_its_headers():
    from catalog_sync.readers import match_header

    for header in ["Tên tiếng Anh", "English name", "product_name_en", "TEN TIENG ANH"]:
        assert match_header(header) == "product_name_en", header
    assert match_header("Tên sản phẩm") == "product_name"


# -- issue 16: the registries as provinces publish them ---------------------------------


@pytest.mark.parametrize(
    ("name", "set_code"),
    [
        ("Miến dong Tài Hoan", 5),
        ("Chè Tân Cương nõn tôm", 11),
        ("Trà hoa vàng Nam Mẫu", 11),
        ("Trà thảo dược Sa Pa", 20),
        ("Cà phê Robusta Buôn Hồ", 12),
        ("Cá kho làng Vũ Đại", 8),
        ("Mật ong bạc hà Mèo Vạc", 4),
        ("Nước mắm Phú Quốc", 9),
        ("Gạo nếp cái hoa vàng", 3),
        ("Rượu ngô Bắc Hà", 13),
        ("Tinh dầu quế Văn Yên", 19),
        ("Giò lụa Ước Lễ", 7),
        ("Nón lá Huế", 21),
        ("mien dong khong dau", 5),
    ],
)
def test_a_missing_group_is_inferred_from_the_name_and_marked_for_review(name, set_code):
    # Given a row with no group (the column empty, or absent from the file)
    for row in (accepted(product_group="", product_name=name),
                accepted(product_name=name, **{"product_group": None})):  # fmt: skip
        # Then its set comes from the name's first words, marked as inferred
        assert (row.product_set.code, row.product_group_inferred) == (set_code, True)
    # And a group given in the file is not marked
    assert accepted(product_name=name).product_group_inferred is False


@pytest.mark.parametrize("name", ["Xà phòng sả chanh", "Tinh bột nghệ", "Đặc sản quê hương"])
def test_a_name_that_names_no_group_is_refused_with_its_own_code(name):
    assert rejections(product_group="", product_name=name) == [
        ("product_group", "product_group_not_inferable")
    ]


@pytest.mark.parametrize(
    ("gtin", "expected"),
    [
        ("8934563138165", []),
        ("893 4563 138165", []),
        ("96385074", []),
        ("8934563138166", [("gtin", "gtin_check_digit")]),
        ("893456313815", [("gtin", "gtin_check_digit")]),
        ("89345631381", [("gtin", "gtin_invalid_format")]),
        ("893456313816X", [("gtin", "gtin_invalid_format")]),
        ("８９３４５６３１３８１６６", [("gtin", "gtin_invalid_format")]),
    ],
)
def test_gtin_check_digit(gtin, expected):
    if expected:
        assert rejections(gtin=gtin) == expected
    else:
        assert accepted(gtin=gtin).gtin == gtin.replace(" ", "")


def test_a_valid_gtin_is_kept_without_spaces():
    assert accepted(gtin="893 4563 138165").gtin == "8934563138165"
    assert accepted().gtin == ""


@pytest.mark.parametrize(
    ("tax_code", "expected"),
    [
        ("0100233488", []),
        ("0100233488-001", []),
        ("", []),
        ("0100233489", [("producer_tax_code", "producer_tax_code_check_digit")]),
        ("010023348", [("producer_tax_code", "producer_tax_code_invalid")]),
        ("01002334AB", [("producer_tax_code", "producer_tax_code_invalid")]),
    ],
)
def test_tax_code_validation(tax_code, expected):
    if expected:
        assert rejections(producer_tax_code=tax_code) == expected
    else:
        assert accepted(producer_tax_code=tax_code).producer_tax_code == tax_code.replace("-", "")


@pytest.mark.parametrize(
    ("marks", "expected"),
    [
        ("VietGAP", ("vietgap",)),
        ("hữu cơ; VietGAP", ("vietgap", "huu_co")),
        ("Organic, GlobalGAP / GACP-WHO", ("huu_co", "globalgap", "gacp_who")),
        ("", ()),
    ],
)
def test_quality_marks(marks, expected):
    assert accepted(quality_marks=marks).quality_marks == expected


def test_an_unknown_quality_mark_is_refused():
    assert rejections(quality_marks="VietGAP; ISO 9001") == [
        ("quality_marks", "quality_mark_unknown")
    ]
