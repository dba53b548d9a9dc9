import unicodedata

from common.text import fold, normalize_multiline, normalize_text


def test_normalize_text_none_is_empty():
    assert normalize_text(None) == ""


def test_normalize_text_makes_nfd_input_nfc():
    # Given a name saved as NFD (decomposed diacritics)
    nfd = unicodedata.normalize("NFD", "Miến dong Tài Hoan")
    # When normalised
    result = normalize_text(nfd)
    # Then it is the NFC string
    assert result == "Miến dong Tài Hoan"
    assert unicodedata.is_normalized("NFC", result)


def test_normalize_text_collapses_whitespace_including_nbsp_and_zero_width():
    assert normalize_text("  Chè\u00a0\u00a0Tân \t Cương\u200b\n") == "Chè Tân Cương"


def test_normalize_multiline_keeps_paragraphs():
    assert normalize_multiline("Dòng  một\r\n\r\n\r\nDòng hai ") == "Dòng một\n\nDòng hai"


def test_fold_removes_diacritics_and_maps_d_stroke():
    assert fold("Đặc sản ĐỒNG Tháp") == "dac san dong thap"
    assert fold("Quyết định 3981/QĐ-UBND") == "quyet dinh 3981/qd-ubnd"


def test_fold_treats_nfd_and_nfc_alike():
    assert fold(unicodedata.normalize("NFD", "Trà hoa vàng")) == fold("Trà hoa vàng")
    assert fold("Trà hoa vàng") == "tra hoa vang"


def test_fold_of_none_is_empty():
    assert fold(None) == ""
