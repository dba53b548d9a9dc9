"""Saleor's side of the OCOP catalogue: the product type, attributes, categories and
shipping zone every imported product hangs on, and bulk builders for Saleor objects.

Everything here knows Saleor 2.10's models; catalog_sync decides *what* to write.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from saleor.account.models import Address
from saleor.discount.utils import fetch_active_discounts
from saleor.product.models import (
    AssignedProductAttribute,
    Attribute,
    AttributeProduct,
    AttributeValue,
    Category,
    Product,
    ProductTranslation,
    ProductType,
    ProductVariant,
)
from saleor.product.utils.variant_prices import update_products_minimal_variant_prices
from saleor.shipping import ShippingMethodType
from saleor.shipping.models import ShippingMethod, ShippingZone
from saleor.warehouse.models import Stock, Warehouse

from common.groups import PRODUCT_SETS, ProductSet
from common.text import slug_for

PRODUCT_TYPE_SLUG = "ocop"
STARS_ATTRIBUTE = "ocop-stars"
PROVINCE_ATTRIBUTE = "ocop-province"
GROUP_ATTRIBUTE = "ocop-product-group"
SHIPPING_ZONE_NAME = "Việt Nam"
DEFAULT_SHIPPING_PRICE_VND = 30000


@dataclass
class CatalogScaffold:
    """The Saleor objects shared by all OCOP products, loaded or created once per import."""

    product_type: ProductType
    shipping_zone: ShippingZone
    assignments: dict[str, AttributeProduct]
    star_values: dict[int, AttributeValue]
    group_values: dict[int, AttributeValue]
    categories: dict[int, Category]
    province_values: dict[str, AttributeValue] = field(default_factory=dict)

    def province_value(self, province_code: str, province_name: str) -> AttributeValue:
        value = self.province_values.get(province_code)
        if value is None:
            attribute = self.assignments[PROVINCE_ATTRIBUTE].attribute
            value, _ = AttributeValue.objects.get_or_create(
                attribute=attribute,
                slug=f"{province_code}-{slug_for(province_name)}",
                defaults={"name": province_name, "value": province_code},
            )
            self.province_values[province_code] = value
        return value

    def attribute_values(self, stars: int, product_set: ProductSet, origin) -> dict:
        return {
            STARS_ATTRIBUTE: self.star_values[stars],
            GROUP_ATTRIBUTE: self.group_values[product_set.group_code],
            PROVINCE_ATTRIBUTE: self.province_value(origin.province_code, origin.province_name),
        }


def _attribute(slug: str, name: str, product_type: ProductType) -> AttributeProduct:
    attribute, _ = Attribute.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "filterable_in_storefront": True,
            "filterable_in_dashboard": True,
            "visible_in_storefront": True,
        },
    )
    assignment, _ = AttributeProduct.objects.get_or_create(
        attribute=attribute, product_type=product_type
    )
    return assignment


def _category(name: str, slug: str, parent: Category | None) -> Category:
    category = Category.objects.filter(slug=slug).first()
    if category is None:
        category = Category.objects.create(name=name, slug=slug, parent=parent)
    return category


def ensure_scaffold() -> CatalogScaffold:
    """Create (once) and load the product type, attributes, categories and zone."""
    product_type, _ = ProductType.objects.get_or_create(
        slug=PRODUCT_TYPE_SLUG,
        defaults={"name": "OCOP", "has_variants": False, "is_shipping_required": True},
    )
    assignments = {
        STARS_ATTRIBUTE: _attribute(STARS_ATTRIBUTE, "Hạng sao OCOP", product_type),
        PROVINCE_ATTRIBUTE: _attribute(PROVINCE_ATTRIBUTE, "Tỉnh/Thành phố", product_type),
        GROUP_ATTRIBUTE: _attribute(GROUP_ATTRIBUTE, "Nhóm sản phẩm OCOP", product_type),
    }
    star_values = {
        stars: AttributeValue.objects.get_or_create(
            attribute=assignments[STARS_ATTRIBUTE].attribute,
            slug=f"{stars}-sao",
            defaults={"name": f"{stars} sao", "value": str(stars)},
        )[0]
        for stars in (3, 4, 5)
    }
    group_values, categories, group_categories = {}, {}, {}
    for product_set in PRODUCT_SETS:
        group = product_set.group_code
        if group not in group_values:
            group_values[group] = AttributeValue.objects.get_or_create(
                attribute=assignments[GROUP_ATTRIBUTE].attribute,
                slug=f"nhom-{group}-{slug_for(product_set.group_name_vi, 80)}",
                defaults={"name": product_set.group_name_vi, "value": str(group)},
            )[0]
            group_categories[group] = _category(
                product_set.group_name_vi, f"ocop-{slug_for(product_set.group_name_vi)}", None
            )
        categories[product_set.code] = _category(
            product_set.name_vi,
            f"ocop-{product_set.code}-{slug_for(product_set.name_vi, 80)}",
            group_categories[group],
        )
    zone = ShippingZone.objects.filter(name=SHIPPING_ZONE_NAME).first()
    if zone is None:
        zone = ShippingZone.objects.create(name=SHIPPING_ZONE_NAME, countries=["VN"])
    if not zone.shipping_methods.exists():
        # Staff change or add methods in Saleor; a zone without one cannot sell at all.
        ShippingMethod.objects.create(
            name="Giao hàng tiêu chuẩn",
            type=ShippingMethodType.PRICE_BASED,
            shipping_zone=zone,
            price_amount=DEFAULT_SHIPPING_PRICE_VND,
            currency="VND",
        )
    province_values = {
        value.value: value
        for value in AttributeValue.objects.filter(
            attribute=assignments[PROVINCE_ATTRIBUTE].attribute
        )
    }
    return CatalogScaffold(
        product_type=product_type,
        shipping_zone=zone,
        assignments=assignments,
        star_values=star_values,
        group_values=group_values,
        categories=categories,
        province_values=province_values,
    )


def registry_columns() -> dict[str, list]:
    """The Saleor columns each registry field is written to whole (for catalog_sync.limits).

    The warehouse's name and address take the producer's name and commune shortened
    (``warehouse_address`` and the importer cut them), so they limit nothing.
    """
    return {
        "product_name": [Product._meta.get_field("name")],
        "product_name_en": [ProductTranslation._meta.get_field("name")],
        "sku": [ProductVariant._meta.get_field("sku")],
        "producer_email": [Warehouse._meta.get_field("email")],
        "price_vnd": [
            Product._meta.get_field("price_amount"),
            Product._meta.get_field("minimal_variant_price_amount"),
        ],
        "stock": [Stock._meta.get_field("quantity")],
        "weight_grams": [Product._meta.get_field("weight")],
    }


def description_json(text: str) -> dict:
    """Saleor 2.10 keeps rich descriptions as Draft.js content; one block per paragraph."""
    paragraphs = [p for p in text.split("\n") if p.strip()] or [""]
    return {
        "blocks": [
            {
                "key": f"p{index}",
                "text": paragraph,
                "type": "unstyled",
                "depth": 0,
                "entityRanges": [],
                "inlineStyleRanges": [],
                "data": {},
            }
            for index, paragraph in enumerate(paragraphs)
        ],
        "entityMap": {},
    }


def warehouse_address(
    company_name: str, commune: str, province: str, phone: str, street: str = ""
) -> Address:
    return Address(
        company_name=company_name[:256],
        street_address_1=street[:256],
        city=commune[:256],
        country_area=province[:128],
        country="VN",
        phone=phone if phone.startswith("+") else "",
    )


def set_attribute_values(products_values: list[tuple[object, dict]], scaffold) -> None:
    """Assign stars, province and group to products, replacing what they had (bulk)."""
    product_ids = [product.pk for product, _ in products_values]
    AssignedProductAttribute.objects.filter(
        product_id__in=product_ids,
        assignment__in=list(scaffold.assignments.values()),
    ).delete()
    assigned = [
        AssignedProductAttribute(product=product, assignment=scaffold.assignments[slug])
        for product, values in products_values
        for slug in values
    ]
    AssignedProductAttribute.objects.bulk_create(assigned)
    through = AssignedProductAttribute.values.through
    links, index = [], 0
    for _, values in products_values:
        for value in values.values():
            links.append(
                through(assignedproductattribute_id=assigned[index].pk, attributevalue_id=value.pk)
            )
            index += 1
    through.objects.bulk_create(links)


def bulk_create_variants(variants: list[ProductVariant]) -> list[ProductVariant]:
    """Insert variants without Saleor's ``ProductVariantQueryset.bulk_create`` hook.

    That hook sends a minimal-price task for every bulk insert, before the transaction
    commits (a worker may run it on rows it cannot see yet; eager Celery runs it inline,
    adding seconds per chunk). The importer sets the minimal price itself and applies
    active sales with ``apply_active_sales`` after the insert.
    """
    return QuerySet.bulk_create(ProductVariant.objects.all(), variants)


def apply_active_sales(products: list[Product]) -> None:
    """Lower minimal prices for products an active sale covers (one query when none is)."""
    discounts = list(fetch_active_discounts())
    if discounts:
        update_products_minimal_variant_prices(products, discounts)


def set_english_names(names: dict[int, str]) -> None:
    """The English name of each product (Saleor's product translation, language "en");
    products whose row gives none keep whatever staff translated."""
    names = {pk: name for pk, name in names.items() if name}
    if not names:
        return
    existing = {
        t.product_id: t
        for t in ProductTranslation.objects.filter(product_id__in=list(names), language_code="en")
    }
    changed = []
    for pk, name in names.items():
        translation = existing.get(pk)
        if translation is None:
            continue
        if translation.name != name:
            translation.name = name
            changed.append(translation)
    ProductTranslation.objects.bulk_update(changed, ["name"])
    ProductTranslation.objects.bulk_create(
        [
            ProductTranslation(product_id=pk, language_code="en", name=name)
            for pk, name in names.items()
            if pk not in existing
        ]
    )
