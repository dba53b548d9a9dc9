"""A small, searchable OCOP catalogue imported the way the shop gets one: a registry
file through ``import_registry``, so pages see real Saleor products and certificates."""

from __future__ import annotations

import datetime

from django.utils import timezone
from saleor.product.models import Product

from catalog_sync.importer import import_registry
from tests.catalog_import.registry import MIEN_DONG, TRA_TAN_CUONG, write_registry


def recent(days: int = 30) -> str:
    """A decision date in force today, whenever the suite runs."""
    return (timezone.localdate() - datetime.timedelta(days=days)).strftime("%d/%m/%Y")


def row(**changes) -> dict:
    """A Thái Nguyên product; 3★/4★ are recognised by the province, 5★ by the ministry."""
    values = {**MIEN_DONG, "decision_date": recent(), **changes}
    if values["stars"] != "5":
        values["issuing_authority"] = "UBND tỉnh Thái Nguyên"
    return values


# Names chosen so each search tier has exactly one or two members.
ROWS = [
    row(product_name="Miến dong Tài Hoan", stars="4", price_vnd="125.000", stock="40",
        description="Sợi miến làm từ củ dong riềng Na Rì."),
    row(product_name="Mien dong sấy khô", stars="5", price_vnd="90000", stock="10",
        producer_name="Hộ kinh doanh Lò Văn Sáu", producer_type="Hộ kinh doanh",
        description="Sấy khô tự nhiên.", decision_number="1201/QĐ-BNN-VPĐP"),
    row(product_name="Bột dong riềng", stars="3", price_vnd="70000",
        description="Nguyên liệu làm miến dong và bánh.", decision_number="845/QĐ-UBND"),
    {**TRA_TAN_CUONG, "decision_date": recent(), "product_name": "Chè Tân Cương đặc sản",
     "description": "Chè búp sao tay."},
    {**TRA_TAN_CUONG, "decision_date": recent(), "product_name": "Trà hoa vàng Nam Mẫu",
     "producer_name": "Hợp tác xã Nông nghiệp Nam Mẫu", "price_vnd": "650000",
     "description": "Hoa trà vàng sấy lạnh."},
    row(product_name="Gạo nếp cái hoa vàng", stars="3", price_vnd="60000",
        producer_name="Hợp tác xã Gạo Định Hóa", description="Gạo nếp thơm dẻo.",
        decision_number="900/QĐ-UBND"),
]  # fmt: skip


def import_catalogue(path, rows=ROWS) -> dict[str, Product]:
    report = import_registry(write_registry(path, rows), as_of=timezone.localdate())
    assert report.rejections == [], [r.as_dict() for r in report.rejections]
    return {p.name: p for p in Product.objects.all()}


def many_rows(count: int) -> list[dict]:
    return [
        row(product_name=f"Bánh đa số {i:03d}", stars=str(3 + i % 3), price_vnd="30000",
            description="Bánh đa nướng.", decision_number=f"{1000 + i}/QĐ-UBND")
        for i in range(count)
    ]  # fmt: skip
