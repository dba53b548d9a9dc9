"""Registry files for import tests, written the way a province publishes them."""

from __future__ import annotations

import csv
from pathlib import Path

HEADERS = {
    "product_name": "Tên sản phẩm",
    "product_group": "Nhóm sản phẩm",
    "description": "Mô tả",
    "price_vnd": "Giá (VNĐ)",
    "weight_grams": "Khối lượng (g)",
    "stock": "Tồn kho",
    "sku": "Mã SKU",
    "producer_name": "Chủ thể",
    "producer_type": "Loại hình",
    "producer_phone": "Số điện thoại",
    "province": "Tỉnh/Thành phố",
    "commune": "Xã/Phường",
    "legacy_district": "Huyện",
    "stars": "Hạng sao",
    "decision_number": "Số quyết định",
    "decision_date": "Ngày quyết định",
    "issuing_authority": "Cơ quan công nhận",
    "expiry_date": "Ngày hết hạn",
}

MIEN_DONG = {
    "product_name": "Miến dong Tài Hoan",
    "product_group": "Thực phẩm",
    "description": "Miến dong làm từ củ dong riềng Na Rì.",
    "price_vnd": "125.000",
    "weight_grams": "500",
    "stock": "40",
    "sku": "",
    "producer_name": "Hợp tác xã Tài Hoan",
    "producer_type": "HTX",
    "producer_phone": "+84912345678",
    "province": "Thái Nguyên",
    "commune": "Xã Côn Minh",
    "stars": "5",
    "decision_number": "1124/QĐ-BNN-VPĐP",
    "decision_date": "10/03/2025",
    "issuing_authority": "Bộ Nông nghiệp và Phát triển nông thôn",
    "expiry_date": "",
}

TRA_TAN_CUONG = {
    **MIEN_DONG,
    "product_name": "Trà xanh Tân Cương",
    "product_group": "Đồ uống",
    "description": "Chè búp Tân Cương sao tay.",
    "price_vnd": "350000",
    "weight_grams": "200",
    "stock": "15",
    "producer_name": "Hợp tác xã Chè Tân Cương",
    "commune": "Xã Tân Cương",
    "stars": "4",
    "decision_number": "3981/QĐ-UBND",
    "decision_date": "2026-08-05",
    "issuing_authority": "UBND tỉnh Thái Nguyên",
}


# What a half-written import would leave: each query counts one kind of orphan.
ORPHANS = {
    "products without certificate": """
        SELECT count(*) FROM product_product p
        LEFT JOIN marketplace_ocopproduct o ON o.product_id = p.id
        LEFT JOIN marketplace_certificate c ON c.id = o.current_certificate_id
        WHERE c.id IS NULL""",
    "products without stock": """
        SELECT count(*) FROM product_product p
        WHERE NOT EXISTS (SELECT 1 FROM warehouse_stock s
                          JOIN product_productvariant v ON v.id = s.product_variant_id
                          WHERE v.product_id = p.id)""",
    "warehouses without producer": """
        SELECT count(*) FROM warehouse_warehouse w
        LEFT JOIN marketplace_producer m ON m.warehouse_id = w.id WHERE m.id IS NULL""",
    "producers without product": """
        SELECT count(*) FROM marketplace_producer m
        WHERE NOT EXISTS (SELECT 1 FROM marketplace_ocopproduct o WHERE o.producer_id = m.id)""",
}


def write_registry(path: Path, rows: list[dict], headers: dict[str, str] = HEADERS) -> Path:
    """A UTF-8 CSV with BOM and Vietnamese headers, one row per dict."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(headers.values())
        for row in rows:
            writer.writerow(row.get(field, "") for field in headers)
    return path
