"""Certificates over their life and the province's side: revocation unpublishes at once
and the guard will not publish again; reminders 90 and 30 days ahead, once each; a
shopper's fake report reaches its province's queue only and is resolved with a note;
the programme page and the stamp pages are scoped like the fairs."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from saleor.product.models import Product

from common.errors import DomainError
from fairs.models import ProvinceStaff
from marketplace import certification
from marketplace.certification import certified_product_ids
from marketplace.models import Certificate
from marketplace.verification_codes import product_code
from tests.verification.conftest import client_of, ocop
from verification import reminders, stamps
from verification.models import CertificateReminder, FakeReport, StampBatch


@pytest.fixture
def mien_dong(catalogue):
    return ocop(catalogue["Miến dong Tài Hoan"])


def test_revocation_unpublishes_at_once_and_the_page_says_revoked(mien_dong, thai_nguyen_staff):
    product = mien_dong.product
    assert Product.objects.get(pk=product.pk).is_published
    # When Thái Nguyên's staff revoke the certificate with their decision
    staff = client_of(thai_nguyen_staff)
    today = timezone.localdate()
    response = staff.post(
        reverse("verification:revoke", args=[mien_dong.current_certificate_id]),
        {"decision_number": "55/QĐ-UBND", "decided_on": today.isoformat(), "reason": "Hậu kiểm"},
    )
    assert response.status_code == 302
    # Then the product is unpublished, no longer counts as certified, its shop page is
    # gone, and the verification page says revoked
    assert not Product.objects.get(pk=product.pk).is_published
    assert certified_product_ids([product.pk], today) == set()
    assert client_of(None).get(f"/san-pham/{product.slug}/").status_code == 404
    page = client_of(None).get(reverse("verification:product", args=[product_code(mien_dong.pk)]))
    assert page.status_code == 200
    assert 'data-status="revoked"' in page.content.decode()
    certificate = Certificate.objects.get(pk=mien_dong.current_certificate_id)
    assert (certificate.revocation_decision, certificate.revoked_on, certificate.revoked_by) == (
        "55/QĐ-UBND", today, thai_nguyen_staff,
    )  # fmt: skip
    # And a second revocation is refused on the form
    again = staff.post(
        reverse("verification:revoke", args=[certificate.pk]),
        {"decision_number": "56/QĐ-UBND", "decided_on": today.isoformat()},
    )
    assert again.status_code == 400
    assert "Chứng nhận đã bị thu hồi theo 55/QĐ-UBND" in again.content.decode()


def test_revocation_refuses_bad_input_field_by_field(mien_dong):
    certificate = mien_dong.current_certificate
    today = timezone.localdate()
    before = certificate.decision_date - datetime.timedelta(days=1)
    cases = [
        ({"decision_number": "", "decided_on": today}, ("required", "decision_number")),
        ({"decision_number": "x" * 101, "decided_on": today}, ("too_long", "decision_number")),
        ({"decision_number": "5\x00", "decided_on": today}, ("null_character", "decision_number")),
        ({"decision_number": "5/QĐ", "decided_on": None}, ("required", "decided_on")),
        ({"decision_number": "5/QĐ", "decided_on": today + datetime.timedelta(days=1)},
         ("in_future", "decided_on")),
        ({"decision_number": "5/QĐ", "decided_on": before}, ("before_decision", "decided_on")),
    ]  # fmt: skip
    for kwargs, expected in cases:
        with pytest.raises(DomainError) as refused:
            certification.revoke(certificate, **kwargs)
        assert (refused.value.code, refused.value.field) == expected
        assert " / " in refused.value.message
    assert Certificate.objects.get(pk=certificate.pk).revoked_on is None


def test_another_province_cannot_revoke_or_see_the_certificates(mien_dong, ha_noi_staff):
    staff = client_of(ha_noi_staff)
    url = reverse("verification:revoke", args=[mien_dong.current_certificate_id])
    assert staff.get(url).status_code == 404
    today = timezone.localdate().isoformat()
    assert staff.post(url, {"decision_number": "1/QĐ", "decided_on": today}).status_code == 404
    assert Certificate.objects.get(pk=mien_dong.current_certificate_id).revoked_on is None
    listing = staff.get(reverse("verification:certificates")).content.decode()
    assert "Miến dong Tài Hoan" not in listing


def test_reminders_go_90_and_30_days_ahead_once_each(mien_dong, thai_nguyen_staff):
    certificate = mien_dong.current_certificate
    producer = mien_dong.producer
    producer.email = "htx@taihoan.test"
    producer.save()
    expiry = certificate.expiry_date
    Certificate.objects.exclude(pk=certificate.pk).update(
        expiry_date=expiry + datetime.timedelta(days=400)
    )
    # 91 days ahead: nothing yet
    assert reminders.send_expiry_reminders(expiry - datetime.timedelta(days=91)) == 0
    # 90 days ahead, and the day after: one reminder
    assert reminders.send_expiry_reminders(expiry - datetime.timedelta(days=90)) == 1
    assert reminders.send_expiry_reminders(expiry - datetime.timedelta(days=89)) == 0
    # 30 days ahead and after: one more
    assert reminders.send_expiry_reminders(expiry - datetime.timedelta(days=30)) == 1
    assert reminders.send_expiry_reminders(expiry - datetime.timedelta(days=2)) == 0
    assert reminders.send_expiry_reminders(expiry + datetime.timedelta(days=1)) == 0
    assert list(
        CertificateReminder.objects.order_by("sent_at").values_list("days_before", flat=True)
    ) == [90, 30]
    assert [sorted(message.to) for message in mail.outbox] == [
        ["chuong.trinh@thainguyen.test", "htx@taihoan.test"]
    ] * 2
    assert mail.outbox[0].subject.startswith("Chứng nhận OCOP của «Miến dong Tài Hoan» hết hạn")
    assert "(còn 90 ngày)" in mail.outbox[0].subject
    assert "https://cho-ocop.vn/xac-minh/" in mail.outbox[0].body


def test_a_certificate_first_seen_with_20_days_left_gets_only_the_30_day_reminder(mien_dong):
    expiry = mien_dong.current_certificate.expiry_date
    Certificate.objects.exclude(pk=mien_dong.current_certificate_id).update(
        expiry_date=expiry + datetime.timedelta(days=400)
    )
    assert reminders.send_expiry_reminders(expiry - datetime.timedelta(days=20)) == 1
    assert reminders.send_expiry_reminders(expiry - datetime.timedelta(days=19)) == 0
    assert list(CertificateReminder.objects.values_list("days_before", flat=True)) == [30]


def test_a_fake_report_reaches_its_provinces_queue_and_is_resolved(
    mien_dong, thai_nguyen_staff, ha_noi_staff
):
    code = product_code(mien_dong.pk)
    shopper = client_of(None)
    # A report with nothing in it is refused on its fields, in both languages
    empty = shopper.post(reverse("verification:report", args=[code]), {"what": "", "where": ""})
    assert empty.status_code == 400
    assert "Thông tin này là bắt buộc / This field is required." in empty.content.decode()
    assert FakeReport.objects.count() == 0
    # When a shopper reports a suspected fake
    sent = shopper.post(
        reverse("verification:report", args=[code]),
        {"what": "Bao bì in mờ, tem không quét được", "where": "Chợ Đồng Xuân", "serial": "7"},
    )
    assert sent.status_code == 302
    report = FakeReport.objects.get()
    assert (report.province_code, report.serial, report.status) == ("19", 7, "open")
    # Then Thái Nguyên's queue lists it, Hà Nội's does not, nor may Hà Nội open it
    assert (
        "Chợ Đồng Xuân"
        in client_of(thai_nguyen_staff).get(reverse("verification:queue")).content.decode()
    )
    assert (
        "Chợ Đồng Xuân"
        not in client_of(ha_noi_staff).get(reverse("verification:queue")).content.decode()
    )
    detail = reverse("verification:report_detail", args=[report.pk])
    assert client_of(ha_noi_staff).get(detail).status_code == 404
    assert client_of(ha_noi_staff).post(detail, {"note": "x"}).status_code == 404
    # And Thái Nguyên resolves it with a note (an empty note is refused)
    staff = client_of(thai_nguyen_staff)
    assert staff.post(detail, {"note": ""}).status_code == 400
    assert staff.post(detail, {"note": "Đã kiểm tra cửa hàng, thu giữ 12 gói"}).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.resolution_note, report.resolved_by) == (
        "resolved", "Đã kiểm tra cửa hàng, thu giữ 12 gói", thai_nguyen_staff,
    )  # fmt: skip


def test_the_programme_page_is_scoped_to_the_province(catalogue, thai_nguyen_staff, ha_noi_staff):
    ours = client_of(thai_nguyen_staff).get(reverse("verification:programme"))
    theirs = client_of(ha_noi_staff).get(reverse("verification:programme"))
    assert ours.status_code == theirs.status_code == 200
    assert ours.context["data"].certified == 6
    assert ours.context["data"].listed == 6
    assert ours.context["data"].by_stars == {3: 2, 4: 3, 5: 1}
    assert theirs.context["data"].certified == 0
    # Thái Nguyên sets its target; the page measures against it
    set_target = client_of(thai_nguyen_staff).post(
        reverse("verification:programme"), {"muc-tieu-products_online": "12"}
    )
    assert set_target.status_code == 302
    again = client_of(thai_nguyen_staff).get(reverse("verification:programme"))
    assert (again.context["data"].target, again.context["data"].target_percent) == (12, 50)
    bad = client_of(thai_nguyen_staff).post(
        reverse("verification:programme"), {"muc-tieu-products_online": "²"}
    )
    assert bad.status_code == 400
    csv = client_of(thai_nguyen_staff).get(reverse("verification:programme_csv")).content.decode()
    assert "Được chứng nhận / Certified,6," in csv
    # Someone who runs no province is refused
    ProvinceStaff.objects.filter(user=ha_noi_staff).delete()
    assert client_of(ha_noi_staff).get(reverse("verification:programme")).status_code == 403


def test_stamp_sheets_are_scoped_to_the_cooperative_and_the_province(
    mien_dong, tai_hoan_member, thai_nguyen_staff, ha_noi_staff, catalogue
):
    # A cooperative issues stamps for its own product from the portal
    portal = client_of(tai_hoan_member)
    issued = portal.post(reverse("portal:stamps"), {"product": str(mien_dong.pk), "count": "3"})
    assert issued.status_code == 302
    batch = StampBatch.objects.get()
    assert (batch.count, batch.issued_as, batch.issued_by) == (3, "cooperative", tai_hoan_member)
    # but not for another cooperative's product, nor 2,001 at once
    tea = ocop(catalogue["Trà hoa vàng Nam Mẫu"])
    assert (
        portal.post(reverse("portal:stamps"), {"product": str(tea.pk), "count": "3"}).status_code
        == 400
    )
    too_many = portal.post(
        reverse("portal:stamps"), {"product": str(mien_dong.pk), "count": "2001"}
    )
    assert too_many.status_code == 400
    assert "Số tem phải là số nguyên từ 1 đến 2.000" in too_many.content.decode()
    # The sheet: the cooperative and Thái Nguyên may print it, Hà Nội may not
    assert (
        portal.get(reverse("portal:stamp_sheet", args=[batch.pk]))["Content-Type"]
        == "application/pdf"
    )
    sheet = reverse("verification:stamp_sheet", args=[batch.pk])
    assert client_of(thai_nguyen_staff).get(sheet).status_code == 200
    assert client_of(ha_noi_staff).get(sheet).status_code == 404
    assert (
        client_of(ha_noi_staff)
        .post(reverse("verification:stamps"), {"product": str(mien_dong.pk), "count": "1"})
        .status_code
        == 400
    )
    assert StampBatch.objects.count() == 1
    assert stamps.is_issued(mien_dong.pk, 3)
    assert not stamps.is_issued(mien_dong.pk, 4)


def test_the_product_page_links_to_its_verification_page(mien_dong):
    page = client_of(None).get(f"/san-pham/{mien_dong.product.slug}/").content.decode()
    assert f'href="/xac-minh/{product_code(mien_dong.pk)}"' in page
