"""Platform staff pay the cooperatives from here: the next run previewed (what each
cooperative would get, who is held and why), the run itself, the history of batches,
each batch's lines, its bank transfer file, and the bank's confirmation. Every write is
``marketplace.payouts`` (the one computation the command uses too), in the audit log."""

from __future__ import annotations

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from backoffice.security import number_param, signed_in_area
from common.dates import parse_date
from common.errors import DomainError, bilingual
from common.inputs import has_nul
from marketplace import access, payouts
from marketplace.models import PayoutBatch
from marketplace.settlement import SettlementError

PAGE_SIZE = 50
LINES_PER_PAGE = 100

staff_view = signed_in_area(
    may_enter=access.sees_all,
    refusal="Chỉ nhân viên sàn chi trả cho hợp tác xã / Only platform staff may run payouts.",
)


def _page(request, items, size: int, name: str):
    try:
        return Paginator(items, size).page(number_param(request.GET, name) or 1)
    except EmptyPage:
        raise Http404("Trang không tồn tại / No such page.") from None


def _overview(request, *, error: DomainError | None = None, notice: str = "", status=200):
    plan = payouts.plan_payout()
    batches = PayoutBatch.objects.annotate(line_count=Count("lines")).select_related("created_by")
    return TemplateResponse(
        request,
        "backoffice/payouts.html",
        {
            "user": request.user,
            "plan": plan,
            "preview": _page(request, [*plan.paid, *plan.held], PAGE_SIZE, "xem"),
            "batches": _page(request, batches.order_by("-created_at", "-id"), PAGE_SIZE, "trang"),
            "error": error,
            "notice": notice,
        },
        status=status,
    )


@staff_view
def payout_overview(request):
    return _overview(request)


@staff_view
def payout_run(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if request.POST.get("confirm") != "1":
        error = DomainError(
            "not_confirmed",
            bilingual("Hãy đánh dấu xác nhận trước khi chi trả", "Tick to confirm the payout run"),
            "confirm",
        )
        return _overview(request, error=error, status=400)
    result = payouts.run_payout(request.user)
    if result.batch is None:
        return _overview(
            request,
            notice=bilingual(
                "Không có khoản nào cần chi trả lúc này", "There is nothing to pay right now"
            ),
        )
    return redirect("backoffice-payout", pk=result.batch.pk)


def _batch(pk: int) -> PayoutBatch:
    batch = PayoutBatch.objects.select_related("created_by").filter(pk=pk).first()
    if batch is None:
        raise Http404("Không tìm thấy đợt chi trả / No such payout batch.")
    return batch


def _batch_page(request, batch, *, error=None, form=None, status=200):
    lines = batch.lines.select_related("producer").order_by("producer__name", "pk")
    return TemplateResponse(
        request,
        "backoffice/payout_batch.html",
        {
            "user": request.user,
            "batch": batch,
            "lines": _page(request, lines, LINES_PER_PAGE, "trang"),
            "today": timezone.localdate(),
            "error": error,
            "form": form or {},
        },
        status=status,
    )


@staff_view
def payout_batch(request, pk: int):
    return _batch_page(request, _batch(pk))


@staff_view
def payout_file(request, pk: int):
    batch = _batch(pk)
    response = HttpResponse(payouts.payout_csv(batch), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{batch.reference}.csv"'
    return response


@staff_view
def payout_mark_paid(request, pk: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    batch = _batch(pk)
    form = {key: request.POST.get(key, "") for key in ("bank_reference", "paid_on")}
    try:
        raw_date = form["paid_on"].strip()
        paid_on = parse_date(raw_date) if raw_date and not has_nul(raw_date) else None
        if paid_on is None:
            raise SettlementError(
                "invalid_paid_on",
                bilingual(
                    "Ngày chuyển khoản không hợp lệ (DD/MM/YYYY)",
                    "Not a valid transfer date (DD/MM/YYYY)",
                ),
                "paid_on",
            )
        payouts.mark_batch_paid(
            batch.pk, request.user, bank_reference=form["bank_reference"], paid_on=paid_on
        )
    except SettlementError as error:
        return _batch_page(request, _batch(pk), error=error, form=form, status=400)
    return redirect("backoffice-payout", pk=pk)
