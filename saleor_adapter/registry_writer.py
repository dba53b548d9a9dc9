"""Writes validated registry rows into Saleor's catalogue and our marketplace models.

The domain (``catalog_sync.importer``) decides what to write and hands over one chunk
of product groups at a time, inside its transaction; this writer turns them into
producers with their Saleor warehouses, OCOP products with their Saleor product,
variant, stock and attributes, and certificates, with a fixed number of queries per
chunk whatever its size.
"""

from __future__ import annotations

import datetime
import hashlib

from django.utils import timezone
from saleor.account.models import Address
from saleor.product.models import Product, ProductVariant
from saleor.warehouse.models import Stock, Warehouse

from catalog_sync.importer import (
    ImportReport,
    decision_key,
    producer_key,
    product_slug,
    row_hash,
    variant_sku,
)
from catalog_sync.validation import ValidatedRow
from common.text import fold, slug_for
from marketplace import search_outbox
from marketplace.models import Certificate, OcopProduct, Producer
from saleor_adapter import catalog

# Set by the province (marketplace.certification.revoke), never by an import.
REVOCATION_FIELDS = (
    "revoked_on", "revocation_decision", "revocation_reason", "revoked_by_id", "revoked_at",
)  # fmt: skip


LISTING_FACTS = ("gtin", "quality_marks", "product_group_inferred")


def _listing_facts(row: ValidatedRow) -> dict:
    """What the registry's optional columns say of the product (issue 16)."""
    return {
        "gtin": row.gtin,
        "quality_marks": list(row.quality_marks),
        "product_group_inferred": row.product_group_inferred,
    }


def sku_owners(skus: list[str]) -> dict[str, tuple[str, str, str]]:
    return {
        sku: (name_key, province_code, product_name_key)
        for sku, name_key, province_code, product_name_key in ProductVariant.objects.filter(
            sku__in=skus
        ).values_list(
            "sku",
            "product__ocop__producer__name_key",
            "product__ocop__producer__province_code",
            "product__ocop__name_key",
        )
    }


class RegistryWriter:
    """Writes one chunk of product groups with a fixed number of queries."""

    def __init__(self, scaffold, as_of: datetime.date, source_file: str):
        self.scaffold = scaffold
        self.as_of = as_of
        self.source_file = source_file

    def _suspended_producer_ids(self) -> set[int]:
        """Producers the platform suspended: a re-import must not republish them."""
        if not hasattr(self, "_suspended"):
            self._suspended = set(
                Producer.objects.filter(suspended_at__isnull=False).values_list("pk", flat=True)
            )
        return self._suspended

    def forget_cached_objects(self) -> None:
        """After a rolled-back chunk: Saleor objects created in it are gone."""
        self.scaffold = catalog.ensure_scaffold()

    def write(self, groups: list[list[ValidatedRow]], report: ImportReport) -> None:
        producers = self._producers(groups)
        existing = {
            (p.producer_id, p.name_key): p
            for p in OcopProduct.objects.filter(
                producer__in=list(producers.values()),
                name_key__in={fold(g[0].product_name) for g in groups},
            ).select_related("product", "current_certificate")
        }
        certificates = {
            (c.ocop_product_id, c.decision_key): c
            for c in Certificate.objects.filter(
                ocop_product__in=list(existing.values()),
                decision_key__in={decision_key(r.decision_number) for g in groups for r in g},
            )
        }
        new_groups, changed_groups = [], []
        for group in groups:
            producer = producers[producer_key(group[0])]
            ocop_product = existing.get((producer.pk, fold(group[0].product_name)))
            if ocop_product is None:
                new_groups.append((producer, group))
                report.created += len(group)
                continue
            changes = self._certificate_changes(ocop_product, group, certificates, report)
            if changes:
                changed_groups.append((ocop_product, group, changes))
        if new_groups:
            self._create_products(new_groups)
        if changed_groups:
            self._update_products(changed_groups)

    # -- producers and their warehouses ---------------------------------------------

    def _producers(self, groups) -> dict[tuple, Producer]:

        first_rows = {producer_key(g[0]): g[-1] for g in groups}
        found = {
            (p.name_key, p.province_code): p
            for p in Producer.objects.filter(
                name_key__in={k[0] for k in first_rows},
                province_code__in={k[1] for k in first_rows},
            )
        }
        missing = [(key, row) for key, row in first_rows.items() if key not in found]
        if missing:
            addresses = Address.objects.bulk_create(
                [
                    catalog.warehouse_address(
                        row.producer_name,
                        row.origin.commune_name,
                        row.origin.province_name,
                        row.producer_phone,
                    )
                    for _, row in missing
                ]
            )
            warehouses = Warehouse.objects.bulk_create(
                [
                    Warehouse(
                        name=row.producer_name[:250],
                        slug=f"{slug_for(row.producer_name, 200)}-{key[1]}-"
                        + hashlib.sha1(key[0].encode()).hexdigest()[:6],
                        company_name=row.producer_name[:255],
                        address=address,
                        email=row.producer_email,
                    )
                    for (key, row), address in zip(missing, addresses, strict=True)
                ]
            )
            zones = Warehouse.shipping_zones.through
            zones.objects.bulk_create(
                [
                    zones(warehouse_id=w.pk, shippingzone_id=self.scaffold.shipping_zone.pk)
                    for w in warehouses
                ]
            )
            created = Producer.objects.bulk_create(
                [
                    Producer(
                        name=row.producer_name,
                        name_key=key[0],
                        producer_type=row.producer_type,
                        tax_code=row.producer_tax_code,
                        phone=row.producer_phone,
                        email=row.producer_email,
                        warehouse=warehouse,
                        **_origin_fields(row),
                    )
                    for (key, row), warehouse in zip(missing, warehouses, strict=True)
                ]
            )
            found.update({(p.name_key, p.province_code): p for p in created})
        return found

    # -- certificates -----------------------------------------------------------------

    def _certificate(self, ocop_product_id, row: ValidatedRow) -> Certificate:
        return Certificate(
            ocop_product_id=ocop_product_id,
            product_name=row.product_name,
            stars=row.stars,
            score=row.score,
            decision_number=row.decision_number,
            decision_key=decision_key(row.decision_number),
            decision_date=row.decision_date,
            expiry_date=row.expiry_date,
            expiry_is_explicit=row.expiry_is_explicit,
            issuing_authority=row.issuing_authority,
            issuing_level=row.issuing_level.value,
            legal_basis=row.legal_basis,
            source_hash=row_hash(row),
            source_file=self.source_file,
            source_row=row.row,
            imported_at=timezone.now(),
            **_origin_fields(row),
        )

    def _certificate_changes(self, ocop_product, group, certificates, report):
        """Classify a known product's rows; returns [(row, certificate or None)] to write."""
        changes = []
        for row in group:
            stored = certificates.get((ocop_product.pk, decision_key(row.decision_number)))
            if stored is not None and stored.source_hash == row_hash(row):
                report.unchanged += 1
            else:
                report.updated += 1
                changes.append((row, stored))
        return changes

    # -- products ---------------------------------------------------------------------

    def _product_fields(self, product, row: ValidatedRow, certificate_valid: bool) -> None:
        from measurement.measures import Weight

        product.name = row.product_name
        product.description = row.description
        product.description_json = catalog.description_json(row.description)
        product.category = self.scaffold.categories[row.product_set.code]
        product.price_amount = row.price_vnd
        product.minimal_variant_price_amount = row.price_vnd
        product.currency = "VND"
        product.weight = Weight(g=row.weight_grams) if row.weight_grams else None
        product.is_published = certificate_valid
        product.publication_date = None

    def _create_products(self, new_groups) -> None:

        products = []
        for _, group in new_groups:
            latest = group[-1]
            product = Product(
                product_type=self.scaffold.product_type,
                slug=product_slug(latest),
                seo_title="",
                seo_description=latest.description[:300],
            )
            self._product_fields(product, latest, latest.expiry_date >= self.as_of)
            products.append(product)
        Product.objects.bulk_create(products)
        variants = catalog.bulk_create_variants(
            [
                ProductVariant(product=product, sku=variant_sku(group[-1]), name="")
                for product, (_, group) in zip(products, new_groups, strict=True)
            ]
        )
        Stock.objects.bulk_create(
            [
                Stock(
                    warehouse_id=producer.warehouse_id,
                    product_variant=variant,
                    quantity=group[-1].stock,
                )
                for variant, (producer, group) in zip(variants, new_groups, strict=True)
            ]
        )
        catalog.set_attribute_values(
            [
                (
                    product,
                    self.scaffold.attribute_values(g[-1].stars, g[-1].product_set, g[-1].origin),
                )
                for product, (_, g) in zip(products, new_groups, strict=True)
            ],
            self.scaffold,
        )
        ocop_products = OcopProduct.objects.bulk_create(
            [
                OcopProduct(
                    product=product,
                    producer=producer,
                    name_key=fold(group[-1].product_name),
                    product_set_code=group[-1].product_set.code,
                    **_listing_facts(group[-1]),
                )
                for product, (producer, group) in zip(products, new_groups, strict=True)
            ]
        )
        certificates = Certificate.objects.bulk_create(
            [
                self._certificate(ocop_product.pk, row)
                for ocop_product, (_, group) in zip(ocop_products, new_groups, strict=True)
                for row in group
            ]
        )
        latest_by_product = {}
        for certificate in certificates:
            latest_by_product[certificate.ocop_product_id] = certificate  # groups are date-sorted
        for ocop_product in ocop_products:
            ocop_product.current_certificate = latest_by_product[ocop_product.pk]
        OcopProduct.objects.bulk_update(ocop_products, ["current_certificate"])
        catalog.apply_active_sales(products)
        catalog.set_english_names(
            {p.pk: g[-1].product_name_en for p, (_, g) in zip(products, new_groups, strict=True)}
        )
        search_outbox.mark_products(p.pk for p in products)  # in the chunk's transaction

    def _update_products(self, changed_groups) -> None:

        new_certificates, edited_certificates = [], []
        for ocop_product, _, changes in changed_groups:
            for row, stored in changes:
                fresh = self._certificate(ocop_product.pk, row)
                if stored is None:
                    new_certificates.append(fresh)
                else:
                    fresh.pk = stored.pk
                    # A province's revocation is not the registry's to undo: kept, and
                    # the product stays unpublished (is_valid_on below sees it).
                    for name in REVOCATION_FIELDS:
                        setattr(fresh, name, getattr(stored, name))
                    edited_certificates.append(fresh)
        Certificate.objects.bulk_create(new_certificates)
        certificate_fields = [
            f.name
            for f in Certificate._meta.concrete_fields
            if f.name not in {"id", "ocop_product", "revoked_by", *REVOCATION_FIELDS}
        ]
        Certificate.objects.bulk_update(edited_certificates, certificate_fields)
        written = {
            (c.ocop_product_id, c.decision_key): c for c in new_certificates + edited_certificates
        }

        products, ocop_products, attribute_rows, stock_rows = [], [], [], {}
        for ocop_product, _, changes in changed_groups:
            current = ocop_product.current_certificate
            row, _ = max(changes, key=lambda change: (change[0].decision_date, change[0].row))
            if current is not None and row.decision_date < current.decision_date:
                continue  # an older decision: history only, the product keeps its newer one
            certificate = written[(ocop_product.pk, decision_key(row.decision_number))]
            ocop_product.current_certificate = certificate
            ocop_product.product_set_code = row.product_set.code
            for name, value in _listing_facts(row).items():
                setattr(ocop_product, name, value)
            product = ocop_product.product
            sellable = certificate.is_valid_on(self.as_of) and (
                ocop_product.producer_id not in self._suspended_producer_ids()
            )
            self._product_fields(product, row, sellable)
            products.append(product)
            ocop_products.append(ocop_product)
            attribute_rows.append(
                (product, self.scaffold.attribute_values(row.stars, row.product_set, row.origin))
            )
            stock_rows[product.pk] = row
        if not products:
            return
        Product.objects.bulk_update(
            products,
            [
                "name", "description", "description_json", "category", "price_amount",
                "minimal_variant_price_amount", "currency", "weight", "is_published",
                "publication_date",
            ],
        )  # fmt: skip
        OcopProduct.objects.bulk_update(
            ocop_products, ["current_certificate", "product_set_code", *LISTING_FACTS]
        )
        catalog.set_attribute_values(attribute_rows, self.scaffold)
        variants = list(ProductVariant.objects.filter(product_id__in=list(stock_rows)))
        for variant in variants:
            variant.sku = variant_sku(stock_rows[variant.product_id])
        ProductVariant.objects.bulk_update(variants, ["sku"])
        stocks = list(
            Stock.objects.filter(product_variant__product_id__in=list(stock_rows)).select_related(
                "product_variant"
            )
        )
        for stock in stocks:
            stock.quantity = stock_rows[stock.product_variant.product_id].stock
        Stock.objects.bulk_update(stocks, ["quantity"])
        catalog.apply_active_sales(products)
        catalog.set_english_names({pk: row.product_name_en for pk, row in stock_rows.items()})
        search_outbox.mark_products(p.pk for p in products)  # in the chunk's transaction


def _origin_fields(row: ValidatedRow) -> dict:
    origin = row.origin
    return {
        "province_code": origin.province_code,
        "province_name": origin.province_name,
        "commune_code": origin.commune_code,
        "commune_name": origin.commune_name,
        "legacy_province_name": origin.legacy_province_name,
        "legacy_district_name": origin.legacy_district_name,
        "legacy_commune_name": origin.legacy_commune_name,
    }
