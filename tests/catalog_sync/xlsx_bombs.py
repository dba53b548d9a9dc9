"""Small .xlsx files that inflate into huge ones, written byte by byte (no spreadsheet
library: a bomb is not something a library would write).

A part is a list of (text, times): the text is deflated once and its compressed bytes
repeated, which is valid deflate after a full flush (no reference reaches back past it),
so 320 MB of shared strings take a fraction of a second to write.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"  # ISO strict: openpyxl's path
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
HEADER = ("Tên sản phẩm", "Chủ thể", "Hạng sao", "Số quyết định")

_SHEETML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="{_SHEETML}.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_SHEETML}.worksheet+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="{_SHEETML}.sharedStrings+xml"/>
</Types>"""
PACKAGE_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PKG_REL}">
<Relationship Id="rId1" Type="{DOC_REL}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""
WORKBOOK = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="{MAIN}" xmlns:r="{DOC_REL}"><sheets>
<sheet name="Danh sách" sheetId="1" r:id="rId1"/></sheets></workbook>"""
WORKBOOK_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{PKG_REL}">
<Relationship Id="rId1" Type="{DOC_REL}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{DOC_REL}/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>"""


def _inline(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def header_row() -> str:
    cells = "".join(
        _inline(f"{column}1", text) for column, text in zip("ABCD", HEADER, strict=True)
    )
    return f'<row r="1">{cells}</row>'


Part = list[tuple[str, int]]


def _deflate(part: Part) -> tuple[bytes, int, int]:
    """(raw deflate stream, CRC-32, inflated size) of a part."""
    compressed, crc, size = [], 0, 0
    for text, times in part:
        data = text.encode()
        squeezer = zlib.compressobj(9, zlib.DEFLATED, -15)
        block = squeezer.compress(data) + squeezer.flush(zlib.Z_FULL_FLUSH)
        compressed.append(block * times)
        for _ in range(times):
            crc = zlib.crc32(data, crc)
        size += len(data) * times
    compressed.append(b"\x03\x00")  # an empty final block ends the stream
    return b"".join(compressed), crc, size


def write(path: Path, parts: dict[str, Part]) -> Path:
    """A zip of deflated parts (no zip64: every part inflates to less than 4 GB)."""
    central, offset = [], 0
    with open(path, "wb") as handle:
        for name, part in parts.items():
            data, crc, size = _deflate(part)
            encoded = name.encode()
            sizes = (crc, len(data), size, len(encoded))
            handle.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, *sizes, 0))
            handle.write(encoded + data)
            central.append(
                struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, *sizes,
                            0, 0, 0, 0, 0, offset) + encoded
            )  # fmt: skip
            offset += 30 + len(encoded) + len(data)
        directory = b"".join(central)
        handle.write(directory)
        handle.write(
            struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central),
                        len(directory), offset, 0)
        )  # fmt: skip
    return path


def parts(sheet: Part, shared: Part, strict: bool = False, **more: Part) -> dict[str, Part]:
    parts = {
        "[Content_Types].xml": [(CONTENT_TYPES, 1)],
        "_rels/.rels": [(PACKAGE_RELS, 1)],
        "xl/workbook.xml": [(WORKBOOK, 1)],
        "xl/_rels/workbook.xml.rels": [(WORKBOOK_RELS, 1)],
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": shared,
        **more,
    }
    if strict:
        parts = {
            name: [(text.replace(MAIN, STRICT_MAIN), times) for text, times in part]
            for name, part in parts.items()
        }
    return parts


def workbook(path: Path, rows: list[list[str]], shared: list[str] = (), **more: Part) -> Path:
    """A plain workbook: the header, then ``rows`` as inline strings (a cell "#3" is
    shared string 3), ``shared`` as its shared strings, and any ``more`` parts."""

    def cell(text: str) -> str:
        if text.startswith("#"):
            return f'<c t="s"><v>{text[1:]}</v></c>'
        return f'<c t="inlineStr"><is><t>{text}</t></is></c>'

    body = "".join(f"<row>{''.join(map(cell, row))}</row>" for row in rows)
    sheet = [
        (f'<worksheet xmlns="{MAIN}"><sheetData>{header_row()}{body}</sheetData></worksheet>', 1)
    ]
    items = "".join(f"<si><t>{text}</t></si>" for text in shared)
    strings = [(f'<sst xmlns="{MAIN}">{items}</sst>', 1)]
    return write(path, parts(sheet, strings, **more))


EMPTY_SHARED: Part = [(f'<sst xmlns="{MAIN}" count="0" uniqueCount="0"></sst>', 1)]


def shared_strings_bomb(
    path: Path, count: int = 20_000_000, text: str = "", strict: bool = False
) -> Path:
    """A header row and ``count`` shared strings (``text``), which no cell uses."""
    block = min(100_000, max(count, 1))
    sheet = [(f'<worksheet xmlns="{MAIN}"><sheetData>{header_row()}</sheetData></worksheet>', 1)]
    shared = [
        (f'<sst xmlns="{MAIN}" count="{count}" uniqueCount="{count}">', 1),
        (f"<si><t>{text}</t></si>" * block, count // block),
        (f"<si><t>{text}</t></si>", count % block),
        ("</sst>", 1),
    ]
    return write(path, parts(sheet, shared, strict))


def _rows(rows: int, cell: str) -> Part:
    """``rows`` rows after the header, each holding ``cell`` (its reference as {n})."""
    # Rows must carry their number for a reader to count them; without r="…" a reader
    # counts them one by one, which is what these repeated rows rely on.
    row = f"<row>{cell}</row>"
    return [
        (f'<worksheet xmlns="{MAIN}"><sheetData>{header_row()}', 1),
        (row * 1000, rows // 1000),
        (row, rows % 1000),
        ("</sheetData></worksheet>", 1),
    ]


def far_column_bomb(path: Path, rows: int = 100_000, column: str = "XFD") -> Path:
    """A header row, then ``rows`` rows each with one cell in ``column`` (XFD = 16,384)."""
    cell = f'<c r="{column}2" t="inlineStr"><is><t>x</t></is></c>'
    return write(path, parts(_rows(rows, cell), EMPTY_SHARED))


def many_rows(path: Path, rows: int, text: str = "x") -> Path:
    """A header row, then ``rows`` rows with one value in column A."""
    cell = f'<c t="inlineStr"><is><t>{text}</t></is></c>'
    return write(path, parts(_rows(rows, cell), EMPTY_SHARED))
