"""What the platform's staff do to a cooperative: its team, its payout bank account, its
selling terms and its suspension. A cooperative's own managers run its team and ask for
a payout account change too (from the portal); approving stays with platform staff.

Invariants:
* a payout account is checked as a shopper's refund account is
  (``refunds.clean_bank_details``: a NAPAS bank, 6–19 digits, the holder in capitals
  without diacritics);
* a payout account change takes two people: whoever asks for it cannot approve it, and a
  cooperative has at most one change waiting (a new request supersedes the old one);
* a suspended cooperative sells nothing (``certification.valid_on`` excludes it, so the
  publication guard, the expiry sweeper, the storefront and a re-import all agree), its
  open orders go on, and lifting the suspension republishes exactly what it took down
  that is still certified.
Every write here is a staff write: django-auditlog records it with its actor.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone

from common.banks import BANK_NAMES, bank_name
from common.errors import DomainError, bilingual
from common.inputs import has_nul, required_text
from common.phones import normalise_phone
from marketplace import access, certification, invitations, ports, product_pages, refunds
from marketplace.models import (
    CooperativeMembership,
    CooperativeSettings,
    OcopProduct,
    PayoutAccountChange,
    Producer,
)

MAX_NOTE = 1000
# refunds.clean_bank_details names the bank "bank"; the payout form's field is bank_bin.
FIELDS = {"bank": "bank_bin"}


class CooperativeError(DomainError):
    pass


def _refuse_nul(**texts: str) -> None:
    for field, text in texts.items():
        if has_nul(text):
            raise CooperativeError(
                "nul", bilingual("Không được chứa ký tự NUL", "Must not contain NUL"), field
            )


def _staff(actor) -> None:
    if not access.sees_all(actor):
        raise CooperativeError(
            "forbidden",
            bilingual("Chỉ nhân viên sàn được làm việc này", "Only platform staff may do this"),
        )


def settings_of(producer: Producer) -> CooperativeSettings:
    settings, _ = CooperativeSettings.objects.get_or_create(producer=producer)
    return settings


# --- The team -----------------------------------------------------------------------


def _manages(actor, producer: Producer) -> None:
    """The team, the payout account request and the profile: platform staff, or the cooperative's
    own managers (``access.manages_cooperative``, the one rule the portal uses too)."""
    if not access.manages_cooperative(actor, producer.pk):
        raise CooperativeError(
            "forbidden",
            bilingual(
                "Chỉ quản lý của hợp tác xã hoặc nhân viên sàn được làm việc này",
                "Only the cooperative's managers or platform staff may do this",
            ),
        )


def invite_member(actor, producer: Producer, email: str, role: str) -> CooperativeMembership:
    """Give ``email`` a portal account of ``producer`` and send it a set-password link
    (after commit). An existing account (a shopper, another cooperative's member) keeps
    its password and is told it may now use the portal."""
    _manages(actor, producer)
    email = invitations.invitee_email(email)
    if role not in CooperativeMembership.Role.values:
        raise CooperativeError(
            "invalid_role", bilingual("Vai trò không hợp lệ", "Unknown role"), "role"
        )
    with transaction.atomic():
        user = invitations.account_for(email)
        try:
            with transaction.atomic():
                membership = CooperativeMembership.objects.create(
                    user=user, producer=producer, role=role
                )
        except IntegrityError:
            raise CooperativeError(
                "already_member",
                bilingual(
                    f"{email} đã là thành viên của {producer.name}",
                    f"{email} is already a member of {producer.name}",
                ),
                "email",
            ) from None
        from marketplace.tasks import send_member_invitation

        membership_id = membership.pk
        transaction.on_commit(lambda: send_member_invitation.delay(membership_id))
    return membership


def send_invitation(membership_id: int) -> None:
    """The invitation e-mail, in Vietnamese with English beside it."""
    membership = (
        CooperativeMembership.objects.select_related("user", "producer")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None:
        return
    invitations.send(
        membership.user,
        subject=(
            f"[Chợ OCOP] Mời tham gia cổng hợp tác xã {membership.producer.name} / "
            "Invitation to the cooperative portal"
        ),
        template="marketplace/email/member_invitation",
        context={"producer": membership.producer, "role": membership.get_role_display()},
    )


def remove_member(actor, producer: Producer, membership_id: int) -> None:
    """Take a person off the cooperative's team (the account itself stays: it may shop
    or belong to another cooperative). A manager cannot leave a cooperative with no
    manager: someone must still be able to run its team."""
    _manages(actor, producer)
    with transaction.atomic():
        managers = list(
            CooperativeMembership.objects.select_for_update()
            .filter(producer=producer, role=CooperativeMembership.Role.MANAGER)
            .values_list("pk", "user_id")
        )
        membership = CooperativeMembership.objects.filter(
            pk=membership_id, producer=producer
        ).first()
        if membership is None:
            raise CooperativeError(
                "not_found", bilingual("Không có thành viên này", "No such member")
            )
        if (
            membership.user_id == getattr(actor, "pk", None)
            and membership.role == CooperativeMembership.Role.MANAGER
            and len(managers) == 1
        ):
            raise CooperativeError(
                "last_manager",
                bilingual(
                    "Bạn là quản lý duy nhất: hãy mời một quản lý khác trước khi rời nhóm",
                    "You are the only manager: invite another manager before leaving",
                ),
            )
        membership.delete()


# --- The payout account ------------------------------------------------------------


def request_payout_account(
    actor, producer: Producer, bank_bin: str, account_number: str, holder: str
) -> PayoutAccountChange:
    """Ask for a new payout account (platform staff, or the cooperative's manager in the
    portal); it applies once a platform staff member other than the asker approves."""
    _manages(actor, producer)
    try:
        details = refunds.clean_bank_details(bank_bin, account_number, holder, BANK_NAMES)
    except refunds.DetailsError as refused:
        # One form, one message at a time: the first field at fault, in form order.
        field, message = next(iter(refused.errors.items()))
        raise CooperativeError("invalid_" + field, message, FIELDS.get(field, field)) from None
    bank_bin, account_number = details["bank_bin"], details["account_number"]
    holder = details["holder"]
    with transaction.atomic():
        PayoutAccountChange.objects.select_for_update().filter(
            producer=producer, status=PayoutAccountChange.Status.PENDING
        ).update(status=PayoutAccountChange.Status.SUPERSEDED, decided_at=timezone.now())
        return PayoutAccountChange.objects.create(
            producer=producer,
            bank_bin=bank_bin,
            bank_account_number=account_number,
            bank_account_holder=holder,
            requested_by=actor,
        )


def decide_payout_account(
    actor, producer: Producer, change_id: int, *, approve: bool, note: str = ""
) -> PayoutAccountChange:
    """Approve (the account applies at once) or reject a waiting change; the person who
    asked for it cannot decide it."""
    _staff(actor)
    note = (note or "").strip()
    _refuse_nul(note=note)
    if len(note) > MAX_NOTE:
        raise CooperativeError(
            "note_too_long",
            bilingual(
                f"Ghi chú tối đa {MAX_NOTE} ký tự", f"A note is at most {MAX_NOTE} characters"
            ),
            "note",
        )
    with transaction.atomic():
        change = (
            PayoutAccountChange.objects.select_for_update()
            .filter(pk=change_id, producer=producer, status=PayoutAccountChange.Status.PENDING)
            .first()
        )
        if change is None:
            raise CooperativeError(
                "not_pending",
                bilingual("Không có yêu cầu nào đang chờ duyệt", "No change is waiting"),
            )
        if change.requested_by_id == actor.pk:
            raise CooperativeError(
                "same_person",
                bilingual(
                    "Người khác phải duyệt yêu cầu do bạn tạo",
                    "Another staff member must approve a change you asked for",
                ),
            )
        change.status = (
            PayoutAccountChange.Status.APPROVED if approve else PayoutAccountChange.Status.REJECTED
        )
        change.decided_by, change.decided_at, change.note = actor, timezone.now(), note
        change.save()
        if approve:
            settings = settings_of(producer)
            settings.bank_bin = change.bank_bin
            settings.bank_name = bank_name(change.bank_bin)
            settings.bank_account_number = change.bank_account_number
            settings.bank_account_holder = change.bank_account_holder
            settings.save()
    return change


# --- Selling terms and channels ----------------------------------------------------


def update_terms(
    actor, producer: Producer, *, commission: str, notification_email: str, webhook_url: str
) -> CooperativeSettings:
    """Commission (empty: the platform's default) and the notification channels."""
    _staff(actor)
    commission, notification_email = (commission or "").strip(), (notification_email or "").strip()
    webhook_url = (webhook_url or "").strip()
    _refuse_nul(
        commission=commission, notification_email=notification_email, webhook_url=webhook_url
    )
    rate = None
    if commission:
        try:
            rate = Decimal(commission.replace(",", "."))
        except InvalidOperation:
            rate = None
        if rate is None or not rate.is_finite() or not Decimal(0) <= rate <= Decimal(50):
            raise CooperativeError(
                "invalid_commission",
                bilingual(
                    "Hoa hồng là số từ 0 đến 50 (%)", "Commission is a number from 0 to 50 (%)"
                ),
                "commission",
            )
        if rate.as_tuple().exponent < -2:
            raise CooperativeError(
                "invalid_commission",
                bilingual("Hoa hồng tối đa 2 chữ số thập phân", "At most 2 decimal places"),
                "commission",
            )
    if notification_email:
        try:
            validate_email(notification_email)
        except ValidationError:
            raise CooperativeError(
                "invalid_email",
                bilingual("E-mail không hợp lệ", "Not a valid e-mail address"),
                "notification_email",
            ) from None
    if webhook_url:
        try:
            URLValidator(schemes=["https"])(webhook_url)
        except ValidationError:
            raise CooperativeError(
                "invalid_webhook",
                bilingual("Webhook phải là địa chỉ https://", "A webhook must be an https:// URL"),
                "webhook_url",
            ) from None
    settings = settings_of(producer)
    settings.commission_rate_percent = rate
    settings.notification_email = notification_email
    settings.webhook_url = webhook_url
    settings.save()
    return settings


# --- Suspension ----------------------------------------------------------------------


def suspend(actor, producer_id: int, reason: str) -> Producer:
    """Its products leave the shop at once; its open orders go on."""
    _staff(actor)
    reason = required_text(
        reason,
        field="reason",
        max_length=MAX_NOTE,
        missing=("Ghi lý do tạm ngừng", "Give the reason for the suspension"),
        error=CooperativeError,
    )
    with transaction.atomic():
        producer = Producer.objects.select_for_update().get(pk=producer_id)
        if producer.suspended_at is not None:
            raise CooperativeError(
                "already_suspended", bilingual("Đã tạm ngừng", "Already suspended")
            )
        published = list(
            OcopProduct.objects.filter(producer=producer, product__is_published=True)
            .order_by("product_id")
            .values_list("product_id", flat=True)
        )
        ports.catalogue().set_published(published, False)
        producer.suspended_at = timezone.now()
        producer.suspension_reason = reason
        producer.unpublished_by_suspension = published
        producer.save()
    return producer


def lift_suspension(actor, producer_id: int) -> Producer:
    """Back in the shop: what the suspension took down and is still certified."""
    _staff(actor)
    with transaction.atomic():
        producer = Producer.objects.select_for_update().get(pk=producer_id)
        if producer.suspended_at is None:
            raise CooperativeError(
                "not_suspended", bilingual("Không bị tạm ngừng", "Not suspended")
            )
        producer.suspended_at = None
        producer.suspension_reason = ""
        taken_down, producer.unpublished_by_suspension = producer.unpublished_by_suspension, []
        producer.save()
        sellable = certification.certified_product_ids(taken_down, timezone.localdate())
        ports.catalogue().set_published(sorted(sellable), True)
    return producer


# --- Profile ---------------------------------------------------------------------------

PROFILE_TEXT_MAX = {"address": 255, "contact_name": 100}


def _short_text(raw: object, field: str) -> str:
    text = " ".join((raw if isinstance(raw, str) else "").split())
    _refuse_nul(**{field: text})
    if len(text) > PROFILE_TEXT_MAX[field]:
        raise CooperativeError(
            "too_long",
            bilingual(
                f"Tối đa {PROFILE_TEXT_MAX[field]} ký tự",
                f"At most {PROFILE_TEXT_MAX[field]} characters",
            ),
            field,
        )
    return text


def update_profile(
    actor,
    producer: Producer,
    *,
    story: object,
    address: object,
    contact_name: object,
    contact_phone: object,
    contact_email: object,
    logo=None,
    remove_logo: bool = False,
) -> CooperativeSettings:
    """The cooperative's own profile: its story (plain paragraphs, as a product's), its
    logo (checked as a product photo is), address and contacts. Its managers and platform
    staff change it; the storefront shows it beside its products."""
    _manages(actor, producer)
    try:
        story = product_pages.clean_story(story)
        logo_extension = product_pages.check_photo(logo) if logo is not None else None
    except product_pages.ProductPageError as error:
        raise CooperativeError(
            error.code, error.message, "logo" if error.field == "photo" else error.field
        ) from None
    address, contact_name = (
        _short_text(address, "address"),
        _short_text(contact_name, "contact_name"),
    )
    phone_text = (contact_phone if isinstance(contact_phone, str) else "").strip()
    _refuse_nul(contact_phone=phone_text)
    phone = normalise_phone(phone_text) if phone_text else ""
    if phone is None:
        raise CooperativeError(
            "invalid_phone",
            bilingual(
                "Số điện thoại không hợp lệ, ví dụ 0912 345 678",
                "Not a valid phone number, e.g. 0912 345 678",
            ),
            "contact_phone",
        )
    email = (contact_email if isinstance(contact_email, str) else "").strip().lower()
    _refuse_nul(contact_email=email)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            raise CooperativeError(
                "invalid_email",
                bilingual("E-mail không hợp lệ", "Not a valid e-mail address"),
                "contact_email",
            ) from None
    with transaction.atomic():
        settings = settings_of(producer)
        settings.story, settings.address = story, address
        settings.contact_name, settings.contact_phone, settings.contact_email = (
            contact_name,
            phone,
            email,
        )
        if logo is not None:
            settings.logo.save(f"{producer.pk}.{logo_extension}", logo, save=False)
        elif remove_logo:
            settings.logo = ""
        settings.save()
    return settings


@dataclass(frozen=True)
class PublicProfile:
    """What the storefront shows of a cooperative beside its product."""

    story: list[str]
    logo_url: str
    address: str
    contact_phone: str


def public_profile(ocop_product_id: int) -> PublicProfile | None:
    """The profile of the cooperative that makes the product, if it has told one."""
    settings = CooperativeSettings.objects.filter(producer__products__pk=ocop_product_id).first()
    if settings is None or not (settings.story or settings.logo or settings.address):
        return None
    return PublicProfile(
        story=[line for line in settings.story.split("\n") if line.strip()],
        logo_url=settings.logo.url if settings.logo else "",
        address=settings.address,
        contact_phone=settings.contact_phone,
    )
