import pytest

from common.units import Origin, OriginError, resolve_origin

CON_MINH = {
    "province_code": "19",
    "province_name": "Thái Nguyên",
    "commune_code": "02185",
    "commune_name": "Xã Côn Minh",
}


@pytest.mark.parametrize(
    ("province", "commune"),
    [
        ("Thái Nguyên", "Xã Côn Minh"),
        ("Tỉnh Thái Nguyên", "Côn Minh"),
        ("thai nguyen", "con minh"),
        ("19", "02185"),
        ("19", "2185"),
    ],
)
def test_current_names_and_codes(province, commune):
    assert resolve_origin(province, commune) == Origin(**CON_MINH)


@pytest.mark.parametrize(
    ("province", "commune", "code", "name"),
    [
        ("TP. Hà Nội", "Phường Ba Đình", "00004", "Phường Ba Đình"),
        ("Thành phố Hồ Chí Minh", "Phường Bến Thành", "26743", "Phường Bến Thành"),
        ("TP HCM", "Ben Thanh", "26743", "Phường Bến Thành"),
        ("Lâm Đồng", "Xuân Hương", "24781", "Phường Xuân Hương - Đà Lạt"),
    ],
)
def test_city_prefixes_and_short_names(province, commune, code, name):
    origin = resolve_origin(province, commune)
    assert (origin.commune_code, origin.commune_name) == (code, name)
    assert origin.legacy_province_name == ""


def test_legacy_bac_kan_na_ri_con_minh_resolves_to_thai_nguyen_keeping_names():
    # Given a pre-2025 certificate: Xã Côn Minh, huyện Na Rì, tỉnh Bắc Kạn
    origin = resolve_origin("Tỉnh Bắc Kạn", "Xã Côn Minh", "Huyện Na Rì")
    # Then it is the current Thái Nguyên commune, with the old names as written
    assert origin == Origin(
        **CON_MINH,
        legacy_province_name="Tỉnh Bắc Kạn",
        legacy_district_name="Huyện Na Rì",
        legacy_commune_name="Xã Côn Minh",
    )


def test_legacy_names_without_diacritics():
    origin = resolve_origin("Bac Kan", "Con Minh", "Na Ri")
    assert (origin.province_code, origin.commune_code) == ("19", "02185")
    assert (origin.legacy_province_name, origin.legacy_district_name) == ("Bac Kan", "Na Ri")
    assert origin.legacy_commune_name == "Con Minh"


def test_legacy_province_without_district_fills_district_from_data():
    origin = resolve_origin("Bắc Kạn", "Côn Minh")
    assert origin.commune_code == "02185"
    assert origin.legacy_district_name == "Huyện Na Rì"


def test_old_commune_merged_into_a_new_one():
    # Xã Kim Hỷ (Na Rì) is now part of Xã Văn Lang
    origin = resolve_origin("Bắc Kạn", "Xã Kim Hỷ", "Na Rì")
    assert (origin.commune_code, origin.commune_name) == ("02143", "Xã Văn Lang")
    assert origin.legacy_commune_name == "Xã Kim Hỷ"


def test_bac_giang_luc_ngan_becomes_bac_ninh():
    origin = resolve_origin("Bắc Giang", "Xã Quý Sơn", "Huyện Lục Ngạn")
    assert (origin.province_code, origin.province_name) == ("24", "Bắc Ninh")
    assert (origin.commune_code, origin.commune_name) == ("07612", "Phường Phượng Sơn")


def test_current_province_with_old_district_infers_old_province():
    origin = resolve_origin("Thái Nguyên", "Côn Minh", "Na Rì")
    assert origin.commune_code == "02185"
    assert origin.legacy_province_name == "Bắc Kạn"


def test_unchanged_province_with_old_district_has_no_legacy_province():
    # Hà Nội kept its name; only the district level disappeared
    origin = resolve_origin("Hà Nội", "Xã Bát Tràng", "Huyện Gia Lâm")
    assert (origin.commune_code, origin.commune_name) == ("00583", "Xã Bát Tràng")
    assert origin.legacy_province_name == ""
    assert origin.legacy_district_name == "Huyện Gia Lâm"


def test_accents_tell_apart_communes_that_fold_alike():
    assert resolve_origin("Thái Nguyên", "Văn Lang").commune_code == "02143"
    assert resolve_origin("Thái Nguyên", "Văn Lăng").commune_code == "05665"


@pytest.mark.parametrize(
    ("args", "field", "code"),
    [
        (("", "Côn Minh"), "province", "province_missing"),
        (("Thái Nguyên", ""), "commune", "commune_missing"),
        (("Tỉnh Hà Tây", "Vạn Phúc"), "province", "province_unknown"),
        (("Thái Nguyên", "Xã Không Có"), "commune", "commune_unknown"),
        (("Thái Nguyên", "Van Lang"), "commune", "commune_unknown"),  # ambiguous
        (("Hà Nội", "Xã Côn Minh"), "commune", "commune_not_in_province"),
        (("01", "02185"), "commune", "commune_not_in_province"),
        (("Bắc Kạn", "Xã Không Có", "Huyện Không Có"), "legacy_district", "district_unknown"),
    ],
)
def test_origin_errors(args, field, code):
    with pytest.raises(OriginError) as raised:
        resolve_origin(*args)
    assert (raised.value.field, raised.value.code) == (field, code)
    assert raised.value.message_vi
    assert raised.value.message_en
