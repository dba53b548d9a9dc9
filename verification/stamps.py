"""Serial stamps: issuing a batch, signing each serial, reading a scanned stamp.

A stamp's QR code holds ``/xac-minh/<product code>/<serial>-<signature>``. The signature
is the first 40 bits of HMAC-SHA256(``OCOP_STAMP_KEY``, "<product code>.<serial>"),
written as 8 characters of Crockford's base32: it binds the serial to its product, so a
changed serial, a changed signature, or one product's stamp put on another's code are
all "not a genuine stamp". A genuine signature is not enough: the serial must lie in a
batch issued for that product (a leaked key cannot mint stamps nobody issued).

The key comes from the environment (``OCOP_STAMP_KEY``; a development machine makes one
in ``.devdata/``; production refuses to start without it). Changing it makes every
printed stamp read as forged.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from common.errors import DomainError, bilingual
from common.inputs import whole_number
from marketplace.certification import valid_on
from marketplace.models import OcopProduct
from marketplace.verification_codes import ALPHABET, normalise, product_code
from verification.models import StampBatch

MAX_BATCH = 2000
SIGNATURE_LENGTH = 8
SERIAL_DIGITS = 9  # a product never has a billion stamps


def _key() -> bytes:
    key = getattr(settings, "OCOP_STAMP_KEY", "")
    if not key:
        raise ImproperlyConfigured("OCOP_STAMP_KEY is not set: stamps cannot be signed.")
    return key.encode()


def signature(code: str, serial: int) -> str:
    digest = hmac.new(_key(), f"{code}.{serial}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:5], "big")  # 40 bits = 8 base32 characters
    return "".join(ALPHABET[(number >> shift) & 31] for shift in range(35, -1, -5))


def stamp_token(code: str, serial: int) -> str:
    """The stamp's part of the URL: "<serial>-<signature>"."""
    return f"{serial}-{signature(code, serial)}"


@dataclass(frozen=True)
class ScannedStamp:
    serial: int | None  # None: not even the shape of a stamp
    signature_ok: bool


def read_token(code: str, token: str) -> ScannedStamp:
    """What a scanned "<serial>-<signature>" says, checked against ``code``."""
    serial_text, _, given = (token or "").strip().partition("-")
    serial = whole_number(serial_text, max_digits=SERIAL_DIGITS)
    if serial is None or serial < 1:
        return ScannedStamp(None, False)
    given = normalise(given)
    expected = signature(code, serial)
    return ScannedStamp(serial, hmac.compare_digest(given.encode(), expected.encode()))


def is_issued(ocop_product_id: int, serial: int) -> bool:
    """Whether ``serial`` lies in a batch issued for the product (one index probe)."""
    batch = (
        StampBatch.objects.filter(ocop_product_id=ocop_product_id, first_serial__lte=serial)
        .order_by("-first_serial")
        .values_list("first_serial", "count")
        .first()
    )
    return batch is not None and serial < batch[0] + batch[1]


def parse_count(raw: object) -> int:
    """The number of stamps asked for, 1..2,000, or DomainError on field ``count``."""
    count = whole_number(raw, max_digits=6)
    if count is None or not 1 <= count <= MAX_BATCH:
        raise DomainError(
            "invalid_count",
            bilingual(
                f"Số tem phải là số nguyên từ 1 đến {MAX_BATCH:,}".replace(",", "."),
                f"The number of stamps must be a whole number from 1 to {MAX_BATCH:,}",
            ),
            "count",
        )
    return count


def issue_batch(ocop_product: OcopProduct, count: int, *, issued_as: str, user=None) -> StampBatch:
    """A batch of ``count`` new serials for a product whose certificate is in force.
    The product row is locked, so two batches never share a serial."""
    count = parse_count(count)
    with transaction.atomic():
        locked = (
            OcopProduct.objects.select_for_update()
            .filter(valid_on(timezone.localdate()), pk=ocop_product.pk)
            .first()
        )
        if locked is None:
            raise DomainError(
                "not_certified",
                bilingual(
                    "Chỉ cấp tem cho sản phẩm có chứng nhận OCOP còn hiệu lực",
                    "Stamps are issued only for products with a certificate in force",
                ),
                "product",
            )
        top = (
            StampBatch.objects.filter(ocop_product=locked)
            .order_by("-first_serial")
            .values_list("first_serial", "count")
            .first()
        )
        first = top[0] + top[1] if top else 1
        return StampBatch.objects.create(
            ocop_product=locked,
            first_serial=first,
            count=count,
            issued_as=issued_as,
            issued_by=user if getattr(user, "pk", None) else None,
        )


def batch_tokens(batch: StampBatch) -> list[tuple[int, str]]:
    """(serial, URL token) of every stamp of a batch, in order."""
    code = product_code(batch.ocop_product_id)
    serials = range(batch.first_serial, batch.last_serial + 1)
    return [(serial, stamp_token(code, serial)) for serial in serials]
