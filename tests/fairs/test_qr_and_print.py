"""QR codes (SVG and PNG) decode to exactly the fair's public URLs, with the error
correction, quiet zone and size that make them scan when printed; the A4 PDF renders
with its poster, its booth cards and codes that scan from the printed page."""

import io
import re

import pytest
from PIL import Image

from fairs import qr
from tests.fairs.conftest import client_of
from tests.fairs.decoding import decode_png, decode_svg, page_codes, page_text, pdf

FAIR_URL = "https://cho-ocop.vn/f/ocop-bac-kan-2026"
LINKS = {
    "fair": FAIR_URL,
    "booth A12": f"{FAIR_URL}/g/a12-htx-tai-hoan",
    "booth B03": f"{FAIR_URL}/g/b03-htx-nam-mau",
    "mien dong": f"{FAIR_URL}/p/mien-dong-tai-hoan",
    "tra": f"{FAIR_URL}/p/tra-hoa-vang-nam-mau",
    "gao": f"{FAIR_URL}/p/gao-nep-cai-hoa-vang",
}


def qr_paths(fair) -> dict[str, str]:
    base = f"/tinh/hoi-cho/{fair.pk}/ma-qr"
    booths = {b.code: b.pk for b in fair.booths.all()}
    products = {fp.slug: fp.pk for fp in fair.featured.all()}
    return {
        "fair": f"{base}/fair-{fair.pk}",
        "booth A12": f"{base}/booth-{booths['A12']}",
        "booth B03": f"{base}/booth-{booths['B03']}",
        "mien dong": f"{base}/product-{products['mien-dong-tai-hoan']}",
        "tra": f"{base}/product-{products['tra-hoa-vang-nam-mau']}",
        "gao": f"{base}/product-{products['gao-nep-cai-hoa-vang']}",
    }


def test_every_png_code_decodes_to_its_exact_url(fair, thai_nguyen_staff):
    client = client_of(thai_nguyen_staff)
    for name, path in qr_paths(fair).items():
        # When staff download the PNG of each link
        response = client.get(f"{path}.png?tai=1")
        assert response["Content-Type"] == "image/png"
        assert response["Content-Disposition"].startswith('attachment; filename="qr-f-ocop-')

        # Then a decoder reads exactly that link's public URL, at error correction Q
        codes = decode_png(response.content)
        assert [(c.text, c.ec_level) for c in codes] == [(LINKS[name], "Q")], name


def test_every_svg_code_decodes_to_its_exact_url(fair, thai_nguyen_staff):
    client = client_of(thai_nguyen_staff)
    for name, path in qr_paths(fair).items():
        response = client.get(f"{path}.svg")
        assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
        svg = response.content.decode()
        assert svg.startswith("<svg")
        assert decode_svg(svg) == [LINKS[name]], name


def test_the_png_has_a_four_module_quiet_zone(fair, thai_nguyen_staff):
    path = qr_paths(fair)["fair"]
    image = Image.open(io.BytesIO(client_of(thai_nguyen_staff).get(f"{path}.png").content))
    image = image.convert("L")
    width, height = image.size
    module = 10  # pixels per module
    border = 4 * module
    # The 4-module margin all round is white, and the finder pattern starts right after it.
    for box in ((0, 0, width, border), (0, height - border, width, height),
                (0, 0, border, height), (width - border, 0, width, height)):  # fmt: skip
        assert image.crop(box).getextrema() == (255, 255), box
    assert image.getpixel((border, border)) == 0
    assert image.getpixel((border - 1, border - 1)) == 255
    assert image.info["dpi"] == pytest.approx((300, 300), abs=0.01)


def test_printed_codes_are_never_smaller_than_two_centimetres():
    short = qr.print_size_mm(FAIR_URL)
    # version 4 at level Q: 33 modules, 41 with the quiet zone; 20 mm / 33 > 0.5 mm
    assert (qr.make(FAIR_URL).version, qr.make(FAIR_URL).error) == (4, "Q")
    assert short.module_mm == pytest.approx(20 / 33, abs=0.001)
    assert short.total_mm == pytest.approx(41 * 20 / 33, abs=0.01)
    long_url = FAIR_URL + "/p/" + "tinh-bot-nghe-vang-nguyen-chat-hop-qua-tet-500g"
    long = qr.print_size_mm(long_url)
    assert long.module_mm == 0.5  # a denser code keeps its 0.5 mm modules and grows
    assert long.total_mm > short.total_mm
    assert qr.print_size_mm(FAIR_URL, at_least_mm=120).total_mm == 120


def test_a_province_without_links_gets_no_code(fair, thai_nguyen_staff):
    base = f"/tinh/hoi-cho/{fair.pk}/ma-qr"
    assert client_of(thai_nguyen_staff).get(f"{base}/booth-999999.png").status_code == 404


def test_the_printable_pdf_has_the_poster_and_the_booth_cards(fair, thai_nguyen_staff):
    # When staff print the fair
    response = client_of(thai_nguyen_staff).get(f"/tinh/hoi-cho/{fair.pk}/in-an.pdf")
    assert response["Content-Type"] == "application/pdf"
    document = pdf(response.content)

    # Then page 1 is the A4 poster with the fair's code, and page 2 holds the five cards
    assert len(document) == 2
    width, height = document[0].get_size()
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    poster = page_text(document, 0)
    for text in ("Hội chợ OCOP Bắc Kạn 2026", "Thái Nguyên · Sản phẩm OCOP",
                 "Quảng trường 19/8", FAIR_URL, "Quét mã để xem và mua sản phẩm OCOP"):  # fmt: skip
        assert text in poster, text
    assert page_codes(document, 0) == [FAIR_URL]

    cards = page_text(document, 1)
    for text in ("A12 HTX Tài Hoan", "Miến dong Tài Hoan", "OCOP 4 sao", "125.000 ₫",
                 "Xuất xứ / Origin: Xã Côn Minh, Thái Nguyên", "Trà hoa vàng Nam Mẫu",
                 "650.000 ₫", "Gạo nếp cái hoa vàng", "60.000 ₫",
                 "Quét mã để mua / Scan to buy",
                 "Sản phẩm trưng bày chung"):  # fmt: skip
        assert text in cards, text
    # and every code on the cards scans to its exact link
    assert sorted(page_codes(document, 1)) == sorted(v for k, v in LINKS.items() if k != "fair")


def test_the_pdf_codes_are_printed_at_a_safe_size(fair):
    from fairs.posters import render_html

    html = render_html(fair)
    sizes = [
        round(float(width), 2)
        for width in re.findall(r'<svg [^>]*width="([0-9.]+)mm"[^>]*class="ocop-qr"', html)
    ]
    # The poster's code is 120 mm across; each of the five cards' 32 mm with its quiet zone, so its
    # symbol (33 of 41 modules) is 25.8 mm: above the 2 cm minimum.
    assert sizes == [120.0, 32.0, 32.0, 32.0, 32.0, 32.0]
