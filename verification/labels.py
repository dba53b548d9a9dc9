"""A4 label sheets of a stamp batch (PDF): each label has the stamp's QR code (the
verification URL with its serial and signature), the OCOP mark with the product's
stars, the product's name and the serial, 32 labels to a page (4 × 8, 48 × 34 mm),
ready for a sheet of self-adhesive labels.

Rendered by WeasyPrint like the fair posters (``fairs.posters``); QR codes from
``fairs.qr`` at its safe printed size (never below 2 cm, 0.5 mm modules). The mark is
one image shared by every label, so a sheet of 2,000 stamps decodes it once.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from common.badges import badge_svg
from fairs import links, qr
from marketplace.verification_codes import product_code
from verification import stamps
from verification.models import StampBatch

LABEL_QR_MM = 22.0
LABELS_PER_PAGE = 32


@dataclass(frozen=True)
class Label:
    serial: int
    url: str
    qr_svg: SafeString
    qr_mm: float


def stamp_url(code: str, serial: int) -> str:
    path = reverse("verification:stamp", args=[code, stamps.stamp_token(code, serial)])
    return links.absolute_url(path)


def labels_of(batch: StampBatch) -> list[Label]:
    code = product_code(batch.ocop_product_id)
    labels = []
    for serial in range(batch.first_serial, batch.last_serial + 1):
        url = stamp_url(code, serial)
        svg, size = qr.svg_for_print(url, LABEL_QR_MM)
        labels.append(Label(serial, url, mark_safe(svg), size.total_mm))
    return labels


def render_html(batch: StampBatch) -> str:
    ocop_product = batch.ocop_product
    certificate = ocop_product.current_certificate
    stars = certificate.stars if certificate else 0
    mark = ""
    if stars in (3, 4, 5):
        mark = (
            "data:image/svg+xml;base64,"
            + base64.b64encode(badge_svg(stars, "classic").encode()).decode()
        )
    labels = labels_of(batch)
    pages = [labels[i : i + LABELS_PER_PAGE] for i in range(0, len(labels), LABELS_PER_PAGE)]
    return render_to_string(
        "verification/labels.html",
        {
            "batch": batch,
            "code": product_code(batch.ocop_product_id),
            "product_name": ocop_product.product.name,
            "producer_name": ocop_product.producer.name,
            "stars": stars,
            "mark": mark,
            "star_text": "★" * stars,
            "pages": pages,
        },
    )


def render_pdf(batch: StampBatch) -> bytes:
    from weasyprint import HTML

    return HTML(string=render_html(batch)).write_pdf()
