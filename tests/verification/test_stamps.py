"""Stamps: a genuine stamp verifies; a changed serial, a changed signature, another
product's stamp and a stamp never issued are "not a genuine stamp"; a revoked product's
stamp is genuine but says revoked; every check is recorded (a HEAD records nothing);
the printed QR codes decode to the stamp's verification URL."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from common.errors import DomainError
from marketplace import certification
from marketplace.verification_codes import product_code, product_id_from_code
from tests.fairs import decoding
from tests.verification.conftest import client_of, ocop
from verification import labels, lookup, reports, stamps
from verification.models import StampBatch, StampCheck, StampFlag


def _url(code: str, serial: int, signature: str | None = None) -> str:
    token = f"{serial}-{signature or stamps.signature(code, serial)}"
    return reverse("verification:stamp", args=[code, token])


@pytest.fixture
def mien_dong(catalogue):
    return ocop(catalogue["Miến dong Tài Hoan"])


@pytest.fixture
def batch(mien_dong) -> StampBatch:
    return stamps.issue_batch(mien_dong, 3, issued_as=StampBatch.IssuedAs.PROVINCE)


def test_product_codes_round_trip_and_refuse_typos():
    # Given the codes of a few ids, Then each reads back, and a changed character,
    # a leading zero or a foreign character reads as no code
    for number in (1, 31, 32, 1000, 2_147_483_647):
        code = product_code(number)
        assert product_id_from_code(code) == number
        assert product_id_from_code(code.lower()) == number
        assert product_id_from_code("0" + code) is None
    assert product_code(1000) == "Z8H"
    assert product_id_from_code("Z8J") is None
    assert product_id_from_code("Z8Ħ") is None
    assert product_id_from_code("") is None


def test_a_genuine_stamp_verifies_and_remembers_its_first_check(batch, mien_dong):
    code = product_code(mien_dong.pk)
    phone = client_of(None)
    # When a phone scans stamp 2 twice
    first = phone.get(_url(code, 2))
    second = phone.get(_url(code, 2))
    # Then both say genuine and in force, the second names the first check's day
    assert first.status_code == 200
    assert 'data-state="genuine"' in first.content.decode()
    assert 'data-status="in_force"' in first.content.decode()
    assert "Đây là lần kiểm tra đầu tiên của tem này." in first.content.decode()
    day = timezone.localtime().strftime("%d/%m/%Y")
    assert f"Tem này được kiểm tra lần đầu ngày {day}" in second.content.decode()
    assert list(StampCheck.objects.values_list("serial", "genuine", "province_code")) == [
        (2, True, ""),
        (2, True, ""),
    ]
    # And the JSON twin says the same
    data = phone.get(
        reverse("verification:stamp_json", args=[code, f"2-{stamps.signature(code, 2)}"])
    ).json()
    assert data["stamp"]["state"] == "genuine"
    assert data["stamp"]["serial"] == 2
    assert data["status"] == "in_force"
    assert data["product"] == "Miến dong Tài Hoan"
    assert data["stars"] == 4


def test_forged_and_altered_stamps_are_not_genuine_and_are_recorded(batch, mien_dong, catalogue):
    code = product_code(mien_dong.pk)
    other = ocop(catalogue["Trà hoa vàng Nam Mẫu"])
    other_code = product_code(other.pk)
    stamps.issue_batch(other, 2, issued_as=StampBatch.IssuedAs.PROVINCE)
    signature = stamps.signature(code, 2)
    cases = {
        "changed serial": reverse("verification:stamp", args=[code, f"3-{signature}"]),
        "changed signature": _url(code, 2, ("A" if signature[0] != "A" else "B") + signature[1:]),
        # stamp 1 of the tea, printed with the noodles' code
        "another product's stamp": _url(code, 1, stamps.signature(other_code, 1)),
        "never issued": _url(code, 4),
        "not a stamp": reverse("verification:stamp", args=[code, "xyz"]),
    }
    phone = client_of(None)
    for name, url in cases.items():
        response = phone.get(url)
        assert response.status_code == 200, name
        page = response.content.decode()
        assert "Không phải tem chính hãng" in page, name
        assert 'data-state="genuine"' not in page, name
    expected = ["forged", "forged", "forged", "not_issued", "forged"]
    assert [phone.get(url + ".json").json()["stamp"]["state"] for url in cases.values()] == expected
    assert StampCheck.objects.filter(genuine=False).count() == 10
    assert StampCheck.objects.filter(genuine=True).count() == 0
    # A code that names no product: the forged page, recorded too
    unknown = client_of(None).get(reverse("verification:stamp", args=["ZZZZZZZ", "1-AAAAAAAA"]))
    assert unknown.status_code == 404
    assert "Không phải tem chính hãng" in unknown.content.decode()
    assert StampCheck.objects.filter(ocop_product=None).count() == 1


def test_a_head_request_or_a_link_preview_records_nothing(batch, mien_dong):
    code = product_code(mien_dong.pk)
    assert client_of(None).head(_url(code, 1)).status_code == 200
    client_of(None).get(_url(code, 1), HTTP_USER_AGENT="facebookexternalhit/1.1")
    assert StampCheck.objects.count() == 0


def test_a_revoked_products_stamp_is_genuine_and_says_revoked(batch, mien_dong):
    certification.revoke(
        mien_dong.current_certificate,
        decision_number="55/QĐ-UBND",
        decided_on=timezone.localdate(),
        reason="Dùng nguyên liệu ngoài vùng",
    )
    code = product_code(mien_dong.pk)
    page = client_of(None).get(_url(code, 1)).content.decode()
    assert 'data-state="genuine"' in page
    assert 'data-status="revoked"' in page
    day = timezone.localdate().strftime("%d/%m/%Y")
    assert f"Chứng nhận OCOP đã bị thu hồi theo quyết định 55/QĐ-UBND ngày {day}" in page
    data = client_of(None).get(reverse("verification:product_json", args=[code])).json()
    assert (data["status"], data["revocationDecision"]) == ("revoked", "55/QĐ-UBND")


def test_the_verification_page_costs_a_few_queries(batch, mien_dong):
    code = product_code(mien_dong.pk)
    client = client_of(None)
    client.get(_url(code, 1))  # warm the shop configuration
    with CaptureQueriesContext(connection) as queries:
        assert client.get(_url(code, 1)).status_code == 200
    # The shop configuration, product + producer + certificate, the decisions, the
    # image, is-issued, first check, and the insert with its SET LOCAL (the test's
    # savepoints aside)
    sent = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(sent) == 8, [sql[:80] for sql in sent]


def test_batches_number_serials_without_overlap_and_refuse_bad_counts(mien_dong):
    first = stamps.issue_batch(mien_dong, 2000, issued_as=StampBatch.IssuedAs.COOPERATIVE)
    second = stamps.issue_batch(mien_dong, 5, issued_as=StampBatch.IssuedAs.COOPERATIVE)
    assert (first.first_serial, first.last_serial) == (1, 2000)
    assert (second.first_serial, second.last_serial) == (2001, 2005)
    for bad in (0, 2001, "²", "-1", "10" * 10):
        with pytest.raises(DomainError) as refused:
            stamps.issue_batch(mien_dong, bad, issued_as=StampBatch.IssuedAs.COOPERATIVE)
        assert (refused.value.code, refused.value.field) == ("invalid_count", "count")


def test_a_revoked_product_gets_no_new_stamps(mien_dong):
    certification.revoke(
        mien_dong.current_certificate, decision_number="55/QĐ-UBND",
        decided_on=timezone.localdate(),
    )  # fmt: skip
    with pytest.raises(DomainError) as refused:
        stamps.issue_batch(mien_dong, 1, issued_as=StampBatch.IssuedAs.PROVINCE)
    assert refused.value.code == "not_certified"


def test_printed_qr_codes_decode_to_the_stamps_verification_urls(batch, mien_dong):
    # When the batch's A4 sheet is printed and read at office-print resolution
    document = decoding.pdf(labels.render_pdf(batch))
    code = product_code(mien_dong.pk)
    # Then its three codes are the stamps' URLs on the shop's public domain
    assert sorted(decoding.page_codes(document, 0)) == [
        f"https://cho-ocop.vn/xac-minh/{code}/{serial}-{stamps.signature(code, serial)}"
        for serial in (1, 2, 3)
    ]
    text = decoding.page_text(document, 0)
    assert "Miến dong Tài Hoan" in text
    assert "Số sê-ri / Serial:" in text
    assert f"{code}-1 " in text + " "
    assert len(document) == 1


def test_a_serial_checked_in_many_places_is_flagged_to_its_province(batch, mien_dong):
    # Given stamp 1 checked in three provinces (visitors shared where they were)
    for province in ("19", "01", "79"):
        result = lookup.check_stamp(
            lookup.verify_product(product_code(mien_dong.pk)),
            f"1-{stamps.signature(product_code(mien_dong.pk), 1)}",
        )
        lookup.share_location(result.check_id, province)
    # And stamp 2 checked once
    lookup.check_stamp(
        lookup.verify_product(product_code(mien_dong.pk)),
        f"2-{stamps.signature(product_code(mien_dong.pk), 2)}",
    )
    # When the sweeper runs (twice)
    assert reports.flag_copied_stamps() == 1
    assert reports.flag_copied_stamps() == 0
    # Then only stamp 1 is flagged, in Thái Nguyên's queue
    assert list(StampFlag.objects.values_list("serial", "checks", "places", "province_code")) == [
        (1, 3, 3, "19")
    ]


def test_a_sheet_of_many_pages_prints_every_stamp_once(mien_dong):
    # Given 70 stamps: two full pages of 32 and a last page of 6
    batch = stamps.issue_batch(mien_dong, 70, issued_as=StampBatch.IssuedAs.PROVINCE)
    document = decoding.pdf(labels.render_pdf(batch))
    code = product_code(mien_dong.pk)
    assert len(document) == 3
    printed = [decoding.page_codes(document, index, dpi=200) for index in range(3)]
    # Then each page shows its own stamps' codes, each stamp exactly once
    assert [len(page) for page in printed] == [32, 32, 6]
    expected = {
        f"https://cho-ocop.vn/xac-minh/{code}/{serial}-{stamps.signature(code, serial)}"
        for serial in range(1, 71)
    }
    assert {url for page in printed for url in page} == expected
    assert f"{code}-70" in decoding.page_text(document, 2)
    assert f"{code}-33" in decoding.page_text(document, 1)
    assert decoding.page_text(document, 2).count("Miến dong Tài Hoan") == 6


def test_a_visitor_may_share_the_province_of_a_check_once(batch, mien_dong):
    import re

    code = product_code(mien_dong.pk)
    phone = client_of(None)
    page = phone.get(_url(code, 1)).content.decode()
    check = re.search(r'name="check" value="([^"]+)"', page).group(1)
    location = reverse("verification:location", args=[code])
    # A forged check id and an unknown province are refused, in both languages
    forged = phone.post(location, {"province": "19", "check": check + "x"})
    assert forged.status_code == 400
    assert "vui lòng quét lại tem" in forged.content.decode()
    assert phone.post(location, {"province": "99", "check": check}).status_code == 400
    # The visitor's province is kept on their check, once
    assert phone.post(location, {"province": "19", "check": check}).status_code == 302
    assert phone.post(location, {"province": "01", "check": check}).status_code == 302
    assert list(StampCheck.objects.values_list("province_code", flat=True)) == ["19"]
