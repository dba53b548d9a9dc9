"""What links to the verification page: the fair cards (printed) and the page in
English."""

from __future__ import annotations

from django.utils import timezone

from fairs import editing, posters
from marketplace.models import Producer
from marketplace.verification_codes import product_code
from tests.fairs.conftest import make_fair
from tests.verification.conftest import THAI_NGUYEN, client_of, ocop


def test_the_fair_cards_print_the_products_verification_page(catalogue, thai_nguyen_staff):
    fair = make_fair(thai_nguyen_staff, "Tuần lễ OCOP Thái Nguyên", THAI_NGUYEN)
    producer = Producer.objects.get(name="Hợp tác xã Tài Hoan")
    editing.set_cooperatives(fair, [producer])
    mien_dong = ocop(catalogue["Miến dong Tài Hoan"])
    editing.save_fair_product(fair, {"ocop_product": mien_dong, "booth": None})
    html = posters.render_html(fair)
    assert (
        f"Xác minh OCOP / Verify: https://cho-ocop.vn/xac-minh/{product_code(mien_dong.pk)}" in html
    )


def test_the_verification_page_speaks_english_by_the_language_switch(catalogue):
    mien_dong = ocop(catalogue["Miến dong Tài Hoan"])
    client = client_of(None)
    client.cookies["ocop_lang"] = "en"
    page = client.get(f"/xac-minh/{product_code(mien_dong.pk)}")
    assert page["Content-Language"] == "en"
    text = page.content.decode()
    assert "The OCOP certificate is in force" in text
    assert "Report a suspected fake" in text
    expiry = mien_dong.current_certificate.expiry_date.strftime("%d/%m/%Y")
    assert expiry in text
    assert timezone.localdate() <= mien_dong.current_certificate.expiry_date


def test_an_unknown_or_mistyped_code_is_a_friendly_404(catalogue):
    mien_dong = ocop(catalogue["Miến dong Tài Hoan"])
    code = product_code(mien_dong.pk)
    typo = code[:-1] + ("0" if code[-1] != "0" else "1")
    for path in (f"/xac-minh/{typo}", "/xac-minh/ZZZZZZZZZ", f"/xac-minh/{typo}.json"):
        response = client_of(None).get(path)
        assert response.status_code == 404, path
    assert "Không có mã xác minh này" in client_of(None).get(f"/xac-minh/{typo}").content.decode()
