import datetime as dt
import json
import random
import unicodedata

import openpyxl
import pytest

from catalog_sync.readers import RegistryFileError, match_header, read_registry

JUNK = random.Random(0).randbytes(4096)  # fixed "random" binary junk
HEADER_VI = "Tên sản phẩm,Chủ thể,Hạng sao,Số quyết định,Giá (VNĐ)"
ROW_VI = "Miến dong Tài Hoan,HTX Tài Hoan,5,1124/QĐ-BNN,125000"


def windows_1258(text: str) -> bytes:
    """Text as a Vietnamese Windows-1258 file: precomposed vowels, combining tone marks."""
    out = b""
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base, marks = (parts[:2], parts[2:]) if len(parts) > 2 else (parts[0], parts[1:])
            out += (unicodedata.normalize("NFC", base) + marks).encode("cp1258")
    return out


def write(tmp_path, name, content, encoding="utf-8"):
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding=encoding, newline="")
    return path


def error_code(path, **kwargs):
    with pytest.raises(RegistryFileError) as raised:
        list(read_registry(path, **kwargs).rows)
    assert raised.value.message_vi
    assert raised.value.message_en
    assert str(raised.value) == f"{raised.value.message_vi} / {raised.value.message_en}"
    return raised.value.code


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Tên sản phẩm", "product_name"),
        ("TEN SAN PHAM", "product_name"),
        ("ten_san_pham", "product_name"),
        ("Product_Name", "product_name"),
        ("Nhóm/Bộ sản phẩm", "product_group"),
        ("Bộ sản phẩm", "product_group"),
        ("Câu chuyện sản phẩm", "description"),
        ("Giá (VNĐ)", "price_vnd"),
        ("gia ban", "price_vnd"),
        ("Khối lượng (g)", "weight_grams"),
        ("Số lượng", "stock"),
        ("Mã SKU", "sku"),
        ("Tên chủ thể", "producer_name"),
        ("Loại hình chủ thể", "producer_type"),
        ("Mã số thuế", "producer_tax_code"),
        ("Điện thoại", "producer_phone"),
        ("E-mail", "producer_email"),
        ("Tỉnh/Thành phố", "province"),
        ("Xã/Phường", "commune"),
        ("Quận/Huyện", "legacy_district"),
        ("Xếp hạng", "stars"),
        ("Số QĐ", "decision_number"),
        ("Ngày công nhận", "decision_date"),
        ("Cơ quan ban hành", "issuing_authority"),
        ("Hiệu lực đến", "expiry_date"),
        ("Điểm đánh giá", "score"),
        ("Ghi chú", None),
    ],
)
def test_header_matching(header, field):
    assert match_header(header) == field


def test_csv_with_bom(tmp_path):
    # Given a UTF-8 CSV with BOM, as Excel saves "CSV UTF-8"
    path = write(tmp_path, "r.csv", f"{HEADER_VI},Ghi chú\r\n{ROW_VI},x\r\n", "utf-8-sig")
    # When read
    registry = read_registry(path)
    # Then headers map to canonical fields and the row is numbered 2
    assert registry.format == "csv"
    assert registry.columns["product_name"] == "Tên sản phẩm"
    assert registry.columns["price_vnd"] == "Giá (VNĐ)"
    assert registry.unknown_columns == ["Ghi chú"]
    rows = list(registry.rows)
    assert rows == [
        (
            2,
            {
                "product_name": "Miến dong Tài Hoan",
                "producer_name": "HTX Tài Hoan",
                "stars": "5",
                "decision_number": "1124/QĐ-BNN",
                "price_vnd": "125000",
            },
        )
    ]


def test_csv_without_bom_and_english_mixed_case_headers(tmp_path):
    path = write(tmp_path, "r.csv", "PRODUCT_NAME,Producer,Stars,Decision_Number\nA,B,4,1/QĐ\n")
    assert list(read_registry(path).rows) == [
        (2, {"product_name": "A", "producer_name": "B", "stars": "4", "decision_number": "1/QĐ"})
    ]


def test_csv_semicolon_and_headers_without_diacritics(tmp_path):
    content = "Ten san pham;Chu the;Hang sao;So quyet dinh;Gia\nA;B;3;2/QD-UBND;125.000,5\n"
    rows = list(read_registry(write(tmp_path, "r.csv", content)).rows)
    assert rows[0][1]["price_vnd"] == "125.000,5"
    assert rows[0][1]["decision_number"] == "2/QD-UBND"


def test_blank_rows_are_skipped_but_counted(tmp_path):
    content = f"{HEADER_VI}\n{ROW_VI}\n\n,,,,\n{ROW_VI}\n"
    assert [number for number, _ in read_registry(write(tmp_path, "r.csv", content)).rows] == [
        2,
        5,
    ]


def test_header_only_file_has_no_rows(tmp_path):
    assert list(read_registry(write(tmp_path, "r.csv", HEADER_VI + "\n")).rows) == []


def test_formula_text_in_csv_stays_literal(tmp_path):
    content = 'Tên sản phẩm,Chủ thể,Hạng sao,Số quyết định,Mô tả\nA,B,3,1/QĐ,"=HYPERLINK(""http://x"",""y"")"\n'
    rows = list(read_registry(write(tmp_path, "r.csv", content)).rows)
    assert rows[0][1]["description"] == '=HYPERLINK("http://x","y")'


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("r.csv", windows_1258(f"{HEADER_VI}\n{ROW_VI}\n"), "encoding_invalid"),
        ("r.csv", f"{HEADER_VI}\n{ROW_VI}\n".encode("utf-16"), "encoding_invalid"),
        ("r.csv", f"{HEADER_VI}\n".encode("utf-16-le"), "encoding_invalid"),
        ("r.csv", b"", "empty_file"),
        ("r.csv", "\ufeff\n  \n".encode(), "empty_file"),
        ("r.csv", JUNK, "file_unreadable"),
        ("r.xlsx", JUNK, "file_unreadable"),
        ("r.csv", b"a,b,c\n1,2,3\n", "header_missing"),
        ("r.csv", "Tên sản phẩm,Chủ thể\nA,B\n".encode(), "header_missing"),
        ("r.xls", b"anything", "format_unsupported"),
        ("r.json", b'{"a": 1}', "json_invalid"),
        ("r.json", b"[1, 2]", "json_invalid"),
        ("r.json", b"[{", "json_invalid"),
    ],
)
def test_malformed_files(tmp_path, name, content, code):
    assert error_code(write(tmp_path, name, content)) == code


def test_missing_required_columns_are_named(tmp_path):
    path = write(tmp_path, "r.csv", "Tên sản phẩm,Chủ thể\nA,B\n")
    with pytest.raises(RegistryFileError) as raised:
        read_registry(path)
    assert "stars" in raised.value.message_en
    assert "decision_number" in raised.value.message_en
    assert "Hạng sao" in raised.value.message_vi


def test_missing_file(tmp_path):
    assert error_code(tmp_path / "none.csv") == "file_not_found"


def make_xlsx(path, sheets):
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook.save(path)
    return path


XLSX_ROWS = [
    ["Tên sản phẩm", "Chủ thể", "Hạng sao", "Số quyết định", "Giá", "Ngày QĐ", "Mô tả"],
    ["Chè Tân Cương", "HTX Chè", 4, "3981/QĐ-UBND", 125000.0, dt.datetime(2026, 8, 5), "=1+1"],
    [None, None, None, None, None, None, None],
    ["Mật ong", "HTX Ong", 3.0, "3982/QĐ-UBND", 99000.5, dt.date(2025, 1, 9), "Mật ong rừng"],
]


def test_xlsx_first_sheet_converts_cells_to_text(tmp_path):
    # Given a workbook whose first sheet holds the list, with numbers, dates and a formula
    path = make_xlsx(tmp_path / "r.xlsx", {"Danh sách": XLSX_ROWS, "Khác": [["x"]]})
    # When read
    registry = read_registry(path)
    rows = list(registry.rows)
    # Then cells are text as shown on screen, and the formula is its literal text
    assert registry.format == "xlsx"
    assert [number for number, _ in rows] == [2, 4]
    assert rows[0][1] == {
        "product_name": "Chè Tân Cương",
        "producer_name": "HTX Chè",
        "stars": "4",
        "decision_number": "3981/QĐ-UBND",
        "price_vnd": "125000",
        "decision_date": "2026-08-05",
        "description": "=1+1",
    }
    assert rows[1][1]["stars"] == "3"
    assert rows[1][1]["price_vnd"] == "99000.5"
    assert rows[1][1]["decision_date"] == "2025-01-09"


def test_xlsx_named_sheet(tmp_path):
    path = make_xlsx(tmp_path / "r.xlsx", {"Bìa": [["Danh sách OCOP"]], "Danh sách": XLSX_ROWS})
    rows = list(read_registry(path, sheet="Danh sách").rows)
    assert rows[0][1]["product_name"] == "Chè Tân Cương"
    # sheet names are matched without diacritics too
    assert len(list(read_registry(path, sheet="danh sach").rows)) == 2


def test_xlsx_missing_sheet(tmp_path):
    path = make_xlsx(tmp_path / "r.xlsx", {"Danh sách": XLSX_ROWS})
    assert error_code(path, sheet="2024") == "sheet_not_found"


def test_xlsx_formula_string_is_not_evaluated(tmp_path):
    rows = [XLSX_ROWS[0], ["A", "B", 3, "1/QĐ", 1000, "2025-01-01", '=HYPERLINK("http://x","y")']]
    path = make_xlsx(tmp_path / "r.xlsx", {"S": rows})
    _, row = next(iter(read_registry(path).rows))
    assert row["description"] == '=HYPERLINK("http://x","y")'


def test_json_list_of_objects(tmp_path):
    data = [
        {"Tên sản phẩm": "A", "Chủ thể": "B", "Hạng sao": 4, "Số quyết định": "1/QĐ", "x": 1},
        {},
        {"Tên sản phẩm": "C", "Chủ thể": "D", "Hạng sao": 5.0, "Số quyết định": "2/QĐ"},
    ]
    path = write(tmp_path, "r.json", json.dumps(data, ensure_ascii=False))
    registry = read_registry(path)
    assert registry.format == "json"
    assert registry.unknown_columns == ["x"]
    rows = list(registry.rows)
    assert [number for number, _ in rows] == [2, 4]
    assert rows[1][1]["stars"] == "5"


def test_empty_json_list_has_no_rows(tmp_path):
    assert list(read_registry(write(tmp_path, "r.json", "[]")).rows) == []


def test_xlsx_fallback_reader_gives_the_same_rows(tmp_path):
    # Given a workbook read by the direct path and by openpyxl's public API
    from catalog_sync.readers import _read_xlsx_openpyxl

    path = make_xlsx(tmp_path / "r.xlsx", {"Danh sách": XLSX_ROWS})
    # Then both give the same text for every cell
    assert list(_read_xlsx_openpyxl(path, None).rows) == list(read_registry(path).rows)


def test_xlsx_header_not_on_row_1_is_missing(tmp_path):
    path = make_xlsx(tmp_path / "r.xlsx", {"S": [[None], *XLSX_ROWS]})
    assert error_code(path) == "header_missing"


def test_empty_xlsx_sheet(tmp_path):
    path = make_xlsx(tmp_path / "r.xlsx", {"S": []})
    assert error_code(path) == "empty_file"
