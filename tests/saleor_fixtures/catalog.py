"""A small sellable catalogue: one OCOP product in stock, shippable within Vietnam."""

from __future__ import annotations

from decimal import Decimal

import pytest
from saleor.account.models import Address
from saleor.product.models import Category, Product, ProductType, ProductVariant
from saleor.product.utils.variant_prices import update_product_minimal_variant_price
from saleor.shipping import ShippingMethodType
from saleor.shipping.models import ShippingMethod, ShippingZone
from saleor.warehouse.models import Stock, Warehouse


@pytest.fixture
def vietnam_shipping_zone(db) -> ShippingZone:
    zone = ShippingZone.objects.create(name="Việt Nam", countries=["VN"], default=True)
    ShippingMethod.objects.create(
        name="Giao hàng tiêu chuẩn",
        type=ShippingMethodType.PRICE_BASED,
        shipping_zone=zone,
        price_amount=Decimal(30000),
        currency="VND",
    )
    return zone


@pytest.fixture
def cooperative_warehouse(vietnam_shipping_zone) -> Warehouse:
    address = Address.objects.create(
        company_name="Hợp tác xã Tài Hoan (dữ liệu mẫu)",
        street_address_1="Thôn Nà Làng",
        city="Xã Côn Minh",
        country_area="Thái Nguyên",
        country="VN",
        phone="+84912345678",
    )
    warehouse = Warehouse.objects.create(
        name="Kho HTX Tài Hoan",
        slug="kho-htx-tai-hoan",
        company_name="Hợp tác xã Tài Hoan",
        address=address,
        email="htx.taihoan@ocop.test",
    )
    warehouse.shipping_zones.add(vietnam_shipping_zone)
    return warehouse


@pytest.fixture
def ocop_product(cooperative_warehouse) -> Product:
    product_type = ProductType.objects.create(
        name="OCOP", slug="ocop", has_variants=False, is_shipping_required=True
    )
    category = Category.objects.create(name="Thực phẩm", slug="thuc-pham")
    product = Product.objects.create(
        name="Miến dong Tài Hoan",
        slug="mien-dong-tai-hoan",
        product_type=product_type,
        category=category,
        price_amount=Decimal(125000),
        currency="VND",
        is_published=True,
    )
    variant = ProductVariant.objects.create(product=product, sku="MIEN-DONG-500G")
    Stock.objects.create(warehouse=cooperative_warehouse, product_variant=variant, quantity=20)
    update_product_minimal_variant_price(product)
    return product
