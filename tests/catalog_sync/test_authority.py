from datetime import date

import pytest

from catalog_sync.authority import IssuingLevel, allowed_levels, issuing_level, legal_basis

C, P, D = IssuingLevel.CENTRAL, IssuingLevel.PROVINCE, IssuingLevel.DISTRICT


@pytest.mark.parametrize(
    ("authority", "level"),
    [
        ("Bộ Nông nghiệp và Phát triển nông thôn", C),
        ("Bộ Nông nghiệp và Môi trường", C),
        ("BNN&PTNT", C),
        ("Văn phòng Điều phối nông thôn mới Trung ương", C),
        ("Thủ tướng Chính phủ", C),
        ("UBND tỉnh Thái Nguyên", P),
        ("Ủy ban nhân dân tỉnh Bắc Kạn", P),
        ("Uỷ ban nhân dân tỉnh Bắc Kạn", P),
        ("UBND thành phố Hà Nội", P),
        ("UBND TP Hồ Chí Minh", P),
        ("UBND TP. Cần Thơ", P),
        ("UBND TPHCM", P),
        ("Sở Nông nghiệp và PTNT tỉnh Quảng Trị", P),
        ("UBND huyện Na Rì", D),
        ("UBND quận Hà Đông", D),
        ("UBND thị xã Chũ", D),
        ("UBND thành phố Thái Nguyên", D),
        ("Phòng Nông nghiệp huyện Ba Bể", D),
        ("ubnd huyen na ri", D),
    ],
)
def test_issuing_level(authority, level):
    assert issuing_level(authority) is level


@pytest.mark.parametrize("authority", ["", "UBND xã Côn Minh", "Hội Nông dân", "abc"])
def test_unknown_authority_is_none(authority):
    assert issuing_level(authority) is None


def test_hanoi_city_is_provincial_but_thai_nguyen_city_is_district():
    assert issuing_level("UBND thành phố Hà Nội") is P
    assert issuing_level("UBND thành phố Thái Nguyên") is D


def test_hue_city_is_provincial_only_from_2025():
    assert issuing_level("UBND thành phố Huế", date(2024, 12, 31)) is D
    assert issuing_level("UBND thành phố Huế", date(2025, 1, 1)) is P


@pytest.mark.parametrize(
    ("stars", "on", "levels"),
    [
        (5, date(2024, 1, 1), {C}),
        (4, date(2024, 1, 1), {P}),
        (3, date(2023, 2, 23), {P}),
        (3, date(2023, 2, 24), {P, D}),
        (3, date(2025, 7, 5), {P, D}),
        (3, date(2025, 7, 6), {P}),
        (2, date(2024, 1, 1), set()),
    ],
)
def test_allowed_levels(stars, on, levels):
    assert allowed_levels(stars, on) == levels


@pytest.mark.parametrize(
    ("on", "basis"),
    [
        (date(2023, 2, 23), "1048/QĐ-TTg"),
        (date(2023, 2, 24), "148/QĐ-TTg"),
        (date(2025, 7, 5), "148/QĐ-TTg"),
        (date(2025, 7, 6), "148/QĐ-TTg (sửa đổi bởi 1489/QĐ-TTg)"),
    ],
)
def test_legal_basis(on, basis):
    assert legal_basis(on) == basis
