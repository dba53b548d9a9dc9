"""QR codes for fair links, made to scan when printed on a poster or a booth card.

- Error correction Q (25 % of the code can be lost): booth cards get creased, splashed
  and photographed at an angle in a crowded hall. ``boost_error`` is off so the level
  is exactly the one stated, and the version stays as small as the payload allows.
- Quiet zone of 4 modules, the minimum ISO/IEC 18004 requires for reliable decoding.
- Printed size: a module is never smaller than 0.5 mm and the symbol never smaller than
  2 cm across, so a phone at arm's length resolves it. ``print_size_mm`` gives the size
  for a payload; the PDF never prints a code smaller than that.

segno is the same library ``payments_vn.transfer`` uses for VietQR codes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno

ERROR_CORRECTION = "q"
QUIET_ZONE = 4
MIN_MODULE_MM = 0.5
MIN_SYMBOL_MM = 20.0


def make(url: str, mask: int | None = None) -> segno.QRCode:
    """The code of ``url``; ``mask`` None lets segno pick the best of the 8 masks (about
    10 ms of pure Python), a given mask (any is valid, ISO/IEC 18004) skips that."""
    return segno.make_qr(url, error=ERROR_CORRECTION, boost_error=False, mask=mask)


@dataclass(frozen=True)
class PrintSize:
    module_mm: float
    total_mm: float  # symbol and quiet zone, the square to reserve on paper


def print_size_mm(url: str, at_least_mm: float = 0.0) -> PrintSize:
    """The smallest safe printed size of ``url``'s code (or ``at_least_mm`` if larger)."""
    return print_size_of(make(url), at_least_mm)


def print_size_of(code: segno.QRCode, at_least_mm: float = 0.0) -> PrintSize:
    """``print_size_mm`` of a code already made."""
    symbol_modules = code.symbol_size(border=0)[0]
    module = max(MIN_MODULE_MM, MIN_SYMBOL_MM / symbol_modules)
    total_modules = symbol_modules + 2 * QUIET_ZONE
    module = max(module, at_least_mm / total_modules)
    return PrintSize(module_mm=module, total_mm=module * total_modules)


def svg(url: str, scale: int = 8) -> str:
    """A standalone SVG (pixel units) for screens and for designers' layouts."""
    buffer = io.BytesIO()
    make(url).save(
        buffer, kind="svg", scale=scale, border=QUIET_ZONE, xmldecl=False, title=url,
        svgclass="ocop-qr",
    )  # fmt: skip
    return buffer.getvalue().decode()


def svg_for_print(url: str, at_least_mm: float = 0.0) -> tuple[str, PrintSize]:
    """An SVG sized in millimetres, never below the safe printed size."""
    size = print_size_mm(url, at_least_mm)
    buffer = io.BytesIO()
    make(url).save(
        buffer, kind="svg", scale=size.module_mm, unit="mm", border=QUIET_ZONE,
        xmldecl=False, svgns=True, title=url, svgclass="ocop-qr",
    )  # fmt: skip
    return buffer.getvalue().decode(), size


def png(url: str, scale: int = 10) -> bytes:
    """A PNG with 10 px modules: 300 dpi-ready at about 0.85 mm per module."""
    buffer = io.BytesIO()
    make(url).save(buffer, kind="png", scale=scale, border=QUIET_ZONE, dpi=300)
    return buffer.getvalue()
