"""What a shopper may see of the catalogue, and the OCOP facts shown with each product.

Shared by the GraphQL API and the storefront pages, so both list the same products:
published, with a current certificate in force today.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import F, QuerySet
from django.utils import timezone

from common.groups import product_set_by_code
from marketplace.certification import valid_on
from marketplace.models import OcopProduct

STAR_LEVELS = (3, 4, 5)


@dataclass(frozen=True)
class Origin:
    commune: str
    province: str
    province_code: str
    legacy_commune: str
    legacy_district: str
    legacy_province: str

    @property
    def differs_from_legacy(self) -> bool:
        return bool(self.legacy_commune or self.legacy_district or self.legacy_province)


@dataclass(frozen=True)
class CertificateFacts:
    decision_number: str
    decision_date: datetime.date
    expiry_date: datetime.date
    issuing_authority: str
    issuing_level: str
    legal_basis: str
    score: int | None
    is_valid: bool


@dataclass(frozen=True)
class ProducerFacts:
    name: str
    producer_type: str
    province: str


@dataclass(frozen=True)
class OcopFacts:
    product_id: int
    stars: int
    product_set_code: int
    product_group: str
    certificate: CertificateFacts
    producer: ProducerFacts
    origin: Origin
    ocop_product_id: int = 0
    # The raw-material area's marks from the registry: "vietgap", "huu_co", …
    quality_marks: tuple[str, ...] = ()

    @property
    def shows_badge(self) -> bool:
        """An expired (or not yet valid) certificate shows no badge."""
        return self.certificate.is_valid


def ocop_products_in_force(day: datetime.date | None = None) -> QuerySet:
    """OcopProducts a shopper may buy: published, certificate in force on ``day``."""
    day = day or timezone.localdate()
    return OcopProduct.objects.filter(valid_on(day), product__is_published=True)


def listed_product_ids(
    *,
    min_stars: int | None = None,
    province_code: str | None = None,
    product_group: int | None = None,
    day: datetime.date | None = None,
) -> QuerySet:
    """Ids of listed Saleor products matching the facets, as a subquery-ready queryset."""
    products = ocop_products_in_force(day)
    if min_stars is not None:
        products = products.filter(current_certificate__stars__gte=min_stars)
    if province_code:
        products = products.filter(producer__province_code=province_code)
    if product_group is not None:
        set_codes = [code for code in range(1, 27) if _group_of(code) == product_group]
        products = products.filter(product_set_code__in=set_codes)
    return products.values("product_id")


def order_by_stars(products: QuerySet, descending: bool = True) -> QuerySet:
    """Sort Saleor products by their current certificate's stars, then by name."""
    stars = F("ocop__current_certificate__stars")
    return products.order_by(stars.desc(nulls_last=True) if descending else stars.asc(), "name")


def _group_of(set_code: int) -> int | None:
    product_set = product_set_by_code(set_code)
    return product_set.group_code if product_set else None


def ocop_facts(
    product_ids: Iterable[int], day: datetime.date | None = None
) -> dict[int, OcopFacts]:
    """The OCOP facts of many products in one query, keyed by Saleor product id."""
    day = day or timezone.localdate()
    rows = OcopProduct.objects.filter(product_id__in=list(product_ids)).select_related(
        "current_certificate", "producer"
    )
    facts = {}
    for row in rows:
        certificate = row.current_certificate
        if certificate is None:
            continue
        product_set = product_set_by_code(row.product_set_code)
        facts[row.product_id] = OcopFacts(
            product_id=row.product_id,
            stars=certificate.stars,
            product_set_code=row.product_set_code,
            product_group=product_set.group_name_vi if product_set else "",
            certificate=CertificateFacts(
                decision_number=certificate.decision_number,
                decision_date=certificate.decision_date,
                expiry_date=certificate.expiry_date,
                issuing_authority=certificate.issuing_authority,
                issuing_level=certificate.issuing_level,
                legal_basis=certificate.legal_basis,
                score=certificate.score,
                is_valid=certificate.is_valid_on(day),
            ),
            producer=ProducerFacts(
                name=row.producer.name,
                producer_type=row.producer.producer_type,
                province=row.producer.province_name,
            ),
            origin=origin_of(certificate),
            ocop_product_id=row.pk,
            quality_marks=tuple(row.quality_marks or ()),
        )
    return facts


def origin_of(certificate) -> Origin:
    """Where a certificate says the product comes from: the current units, and the
    legacy names written on it only where they differ."""
    return Origin(
        commune=certificate.commune_name,
        province=certificate.province_name,
        province_code=certificate.province_code,
        legacy_commune=_if_different(certificate.legacy_commune_name, certificate.commune_name),
        legacy_district=certificate.legacy_district_name,
        legacy_province=_if_different(certificate.legacy_province_name, certificate.province_name),
    )


def _if_different(legacy: str, current: str) -> str:
    return legacy if legacy and legacy != current else ""
