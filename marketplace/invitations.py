"""Inviting a person to a staff area by e-mail: the one set-password link mechanism of
the back office (a cooperative's team, a province's staff).

A new address gets an account without a usable password and a one-time link to choose
one (Django's password-reset token, ``/dang-nhap/dat-mat-khau/…``: it stops working once
the password is set); an existing account keeps its password and is told it may sign
in. The e-mail is sent after commit, by the caller's task, in Vietnamese with English.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from common.errors import DomainError, bilingual
from common.inputs import has_nul

MAX_EMAIL = 254


class InvitationError(DomainError):
    pass


def invitee_email(raw: str) -> str:
    """The address as typed, trimmed and lower-cased; refused when it is not one."""
    email = (raw or "").strip().lower()
    if has_nul(email):
        raise InvitationError(
            "nul", bilingual("Không được chứa ký tự NUL", "Must not contain NUL"), "email"
        )
    try:
        if len(email) > MAX_EMAIL:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError:
        raise InvitationError(
            "invalid_email", bilingual("E-mail không hợp lệ", "Not a valid e-mail address"), "email"
        ) from None
    return email


def account_for(email: str):
    """The account of ``email`` (already checked by ``invitee_email``), created without a
    usable password when there is none: the set-password link gives it one."""
    User = get_user_model()
    user = User.objects.filter(email=email).first()
    if user is not None:
        return user
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email)
            user.set_unusable_password()  # until they follow the set-password link
            user.save(update_fields=["password"])
    except IntegrityError:  # invited twice at the same moment: the other one made it
        user = User.objects.get(email=email)
    return user


def set_password_path(user) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse("backoffice-set-password", kwargs={"uidb64": uid, "token": token})


def send(user, *, subject: str, template: str, context: dict) -> None:
    """The invitation e-mail from ``template`` (``.txt`` and ``.html``), which gets
    ``has_password``, ``set_password_url`` and ``sign_in_url`` besides ``context``."""
    from marketplace import ports

    context = {
        **context,
        "has_password": user.has_usable_password(),
        "set_password_url": ports.orders().absolute_url(set_password_path(user)),
        "sign_in_url": ports.orders().absolute_url(reverse("backoffice-login")),
    }
    message = EmailMultiAlternatives(
        subject, render_to_string(f"{template}.txt", context), None, [user.email]
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    message.send()
