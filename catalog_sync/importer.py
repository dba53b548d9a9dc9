"""Import a validated OCOP registry into Saleor and our marketplace models.

A file is written in chunks, each in one transaction; all rows of one product go in
the same chunk. A crash or a kill therefore leaves whole products or nothing (no
orphan product, producer or warehouse), and a re-run finishes the job because every
write is an upsert keyed on the certificate (decision number + producer + product).
Each chunk costs a fixed number of queries, whatever its size.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import DataError, IntegrityError, InternalError, transaction
from django.utils import timezone

from catalog_sync.limits import column_limits
from catalog_sync.readers import read_registry
from catalog_sync.text import fold
from catalog_sync.validation import Rejection, ValidatedRow, validate_rows
from marketplace.models import Certificate, OcopProduct, Producer
from plugins import catalog
from plugins.ocop.plugin import marketplace_settings

DEFAULT_CHUNK_SIZE = 500


@dataclass
class ImportReport:
    accepted: int = 0
    rejected: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "accepted": self.accepted,
            "rejected": self.rejected,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejections": [r.as_dict() for r in sorted(self.rejections, key=_rejection_order)],
        }


def _rejection_order(rejection: Rejection) -> tuple:
    return (rejection.row, rejection.field, rejection.code)


def producer_key(row: ValidatedRow) -> tuple[str, str]:
    return fold(row.producer_name), row.origin.province_code


def product_key(row: ValidatedRow) -> tuple[str, str, str]:
    return (*producer_key(row), fold(row.product_name))


def decision_key(decision_number: str) -> str:
    # "QD" and "QĐ", spaces and case vary between files for the same decision.
    return fold(decision_number).replace(" ", "")


def row_hash(row: ValidatedRow) -> str:
    facts = asdict(row)
    facts.pop("row", None)
    return hashlib.sha256(json.dumps(facts, sort_keys=True, default=str).encode()).hexdigest()


def variant_sku(row: ValidatedRow) -> str:
    if row.sku:
        return row.sku
    digest = hashlib.sha1("|".join(product_key(row)).encode()).hexdigest()[:10].upper()
    return f"OCOP-{row.origin.province_code}-{digest}"


def product_slug(row: ValidatedRow) -> str:
    digest = hashlib.sha1("|".join(product_key(row)).encode()).hexdigest()[:8]
    return f"{catalog.slug_for(row.product_name, 180)}-{digest}"


def group_by_product(rows: Iterable[ValidatedRow]) -> list[list[ValidatedRow]]:
    groups: dict[tuple, list[ValidatedRow]] = {}
    for row in rows:
        groups.setdefault(product_key(row), []).append(row)
    return [sorted(group, key=lambda r: (r.decision_date, r.row)) for group in groups.values()]


def chunked(groups: list[list[ValidatedRow]], size: int) -> Iterable[list[list[ValidatedRow]]]:
    chunk, count = [], 0
    for group in groups:
        chunk.append(group)
        count += len(group)
        if count >= size:
            yield chunk
            chunk, count = [], 0
    if chunk:
        yield chunk


def reject_sku_clashes(rows: list[ValidatedRow]) -> tuple[list[ValidatedRow], list[Rejection]]:
    """A SKU is unique in Saleor: refuse one used by another product, in the file or the shop."""
    from saleor.product.models import ProductVariant

    owners: dict[str, tuple] = {}
    kept, rejections = [], []
    for row in rows:
        sku, key = variant_sku(row), product_key(row)
        first = owners.setdefault(sku, key)
        if first != key:
            rejections.append(
                Rejection(
                    row.row,
                    "sku",
                    "sku_duplicate",
                    f"Mã SKU {sku} đã dùng cho sản phẩm khác trong tệp",
                    f"SKU {sku} is used by another product in this file",
                )
            )
        else:
            kept.append(row)
    owner_of_taken_sku = {
        sku: (name_key, province_code, product_name_key)
        for sku, name_key, province_code, product_name_key in ProductVariant.objects.filter(
            sku__in=list(owners)
        ).values_list(
            "sku",
            "product__ocop__producer__name_key",
            "product__ocop__producer__province_code",
            "product__ocop__name_key",
        )
    }
    result = []
    for row in kept:
        sku = variant_sku(row)
        if sku in owner_of_taken_sku and owner_of_taken_sku[sku] != product_key(row):
            rejections.append(
                Rejection(
                    row.row,
                    "sku",
                    "sku_taken",
                    f"Mã SKU {sku} đã thuộc về một sản phẩm khác trong cửa hàng",
                    f"SKU {sku} already belongs to another product in the shop",
                )
            )
        else:
            result.append(row)
    return result, rejections


class ChunkWriter:
    """Writes one chunk of product groups with a fixed number of queries."""

    def __init__(self, scaffold, as_of: datetime.date, source_file: str):
        self.scaffold = scaffold
        self.as_of = as_of
        self.source_file = source_file

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
        from saleor.account.models import Address
        from saleor.warehouse.models import Warehouse

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
                        slug=f"{catalog.slug_for(row.producer_name, 200)}-{key[1]}-"
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
        from saleor.product.models import Product, ProductVariant
        from saleor.warehouse.models import Stock

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

    def _update_products(self, changed_groups) -> None:
        from saleor.product.models import Product, ProductVariant
        from saleor.warehouse.models import Stock

        new_certificates, edited_certificates = [], []
        for ocop_product, _, changes in changed_groups:
            for row, stored in changes:
                fresh = self._certificate(ocop_product.pk, row)
                if stored is None:
                    new_certificates.append(fresh)
                else:
                    fresh.pk = stored.pk
                    edited_certificates.append(fresh)
        Certificate.objects.bulk_create(new_certificates)
        certificate_fields = [
            f.name
            for f in Certificate._meta.concrete_fields
            if f.name not in {"id", "ocop_product"}
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
            product = ocop_product.product
            self._product_fields(product, row, certificate.is_valid_on(self.as_of))
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
        OcopProduct.objects.bulk_update(ocop_products, ["current_certificate", "product_set_code"])
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


def classify_without_writing(rows: list[ValidatedRow], report: ImportReport) -> None:
    """What an import would do, for --dry-run: read-only queries, nothing written."""
    known_products = {
        (p.producer.name_key, p.producer.province_code, p.name_key): p.pk
        for p in OcopProduct.objects.select_related("producer").only(
            "pk", "name_key", "producer__name_key", "producer__province_code"
        )
    }
    hashes = {
        (ocop_product_id, key): source_hash
        for ocop_product_id, key, source_hash in Certificate.objects.values_list(
            "ocop_product_id", "decision_key", "source_hash"
        )
    }
    for row in rows:
        ocop_product_id = known_products.get(product_key(row))
        if ocop_product_id is None:
            report.created += 1
        elif hashes.get((ocop_product_id, decision_key(row.decision_number))) == row_hash(row):
            report.unchanged += 1
        else:
            report.updated += 1


def import_registry(
    path: str | Path,
    *,
    as_of: datetime.date | None = None,
    dry_run: bool = False,
    sheet: str | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Read, validate and (unless ``dry_run``) import a registry file.

    Raises ``RegistryFileError`` when the file cannot be read at all.
    """
    as_of = as_of or timezone.localdate()
    registry = read_registry(path, sheet=sheet)
    settings = marketplace_settings()
    valid, rejections = validate_rows(
        registry.rows,
        as_of=as_of,
        validity_months=settings.certificate_validity_months,
        limits=column_limits(),
    )
    valid, sku_rejections = reject_sku_clashes(valid)
    report = ImportReport(rejections=rejections + sku_rejections)
    report.accepted = len(valid)
    report.rejected = len({r.row for r in report.rejections})
    if dry_run:
        classify_without_writing(valid, report)
        return report

    writer = ChunkWriter(catalog.ensure_scaffold(), as_of, Path(path).name)
    for chunk in chunked(group_by_product(valid), chunk_size):
        write_chunk(writer, chunk, report)
        if progress:
            progress(sum(len(group) for group in chunk))
    report.rejected = len({r.row for r in report.rejections})
    return report


# What the database says about the rows themselves (a value, a constraint, a trigger's
# RAISE). A lost connection or a bug in a query is no row's fault: it stops the import.
ROW_REFUSED = (DataError, IntegrityError, InternalError)


def write_chunk(writer: ChunkWriter, chunk: list[list[ValidatedRow]], report: ImportReport) -> None:
    """Write a chunk in one transaction; if the database refuses it, write it again one
    product per transaction, so only the products it refuses are left out (and reported
    as ``write_failed``). Validation should leave nothing for the database to refuse:
    this is the net under it, never a half-written product."""
    try:
        _write_atomically(writer, chunk, report)
        return
    except ROW_REFUSED:
        pass
    for group in chunk:
        try:
            _write_atomically(writer, [group], report)
        except ROW_REFUSED as error:
            report.accepted -= len(group)
            report.rejections.extend(_write_failed(row, error) for row in group)


def _write_atomically(writer: ChunkWriter, groups, report: ImportReport) -> None:
    counts = ImportReport()
    try:
        with transaction.atomic():
            writer.write(groups, counts)
    except ROW_REFUSED:
        # Saleor objects the writer cached (a province's attribute value) may have been
        # created in the transaction just rolled back.
        writer.scaffold = catalog.ensure_scaffold()
        raise
    report.created += counts.created
    report.updated += counts.updated
    report.unchanged += counts.unchanged


def _write_failed(row: ValidatedRow, error: Exception) -> Rejection:
    reason = (str(error).strip().splitlines() or [type(error).__name__])[0][:300]
    return Rejection(
        row.row,
        "",
        "write_failed",
        f"Cơ sở dữ liệu từ chối ghi sản phẩm '{row.product_name[:40]}' ({reason}); các "
        "dòng khác vẫn được nhập. Báo cho quản trị viên.",
        f"The database refused to write the product '{row.product_name[:40]}' ({reason}); "
        "the other rows were imported. Tell an administrator.",
    )
