"""Which products may be sold: those whose current recognition decision is in force
(signed, not expired, not revoked); and the province's revocation of a decision."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from common.errors import DomainError, bilingual
from common.inputs import NUL_MESSAGE, has_nul, required_text
from marketplace import ports
from marketplace.models import Certificate, OcopProduct

REVOCATION_DECISION_MAX = Certificate._meta.get_field("revocation_decision").max_length
REVOCATION_REASON_MAX = 2000


def valid_on(day: datetime.date) -> Q:
    """OcopProduct filter: the current certificate is in force on ``day`` and the
    platform has not suspended its producer (a suspended cooperative sells nothing)."""
    return Q(
        current_certificate__decision_date__lte=day,
        current_certificate__expiry_date__gte=day,
        producer__suspended_at__isnull=True,
    ) & (
        Q(current_certificate__revoked_on__isnull=True) | Q(current_certificate__revoked_on__gt=day)
    )


def certified_product_ids(product_ids: Iterable[int], day: datetime.date) -> set[int]:
    """The subset of Saleor product ids that hold a valid certificate on ``day``."""
    return set(
        OcopProduct.objects.filter(valid_on(day), product_id__in=list(product_ids)).values_list(
            "product_id", flat=True
        )
    )


def expired_published_product_ids(day: datetime.date) -> list[int]:
    """Published products whose certificate is no longer (or not yet) in force."""
    return list(
        OcopProduct.objects.filter(product__is_published=True)
        .exclude(valid_on(day))
        .values_list("product_id", flat=True)
    )


def revoke(
    certificate: Certificate,
    *,
    decision_number: str,
    decided_on: datetime.date | None,
    reason: str = "",
    user=None,
    today: datetime.date | None = None,
) -> Certificate:
    """Revoke ``certificate`` by the province's decision ``decision_number`` of
    ``decided_on``: from that day it is not in force, and its product, when this is the
    product's current decision, leaves the shop at once (unpublished through the
    catalogue port; the publication guard then refuses to publish it again). A revoked
    certificate stays revoked: a second revocation is refused. Raises DomainError with
    the field at fault."""
    today = today or timezone.localdate()
    decision_number = required_text(
        decision_number,
        field="decision_number",
        max_length=REVOCATION_DECISION_MAX,
        missing=("Nhập số quyết định thu hồi", "Enter the revoking decision's number"),
    )
    reason = (reason or "").strip()
    if has_nul(reason):
        raise DomainError("null_character", NUL_MESSAGE, "reason")
    if len(reason) > REVOCATION_REASON_MAX:
        raise DomainError(
            "too_long",
            bilingual(
                f"Lý do tối đa {REVOCATION_REASON_MAX} ký tự",
                f"A reason has at most {REVOCATION_REASON_MAX} characters",
            ),
            "reason",
        )
    if decided_on is None:
        raise DomainError(
            "required",
            bilingual("Nhập ngày quyết định thu hồi", "Enter the revoking decision's date"),
            "decided_on",
        )
    if decided_on > today:
        raise DomainError(
            "in_future",
            bilingual(
                "Ngày quyết định thu hồi không được sau hôm nay",
                "The revoking decision cannot be dated after today",
            ),
            "decided_on",
        )
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_on is not None:
            raise DomainError(
                "already_revoked",
                bilingual(
                    f"Chứng nhận đã bị thu hồi theo {locked.revocation_decision}",
                    f"The certificate was already revoked by {locked.revocation_decision}",
                ),
                None,
            )
        if decided_on < locked.decision_date:
            raise DomainError(
                "before_decision",
                bilingual(
                    "Ngày thu hồi không được trước ngày công nhận",
                    "A revocation cannot predate the recognition decision",
                ),
                "decided_on",
            )
        locked.revoked_on = decided_on
        locked.revocation_decision = decision_number
        locked.revocation_reason = reason
        locked.revoked_by = user if getattr(user, "pk", None) else None
        locked.revoked_at = timezone.now()
        locked.save(
            update_fields=[
                "revoked_on", "revocation_decision", "revocation_reason", "revoked_by",
                "revoked_at",
            ]
        )  # fmt: skip
        product = OcopProduct.objects.select_related("current_certificate").get(
            pk=locked.ocop_product_id
        )
        if product.current_certificate_id == locked.pk:
            ports.catalogue().set_published([product.product_id], False)
    return locked
