"""A4 label sheets of a stamp batch (PDF): each label has the stamp's QR code (the
verification URL with its serial and signature), the OCOP mark with the product's
stars, the product's name and the serial, 32 labels to a page (4 × 8, 48 × 35 mm),
ready for a sheet of self-adhesive labels.

Every label of a batch shows the same mark and name; only the code and the serial
differ. So WeasyPrint (as for the fair posters) lays out one page of labels once (and
the last, shorter page when there is one), and the codes and serials are then drawn
onto each page as PDF vector operations: the dark modules of each row as rectangles
(``fairs.qr``'s error correction, quiet zone and printed size: never below 2 cm, 0.5 mm
modules), the serial in the PDF's built-in Courier. A sheet of 2,000 stamps costs one
WeasyPrint layout and a few seconds of Python, instead of 2,000 SVG drawings; the
codes share the mask segno chose for the batch's first one (every mask is valid).
"""

from __future__ import annotations

import base64
import zlib
from dataclasses import dataclass

import pydyf
from django.template.loader import render_to_string
from django.urls import reverse

from common.badges import badge_svg
from fairs import links, qr
from marketplace.verification_codes import product_code
from verification import stamps
from verification.models import StampBatch

LABEL_QR_MM = 22.0
COLUMNS, ROWS = 4, 8
LABELS_PER_PAGE = COLUMNS * ROWS
LABEL_W_MM, LABEL_H_MM = 48.0, 35.0
LEFT_MM, TOP_MM = 9.0, 8.0  # page margins
PADDING_MM = 1.5
PAGE_H_MM = 297.0
SERIAL_FONT = "OcopSerial"
SERIAL_PT = 6.5
PT_PER_MM = 72 / 25.4


@dataclass(frozen=True)
class Slot:
    """Where label ``index`` of a page sits, in millimetres from the page's top left."""

    left: float
    top: float

    @classmethod
    def of(cls, index: int) -> Slot:
        return cls(
            LEFT_MM + (index % COLUMNS) * LABEL_W_MM, TOP_MM + (index // COLUMNS) * LABEL_H_MM
        )


def stamp_url(code: str, serial: int) -> str:
    path = reverse("verification:stamp", args=[code, stamps.stamp_token(code, serial)])
    return links.absolute_url(path)


def _pages(batch: StampBatch) -> list[list[int]]:
    serials = list(range(batch.first_serial, batch.last_serial + 1))
    return [serials[i : i + LABELS_PER_PAGE] for i in range(0, len(serials), LABELS_PER_PAGE)]


def render_html(batch: StampBatch, label_counts: list[int] | None = None) -> str:
    """The labels' common part (mark, stars, name) for pages of ``label_counts``
    labels (by default one page per page of the batch)."""
    ocop_product = batch.ocop_product
    certificate = ocop_product.current_certificate
    stars = certificate.stars if certificate else 0
    mark = ""
    if stars in (3, 4, 5):
        mark = (
            "data:image/svg+xml;base64,"
            + base64.b64encode(badge_svg(stars, "classic").encode()).decode()
        )
    counts = label_counts or [len(page) for page in _pages(batch)]
    qr_mm = qr.print_size_mm(stamp_url(product_code(batch.ocop_product_id), batch.last_serial),
                             LABEL_QR_MM).total_mm  # fmt: skip
    return render_to_string(
        "verification/labels.html",
        {
            "batch": batch,
            "product_name": ocop_product.product.name,
            "stars": stars,
            "star_text": "★" * stars,
            "mark": mark,
            "text_left_mm": f"{PADDING_MM + qr_mm + 1:.2f}",
            "pages": [[Slot.of(i) for i in range(count)] for count in counts],
        },
    )


def _label_operations(code, serial_text: str, slot: Slot) -> list[str]:
    """The code's dark modules (one rectangle per run in a row, in module units under
    one transform) and the serial, in PDF points from the page's bottom left."""
    size = qr.print_size_of(code, LABEL_QR_MM)
    module = size.module_mm * PT_PER_MM
    x0 = (slot.left + PADDING_MM) * PT_PER_MM + qr.QUIET_ZONE * module
    top = (PAGE_H_MM - slot.top - PADDING_MM) * PT_PER_MM - qr.QUIET_ZONE * module
    ops = [f"q {module:.4f} 0 0 {-module:.4f} {x0:.3f} {top:.3f} cm"]
    for row_index, row in enumerate(code.matrix):
        start = None
        for column, dark in enumerate(row):
            if dark:
                if start is None:
                    start = column
            elif start is not None:
                ops.append(f"{start} {row_index} {column - start} 1 re")
                start = None
        if start is not None:
            ops.append(f"{start} {row_index} {len(row) - start} 1 re")
    ops.append("f Q")
    text_x = (slot.left + PADDING_MM + size.total_mm + 1) * PT_PER_MM
    text_y = (PAGE_H_MM - slot.top - LABEL_H_MM + PADDING_MM + 0.6) * PT_PER_MM
    ops.append(
        f"BT /{SERIAL_FONT} {SERIAL_PT} Tf {text_x:.3f} {text_y:.3f} Td ({serial_text}) Tj ET"
    )
    return ops


def _resolve(pdf: pydyf.PDF, value):
    """A pydyf object from its reference (b"12 0 R"), or the object itself."""
    if isinstance(value, bytes | str):
        text = value.decode() if isinstance(value, bytes) else value
        return pdf.objects[int(text.split()[0])]
    return value


def render_pdf(batch: StampBatch) -> bytes:
    from weasyprint import HTML

    pages = _pages(batch)
    # The layouts WeasyPrint draws: a full page (cloned), and the last page if shorter.
    layouts = [len(pages[0])] if len(pages) == 1 else [LABELS_PER_PAGE]
    if len(pages) > 1 and len(pages[-1]) < LABELS_PER_PAGE:
        layouts.append(len(pages[-1]))
    code = product_code(batch.ocop_product_id)
    first_url = stamp_url(code, batch.first_serial)
    prefix = first_url[: -len(stamps.stamp_token(code, batch.first_serial))]
    # segno picks the best mask for the batch's first stamp; the others reuse it (their
    # URLs differ in a few characters), which makes a code in 1.5 ms instead of 11.
    mask = qr.make(first_url).mask

    def finisher(document, pdf: pydyf.PDF) -> None:
        template_pages = [pdf.objects[number] for number in pdf.pages["Kids"][::3]]
        font = pydyf.Dictionary({
            "Type": "/Font", "Subtype": "/Type1", "BaseFont": "/Courier",
            "Encoding": "/WinAnsiEncoding",
        })  # fmt: skip
        pdf.add_object(font)
        for page in template_pages:
            resources = _resolve(pdf, page["Resources"])
            fonts = resources.get("Font")
            if fonts is None:
                resources["Font"] = fonts = pydyf.Dictionary({})
            fonts = _resolve(pdf, fonts)
            fonts[SERIAL_FONT] = font.reference
        save, restore = pydyf.Stream([b"q"]), pydyf.Stream([b"Q"])
        pdf.add_object(save)
        pdf.add_object(restore)
        pdf.pages["Kids"] = pydyf.Array([])
        pdf.pages["Count"] = 0
        for number, serials in enumerate(pages):
            if number == 0:
                template = template_pages[0]
            elif number == len(pages) - 1 and len(template_pages) > 1:
                template = template_pages[1]
            else:
                template = template_pages[0]
            ops = []
            for index, serial in enumerate(serials):
                symbol = qr.make(prefix + stamps.stamp_token(code, serial), mask=mask)
                ops += _label_operations(symbol, f"{code}-{serial}", Slot.of(index))
            # Deflated here at level 6: pydyf's level 9 costs twice the time for 3 % less.
            overlay = pydyf.Stream(
                [zlib.compress(" ".join(ops).encode(), 6)], extra={"Filter": "/FlateDecode"}
            )
            pdf.add_object(overlay)
            contents = pydyf.Array(
                [save.reference, template["Contents"], restore.reference, overlay.reference]
            )
            page = pydyf.Dictionary({**template, "Contents": contents})
            pdf.add_page(page)
        # The templates are no longer pages: keep them out of the page tree only.

    html = render_html(batch, layouts)
    return HTML(string=html).write_pdf(finisher=finisher)
