"""Bank transfers to review (/quan-tri/chuyen-khoan/): the credits ``payments_vn.matching``
could not match exactly, and what staff made of them. Platform staff match one to an
order, record that it was sent back, or dismiss it with a note; the writes are
``payments_vn.review``'s, in the audit log with their actor."""

from __future__ import annotations

from django.core.paginator import EmptyPage, Paginator
from django.db import connection
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import urlencode

from backoffice.security import BadRequest, number_param, signed_in_area
from marketplace import access
from payments_vn import review
from payments_vn.models import BankTransaction

PAGE_SIZE = 50
# ?trang_thai=: waiting (the default), resolved, or every credit the bank reported.
STATES = {
    "cho": "Chờ xử lý / Waiting",
    "da-xu-ly": "Đã xử lý / Resolved",
    "tat-ca": "Tất cả / All",
}

staff_view = signed_in_area(
    may_enter=access.sees_all,
    refusal="Chỉ nhân viên sàn xem chuyển khoản / Only platform staff may review bank transfers.",
)


@staff_view
def transfer_list(request):
    state = request.GET.get("trang_thai", "").strip() or "cho"
    if state not in STATES:
        raise BadRequest("Trạng thái không hợp lệ / Unknown state.")
    outcome = request.GET.get("ket_qua", "").strip()
    if outcome and outcome not in BankTransaction.Outcome.values:
        raise BadRequest("Kết quả đối chiếu không hợp lệ / Unknown matching outcome.")
    rows = BankTransaction.objects.select_related("matched_order", "resolved_by", "payment")
    if state == "cho":
        rows = rows.filter(needs_review=True)
    elif state == "da-xu-ly":
        rows = rows.exclude(resolution="")
    if outcome:
        rows = rows.filter(outcome=outcome)
    paginator = Paginator(rows.order_by("-booked_at", "-id"), PAGE_SIZE)
    try:
        page = paginator.page(number_param(request.GET, "trang") or 1)
    except EmptyPage:
        raise Http404("Trang không tồn tại / No such page.") from None
    filters = {"trang_thai": state, "ket_qua": outcome}
    return TemplateResponse(
        request,
        "backoffice/transfer_list.html",
        {
            "user": request.user,
            "page": page,
            "filters": filters,
            "states": STATES.items(),
            "outcomes": BankTransaction.Outcome.choices,
            "query": urlencode({k: v for k, v in filters.items() if v}),
        },
    )


def _in_id_range(pk: int) -> bool:
    # <int:pk> takes any number of digits; past the column's range PostgreSQL would
    # answer with an error, not "no such row".
    low, high = connection.ops.integer_field_range(BankTransaction._meta.pk.get_internal_type())
    return low <= pk <= high


def _transaction(pk: int) -> BankTransaction:
    row = (
        BankTransaction.objects.select_related("matched_order", "resolved_by", "payment")
        .filter(pk=pk)
        .first()
        if _in_id_range(pk)
        else None
    )
    if row is None:
        raise Http404("Không tìm thấy giao dịch / No such bank transaction.")
    return row


def _detail(request, row: BankTransaction, error=None, form=None, status=200):
    return TemplateResponse(
        request,
        "backoffice/transfer_detail.html",
        {"user": request.user, "row": row, "error": error, "form": form or {}},
        status=status,
    )


@staff_view
def transfer_detail(request, pk: int):
    return _detail(request, _transaction(pk))


ACTIONS = {
    "khop-don": lambda user, pk, post: review.match_to_order(
        user, pk, post.get("order", ""), post.get("note", "")
    ),
    "hoan-tien": lambda user, pk, post: review.record_refund(
        user, pk, post.get("reference", ""), post.get("note", "")
    ),
    "bo-qua": lambda user, pk, post: review.dismiss(user, pk, post.get("note", "")),
}


@staff_view
def transfer_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404("Thao tác không tồn tại / No such action.")
    _transaction(pk)  # an unknown one is a 404, not a form error
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        ACTIONS[action](request.user, pk, request.POST)
    except review.ReviewError as error:
        form = {
            key: request.POST.get(key, "") for key in request.POST if key != "csrfmiddlewaretoken"
        }
        return _detail(request, _transaction(pk), error, {"action": action, **form}, status=400)
    return redirect("backoffice-transfer", pk=pk)
