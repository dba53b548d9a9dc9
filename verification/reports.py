"""The province's queue: shoppers' reports of suspected fakes, and stamps that look
copied (one serial checked too often or in too many places). Scoped by province like
the fairs: callers pass the provinces the user may see (``fairs.access.province_codes``;
None is every province), and another province's item is answered like a missing one."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from common.errors import DomainError, bilingual
from common.inputs import required_text
from marketplace.models import OcopProduct
from verification.models import FakeReport, StampCheck, StampFlag

# A serial is flagged when it was checked this many times, or in this many provinces.
COPIED_AFTER_CHECKS = 20
COPIED_AFTER_PLACES = 3
NOTE_MAX = 2000


def reports_for(province_codes: list[str] | None) -> QuerySet:
    reports = FakeReport.objects.select_related("ocop_product__product")
    if province_codes is None:
        return reports
    return reports.filter(province_code__in=province_codes)


def flags_for(province_codes: list[str] | None) -> QuerySet:
    flags = StampFlag.objects.select_related("ocop_product__product")
    if province_codes is None:
        return flags
    return flags.filter(province_code__in=province_codes)


def submit_report(
    ocop_product: OcopProduct,
    *,
    what: str,
    where: str,
    contact: str = "",
    photo=None,
    serial: int | None = None,
) -> FakeReport:
    """A report (its text already checked by ``verification.forms.FakeReportForm``)."""
    return FakeReport.objects.create(
        ocop_product=ocop_product,
        serial=serial,
        province_code=ocop_product.producer.province_code,
        what=what,
        where=where,
        contact=contact,
        photo=photo or "",
    )


def _clean_note(note: str) -> str:
    return required_text(
        note,
        field="note",
        max_length=NOTE_MAX,
        missing=("Ghi rõ đã xử lý thế nào", "Say how it was resolved"),
    )


def resolve_report(report: FakeReport, note: str, user) -> FakeReport:
    note = _clean_note(note)
    with transaction.atomic():
        locked = FakeReport.objects.select_for_update().get(pk=report.pk)
        if locked.status == FakeReport.Status.RESOLVED:
            raise DomainError(
                "already_resolved",
                bilingual("Báo cáo này đã được xử lý", "This report is already resolved"),
            )
        locked.status = FakeReport.Status.RESOLVED
        locked.resolution_note = note
        locked.resolved_by = user if getattr(user, "pk", None) else None
        locked.resolved_at = timezone.now()
        locked.save(update_fields=["status", "resolution_note", "resolved_by", "resolved_at"])
    return locked


def resolve_flag(flag: StampFlag, note: str, user) -> StampFlag:
    note = _clean_note(note)
    updated = StampFlag.objects.filter(pk=flag.pk, resolved_at__isnull=True).update(
        resolution_note=note,
        resolved_by=user if getattr(user, "pk", None) else None,
        resolved_at=timezone.now(),
    )
    if not updated:
        raise DomainError(
            "already_resolved",
            bilingual("Cảnh báo này đã được xử lý", "This flag is already resolved"),
        )
    flag.refresh_from_db()
    return flag


def flag_copied_stamps(since: datetime.datetime | None = None) -> int:
    """The sweeper (Celery beat): serials checked at least ``COPIED_AFTER_CHECKS`` times
    or in ``COPIED_AFTER_PLACES`` provinces get a flag in their product's province queue
    (once; its figures are kept up to date). Only serials checked since ``since`` (the
    last day by default) are looked at, so a run reads the recent checks only."""
    since = since or timezone.now() - datetime.timedelta(days=1)
    recent = (
        StampCheck.objects.filter(genuine=True, checked_at__gte=since)
        .values("ocop_product_id", "serial")
        .distinct()
    )
    keys = {(row["ocop_product_id"], row["serial"]) for row in recent}
    if not keys:
        return 0
    flagged = 0
    products = dict(
        OcopProduct.objects.filter(pk__in={key[0] for key in keys}).values_list(
            "pk", "producer__province_code"
        )
    )
    for row in _totals(sorted(keys)):
        if row["checks"] < COPIED_AFTER_CHECKS and row["places"] < COPIED_AFTER_PLACES:
            continue
        _, created = StampFlag.objects.update_or_create(
            ocop_product_id=row["ocop_product_id"],
            serial=row["serial"],
            defaults={
                "checks": row["checks"],
                "places": row["places"],
                "province_code": products.get(row["ocop_product_id"], ""),
            },
        )
        flagged += created
    return flagged


def _totals(keys: list[tuple[int, int]], chunk: int = 500):
    """Checks and provinces of each (product, serial), a few hundred serials a query."""
    for start in range(0, len(keys), chunk):
        condition = Q()
        for product_id, serial in keys[start : start + chunk]:
            condition |= Q(ocop_product_id=product_id, serial=serial)
        yield from (
            StampCheck.objects.filter(condition, genuine=True)
            .values("ocop_product_id", "serial")
            .annotate(
                checks=Count("id"),
                places=Count("province_code", distinct=True, filter=~Q(province_code="")),
            )
        )
