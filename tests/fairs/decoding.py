"""Reading what was printed: QR codes decoded with zxing-cpp, PDF pages read and
rasterised with PDFium, as a phone camera and a person would read them."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import zxingcpp
from PIL import Image


def decode_image(image: Image.Image) -> list[zxingcpp.Barcode]:
    return [code for code in zxingcpp.read_barcodes(image) if code.valid]


def decode_png(data: bytes) -> list[zxingcpp.Barcode]:
    return decode_image(Image.open(io.BytesIO(data)))


def pdf(data: bytes) -> pdfium.PdfDocument:
    return pdfium.PdfDocument(data)


def page_text(document: pdfium.PdfDocument, index: int) -> str:
    """The page's text with line breaks as single spaces (cards wrap long lines)."""
    return " ".join(document[index].get_textpage().get_text_range().split())


def page_codes(document: pdfium.PdfDocument, index: int, dpi: int = 150) -> list[str]:
    """The QR payloads a page shows, printed at ``dpi``: an ordinary office print."""
    image = document[index].render(scale=dpi / 72).to_pil()
    return [code.text for code in decode_image(image)]


def decode_svg(svg: str) -> list[str]:
    """Lay the SVG out on a page as a browser or a print shop would (WeasyPrint), then
    rasterise and decode it."""
    from weasyprint import HTML

    document = pdf(HTML(string=f"<html><body>{svg}</body></html>").write_pdf())
    return page_codes(document, 0)
