"""Customers, for platform staff: find one by e-mail, phone or name (keyset pages of 50,
the same few queries whatever the page), see their orders, and erase their personal
data on request (decree 13/2023/NĐ-CP) through ``marketplace.erasure``, which keeps the
accounting records."""

from __future__ import annotations

from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import urlencode

from backoffice.security import BadRequest, number_param, signed_in_area
from common.errors import DomainError
from common.inputs import has_nul
from marketplace import access, erasure
from marketplace.models import CustomerErasure
from saleor_adapter import accounts

PAGE_SIZE = 50
MAX_SEARCH = 100
MAX_ORDERS = 100

staff_view = signed_in_area(
    may_enter=access.sees_all,
    refusal="Chỉ nhân viên sàn xem khách hàng / Only platform staff may see customers.",
)


@staff_view
def customer_list(request):
    search = request.GET.get("q", "").strip()
    if len(search) > MAX_SEARCH or has_nul(search):
        raise BadRequest("Từ khoá không hợp lệ / Invalid search text.")
    before = number_param(request.GET, "truoc")
    rows = accounts.search_customers(search, before=before, limit=PAGE_SIZE + 1)
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    erased = set(
        CustomerErasure.objects.filter(customer_id__in=[row.pk for row in rows]).values_list(
            "customer_id", flat=True
        )
    )
    return TemplateResponse(
        request,
        "backoffice/customer_list.html",
        {
            "user": request.user,
            "rows": [(row, row.pk in erased) for row in rows],
            "search": search,
            "first_page": before is None,
            "next_query": urlencode({"q": search, "truoc": rows[-1].pk}) if more else "",
        },
    )


def _detail(request, pk: int, error=None, form=None, status=200):
    customer = accounts.customer(pk)
    if customer is None:
        raise Http404("Không có khách hàng này / No such customer.")
    return TemplateResponse(
        request,
        "backoffice/customer_detail.html",
        {
            "user": request.user,
            "customer": customer,
            "orders": accounts.customer_orders(pk, limit=MAX_ORDERS),
            "max_orders": MAX_ORDERS,
            "erasure": CustomerErasure.objects.filter(customer_id=pk)
            .select_related("erased_by")
            .first(),
            "error": error,
            "form": form or {},
        },
        status=status,
    )


@staff_view
def customer_detail(request, pk: int):
    return _detail(request, pk)


@staff_view
def customer_erase(request, pk: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if accounts.customer(pk) is None:
        raise Http404("Không có khách hàng này / No such customer.")
    note, confirmation = request.POST.get("note", ""), request.POST.get("confirmation", "")
    try:
        erasure.erase_customer(request.user, pk, note, confirmation)
    except DomainError as error:
        return _detail(request, pk, error, {"note": note}, status=400)
    return redirect("backoffice-customer", pk=pk)
