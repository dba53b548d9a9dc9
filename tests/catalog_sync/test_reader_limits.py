"""Files past the readers' limits are refused as files, with a code of their own, before
or while they are read; never half-read, never a crash."""

import json

import pytest

from catalog_sync import readers
from catalog_sync.readers import RegistryFileError, read_registry
from tests.catalog_sync import xlsx_bombs

HEADER = "Tên sản phẩm,Chủ thể,Hạng sao,Số quyết định\n"
REQUIRED = '"Tên sản phẩm": "x", "Chủ thể": "HTX Tài Hoan", "Hạng sao": 4, "Số quyết định": "1/QĐ"'


def read_all(path) -> int:
    return sum(1 for _ in read_registry(path).rows)


def refusal(path) -> tuple[str, str]:
    """(code, message) of the file-level error reading the whole file raises."""
    with pytest.raises(RegistryFileError) as error:
        read_all(path)
    return error.value.code, str(error.value)


def test_xlsx_with_20_million_shared_strings_is_refused(tmp_path):
    path = xlsx_bombs.shared_strings_bomb(tmp_path / "bomb.xlsx")
    code, message = refusal(path)
    assert code == "xlsx_too_many_shared_strings"
    assert message.endswith("/ The workbook holds more than 1,000,000 shared strings; save it "
                            "again with Excel or split it into smaller files.")  # fmt: skip


def test_strict_xlsx_shared_strings_are_counted_before_openpyxl_loads_them(tmp_path):
    # Given a strict OOXML workbook (read through openpyxl, which loads every string first)
    path = xlsx_bombs.shared_strings_bomb(tmp_path / "strict.xlsx", strict=True)
    assert refusal(path)[0] == "xlsx_too_many_shared_strings"


def test_xlsx_shared_strings_taking_too_much_memory_are_refused(tmp_path):
    # Given 800 shared strings of 32,767 emoji (Excel's longest cell; 4 bytes a character
    # in memory): about 105 MB of text, well under the count limit
    path = xlsx_bombs.shared_strings_bomb(tmp_path / "text.xlsx", count=800, text="😀" * 32767)
    assert refusal(path) == (
        "xlsx_shared_strings_too_large",
        "Văn bản trong tệp Excel chiếm hơn 100 MB; hãy chia thành nhiều tệp nhỏ hơn. / "
        "The workbook's text takes more than 100 MB; split it into smaller files.",
    )


def test_xlsx_with_a_value_in_column_xfd_is_refused_at_its_first_row(tmp_path):
    path = xlsx_bombs.far_column_bomb(tmp_path / "wide.xlsx")
    assert refusal(path) == (
        "too_many_columns",
        "Dòng 2 có dữ liệu ở sau cột thứ 1.024; danh sách OCOP chỉ cần khoảng 25 cột. Xoá "
        "các ô thừa ở bên phải. / Row 2 has data beyond column 1,024; an OCOP list needs "
        "about 25 columns. Delete the stray cells on the right.",
    )


def test_formatted_empty_cells_far_right_are_ignored(tmp_path):
    # Given a row whose last, empty cell is formatted out at column XFD (some writers do)
    path = tmp_path / "styled.xlsx"
    sheet = (
        f'<worksheet xmlns="{xlsx_bombs.MAIN}"><sheetData>{xlsx_bombs.header_row()}'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>Miến dong</t></is></c>'
        '<c r="XFD2" s="1"/></row></sheetData></worksheet>'
    )
    xlsx_bombs.write(path, xlsx_bombs.parts([(sheet, 1)], xlsx_bombs.EMPTY_SHARED))

    # Then the row is read, without the empty cell
    registry = read_registry(path)
    assert [(n, row["product_name"]) for n, row in registry.rows] == [(2, "Miến dong")]


def test_too_many_rows_are_refused_in_every_format(tmp_path):
    # Given one data row more than allowed, as XLSX, CSV and JSON
    rows = readers.MAX_ROWS + 1
    xlsx = xlsx_bombs.many_rows(tmp_path / "rows.xlsx", rows)
    csv = tmp_path / "rows.csv"
    csv.write_text(HEADER + "x,,,\n" * rows, encoding="utf-8")
    data = tmp_path / "rows.json"
    data.write_text(json.dumps([{"Tên sản phẩm": "x"}] * rows), encoding="utf-8")

    # Then each is refused as a whole
    message = (
        "Tệp có hơn 50.000 dòng dữ liệu; hãy chia thành nhiều tệp nhỏ hơn. / The file has "
        "more than 50,000 data rows; split it into smaller files."
    )
    assert refusal(xlsx) == refusal(csv) == refusal(data) == ("too_many_rows", message)
    # and exactly the limit is read
    csv.write_text(HEADER + "x,,,\n" * readers.MAX_ROWS, encoding="utf-8")
    assert read_all(csv) == readers.MAX_ROWS


def test_csv_with_a_value_past_the_last_column_is_refused(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(HEADER + "x,,," + "," * 1100 + "stray\n", encoding="utf-8")
    assert refusal(path)[0] == "too_many_columns"


def test_an_xlsx_inflating_past_the_limit_is_refused_unparsed(tmp_path):
    # Given a worksheet of 520 MB of spaces (about 0.5 MB compressed)
    path = tmp_path / "huge.xlsx"
    sheet = [(f'<worksheet xmlns="{xlsx_bombs.MAIN}"><sheetData>', 1), (" " * (1 << 20), 520),
             ("</sheetData></worksheet>", 1)]  # fmt: skip
    xlsx_bombs.write(path, xlsx_bombs.parts(sheet, xlsx_bombs.EMPTY_SHARED))

    assert refusal(path) == (
        "xlsx_too_large",
        "Tệp Excel giải nén ra 520 MB, quá mức 512 MB; hãy chia thành nhiều tệp nhỏ hơn. / "
        "The workbook inflates to 520 MB, more than 512 MB; split it into smaller files.",
    )


def test_an_xlsx_part_read_whole_is_limited_on_its_own(tmp_path):
    # Given a styles part of 17 MB (the readers load styles whole)
    styles = [(f'<styleSheet xmlns="{xlsx_bombs.MAIN}">', 1), (" " * (1 << 20), 17),
              ("</styleSheet>", 1)]  # fmt: skip
    path = xlsx_bombs.workbook(tmp_path / "styles.xlsx", [], **{"xl/styles.xml": styles})

    code, message = refusal(path)
    assert code == "xlsx_too_large"
    assert "'xl/styles.xml'" in message


@pytest.mark.parametrize("cell", ["#7", "#-1", "#x"])
def test_a_cell_pointing_at_a_missing_shared_string_makes_the_file_unreadable(tmp_path, cell):
    path = xlsx_bombs.workbook(tmp_path / "bad.xlsx", [["Miến dong"], [cell]], ["một"])
    assert refusal(path)[0] == "file_unreadable"


@pytest.mark.parametrize("depth", [11, 100_000])
def test_json_nested_too_deep_is_refused(tmp_path, depth):
    path = tmp_path / "deep.json"
    path.write_text('[{"Tên sản phẩm": ' + "[" * (depth - 2) + "]" * (depth - 2) + "}]")
    assert refusal(path) == (
        "json_too_deep",
        "Tệp JSON lồng nhau quá 10 cấp; mỗi dòng phải là một đối tượng gồm các giá trị đơn "
        "giản. / The JSON file is nested more than 10 levels deep; each row must be an object "
        "of plain values.",
    )


def test_json_nested_to_the_limit_is_read(tmp_path):
    path = tmp_path / "ten.json"
    path.write_text("[{" + REQUIRED + ', "Ghi chú": ' + "[" * 8 + "]" * 8 + "}]")
    assert [row["product_name"] for _, row in read_registry(path).rows] == ["x"]


def test_json_numbers_too_long_for_int_are_read_as_their_digits(tmp_path):
    # Given a price of 5,000 digits (Python's int() refuses past 4,300)
    path = tmp_path / "big.json"
    path.write_text("[{" + REQUIRED + ', "Giá": ' + "9" * 5000 + "}]")

    [(_, row)] = read_registry(path).rows

    assert (row["price_vnd"], row["stars"]) == ("9" * 5000, "4")


@pytest.mark.parametrize(("suffix", "limit"), [(".csv", 50), (".json", 20)])
def test_text_files_past_their_size_limit_are_refused_unread(tmp_path, suffix, limit):
    path = tmp_path / f"big{suffix}"
    with open(path, "wb") as handle:
        handle.truncate(limit * 1024 * 1024 + 1)
    assert refusal(path) == (
        "file_too_large",
        f"Tệp lớn hơn {limit} MB; hãy chia thành nhiều tệp nhỏ hơn. / The file is larger "
        f"than {limit} MB; split it into smaller files.",
    )
