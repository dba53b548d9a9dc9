"""Platform staff's orders (/quan-tri/don-hang/): find an order by number, phone, e-mail,
cooperative, part status or payment; read it (parcels, payments, refunds, history, audit
log); confirm cash on delivery collected, cancel a part or the order, refund a part, and
send an e-mail again. The view is thin: ``marketplace.order_desk`` reads and acts,
``payments_vn.cod_reconciliation.confirm_collected`` captures the cash as a courier's
file does, and every refusal is a field error (400), bilingual."""

from __future__ import annotations

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import urlencode

from backoffice.security import BadRequest, signed_in_area
from common.errors import DomainError
from common.inputs import whole_number
from marketplace import access, order_desk, ports
from marketplace.models import CooperativeOrder, CooperativeOrderStatus, OrderRouting, PartRefund
from payments_vn import cod_reconciliation

NOT_FOUND = "Không tìm thấy đơn hàng / Order not found."

# What the page offers: a part not shipped yet, or delivered (a return), may be cancelled;
# a refund owed with its bank details, or a card refund queued or failed, may be made.
CANCEL_FROM = (*order_desk.CANCELLABLE, CooperativeOrderStatus.DELIVERED)
REFUND_FROM = (PartRefund.Status.READY, PartRefund.Status.PENDING, PartRefund.Status.FAILED)

staff_view = signed_in_area(
    may_enter=access.sees_all,
    refusal="Chỉ nhân viên sàn xem mọi đơn hàng / Only platform staff see every order.",
)


def _cursor(request, name: str) -> int | None:
    """``?sau=`` / ``?truoc=``: the order number a page starts after (or before)."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    number = whole_number(raw, max_digits=10)
    if number is None or number < 1:
        raise BadRequest("Trang không hợp lệ / Invalid page.")
    return number


@staff_view
def order_list(request):
    parsed = order_desk.parse_query(request.GET)
    after, before = _cursor(request, "sau"), _cursor(request, "truoc")
    page = None
    if not parsed.errors:
        page = order_desk.search_page(request.user, parsed.query, after=after, before=before)
    return TemplateResponse(
        request,
        "backoffice/order_list.html",
        {
            "user": request.user,
            "page": page,
            "filters": parsed.filters,
            "errors": parsed.errors,
            "producer": parsed.producer,
            "query": urlencode(parsed.filters),
            "statuses": CooperativeOrderStatus.choices,
            "payment_kinds": order_desk.PAYMENT_KINDS.items(),
            "payment_statuses": order_desk.PAYMENT_STATUSES.items(),
        },
        status=400 if parsed.errors else 200,
    )


def _audit_entries(order_file) -> list[LogEntry]:
    """The audit log of the order's parts, their refunds and its staff flag."""
    kinds = ContentType.objects.get_for_models(CooperativeOrder, PartRefund, OrderRouting)
    part_ids = [str(parcel.part.pk) for parcel in order_file.view.parcels]
    refund_ids = [str(refund.pk) for refund in order_file.refunds]
    routing_ids = [
        str(pk)
        for pk in OrderRouting.objects.filter(order_id=order_file.order.pk).values_list(
            "pk", flat=True
        )
    ]
    wanted = Q(pk__in=[])
    for model, ids in ((CooperativeOrder, part_ids), (PartRefund, refund_ids),
                       (OrderRouting, routing_ids)):  # fmt: skip
        if ids:
            wanted |= Q(content_type=kinds[model], object_pk__in=ids)
    return list(
        LogEntry.objects.filter(wanted)
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")[:100]
    )


def _detail(request, order_id: int, error: DomainError | None = None, form=None, status=200):
    try:
        order_file = order_desk.order_file(request.user, order_id)
    except order_desk.OrderDeskError:
        raise Http404(NOT_FOUND) from None
    return TemplateResponse(
        request,
        "backoffice/order_detail.html",
        {
            "user": request.user,
            "file": order_file,
            "view": order_file.view,
            "audit": _audit_entries(order_file),
            "cancellable": [
                p.part for p in order_file.view.parcels if p.part.status in CANCEL_FROM
            ],
            "refundable": [
                p.part
                for p in order_file.view.parcels
                if p.refund is not None and p.refund.status in REFUND_FROM
            ],
            "error": error,
            "form": form or {},
        },
        status=status,
    )


def _order_id(pk: int) -> int:
    if pk > order_desk.LARGEST_ORDER_NUMBER:
        raise Http404(NOT_FOUND)
    return pk


@staff_view
def order_detail(request, pk: int):
    return _detail(request, _order_id(pk))


def _part(post) -> int | None:
    return whole_number(post.get("part", ""), max_digits=12)


def _confirm_cod(user, order_id: int, post) -> None:
    order = order_desk.get_order(user, order_id)
    cod_reconciliation.confirm_collected(order, post.get("collected", ""), user)


ACTIONS = {
    "thu-cod": _confirm_cod,
    "huy-phan": lambda user, pk, post: order_desk.cancel_part(
        user, pk, _part(post), post.get("reason", "")
    ),
    "huy-don": lambda user, pk, post: order_desk.cancel_order(user, pk, post.get("reason", "")),
    "hoan-tien": lambda user, pk, post: order_desk.refund_part(
        user, pk, _part(post), post.get("reference", "")
    ),
    "gui-lai-email": lambda user, pk, post: order_desk.resend_email(
        user, pk, post.get("which", "")
    ),
}


@staff_view
def order_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404("Thao tác không tồn tại / No such action.")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    order_id = _order_id(pk)
    try:
        ACTIONS[action](request.user, order_id, request.POST)
    except DomainError as error:
        if error.code == "not_found":
            raise Http404(NOT_FOUND) from None
        form = {k: request.POST.get(k, "") for k in request.POST if k != "csrfmiddlewaretoken"}
        return _detail(request, order_id, error, {"action": action, **form}, status=400)
    except ports.payments().NothingToSettle as error:
        refused = DomainError("already_settled", str(error), "collected")
        return _detail(request, order_id, refused, {"action": action}, status=400)
    return redirect("backoffice-order", pk=pk)
