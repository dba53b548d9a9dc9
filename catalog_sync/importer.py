"""Import a validated OCOP registry into Saleor and our marketplace models.

This module decides what to write (validation, grouping, upsert keys, chunks, the
report); the shop's side of each chunk is written by the catalogue port's
``registry_writer`` (``saleor_adapter.registry_writer``).

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
from catalog_sync.validation import Rejection, ValidatedRow, validate_rows
from common.text import fold, slug_for
from marketplace import ports
from marketplace.models import Certificate, OcopProduct

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
    if not facts.get(
        "product_name_en"
    ):  # an optional column: no English name, same hash as before it
        facts.pop("product_name_en", None)
    return hashlib.sha256(json.dumps(facts, sort_keys=True, default=str).encode()).hexdigest()


def variant_sku(row: ValidatedRow) -> str:
    if row.sku:
        return row.sku
    digest = hashlib.sha1("|".join(product_key(row)).encode()).hexdigest()[:10].upper()
    return f"OCOP-{row.origin.province_code}-{digest}"


def product_slug(row: ValidatedRow) -> str:
    digest = hashlib.sha1("|".join(product_key(row)).encode()).hexdigest()[:8]
    return f"{slug_for(row.product_name, 180)}-{digest}"


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


def writer_sku_owners(skus: list[str]) -> dict[str, tuple[str, str, str]]:
    """SKU → the product key of the shop's product that has it (read-only)."""
    return ports.catalogue().sku_owners(skus)


def reject_sku_clashes(rows: list[ValidatedRow]) -> tuple[list[ValidatedRow], list[Rejection]]:
    """A SKU is unique in Saleor: refuse one used by another product, in the file or the shop."""

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
    owner_of_taken_sku = writer_sku_owners(list(owners))
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
    settings = ports.settings().marketplace_settings()
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

    writer = ports.catalogue().registry_writer(as_of, Path(path).name)
    for chunk in chunked(group_by_product(valid), chunk_size):
        write_chunk(writer, chunk, report)
        if progress:
            progress(sum(len(group) for group in chunk))
    report.rejected = len({r.row for r in report.rejections})
    return report


# What the database says about the rows themselves (a value, a constraint, a trigger's
# RAISE). A lost connection or a bug in a query is no row's fault: it stops the import.
ROW_REFUSED = (DataError, IntegrityError, InternalError)


def write_chunk(writer, chunk: list[list[ValidatedRow]], report: ImportReport) -> None:
    """Write a chunk (with the catalogue port's ``registry_writer``) in one transaction;
    if the database refuses it, write it again one
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


def _write_atomically(writer, groups, report: ImportReport) -> None:
    counts = ImportReport()
    try:
        with transaction.atomic():
            writer.write(groups, counts)
    except ROW_REFUSED:
        # Shop objects the writer cached (a province's attribute value) may have been
        # created in the transaction just rolled back.
        writer.forget_cached_objects()
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
