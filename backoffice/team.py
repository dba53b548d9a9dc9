"""The cooperative's own side of its people, money and profile (the portal, ``/htx/``):
its team (a manager invites with the one set-password link and removes; staff see the
list), its payout bank account (everyone sees it, partly masked; a manager asks for a
change, which a platform staff member approves) and its profile (story, logo, address,
contacts: a manager or platform staff edit it; the storefront shows it). The writes are
``marketplace.cooperatives``' own, with the permission rule of
``access.manages_cooperative``."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode

from backoffice.security import BadRequest, portal_view, post_only
from common.banks import bank_choices, bank_name, masked_account_number
from common.errors import DomainError, bilingual
from common.inputs import whole_number
from marketplace import access, cooperatives
from marketplace.models import CooperativeMembership, PayoutAccountChange, Producer

MAX_MEMBERS = 200  # a cooperative's team; more would be a list to page through
NOT_MANAGER = bilingual(
    "Chỉ quản lý của hợp tác xã được làm việc này", "Only the cooperative's managers may do this"
)


def _chosen(request, raw: str) -> tuple[Producer | None, list[Producer]]:
    """The cooperative the page is about (``htx``, one of the user's: 404 otherwise) and
    the user's cooperatives to choose from. Platform staff choose by id (a list of
    thousands is the cooperatives section's job); a member's first one is the default."""
    visible = access.producers_for(request.user).order_by("name", "pk")
    mine = [] if access.sees_all(request.user) else list(visible[:50])
    raw = (raw or "").strip()
    if raw:
        pk = whole_number(raw, max_digits=12)
        if pk is None:
            raise BadRequest("Tham số «htx» không hợp lệ / Invalid «htx».")
        producer = visible.filter(pk=pk).first()
        if producer is None:
            raise Http404("Không tìm thấy hợp tác xã / No such cooperative.")
        return producer, mine
    return (mine[0] if mine else None), mine


def _page(request, template: str, producer, producers, status=200, **extra):
    return TemplateResponse(
        request,
        template,
        {
            "user": request.user,
            "sees_all": access.sees_all(request.user),
            "producer": producer,
            "producers": producers,
            "manages": producer is not None
            and access.manages_cooperative(request.user, producer.pk),
            **extra,
        },
        status=status,
    )


def _manager_of(request, producer: Producer) -> None:
    if not access.manages_cooperative(request.user, producer.pk):
        raise PermissionDenied(NOT_MANAGER)


def _posted_cooperative(request) -> tuple[Producer, list[Producer]]:
    """The cooperative a manager's form is about (``htx``), checked as every write is."""
    producer, producers = _chosen(request, request.POST.get("htx", ""))
    if producer is None:
        raise BadRequest("Chọn hợp tác xã / Choose a cooperative.")
    _manager_of(request, producer)
    return producer, producers


def _to(name: str, producer: Producer):
    return redirect(f"{reverse(name)}?{urlencode({'htx': producer.pk})}")


# -- the team -------------------------------------------------------------------------


def _team_page(request, producer, producers, error=None, form=None, status=200):
    members = (
        CooperativeMembership.objects.filter(producer=producer)
        .select_related("user")
        .order_by("user__email", "pk")[:MAX_MEMBERS]
        if producer
        else []
    )
    return _page(
        request, "portal/team.html", producer, producers, status=status, members=members,
        roles=CooperativeMembership.Role.choices, error=error, form=form or {},
    )  # fmt: skip


@portal_view
def team(request):
    producer, producers = _chosen(request, request.GET.get("htx", ""))
    return _team_page(request, producer, producers)


@portal_view
def team_invite(request):
    refused = post_only(request)
    if refused:
        return refused
    producer, producers = _posted_cooperative(request)
    email, role = request.POST.get("email", ""), request.POST.get("role", "")
    try:
        cooperatives.invite_member(request.user, producer, email, role)
    except DomainError as error:
        form = {"email": email, "role": role}
        return _team_page(request, producer, producers, error, form, status=400)
    return _to("portal:team", producer)


@portal_view
def team_remove(request, pk: int):
    refused = post_only(request)
    if refused:
        return refused
    membership = (
        CooperativeMembership.objects.filter(pk=pk, producer__in=access.producers_for(request.user))
        .select_related("producer")
        .first()
    )
    if membership is None:
        raise Http404("Không có thành viên này / No such member.")
    producer = membership.producer
    _manager_of(request, producer)
    try:
        cooperatives.remove_member(request.user, producer, membership.pk)
    except DomainError as error:
        _, producers = _chosen(request, str(producer.pk))
        return _team_page(request, producer, producers, error, status=400)
    if membership.user_id == request.user.pk and not access.sees_all(request.user):
        # They left this cooperative: its pages are no longer theirs.
        request.user._ocop_producer_ids = None
        return redirect("backoffice-areas")
    return _to("portal:team", producer)


# -- the payout account -----------------------------------------------------------------


def _account_page(request, producer, producers, error=None, form=None, status=200):
    settings = getattr(producer, "cooperative_settings", None) if producer else None
    pending = (
        PayoutAccountChange.objects.filter(
            producer=producer, status=PayoutAccountChange.Status.PENDING
        ).first()
        if producer
        else None
    )
    current = None
    if settings and settings.bank_account_number:
        current = {
            "bank": bank_name(settings.bank_bin) or settings.bank_name,
            "number": masked_account_number(settings.bank_account_number),
            "holder": settings.bank_account_holder,
        }
    waiting = None
    if pending:
        waiting = {
            "bank": bank_name(pending.bank_bin),
            "number": masked_account_number(pending.bank_account_number),
            "holder": pending.bank_account_holder,
            "requested_at": pending.requested_at,
        }
    return _page(
        request, "portal/payout_account.html", producer, producers, status=status,
        current=current, waiting=waiting, banks=bank_choices(), error=error, form=form or {},
    )  # fmt: skip


@portal_view
def payout_account(request):
    producer, producers = _chosen(request, request.GET.get("htx", ""))
    return _account_page(request, producer, producers)


@portal_view
def payout_account_request(request):
    refused = post_only(request)
    if refused:
        return refused
    producer, producers = _posted_cooperative(request)
    form = {key: request.POST.get(key, "") for key in ("bank_bin", "account_number", "holder")}
    try:
        cooperatives.request_payout_account(
            request.user, producer, form["bank_bin"], form["account_number"], form["holder"]
        )
    except DomainError as error:
        return _account_page(request, producer, producers, error, form, status=400)
    return _to("portal:payout_account", producer)


# -- the profile ------------------------------------------------------------------------

PROFILE_FIELDS = ("story", "address", "contact_name", "contact_phone", "contact_email")


def _profile_page(request, producer, producers, error=None, form=None, status=200):
    settings = getattr(producer, "cooperative_settings", None) if producer else None
    if form is None:
        form = {name: getattr(settings, name, "") for name in PROFILE_FIELDS}
    return _page(
        request, "portal/profile.html", producer, producers, status=status,
        settings=settings, error=error, form=form,
    )  # fmt: skip


@portal_view
def profile(request):
    producer, producers = _chosen(request, request.GET.get("htx", ""))
    return _profile_page(request, producer, producers)


@portal_view
def profile_save(request):
    refused = post_only(request)
    if refused:
        return refused
    producer, producers = _posted_cooperative(request)
    form = {name: request.POST.get(name, "") for name in PROFILE_FIELDS}
    try:
        cooperatives.update_profile(
            request.user,
            producer,
            **form,
            logo=request.FILES.get("logo"),
            remove_logo=request.POST.get("remove_logo") == "1",
        )
    except DomainError as error:
        return _profile_page(request, producer, producers, error, form, status=400)
    return _to("portal:profile", producer)
