"""Platform staff run the provinces' staff accounts here: who works for which province,
invite a person for a province (the back office's set-password link), revoke. The
writes are ``fairs.staff``'s, which the ``ocop_province_staff`` command uses too."""

from __future__ import annotations

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode

from backoffice.security import BadRequest, number_param, signed_in_area
from common.errors import DomainError
from common.units import provinces
from fairs import staff
from fairs.models import ProvinceStaff
from marketplace import access

PAGE_SIZE = 50

staff_view = signed_in_area(
    may_enter=access.sees_all,
    refusal=(
        "Chỉ nhân viên sàn quản lý tài khoản của tỉnh / "
        "Only platform staff may manage the provinces' accounts."
    ),
)


def _page(request, error=None, form=None, status=200):
    province = request.GET.get("tinh", "").strip()
    known = dict(provinces())
    if province and province not in known:
        raise BadRequest("Tỉnh không hợp lệ / Unknown province.")
    rows = ProvinceStaff.objects.select_related("user").order_by(
        "province_code", "user__email", "pk"
    )
    if province:
        rows = rows.filter(province_code=province)
    paginator = Paginator(rows, PAGE_SIZE)
    try:
        page = paginator.page(number_param(request.GET, "trang") or 1)
    except EmptyPage:
        raise Http404("Trang không tồn tại / No such page.") from None
    for row in page.object_list:
        row.province_name = known.get(row.province_code, row.province_code)
    return TemplateResponse(
        request,
        "backoffice/provinces.html",
        {
            "user": request.user,
            "page": page,
            "province": province,
            "provinces": list(provinces()),
            "query": urlencode({"tinh": province}) if province else "",
            "error": error,
            "form": form or {},
        },
        status=status,
    )


@staff_view
def province_staff(request):
    return _page(request)


@staff_view
def province_staff_invite(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    email, province = request.POST.get("email", ""), request.POST.get("province", "")
    try:
        row = staff.invite(request.user, email, province)
    except DomainError as error:
        return _page(request, error, {"email": email, "province": province}, status=400)
    return redirect(f"{reverse('backoffice-provinces')}?{urlencode({'tinh': row.province_code})}")


@staff_view
def province_staff_revoke(request, pk: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    row = ProvinceStaff.objects.filter(pk=pk).first()
    if row is None:
        raise Http404("Không có người này / No such provincial staff member.")
    try:
        staff.revoke(request.user, row.pk)
    except DomainError as error:
        return _page(request, error, status=400)
    return redirect(f"{reverse('backoffice-provinces')}?{urlencode({'tinh': row.province_code})}")
