"""A registry as a province publishes it: no product-group column (groups inferred and
marked for review), a barcode, the producer's tax code and the raw-material area's
quality marks, imported and shown on the product and verification pages; and a
province's revocation survives a re-import of a changed row."""

from __future__ import annotations

import csv

from django.urls import reverse
from django.utils import timezone
from saleor.product.models import Product

from catalog_sync.importer import import_registry
from marketplace import certification
from marketplace.models import Certificate, OcopProduct
from marketplace.verification_codes import product_code
from tests.storefront.catalogue import row
from tests.verification.conftest import client_of

HEADERS = {
    "product_name": "Tên sản phẩm", "price_vnd": "Giá", "stock": "Tồn kho",
    "producer_name": "Chủ thể", "producer_type": "Loại hình", "producer_tax_code": "Mã số thuế",
    "province": "Tỉnh", "commune": "Xã/Phường", "stars": "Hạng sao",
    "decision_number": "Số quyết định", "decision_date": "Ngày quyết định",
    "issuing_authority": "Cơ quan công nhận", "gtin": "Mã vạch",
    "quality_marks": "Chứng nhận vùng nguyên liệu",
}  # fmt: skip


def write(path, rows):
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADERS.values())
        for values in rows:
            writer.writerow(values.get(name, "") for name in HEADERS)
    return path


ROWS = [
    row(product_name="Miến dong Tài Hoan", stars="4", gtin="893 4563 138165",
        producer_tax_code="0100233488", quality_marks="VietGAP; hữu cơ"),
    row(product_name="Mật ong bạc hà", stars="4", producer_name="Hợp tác xã Mật ong Đồng Văn",
        decision_number="77/QĐ-UBND"),
    row(product_name="Xà phòng sả chanh", stars="3", producer_name="Hợp tác xã Sả Chanh",
        decision_number="78/QĐ-UBND"),
    row(product_name="Chè búp", stars="3", producer_name="Hợp tác xã Chè Búp",
        decision_number="79/QĐ-UBND", gtin="8934563138166"),
    row(product_name="Chè nõn", stars="3", producer_name="Hợp tác xã Chè Nõn",
        decision_number="80/QĐ-UBND", producer_tax_code="0100233489"),
]  # fmt: skip


def test_a_list_without_groups_is_imported_with_inferred_groups_and_its_new_columns(tmp_path):
    # When a list with no group column and the new optional columns is imported
    report = import_registry(write(tmp_path / "ds.csv", ROWS), as_of=timezone.localdate())
    # Then the rows whose names say their group are imported, marked for review, and
    # the others are refused with exact codes
    assert [(r.row, r.field, r.code) for r in report.rejections] == [
        (4, "product_group", "product_group_not_inferable"),
        (5, "gtin", "gtin_check_digit"),
        (6, "producer_tax_code", "producer_tax_code_check_digit"),
    ]
    imported = {
        o.product.name: o for o in OcopProduct.objects.select_related("product", "producer")
    }
    assert sorted(imported) == ["Miến dong Tài Hoan", "Mật ong bạc hà"]
    mien = imported["Miến dong Tài Hoan"]
    assert (mien.product_set_code, mien.product_group_inferred) == (5, True)
    honey = imported["Mật ong bạc hà"]
    assert (honey.product_set_code, honey.product_group_inferred) == (4, True)
    assert (mien.gtin, mien.quality_marks, mien.producer.tax_code) == (
        "8934563138165", ["vietgap", "huu_co"], "0100233488",
    )  # fmt: skip
    # And the marks show on the product page and the verification page
    response = client_of(None).get(f"/san-pham/{mien.product.slug}/")
    assert response.status_code == 200
    assert response.context["quality_marks"] == ["VietGAP", "Hữu cơ"]
    product_page = response.content.decode()
    marks = product_page[product_page.find('data-testid="quality-marks"') :][:200]
    assert '<span class="mark">VietGAP</span> · <span class="mark">Hữu cơ</span>' in marks, marks
    verification = client_of(None).get(
        reverse("verification:product", args=[product_code(mien.pk)])
    )
    assert "VietGAP" in verification.content.decode()
    assert verification.context["marks"] == ["VietGAP", "Hữu cơ"]
    data = (
        client_of(None)
        .get(reverse("verification:product_json", args=[product_code(mien.pk)]))
        .json()
    )
    assert data["qualityMarks"] == ["vietgap", "huu_co"]


def test_a_reimport_of_a_changed_row_keeps_the_revocation(tmp_path):
    first = [ROWS[0]]
    import_registry(write(tmp_path / "a.csv", first), as_of=timezone.localdate())
    product = OcopProduct.objects.select_related("current_certificate", "product").get()
    certification.revoke(product.current_certificate, decision_number="55/QĐ-UBND",
                         decided_on=timezone.localdate())  # fmt: skip
    # When the province's list is imported again with a changed price
    changed = [{**ROWS[0], "price_vnd": "130000"}]
    report = import_registry(write(tmp_path / "b.csv", changed), as_of=timezone.localdate())
    assert report.updated == 1
    # Then the certificate is still revoked and the product still unpublished
    certificate = Certificate.objects.get(pk=product.current_certificate_id)
    assert (certificate.revocation_decision, certificate.revoked_on) == (
        "55/QĐ-UBND", timezone.localdate(),
    )  # fmt: skip
    assert not Product.objects.get(pk=product.product_id).is_published
