"""What the public verification page says about a product and a scanned stamp.

A product's page (``/xac-minh/<code>``) costs two queries: the product with its
producer and current certificate, then its decisions (the star history). A stamp adds
two index probes (is the serial issued? when was it first checked?) and one insert
(the check). It works for expired and revoked products too: that is when it matters.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Min
from django.utils import timezone

from common.inputs import without_control_characters
from marketplace.catalogue import Origin, origin_of
from marketplace.models import Certificate, OcopProduct
from marketplace.verification_codes import product_code, product_id_from_code
from verification import stamps
from verification.models import StampCheck

IN_FORCE = "in_force"
EXPIRED = "expired"
REVOKED = "revoked"
NOT_YET = "not_yet"

GENUINE = "genuine"
FORGED = "forged"
NOT_ISSUED = "not_issued"


@dataclass(frozen=True)
class Step:
    """One decision in the product's life: first recognition, renewal, upgrade…"""

    kind: str  # "first", "renewal", "upgrade", "downgrade"
    stars: int
    decision_number: str
    decision_date: datetime.date
    expiry_date: datetime.date
    issuing_authority: str
    revoked_on: datetime.date | None
    revocation_decision: str


@dataclass(frozen=True)
class ProductVerification:
    code: str
    ocop_product_id: int
    product_id: int
    product_name: str
    product_slug: str
    is_published: bool
    producer_name: str
    producer_type: str
    province_code: str
    province: str
    origin: Origin
    stars: int
    decision_number: str
    decision_date: datetime.date
    expiry_date: datetime.date
    issuing_authority: str
    issuing_level: str
    legal_basis: str
    status: str
    revoked_on: datetime.date | None
    revocation_decision: str
    quality_marks: tuple[str, ...]
    history: list[Step] = field(default_factory=list)

    @property
    def in_force(self) -> bool:
        return self.status == IN_FORCE


@dataclass(frozen=True)
class StampResult:
    state: str  # GENUINE, FORGED, NOT_ISSUED
    serial: int | None
    first_checked_at: datetime.datetime | None  # before this check; None: this is the first
    check_id: int | None

    @property
    def genuine(self) -> bool:
        return self.state == GENUINE


def status_of(certificate: Certificate, day: datetime.date) -> str:
    if certificate.is_revoked_on(day):
        return REVOKED
    if day > certificate.expiry_date:
        return EXPIRED
    if day < certificate.decision_date:
        return NOT_YET
    return IN_FORCE


def _history(certificates: list[Certificate]) -> list[Step]:
    steps = []
    previous = None
    for certificate in sorted(certificates, key=lambda c: (c.decision_date, c.pk)):
        if previous is None:
            kind = "first"
        elif certificate.stars > previous.stars:
            kind = "upgrade"
        elif certificate.stars < previous.stars:
            kind = "downgrade"
        else:
            kind = "renewal"
        steps.append(
            Step(
                kind=kind,
                stars=certificate.stars,
                decision_number=certificate.decision_number,
                decision_date=certificate.decision_date,
                expiry_date=certificate.expiry_date,
                issuing_authority=certificate.issuing_authority,
                revoked_on=certificate.revoked_on,
                revocation_decision=certificate.revocation_decision,
            )
        )
        previous = certificate
    return list(reversed(steps))  # newest first


def verify_product(code: str, day: datetime.date | None = None) -> ProductVerification | None:
    """The facts of the product ``code`` names, or None (no such code or product)."""
    ocop_product_id = product_id_from_code(code)
    if ocop_product_id is None:
        return None
    row = (
        OcopProduct.objects.filter(pk=ocop_product_id)
        .select_related("producer", "current_certificate", "product")
        .only(
            "id", "product_set_code", "quality_marks", "current_certificate",
            "producer__name", "producer__producer_type", "producer__province_code",
            "producer__province_name", "product__id", "product__name", "product__slug",
            "product__is_published",
            *(f"current_certificate__{name}" for name in _CERTIFICATE_FIELDS),
        )
        .first()
    )  # fmt: skip
    if row is None or row.current_certificate is None:
        return None
    day = day or timezone.localdate()
    certificate = row.current_certificate
    history = list(
        Certificate.objects.filter(ocop_product_id=row.pk).only(
            "id", "stars", "decision_number", "decision_date", "expiry_date",
            "issuing_authority", "revoked_on", "revocation_decision",
        )
    )  # fmt: skip
    return ProductVerification(
        code=product_code(row.pk),
        ocop_product_id=row.pk,
        product_id=row.product.pk,
        product_name=row.product.name,
        product_slug=row.product.slug,
        is_published=row.product.is_published,
        producer_name=row.producer.name,
        producer_type=row.producer.producer_type,
        province_code=row.producer.province_code,
        province=row.producer.province_name,
        origin=origin_of(certificate),
        stars=certificate.stars,
        decision_number=certificate.decision_number,
        decision_date=certificate.decision_date,
        expiry_date=certificate.expiry_date,
        issuing_authority=certificate.issuing_authority,
        issuing_level=certificate.issuing_level,
        legal_basis=certificate.legal_basis,
        status=status_of(certificate, day),
        revoked_on=certificate.revoked_on,
        revocation_decision=certificate.revocation_decision,
        quality_marks=tuple(row.quality_marks or ()),
        history=_history(history),
    )


_CERTIFICATE_FIELDS = (
    "stars", "decision_number", "decision_date", "expiry_date", "issuing_authority",
    "issuing_level", "legal_basis", "revoked_on", "revocation_decision", "commune_name",
    "province_name", "province_code", "legacy_commune_name", "legacy_district_name",
    "legacy_province_name",
)  # fmt: skip


def check_stamp(product: ProductVerification, token: str, *, record: bool = True) -> StampResult:
    """Read a scanned stamp of ``product``; record the check unless ``record`` is off
    (a HEAD request, a link preview)."""
    scanned = stamps.read_token(product.code, token)
    if scanned.serial is None or not scanned.signature_ok:
        state = FORGED
    elif not stamps.is_issued(product.ocop_product_id, scanned.serial):
        state = NOT_ISSUED
    else:
        state = GENUINE
    first = None
    if state == GENUINE:
        first = StampCheck.objects.filter(
            ocop_product_id=product.ocop_product_id, serial=scanned.serial, genuine=True
        ).aggregate(first=Min("checked_at"))["first"]
    check_id = None
    if record:
        check_id = _record(
            StampCheck(
                ocop_product_id=product.ocop_product_id,
                serial=scanned.serial if state == GENUINE else None,
                genuine=state == GENUINE,
                scanned="" if state == GENUINE else _scanned(f"{product.code}/{token}"),
            )
        )
    return StampResult(
        state=state,
        serial=scanned.serial if state == GENUINE else None,
        first_checked_at=first,
        check_id=check_id,
    )


def record_unknown(scanned: str) -> None:
    """A stamp-shaped scan whose product code names nothing: not genuine, recorded."""
    _record(StampCheck(ocop_product=None, genuine=False, scanned=_scanned(scanned)))


def _record(check: StampCheck) -> int:
    """One insert whose commit does not wait for the disk (``synchronous_commit`` off
    for this transaction only): the page never waits on a WAL flush for a statistic; a
    crash can lose the last fraction of a second of checks, never corrupt anything.
    Inside a caller's transaction (tests) the setting ends with it."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")
        check.save(force_insert=True)
    return check.pk


def _scanned(text: str) -> str:
    """What was scanned, as stored: control characters (NUL, which PostgreSQL refuses,
    among them) made spaces, cut to the column."""
    return without_control_characters(text)[:64]


def share_location(check_id: int, province_code: str) -> bool:
    """The province the visitor chose for a check just made (set once)."""
    return bool(
        StampCheck.objects.filter(pk=check_id, province_code="").update(province_code=province_code)
    )


def as_json(product: ProductVerification, stamp: StampResult | None = None) -> dict:
    """The JSON twin of the page."""
    data = {
        "code": product.code,
        "product": product.product_name,
        "producer": {"name": product.producer_name, "type": product.producer_type},
        "origin": {
            "commune": product.origin.commune,
            "province": product.origin.province,
            "provinceCode": product.origin.province_code,
            "legacyCommune": product.origin.legacy_commune,
            "legacyDistrict": product.origin.legacy_district,
            "legacyProvince": product.origin.legacy_province,
        },
        "stars": product.stars,
        "certificate": {
            "decisionNumber": product.decision_number,
            "issuingAuthority": product.issuing_authority,
            "issuingLevel": product.issuing_level,
            "decisionDate": product.decision_date.isoformat(),
            "expiryDate": product.expiry_date.isoformat(),
            "legalBasis": product.legal_basis,
        },
        "status": product.status,
        "revokedOn": product.revoked_on.isoformat() if product.revoked_on else None,
        "revocationDecision": product.revocation_decision or None,
        "qualityMarks": list(product.quality_marks),
        "history": [
            {
                "kind": step.kind,
                "stars": step.stars,
                "decisionNumber": step.decision_number,
                "decisionDate": step.decision_date.isoformat(),
                "expiryDate": step.expiry_date.isoformat(),
                "revokedOn": step.revoked_on.isoformat() if step.revoked_on else None,
            }
            for step in product.history
        ],
    }
    if stamp is not None:
        data["stamp"] = {
            "state": stamp.state,
            "serial": stamp.serial,
            "firstCheckedAt": stamp.first_checked_at.isoformat()
            if stamp.first_checked_at
            else None,
        }
    return data
