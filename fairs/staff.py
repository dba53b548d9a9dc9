"""Who runs a province's fairs: platform staff invite a person for a province (the back
office's one set-password link, ``marketplace.invitations``) and revoke them; the
``ocop_province_staff`` command runs the same functions for scripts.

Revoking removes the province; an account left with no other role (no other province,
no cooperative, no staff permission, no order of its own as a shopper) is deactivated,
so an invitation that is taken back leaves no working sign-in behind.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from common.errors import DomainError, bilingual
from common.units import province_name
from fairs.models import ProvinceStaff
from marketplace import access, invitations, ports
from marketplace.models import CooperativeMembership


class ProvinceStaffError(DomainError):
    pass


def _may(actor) -> None:
    """``actor`` None is the operator's own script (manage.py on the server)."""
    if actor is not None and not access.sees_all(actor):
        raise ProvinceStaffError(
            "forbidden",
            bilingual("Chỉ nhân viên sàn được làm việc này", "Only platform staff may do this"),
        )


def province_code(raw: str) -> str:
    code = (raw or "").strip()
    if code.isascii() and code.isdigit() and len(code) <= 2:
        code = code.zfill(2)
    if not province_name(code):
        raise ProvinceStaffError(
            "invalid_province",
            bilingual("Chọn một trong 34 tỉnh, thành phố", "Choose one of the 34 provinces"),
            "province",
        )
    return code


def invite(actor, email: str, province: str, *, existing_only: bool = False) -> ProvinceStaff:
    """Give ``email`` the fairs of ``province`` and send the invitation after commit (a
    new address gets its set-password link). ``existing_only``: refuse an address with
    no account instead of creating one (the command's ``grant``)."""
    _may(actor)
    email = invitations.invitee_email(email)
    code = province_code(province)
    with transaction.atomic():
        if existing_only:
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.filter(email=email).first()
            if user is None:
                raise ProvinceStaffError(
                    "no_account",
                    bilingual(f"Không có tài khoản {email}", f"No account {email}"),
                    "email",
                )
        else:
            user = invitations.account_for(email)
        try:
            with transaction.atomic():
                row = ProvinceStaff.objects.create(user=user, province_code=code)
        except IntegrityError:
            raise ProvinceStaffError(
                "already_staff",
                bilingual(
                    f"{email} đã phụ trách {province_name(code)}",
                    f"{email} already works for {province_name(code)}",
                ),
                "email",
            ) from None
        from fairs.tasks import send_province_invitation

        row_id = row.pk
        transaction.on_commit(lambda: send_province_invitation.delay(row_id))
    return row


def send_invitation(row_id: int) -> None:
    row = ProvinceStaff.objects.select_related("user").filter(pk=row_id).first()
    if row is None:
        return
    name = province_name(row.province_code)
    invitations.send(
        row.user,
        subject=f"[Chợ OCOP] Mời phụ trách hội chợ {name} / Invitation to run {name}'s fairs",
        template="fairs/email/province_invitation",
        context={"province": name},
    )


def _has_other_role(user) -> bool:
    return (
        ProvinceStaff.objects.filter(user=user).exists()
        or CooperativeMembership.objects.filter(user=user).exists()
        or user.is_superuser
        or (user.is_staff and bool(user.get_all_permissions()))
        or ports.accounts().has_orders(user)
    )


def revoke(actor, row_id: int) -> bool:
    """Take a province away from a person; returns whether the account was deactivated
    (it had no other role)."""
    _may(actor)
    with transaction.atomic():
        row = ProvinceStaff.objects.select_for_update().select_related("user").filter(pk=row_id)
        row = row.first()
        if row is None:
            raise ProvinceStaffError(
                "not_found", bilingual("Không có người này", "No such provincial staff member")
            )
        user = row.user
        row.delete()
        if user.is_active and not _has_other_role(user):
            ports.accounts().deactivate(user)
            return True
    return False
