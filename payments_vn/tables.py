"""CSV exports from banks and couriers: Vietnamese headers, comma or semicolon."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from common.text import compact_key


class TableError(ValueError):
    def __init__(self, message_vi: str, message_en: str):
        super().__init__(f"{message_vi} / {message_en}")


def read_table(
    path: str | Path, columns: dict[str, tuple[str, ...]], what_vi: str, what_en: str
) -> Iterator[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, {field: text}) for each row; the header must name every
    field in ``columns`` (by any of its aliases, diacritics and case ignored)."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise TableError(
            f"Không đọc được {what_vi} (cần tệp CSV UTF-8)",
            f"cannot read the {what_en} (UTF-8 CSV)",
        ) from error
    first_line = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    aliases = {compact_key(alias): field for field, names in columns.items() for alias in names}
    try:
        header = [aliases.get(compact_key(cell)) for cell in next(reader, [])]
    except csv.Error as error:
        raise _malformed(what_vi, what_en, reader.line_num, error) from None
    missing = [field for field in columns if field not in header]
    if missing:
        raise TableError(
            f"{what_vi.capitalize()} thiếu cột: {', '.join(missing)}",
            f"the {what_en} lacks columns: {', '.join(missing)}",
        )
    try:
        for number, cells in enumerate(reader, start=2):
            size = len(cells)
            yield number, {f: cells[i].strip() for i, f in enumerate(header) if f and i < size}
    except csv.Error as error:  # a cell past csv's field size limit: nothing after it reads
        raise _malformed(what_vi, what_en, reader.line_num, error) from None


def _malformed(what_vi: str, what_en: str, line: int, error: csv.Error) -> TableError:
    return TableError(
        f"{what_vi.capitalize()} sai định dạng CSV gần dòng {line} ({error})",
        f"the {what_en} is malformed CSV near line {line} ({error})",
    )
