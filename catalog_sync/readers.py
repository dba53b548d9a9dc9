"""Readers for provincial OCOP recognition lists (CSV, XLSX, JSON).

A reader only turns a file into rows of text keyed by canonical field names; deciding
whether a row may be imported is validation.py's job. Cell values are never evaluated:
a cell that looks like a spreadsheet formula is returned as the literal text.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from common.text import compact_key, fold, normalize_text

CANONICAL_FIELDS: tuple[str, ...] = (
    "product_name",
    "product_name_en",
    "product_group",
    "description",
    "price_vnd",
    "weight_grams",
    "stock",
    "sku",
    "producer_name",
    "producer_type",
    "producer_tax_code",
    "producer_phone",
    "producer_email",
    "province",
    "commune",
    "legacy_district",
    "stars",
    "decision_number",
    "decision_date",
    "issuing_authority",
    "expiry_date",
    "score",
    "gtin",
    "quality_marks",
)

REQUIRED_COLUMNS: tuple[str, ...] = ("product_name", "producer_name", "stars", "decision_number")

# Header spellings seen in provincial lists, English and Vietnamese. Matching is on
# compact_key() of the header with any "(...)" unit removed, so "Giá (VNĐ)", "GIA BAN"
# and "gia_ban" all hit the same alias; spelling variants need no separate entries.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "product_name": ("product_name", "product", "Tên sản phẩm", "Tên SP", "Sản phẩm"),
    # Optional: the English name (a Saleor product translation; searched in both languages).
    "product_name_en": ("product_name_en", "name_en", "English name", "Tên tiếng Anh"),
    "product_group": (
        "product_group",
        "product_set",
        "category",
        "group",
        "Nhóm sản phẩm",
        "Bộ sản phẩm",
        "Nhóm/Bộ sản phẩm",
        "Nhóm",
        "Phân nhóm",
        "Ngành hàng",
    ),
    "description": ("description", "story", "Mô tả", "Mô tả sản phẩm", "Câu chuyện sản phẩm"),
    "price_vnd": ("price_vnd", "price", "Giá", "Giá bán", "Đơn giá", "Giá bán lẻ"),
    "weight_grams": (
        "weight_grams",
        "weight",
        "Khối lượng",
        "Trọng lượng",
        "Khối lượng tịnh",
    ),
    "stock": ("stock", "quantity", "Tồn kho", "Số lượng"),
    "sku": ("sku", "Mã SKU", "Mã sản phẩm"),
    "producer_name": (
        "producer_name",
        "producer",
        "Chủ thể",
        "Tên chủ thể",
        "Chủ thể OCOP",
        "Tên chủ thể sản xuất",
    ),
    "producer_type": ("producer_type", "Loại hình", "Loại hình chủ thể", "Loại hình tổ chức"),
    "producer_tax_code": ("producer_tax_code", "tax_code", "Mã số thuế", "MST"),
    "gtin": ("gtin", "barcode", "ean", "Mã vạch", "Mã GTIN", "Mã số mã vạch", "Mã vạch GS1"),
    "quality_marks": (
        "quality_marks",
        "certifications",
        "Chứng nhận vùng nguyên liệu",
        "Tiêu chuẩn vùng nguyên liệu",
        "Chứng nhận chất lượng",
    ),
    "producer_phone": ("producer_phone", "phone", "Số điện thoại", "Điện thoại", "SĐT"),
    "producer_email": ("producer_email", "email", "e-mail", "Thư điện tử"),
    "province": ("province", "Tỉnh/Thành phố", "Tỉnh", "Tỉnh/TP", "Tỉnh thành"),
    "commune": ("commune", "ward", "Xã/Phường", "Xã", "Phường/Xã", "Xã/Phường/Thị trấn"),
    "legacy_district": (
        "legacy_district",
        "district",
        "Huyện",
        "Quận/Huyện",
        "Huyện/Thị xã/Thành phố",
    ),
    "stars": ("stars", "star", "star_rating", "rating", "Hạng sao", "Số sao", "Xếp hạng"),
    "decision_number": (
        "decision_number",
        "decision_no",
        "decision",
        "Số quyết định",
        "Số QĐ",
        "Quyết định số",
    ),
    "decision_date": (
        "decision_date",
        "recognition_date",
        "Ngày quyết định",
        "Ngày QĐ",
        "Ngày công nhận",
        "Ngày ký",
    ),
    "issuing_authority": (
        "issuing_authority",
        "authority",
        "Cơ quan công nhận",
        "Cơ quan ban hành",
    ),
    "expiry_date": (
        "expiry_date",
        "expiry",
        "valid_until",
        "Ngày hết hạn",
        "Hiệu lực đến",
        "Có hiệu lực đến",
    ),
    "score": ("score", "points", "Điểm", "Điểm đánh giá", "Tổng điểm"),
}

_PARENTHESISED = re.compile(r"\([^)]*\)")


def header_key(header: object) -> str:
    """The matching key of a header: folded, "(unit)" removed, punctuation removed."""
    return compact_key(_PARENTHESISED.sub(" ", fold(header)))


_ALIAS_INDEX: dict[str, str] = {
    header_key(alias): canonical
    for canonical, aliases in HEADER_ALIASES.items()
    for alias in aliases
}


def match_header(header: object) -> str | None:
    """Canonical field name for a header cell, or None when it is not one we know."""
    return _ALIAS_INDEX.get(header_key(header))


class RegistryFileError(Exception):
    """The file as a whole cannot be read; nothing in it is imported."""

    def __init__(self, code: str, message_vi: str, message_en: str) -> None:
        super().__init__(f"{message_vi} / {message_en}")
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en


@dataclass
class RegistryFile:
    """A readable registry file. ``rows`` streams and can be iterated once."""

    format: str
    columns: dict[str, str]
    unknown_columns: list[str]
    rows: Iterable[tuple[int, dict[str, str]]] = field(repr=False)


SUPPORTED_EXTENSIONS = (".csv", ".xlsx", ".json")

# What a file may hold, checked before it is parsed (sizes) or while it is (rows,
# columns, shared strings), so a small file that inflates to gigabytes is refused as a
# file, in little memory (a file of 50,000 rows that are all wrong peaks ~250 MB, most
# of it the rejections). Far above any real list: the national one has ~17,000 rows and
# about 25 columns.
MAX_ROWS = 50_000  # data rows, blank ones included
MAX_COLUMNS = 1_024  # a value beyond column AMJ; empty formatted cells do not count
MAX_TEXT_FILE_BYTES = {".csv": 50 * 1024 * 1024, ".json": 20 * 1024 * 1024}
MAX_XLSX_INFLATED_BYTES = 512 * 1024 * 1024  # all parts, as the zip declares them
# Each XML part read whole (workbook, relationships, styles…): all but the worksheets,
# which are streamed, and the shared strings, which are counted as they are read.
MAX_XLSX_PART_BYTES = 16 * 1024 * 1024
MAX_SHARED_STRINGS = 1_000_000
MAX_SHARED_STRINGS_MEMORY = 100 * 1024 * 1024  # bytes the shared strings take in memory
MAX_JSON_DEPTH = 10  # a row is depth 2; a cell holding a list or object adds to it


def read_registry(path: str | Path, sheet: str | None = None) -> RegistryFile:
    """Open a registry file; raises RegistryFileError when it cannot be imported at all."""
    path = Path(path)
    if not path.is_file():
        raise RegistryFileError(
            "file_not_found",
            f"Không tìm thấy tệp '{path.name}'.",
            f"File '{path.name}' was not found.",
        )
    extension = path.suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        raise RegistryFileError(
            "format_unsupported",
            f"Định dạng '{extension or path.name}' không được hỗ trợ; hãy lưu tệp dưới dạng "
            ".xlsx, .csv (UTF-8) hoặc .json.",
            f"Format '{extension or path.name}' is not supported; save the file as .xlsx, "
            ".csv (UTF-8) or .json.",
        )
    size = path.stat().st_size
    if size == 0:
        raise _empty_file()
    if size > MAX_TEXT_FILE_BYTES.get(extension, size):
        raise _too_large(MAX_TEXT_FILE_BYTES[extension])
    if extension == ".csv":
        return _read_csv(path)
    if extension == ".xlsx":
        return _read_xlsx(path, sheet)
    return _read_json(path)


# --- header mapping ----------------------------------------------------------------


def _map_header(headers: Sequence[object]) -> tuple[dict[str, str], dict[int, str], list[str]]:
    """(canonical→original header, column index→canonical, unknown headers)."""
    columns: dict[str, str] = {}
    positions: dict[int, str] = {}
    unknown: list[str] = []
    for index, raw in enumerate(headers):
        original = normalize_text(raw)
        if not original:
            continue
        canonical = match_header(original)
        # A second column mapping to the same field is ignored, not merged: merging two
        # "Giá" columns would silently pick one price over the other.
        if canonical is None or canonical in columns:
            unknown.append(original)
            continue
        columns[canonical] = original
        positions[index] = canonical
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if len(missing) == len(REQUIRED_COLUMNS):
        raise RegistryFileError(
            "header_missing",
            "Không nhận ra dòng tiêu đề ở dòng 1. Dòng đầu tiên phải là tên cột, ví dụ: "
            "Tên sản phẩm, Chủ thể, Hạng sao, Số quyết định.",
            "No recognisable header in row 1. The first row must hold the column names, "
            "e.g. Tên sản phẩm (product name), Chủ thể (producer), Hạng sao (stars), "
            "Số quyết định (decision number).",
        )
    if missing:
        vi_names = ", ".join(_REQUIRED_VI[name] for name in missing)
        raise RegistryFileError(
            "header_missing",
            f"Thiếu cột bắt buộc: {vi_names}.",
            f"Required column(s) missing: {', '.join(missing)}.",
        )
    return columns, positions, unknown


_REQUIRED_VI = {
    "product_name": "Tên sản phẩm",
    "producer_name": "Chủ thể",
    "stars": "Hạng sao",
    "decision_number": "Số quyết định",
}


def _row_dict(cells: Sequence[str], positions: dict[int, str]) -> dict[str, str] | None:
    """The row as canonical→text, or None when every cell is blank."""
    if not any(cell.strip() for cell in cells):
        return None
    size = len(cells)
    row = dict.fromkeys(positions.values(), "")
    for index, name in positions.items():
        if index < size:
            row[name] = cells[index]
    return row


def _empty_file() -> RegistryFileError:
    return RegistryFileError(
        "empty_file",
        "Tệp rỗng, không có dữ liệu.",
        "The file is empty.",
    )


def _unreadable(detail_vi: str, detail_en: str) -> RegistryFileError:
    return RegistryFileError(
        "file_unreadable",
        f"Không đọc được tệp: {detail_vi}",
        f"The file cannot be read: {detail_en}",
    )


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB"


def _too_large(limit: int) -> RegistryFileError:
    return RegistryFileError(
        "file_too_large",
        f"Tệp lớn hơn {_megabytes(limit)}; hãy chia thành nhiều tệp nhỏ hơn.",
        f"The file is larger than {_megabytes(limit)}; split it into smaller files.",
    )


def _too_many_rows() -> RegistryFileError:
    return RegistryFileError(
        "too_many_rows",
        f"Tệp có hơn {MAX_ROWS:,} dòng dữ liệu; hãy chia thành nhiều tệp nhỏ hơn.".replace(
            ",", "."
        ),
        f"The file has more than {MAX_ROWS:,} data rows; split it into smaller files.",
    )


def _too_many_columns(row_number: int) -> RegistryFileError:
    return RegistryFileError(
        "too_many_columns",
        f"Dòng {row_number} có dữ liệu ở sau cột thứ {MAX_COLUMNS:,}; danh sách OCOP chỉ "
        "cần khoảng 25 cột. Xoá các ô thừa ở bên phải.".replace(",", "."),
        f"Row {row_number} has data beyond column {MAX_COLUMNS:,}; an OCOP list needs "
        "about 25 columns. Delete the stray cells on the right.",
    )


def _checked_rows(
    rows: Iterable[tuple[int, Sequence[str]]],
) -> Iterator[tuple[int, Sequence[str]]]:
    """Rows (header first) within MAX_ROWS and MAX_COLUMNS; RegistryFileError past them."""
    for count, (row_number, cells) in enumerate(rows):
        if count > MAX_ROWS:  # the header is not a data row
            raise _too_many_rows()
        if len(cells) > MAX_COLUMNS and any(str(cell).strip() for cell in cells[MAX_COLUMNS:]):
            raise _too_many_columns(row_number)
        yield row_number, cells


# --- CSV ---------------------------------------------------------------------------


def _decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) only; anything else gets an actionable error."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_like_utf16(data):
        raise _encoding_invalid("UTF-16")
    if b"\x00" in data or _control_ratio(data) > 0.05:
        raise _unreadable(
            "nội dung là dữ liệu nhị phân, không phải văn bản CSV.",
            "its content is binary data, not CSV text.",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise _encoding_invalid(f"byte 0x{data[error.start]:02X} at line {line}") from None
    return text


def _looks_like_utf16(data: bytes) -> bool:
    sample = data[:200]
    # ASCII text in UTF-16 has a NUL in every other byte.
    return len(sample) >= 4 and sample[1::2].count(0) > len(sample) // 4


def _control_ratio(data: bytes) -> float:
    sample = data[:4096]
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 13))
    return controls / max(len(sample), 1)


def _encoding_invalid(detail: str) -> RegistryFileError:
    return RegistryFileError(
        "encoding_invalid",
        "Tệp không phải mã hóa UTF-8 (có thể là Windows-1258, TCVN3 hoặc UTF-16). "
        "Hãy mở tệp và lưu lại dưới dạng 'CSV UTF-8' rồi tải lên lại.",
        f"The file is not UTF-8 encoded ({detail}). Open it and save it as "
        "'CSV UTF-8', then upload it again.",
    )


def _sniff_delimiter(header_line: str) -> str:
    counts = {delimiter: header_line.count(delimiter) for delimiter in (",", ";", "\t")}
    best = max(counts, key=lambda delimiter: counts[delimiter])
    return best if counts[best] else ","


def _read_csv(path: Path) -> RegistryFile:
    text = _decode_text(path.read_bytes())
    if not text.strip():
        raise _empty_file()
    header_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(header_line))
    # Record numbers, not physical lines: a quoted cell with a line break is still one
    # row in a spreadsheet, and that row number is what a clerk will look for.
    records = _checked_rows(enumerate(reader, start=1))
    try:
        _, headers = next(records)
    except csv.Error as error:
        raise _unreadable(f"lỗi định dạng CSV ({error}).", f"malformed CSV ({error}).") from None
    columns, positions, unknown = _map_header(headers)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for row_number, cells in records:
                row = _row_dict(cells, positions)
                if row is not None:
                    yield row_number, row
        except csv.Error as error:
            raise _unreadable(
                f"lỗi định dạng CSV gần dòng {reader.line_num} ({error}).",
                f"malformed CSV near line {reader.line_num} ({error}).",
            ) from None

    return RegistryFile("csv", columns, unknown, rows())


# --- XLSX --------------------------------------------------------------------------


def cell_text(value: object) -> str:
    """A spreadsheet cell as text, the way a clerk reads it on screen."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


def _read_xlsx(path: Path, sheet: str | None) -> RegistryFile:
    _check_inflated_size(path)
    try:
        return _read_xlsx_direct(path, sheet)
    except _UnusualWorkbook:
        # openpyxl loads every shared string before yielding a row: count them first.
        _check_shared_strings_of_package(path)
        return _read_xlsx_openpyxl(path, sheet)


def _check_inflated_size(path: Path) -> None:
    """Refuse a workbook whose parts inflate past MAX_XLSX_INFLATED_BYTES, unparsed.

    The sizes are the zip's own declarations, and zipfile never inflates a part past
    its declared size (a part that lies fails its CRC check: file_unreadable)."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise _xlsx_unreadable(error) from None
    inflated = sum(member.file_size for member in members)
    read_whole = [
        member
        for member in members
        if member.filename.lower().endswith((".xml", ".rels"))
        and "worksheets/" not in member.filename.lower()
        and not member.filename.lower().endswith("sharedstrings.xml")
    ]
    oversized = next((m for m in read_whole if m.file_size > MAX_XLSX_PART_BYTES), None)
    if oversized is not None:
        raise RegistryFileError(
            "xlsx_too_large",
            f"Phần '{oversized.filename[:60]}' của tệp Excel giải nén ra "
            f"{_megabytes(oversized.file_size)}, quá mức {_megabytes(MAX_XLSX_PART_BYTES)}.",
            f"The workbook's part '{oversized.filename[:60]}' inflates to "
            f"{_megabytes(oversized.file_size)}, more than {_megabytes(MAX_XLSX_PART_BYTES)}.",
        )
    if inflated > MAX_XLSX_INFLATED_BYTES:
        raise RegistryFileError(
            "xlsx_too_large",
            f"Tệp Excel giải nén ra {_megabytes(inflated)}, quá mức "
            f"{_megabytes(MAX_XLSX_INFLATED_BYTES)}; hãy chia thành nhiều tệp nhỏ hơn.",
            f"The workbook inflates to {_megabytes(inflated)}, more than "
            f"{_megabytes(MAX_XLSX_INFLATED_BYTES)}; split it into smaller files.",
        )


class _SharedStringBudget:
    """Counts shared strings as they are read; refuses past MAX_SHARED_STRINGS or
    MAX_SHARED_STRINGS_MEMORY (what the kept strings take, not what the XML says)."""

    def __init__(self) -> None:
        self.count = 0
        self.memory = 0

    def add(self, text: str) -> None:
        self.count += 1
        self.memory += sys.getsizeof(text) + 8  # the string and its slot in the list
        if self.count > MAX_SHARED_STRINGS:
            self.refuse_count()
        if self.memory > MAX_SHARED_STRINGS_MEMORY:
            self.refuse_memory()

    @staticmethod
    def refuse_count() -> NoReturn:
        raise RegistryFileError(
            "xlsx_too_many_shared_strings",
            f"Tệp Excel có hơn {MAX_SHARED_STRINGS:,} chuỗi văn bản dùng chung; hãy lưu "
            "lại tệp bằng Excel hoặc chia thành nhiều tệp nhỏ hơn.".replace(",", "."),
            f"The workbook holds more than {MAX_SHARED_STRINGS:,} shared strings; save "
            "it again with Excel or split it into smaller files.",
        )

    @staticmethod
    def refuse_memory() -> NoReturn:
        raise RegistryFileError(
            "xlsx_shared_strings_too_large",
            f"Văn bản trong tệp Excel chiếm hơn {_megabytes(MAX_SHARED_STRINGS_MEMORY)}; "
            "hãy chia thành nhiều tệp nhỏ hơn.",
            f"The workbook's text takes more than {_megabytes(MAX_SHARED_STRINGS_MEMORY)}; "
            "split it into smaller files.",
        )


_SHARED_ITEM_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")


def _check_shared_string_count(source) -> None:
    """Count <si> items in the raw bytes, before any is parsed: a regular expression
    runs through 300 MB in a second, where building the elements takes a minute.
    (Escaped text cannot hold "<si", so nothing is counted that is not an item.)"""
    count, tail = 0, b""
    while chunk := source.read(1 << 20):
        buffer = tail + chunk
        boundary = max(len(buffer) - 64, 0)
        count += sum(1 for m in _SHARED_ITEM_START.finditer(buffer) if m.start() < boundary)
        tail = buffer[boundary:]
        if count > MAX_SHARED_STRINGS:
            _SharedStringBudget.refuse_count()
    count += len(_SHARED_ITEM_START.findall(tail))
    if count > MAX_SHARED_STRINGS:
        _SharedStringBudget.refuse_count()


def _check_shared_strings_of_package(path: Path) -> None:
    """Count the shared strings of any workbook flavour (strict OOXML included)."""
    import zipfile

    from lxml import etree

    budget = _SharedStringBudget()
    try:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                if not name.lower().endswith("sharedstrings.xml"):
                    continue
                with archive.open(name) as source:
                    _check_shared_string_count(source)
                with archive.open(name) as source:
                    for _event, item in etree.iterparse(
                        source, tag="{*}si", resolve_entities=False, no_network=True
                    ):
                        budget.add("".join(item.itertext()))
                        _drop_parsed(item)
    except (zipfile.BadZipFile, OSError, etree.XMLSyntaxError) as error:
        raise _xlsx_unreadable(error) from None


def _drop_parsed(element) -> None:
    """Free an element and its finished siblings: iterparse keeps the tree otherwise."""
    element.clear()
    while element.getprevious() is not None:
        del element.getparent()[0]


def _sheet_not_found(sheet: str, names: list[str]) -> RegistryFileError:
    listed = ", ".join(f"'{name}'" for name in names)
    return RegistryFileError(
        "sheet_not_found",
        f"Không có trang tính '{sheet}' trong tệp. Các trang tính hiện có: {listed}.",
        f"Sheet '{sheet}' is not in the workbook. Sheets found: {listed}.",
    )


def _choose_sheet(names: list[str], sheet: str | None) -> str:
    if not names:
        raise _empty_file()
    if sheet is None:
        return names[0]
    if sheet in names:
        return sheet
    by_key = {fold(name): name for name in names}
    if fold(sheet) in by_key:
        return by_key[fold(sheet)]
    raise _sheet_not_found(sheet, names)


def _xlsx_unreadable(error: Exception) -> RegistryFileError:
    return _unreadable(
        "không phải tệp Excel .xlsx hợp lệ (tệp hỏng hoặc sai phần mở rộng).",
        f"not a valid .xlsx workbook (damaged or wrong extension: {type(error).__name__}).",
    )


def _registry_from_sheet_rows(sheet_rows: Iterator[tuple[int, list[str]]], close) -> RegistryFile:
    """Shared by both XLSX paths: row 1 is the header, the rest are streamed."""
    sheet_rows = _checked_rows(sheet_rows)
    try:
        first = next(sheet_rows, None)
        if first is None:
            raise _empty_file()
        row_number, header = first
        # A header that is not on row 1 is no header: clerks are told "row 1".
        columns, positions, unknown = _map_header(header if row_number == 1 else [])
    except BaseException:
        close()
        raise

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for number, cells in sheet_rows:
                row = _row_dict(cells, positions)
                if row is not None:
                    yield number, row
        finally:
            close()

    return RegistryFile("xlsx", columns, unknown, rows())


# The direct path: a workbook is a zip of XML parts. openpyxl builds a Python object per
# cell and per shared string (about 10 µs each: 2–3 s for a 15,000-row list), so plain
# Excel/LibreOffice workbooks are read here with lxml, which streams <row> elements.
# Anything unusual (strict OOXML, missing parts) goes to openpyxl's public API instead.

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_DOC_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_ROW_TAG, _CELL_TAG = f"{_MAIN_NS}row", f"{_MAIN_NS}c"
_VALUE_TAG, _FORMULA_TAG = f"{_MAIN_NS}v", f"{_MAIN_NS}f"
_INLINE_TAG, _TEXT_TAG = f"{_MAIN_NS}is", f"{_MAIN_NS}t"
_RUN_TAG, _SHARED_ITEM_TAG = f"{_MAIN_NS}r", f"{_MAIN_NS}si"


class _UnusualWorkbook(Exception):
    pass


def _xml_parser():
    from lxml import etree

    # An uploaded workbook is untrusted: no entity expansion, no DTD or network access.
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


def _part_path(base: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    folder = base.rsplit("/", 1)[0] + "/" if "/" in base else ""
    parts: list[str] = []
    for piece in (folder + target).split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _relationships(archive, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (type suffix, part path) for a part of the package."""
    from lxml import etree

    folder, _, name = part.rpartition("/")
    rels_path = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
    root = etree.fromstring(archive.read(rels_path), _xml_parser())
    return {
        rel.get("Id"): (rel.get("Type", "").rsplit("/", 1)[-1], _part_path(part, rel.get("Target")))
        for rel in root.iter(f"{_PKG_REL_NS}Relationship")
        if rel.get("TargetMode") != "External"
    }


def _shared_strings(archive, part: str | None) -> list[str]:
    from lxml import etree

    if part is None:
        return []
    strings: list[str] = []
    budget = _SharedStringBudget()
    with archive.open(part) as source:
        _check_shared_string_count(source)
    with archive.open(part) as source:
        for _event, item in etree.iterparse(
            source, tag=_SHARED_ITEM_TAG, resolve_entities=False, no_network=True
        ):
            # Plain <t>, or rich-text runs <r><t>; phonetic guides (<rPh>) are not text.
            pieces = []
            for child in item:
                if child.tag == _TEXT_TAG:
                    pieces.append(child.text or "")
                elif child.tag == _RUN_TAG:
                    pieces.extend(t.text or "" for t in child.iter(_TEXT_TAG))
            text = "".join(pieces)
            budget.add(text)
            strings.append(text)
            _drop_parsed(item)
    return strings


def _date_styles(archive, part: str | None) -> set[int]:
    """Indexes of cell styles whose number format shows a date."""
    from lxml import etree
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    if part is None:
        return set()
    root = etree.fromstring(archive.read(part), _xml_parser())
    formats = dict(BUILTIN_FORMATS)
    for fmt in root.iter(f"{_MAIN_NS}numFmt"):
        formats[int(fmt.get("numFmtId"))] = fmt.get("formatCode", "")
    cell_xfs = root.find(f"{_MAIN_NS}cellXfs")
    if cell_xfs is None:
        return set()
    return {
        index
        for index, xf in enumerate(cell_xfs.iter(f"{_MAIN_NS}xf"))
        if is_date_format(formats.get(int(xf.get("numFmtId", 0)), ""))
    }


def _read_xlsx_direct(path: Path, sheet: str | None) -> RegistryFile:
    import zipfile

    from lxml import etree
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900

    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        raise _xlsx_unreadable(error) from None
    try:
        try:
            package = _relationships(archive, "")
            workbook_part = next(
                (target for kind, target in package.values() if kind == "officeDocument"),
                "xl/workbook.xml",
            )
            workbook = etree.fromstring(archive.read(workbook_part), _xml_parser())
        except (KeyError, etree.XMLSyntaxError) as error:
            raise _xlsx_unreadable(error) from None
        if workbook.tag != f"{_MAIN_NS}workbook":
            raise _UnusualWorkbook  # e.g. strict OOXML namespaces
        relations = _relationships(archive, workbook_part)
        sheets = {
            node.get("name"): node.get(f"{_DOC_REL_NS}id")
            for node in workbook.iter(f"{_MAIN_NS}sheet")
        }
        chosen = _choose_sheet(list(sheets), sheet)
        sheet_part = relations[sheets[chosen]][1]
        by_kind = dict(relations.values())
        shared = _shared_strings(archive, by_kind.get("sharedStrings"))
        date_styles = _date_styles(archive, by_kind.get("styles"))
        properties = workbook.find(f"{_MAIN_NS}workbookPr")
        mac_dates = properties is not None and properties.get("date1904") in ("1", "true")
        epoch = CALENDAR_MAC_1904 if mac_dates else CALENDAR_WINDOWS_1900
        source = archive.open(sheet_part)
    except _UnusualWorkbook:
        archive.close()
        raise
    except (KeyError, ValueError, TypeError, etree.XMLSyntaxError) as error:
        archive.close()
        raise _UnusualWorkbook from error
    except BaseException:
        archive.close()
        raise

    def close() -> None:
        source.close()
        archive.close()

    sheet_rows = _sheet_xml_rows(source, shared, date_styles, epoch)
    try:
        return _registry_from_sheet_rows(sheet_rows, close)
    except etree.XMLSyntaxError as error:
        raise _xlsx_unreadable(error) from None


def _sheet_xml_rows(source, shared: list[str], date_styles: set[int], epoch):
    """(row number, cell texts) for each <row> of a worksheet part, streamed."""
    from lxml import etree
    from openpyxl.utils.cell import column_index_from_string
    from openpyxl.utils.datetime import from_excel

    def _column_index(letters: str) -> int:
        try:
            return column_index_from_string(letters)
        except ValueError:  # not a column ("ZZZZ", "1A"): past any limit
            return MAX_COLUMNS + 1

    def value_of(cell) -> str:
        # One pass over the children: lxml's find() re-parses its path on every call.
        raw = formula = inline = None
        for child in cell:
            tag = child.tag
            if tag == _VALUE_TAG:
                raw = child.text
            elif tag == _FORMULA_TAG:
                formula = child.text
            elif tag == _INLINE_TAG:
                inline = child
        if formula:
            return "=" + formula  # the formula as written, never its value
        if inline is not None:
            return "".join(inline.itertext(_TEXT_TAG))
        if raw is None:
            return ""
        kind = cell.get("t", "n")
        if kind == "s":
            index = int(raw)
            if index < 0:
                raise IndexError(f"shared string {index}")
            return shared[index]
        if kind == "b":
            return "TRUE" if raw.strip() == "1" else "FALSE"
        if kind == "n":
            if int(cell.get("s", 0)) in date_styles:
                try:
                    return cell_text(from_excel(float(raw), epoch))
                except (OverflowError, ValueError):
                    return raw
            if "." in raw or "e" in raw or "E" in raw:
                return cell_text(float(raw))
            return raw
        return raw  # "str" (cached formula text), "e" (error), "d" (ISO date)

    try:
        yield from _rows_of(source, value_of, _column_index)
    except (etree.XMLSyntaxError, ValueError, IndexError, KeyError) as error:
        # A damaged part, a cell pointing past the shared strings, a style that is
        # not a number: the file is refused as a whole, never half-read.
        raise _xlsx_unreadable(error) from None


def _rows_of(source, value_of, column_index):
    from lxml import etree

    columns: dict[str, int] = {}
    expected_row = 0
    for _event, element in etree.iterparse(
        source, tag=_ROW_TAG, resolve_entities=False, no_network=True, huge_tree=False
    ):
        row_number = int(element.get("r") or expected_row + 1)
        expected_row = row_number
        cells: list[str] = []
        for cell in element.iter(_CELL_TAG):
            reference = cell.get("r")
            column = len(cells) + 1
            if reference:
                letters = reference.rstrip("0123456789")
                column = columns.get(letters)
                if column is None:
                    column = columns[letters] = column_index(letters)
            if column > MAX_COLUMNS:
                # A formatted empty cell far right is common; a value there is refused
                # before a row of 16,384 cells is built.
                if value_of(cell).strip():
                    raise _too_many_columns(row_number)
                continue
            if column > len(cells) + 1:
                cells.extend([""] * (column - 1 - len(cells)))
            cells.append(value_of(cell))
        # Drop finished rows from the tree, or memory grows with the sheet.
        _drop_parsed(element)
        yield row_number, cells


def _read_xlsx_openpyxl(path: Path, sheet: str | None) -> RegistryFile:
    """The fallback for unusual workbooks, through openpyxl's public read-only API."""
    import openpyxl

    try:
        # data_only=False: a formula cell yields its formula text, never a value.
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except Exception as error:  # zipfile, KeyError, XML and openpyxl's own errors
        raise _xlsx_unreadable(error) from None
    try:
        worksheet = workbook[_choose_sheet(workbook.sheetnames, sheet)]
        worksheet.reset_dimensions()  # some writers store wrong dimensions
    except BaseException:
        workbook.close()
        raise

    def sheet_rows() -> Iterator[tuple[int, list[str]]]:
        # Dimensions were reset (writers store wrong ones): bound the rows read instead;
        # one past the limit is enough for _checked_rows to refuse the file.
        rows = worksheet.iter_rows(max_row=MAX_ROWS + 2, values_only=True)
        try:
            for number, values in enumerate(rows, start=1):
                yield number, [cell_text(value) for value in values]
        except Exception as error:  # openpyxl's errors on a damaged sheet are of any kind
            raise _xlsx_unreadable(error) from None

    return _registry_from_sheet_rows(sheet_rows(), workbook.close)


# --- JSON --------------------------------------------------------------------------


def _json_invalid(detail_vi: str, detail_en: str) -> RegistryFileError:
    return RegistryFileError(
        "json_invalid",
        f"Tệp JSON không hợp lệ: {detail_vi} Tệp phải là một danh sách các đối tượng, "
        'ví dụ [{"Tên sản phẩm": "...", "Hạng sao": 4}].',
        f"Invalid JSON file: {detail_en} It must be a list of objects, "
        'e.g. [{"product_name": "...", "stars": 4}].',
    )


def _json_too_deep() -> RegistryFileError:
    return RegistryFileError(
        "json_too_deep",
        f"Tệp JSON lồng nhau quá {MAX_JSON_DEPTH} cấp; mỗi dòng phải là một đối tượng "
        "gồm các giá trị đơn giản.",
        f"The JSON file is nested more than {MAX_JSON_DEPTH} levels deep; each row must be "
        "an object of plain values.",
    )


def _json_depth(data: object) -> int:
    """How deeply lists and objects nest (a list of objects of text is 2), iteratively."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            value = list(value.values())
        if isinstance(value, list):
            deepest = max(deepest, depth)
            if depth > MAX_JSON_DEPTH:
                return depth
            stack.extend((item, depth + 1) for item in value if isinstance(item, dict | list))
    return deepest


def _json_cell(value: object) -> str:
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return cell_text(value)


def _read_json(path: Path) -> RegistryFile:
    text = _decode_text(path.read_bytes())
    if not text.strip():
        raise _empty_file()
    try:
        # Whole numbers stay text: a price is read like a cell, and a 5,000-digit number
        # is no int() to convert (Python refuses past 4,300 digits).
        data = json.loads(text, parse_int=str)
    except json.JSONDecodeError as error:
        raise _json_invalid(
            f"lỗi cú pháp ở dòng {error.lineno}, cột {error.colno}.",
            f"syntax error at line {error.lineno}, column {error.colno}.",
        ) from None
    except RecursionError:  # nested deeper than the parser goes (about 1,000 levels)
        raise _json_too_deep() from None
    if _json_depth(data) > MAX_JSON_DEPTH:
        raise _json_too_deep()
    if not isinstance(data, list):
        raise _json_invalid("nội dung không phải là danh sách.", "the top level is not a list.")
    for index, item in enumerate(data):
        if not isinstance(item, dict):
            raise _json_invalid(
                f"phần tử thứ {index + 1} không phải là đối tượng.",
                f"item {index + 1} is not an object.",
            )
    if not data:
        return RegistryFile("json", {}, [], iter(()))
    if len(data) > MAX_ROWS:
        raise _too_many_rows()
    keys: dict[str, None] = {}
    for index, item in enumerate(data):
        keys.update(dict.fromkeys(item))
        if len(keys) > MAX_COLUMNS:
            raise _too_many_columns(index + 2)
    columns, positions, unknown = _map_header(list(keys))
    by_key = {list(keys)[index]: name for index, name in positions.items()}

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for index, item in enumerate(data):
            values = {name: _json_cell(item.get(key)) for key, name in by_key.items()}
            if any(value.strip() for value in values.values()):
                yield index + 2, values

    return RegistryFile("json", columns, unknown, rows())
