"""Platform staff run the cooperatives from here: find one, see its profile (the
registry's facts, read-only), its team (invite with a set-password link, remove), its
payout bank account (a change needs a second staff member), its commission and
notification channels, and suspend or reinstate it. Every write goes through
``marketplace.cooperatives`` and is in the audit log."""

from __future__ import annotations

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import urlencode

from backoffice.security import BadRequest, number_param, signed_in_area
from common.banks import bank_choices, bank_name
from common.errors import DomainError
from common.inputs import has_nul
from common.text import fold
from common.units import provinces
from marketplace import access, cooperatives
from marketplace.models import CooperativeMembership, PayoutAccountChange, Producer

PAGE_SIZE = 50
MAX_SEARCH = 100

staff_view = signed_in_area(
    may_enter=access.sees_all,
    refusal=("Chỉ nhân viên sàn quản lý hợp tác xã / Only platform staff may manage cooperatives."),
)


def _search(request) -> str:
    text = request.GET.get("q", "").strip()
    if len(text) > MAX_SEARCH or has_nul(text):
        raise BadRequest("Từ khoá không hợp lệ / Invalid search text.")
    return text


@staff_view
def cooperative_list(request):
    search = _search(request)
    province = request.GET.get("tinh", "").strip()
    known = dict(provinces())
    if province and province not in known:
        raise BadRequest("Tỉnh không hợp lệ / Unknown province.")
    producers = Producer.objects.annotate(
        member_count=Count("members", distinct=True),
        pending_change=Exists(
            PayoutAccountChange.objects.filter(
                producer=OuterRef("pk"), status=PayoutAccountChange.Status.PENDING
            )
        ),
    ).select_related("cooperative_settings")
    if search:
        producers = producers.filter(
            # The folded name: staff type "nam mau" for "Nam Mẫu" on a phone.
            Q(name_key__contains=fold(search))
            | Q(tax_code__icontains=search)
            | Q(email__icontains=search)
        )
    if province:
        producers = producers.filter(province_code=province)
    if request.GET.get("tam_ngung") == "1":
        producers = producers.filter(suspended_at__isnull=False)
    paginator = Paginator(producers.order_by("name", "pk"), PAGE_SIZE)
    try:
        page = paginator.page(number_param(request.GET, "trang") or 1)
    except EmptyPage:
        raise Http404("Trang không tồn tại / No such page.") from None
    filters = {"q": search, "tinh": province, "tam_ngung": request.GET.get("tam_ngung") == "1"}
    return TemplateResponse(
        request,
        "backoffice/cooperative_list.html",
        {
            "user": request.user,
            "page": page,
            "filters": filters,
            "provinces": sorted(known.items(), key=lambda item: item[1]),
            "query": urlencode({k: ("1" if v is True else v) for k, v in filters.items() if v}),
        },
    )


def _producer(pk: int) -> Producer:
    producer = Producer.objects.select_related("cooperative_settings").filter(pk=pk).first()
    if producer is None:
        raise Http404("Không tìm thấy hợp tác xã / No such cooperative.")
    return producer


def _detail(request, producer: Producer, error=None, form: dict | None = None, status=200):
    settings = getattr(producer, "cooperative_settings", None)
    pending = (
        producer.payout_account_changes.filter(status=PayoutAccountChange.Status.PENDING)
        .select_related("requested_by")
        .first()
    )
    return TemplateResponse(
        request,
        "backoffice/cooperative_detail.html",
        {
            "user": request.user,
            "producer": producer,
            "settings": settings,
            "bank": bank_name(settings.bank_bin) if settings and settings.bank_bin else "",
            "members": producer.members.select_related("user").order_by("user__email"),
            "roles": CooperativeMembership.Role.choices,
            "pending": pending,
            "pending_bank": bank_name(pending.bank_bin) if pending else "",
            "banks": bank_choices(),
            "history": producer.payout_account_changes.exclude(
                status=PayoutAccountChange.Status.PENDING
            ).select_related("requested_by", "decided_by")[:10],
            "error": error,
            "form": form or {},
        },
        status=status,
    )


@staff_view
def cooperative_detail(request, pk: int):
    return _detail(request, _producer(pk))


def _invite(user, producer, post):
    cooperatives.invite_member(user, producer, post.get("email", ""), post.get("role", ""))


def _remove(user, producer, post):
    member = number_param(post, "member", required=True)
    cooperatives.remove_member(user, producer, member)


def _request_account(user, producer, post):
    cooperatives.request_payout_account(
        user, producer, post.get("bank_bin", ""), post.get("account_number", ""),
        post.get("holder", ""),
    )  # fmt: skip


def _decide(approve: bool):
    def decide(user, producer, post):
        change = number_param(post, "change", required=True)
        cooperatives.decide_payout_account(
            user, producer, change, approve=approve, note=post.get("note", "")
        )

    return decide


def _terms(user, producer, post):
    cooperatives.update_terms(
        user, producer, commission=post.get("commission", ""),
        notification_email=post.get("notification_email", ""),
        webhook_url=post.get("webhook_url", ""),
    )  # fmt: skip


def _suspend(user, producer, post):
    cooperatives.suspend(user, producer.pk, post.get("reason", ""))


def _lift(user, producer, post):
    cooperatives.lift_suspension(user, producer.pk)


ACTIONS = {
    "moi-thanh-vien": _invite,
    "xoa-thanh-vien": _remove,
    "tai-khoan-nhan-tien": _request_account,
    "duyet-tai-khoan": _decide(True),
    "tu-choi-tai-khoan": _decide(False),
    "dieu-khoan": _terms,
    "tam-ngung": _suspend,
    "mo-lai": _lift,
}


@staff_view
def cooperative_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404("Thao tác không tồn tại / No such action.")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    producer = _producer(pk)
    try:
        ACTIONS[action](request.user, producer, request.POST)
    except DomainError as error:
        form = {
            key: request.POST.get(key, "") for key in request.POST if key != "csrfmiddlewaretoken"
        }
        return _detail(request, _producer(pk), error, {"action": action, **form}, status=400)
    return redirect("backoffice-cooperative", pk=pk)
