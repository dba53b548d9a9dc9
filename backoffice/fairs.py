"""Provincial staff pages ("Hội chợ của tỉnh", /tinh/hoi-cho/): create and run fairs,
print their codes, read their reports.

Server-rendered with the cooperative portal's look and request handling (sessions,
login and CSRF on these views only, see ``backoffice.security``). Every query starts from
``fairs.access``: another province's fair is answered exactly like a missing one (404).
"""

from __future__ import annotations

from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from backoffice.security import post_only, signed_in_area
from common import spreadsheets
from common.inputs import whole_number
from common.money import format_vnd
from common.units import province_name
from fairs import access, charts, editing, links, posters, qr, reports
from fairs.access import NOT_FOUND
from fairs.forms import BoothForm, CooperativesForm, FairForm, FairProductForm
from fairs.models import Booth, Fair, FairProduct

ERROR_TITLES = {
    400: "Yêu cầu không hợp lệ / Bad request",
    403: "Không có quyền truy cập / Access denied",
    404: "Không tìm thấy / Not found",
}


def error_page(request, status: int, message: str = "") -> TemplateResponse:
    return TemplateResponse(
        request,
        "fairs/manage/error.html",
        {"status": status, "title": ERROR_TITLES[status], "message": message},
        status=status,
    )


fair_staff_view = signed_in_area(
    may_enter=access.is_fair_staff,
    refusal=access.NOT_FAIR_STAFF,
    error_page=error_page,
)
"""A page for provincial staff (or platform staff)."""


# -- shared ---------------------------------------------------------------------------


def _fair(request, pk: int) -> Fair:
    fair = access.fairs_for(request.user).filter(pk=pk).first()
    if fair is None:
        raise Http404(NOT_FOUND)
    return fair


def _booth(fair: Fair, pk: int) -> Booth:
    booth = fair.booths.filter(pk=pk).first()
    if booth is None:
        raise Http404("Không tìm thấy gian hàng / Booth not found.")
    return booth


def _fair_product(fair: Fair, pk: int) -> FairProduct:
    fair_product = fair.featured.select_related("ocop_product__product").filter(pk=pk).first()
    if fair_product is None:
        raise Http404("Không tìm thấy sản phẩm / Product not found.")
    return fair_product


def _context(request, **extra) -> dict:
    return {"user": request.user, "sees_all": access.sees_all(request.user), **extra}


def _form_error(form, error: editing.FairError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


# -- fairs ----------------------------------------------------------------------------


@fair_staff_view
def home(request):
    return redirect("fairs:fair_list")


@fair_staff_view
def fair_list(request):
    fairs = (
        access.fairs_for(request.user)
        .annotate(booth_count=Count("booths", distinct=True))
        .order_by("-starts_on", "-pk")
    )
    today = timezone.localdate()
    rows = [
        {
            "fair": fair,
            "province": province_name(fair.province_code),
            "status": "over" if fair.is_over(today) else (
                "upcoming" if fair.is_upcoming(today) else "open"
            ),
            "path": links.fair_path(fair),
        }
        for fair in fairs
    ]  # fmt: skip
    return TemplateResponse(request, "fairs/manage/fair_list.html", _context(request, rows=rows))


@fair_staff_view
def fair_create(request):
    choices = access.province_choices(request.user)
    if request.method == "POST":
        form = FairForm(request.POST, province_choices=choices)
        if form.is_valid():
            try:
                fair = editing.save_fair(request.user, form.cleaned_data)
            except editing.FairError as error:
                _form_error(form, error)
            else:
                return redirect("fairs:fair_detail", pk=fair.pk)
    else:
        form = FairForm(
            province_choices=choices,
            initial={"province": choices[0][0]} if len(choices) == 1 else None,
        )
    return TemplateResponse(
        request,
        "fairs/manage/fair_form.html",
        _context(request, form=form, fair=None),
        status=400 if request.method == "POST" else 200,
    )


@fair_staff_view
def fair_edit(request, pk: int):
    fair = _fair(request, pk)
    choices = [(fair.province_code, province_name(fair.province_code))]
    if request.method == "POST":
        data = request.POST.copy()
        data["province"] = fair.province_code  # fixed after creation
        form = FairForm(data, province_choices=choices)
        if form.is_valid():
            try:
                editing.save_fair(request.user, form.cleaned_data, fair)
            except editing.FairError as error:
                _form_error(form, error)
            else:
                return redirect("fairs:fair_detail", pk=fair.pk)
    else:
        form = FairForm(initial=FairForm.initial_for(fair), province_choices=choices)
    form.fields["province"].disabled = True
    return TemplateResponse(
        request,
        "fairs/manage/fair_form.html",
        _context(request, form=form, fair=fair),
        status=400 if request.method == "POST" else 200,
    )


def _detail(request, fair: Fair, status: int = 200, **forms) -> TemplateResponse:
    booth_form = forms.get("booth_form") or BoothForm(fair=fair)
    product_form = forms.get("product_form") or FairProductForm(
        fair=fair, products=_addable_products(fair)
    )
    cooperatives_form = forms.get("cooperatives_form") or CooperativesForm(
        producers=access.producers_for_fair(fair),
        initial={"cooperatives": list(fair.cooperatives.values_list("pk", flat=True))},
    )
    fair_links = links.links_of(fair)
    return TemplateResponse(
        request,
        "fairs/manage/fair_detail.html",
        _context(
            request,
            fair=fair,
            province=province_name(fair.province_code),
            links=fair_links,
            fair_link=fair_links[0],
            booths=fair.booths.select_related("producer"),
            featured=fair.featured.select_related(
                "ocop_product__product", "ocop_product__producer", "booth"
            ),
            booth_form=booth_form,
            product_form=product_form,
            cooperatives_form=cooperatives_form,
            action_error=forms.get("action_error"),
            qr_preview=qr.svg(fair_links[0].url, scale=4),
        ),
        status=status,
    )


def _addable_products(fair: Fair):
    return access.products_for_fair(fair).exclude(fair_listings__fair=fair)


@fair_staff_view
def fair_detail(request, pk: int):
    return _detail(request, _fair(request, pk))


@fair_staff_view
def fair_cooperatives(request, pk: int):
    if (refused := post_only(request)) is not None:
        return refused
    fair = _fair(request, pk)
    form = CooperativesForm(request.POST, producers=access.producers_for_fair(fair))
    if form.is_valid():
        try:
            editing.set_cooperatives(fair, form.cleaned_data["cooperatives"])
        except editing.FairError as error:
            _form_error(form, error)
        else:
            return redirect(reverse("fairs:fair_detail", args=[fair.pk]) + "#hop-tac-xa")
    return _detail(request, fair, status=400, cooperatives_form=form)


# -- booths and featured products -----------------------------------------------------


@fair_staff_view
def booth_add(request, pk: int):
    if (refused := post_only(request)) is not None:
        return refused
    fair = _fair(request, pk)
    form = BoothForm(request.POST, fair=fair)
    if form.is_valid():
        try:
            editing.save_booth(fair, form.cleaned_data)
        except editing.FairError as error:
            _form_error(form, error)
        else:
            return redirect(reverse("fairs:fair_detail", args=[fair.pk]) + "#gian-hang")
    return _detail(request, fair, status=400, booth_form=form)


@fair_staff_view
def booth_edit(request, pk: int, item: int):
    fair = _fair(request, pk)
    booth = _booth(fair, item)
    if request.method == "POST":
        form = BoothForm(request.POST, fair=fair)
        if form.is_valid():
            try:
                editing.save_booth(fair, form.cleaned_data, booth)
            except editing.FairError as error:
                _form_error(form, error)
            else:
                return redirect(reverse("fairs:fair_detail", args=[fair.pk]) + "#gian-hang")
    else:
        form = BoothForm(initial=BoothForm.initial_for(booth), fair=fair)
    return TemplateResponse(
        request,
        "fairs/manage/item_form.html",
        _context(request, fair=fair, form=form, title=f"Sửa gian hàng · {booth}"),
        status=400 if request.method == "POST" else 200,
    )


@fair_staff_view
def booth_delete(request, pk: int, item: int):
    if (refused := post_only(request)) is not None:
        return refused
    fair = _fair(request, pk)
    try:
        editing.delete_booth(_booth(fair, item))
    except editing.FairError as error:
        return _detail(request, fair, status=400, action_error=error.message)
    return redirect(reverse("fairs:fair_detail", args=[fair.pk]) + "#gian-hang")


@fair_staff_view
def product_add(request, pk: int):
    if (refused := post_only(request)) is not None:
        return refused
    fair = _fair(request, pk)
    form = FairProductForm(request.POST, fair=fair, products=_addable_products(fair))
    if form.is_valid():
        try:
            editing.save_fair_product(fair, form.cleaned_data)
        except editing.FairError as error:
            _form_error(form, error)
        else:
            return redirect(reverse("fairs:fair_detail", args=[fair.pk]) + "#san-pham")
    return _detail(request, fair, status=400, product_form=form)


@fair_staff_view
def product_edit(request, pk: int, item: int):
    fair = _fair(request, pk)
    fair_product = _fair_product(fair, item)
    products = access.products_for_fair(fair)
    if request.method == "POST":
        form = FairProductForm(
            request.POST, fair=fair, products=products, fair_product=fair_product
        )
        if form.is_valid():
            try:
                editing.save_fair_product(fair, form.cleaned_data, fair_product)
            except editing.FairError as error:
                _form_error(form, error)
            else:
                return redirect(reverse("fairs:fair_detail", args=[fair.pk]) + "#san-pham")
    else:
        form = FairProductForm(
            initial={"booth": fair_product.booth_id, "slug": fair_product.slug},
            fair=fair,
            products=products,
            fair_product=fair_product,
        )
    title = f"Sửa sản phẩm trưng bày · {fair_product.ocop_product.product.name}"
    return TemplateResponse(
        request,
        "fairs/manage/item_form.html",
        _context(request, fair=fair, form=form, title=title),
        status=400 if request.method == "POST" else 200,
    )


@fair_staff_view
def product_delete(request, pk: int, item: int):
    if (refused := post_only(request)) is not None:
        return refused
    fair = _fair(request, pk)
    try:
        editing.delete_fair_product(_fair_product(fair, item))
    except editing.FairError as error:
        return _detail(request, fair, status=400, action_error=error.message)
    return redirect(reverse("fairs:fair_detail", args=[fair.pk]) + "#san-pham")


# -- codes and print ------------------------------------------------------------------


@fair_staff_view
def qr_code(request, pk: str, kind: str, item: str, fmt: str):
    # The route's regex takes any run of digits: read them with the one id parser.
    fair_pk, item_pk = whole_number(pk), whole_number(item)
    if fair_pk is None or item_pk is None:
        raise Http404(NOT_FOUND)
    fair = _fair(request, fair_pk)
    link = next(
        (link for link in links.links_of(fair) if (link.kind, link.target_id) == (kind, item_pk)),
        None,
    )
    if link is None:
        raise Http404("Không có đường dẫn này / No such link.")
    name = link.path.strip("/").replace("/", "-")
    if fmt == "svg":
        response = HttpResponse(qr.svg(link.url), content_type="image/svg+xml; charset=utf-8")
    else:
        response = HttpResponse(qr.png(link.url), content_type="image/png")
    if request.GET.get("tai") == "1":
        response["Content-Disposition"] = f'attachment; filename="qr-{name}.{fmt}"'
    return response


@fair_staff_view
def poster_pdf(request, pk: int):
    fair = _fair(request, pk)
    response = HttpResponse(posters.render_pdf(fair), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="hoi-cho-{fair.slug}.pdf"'
    return response


# -- report ---------------------------------------------------------------------------


@fair_staff_view
def report(request, pk: int):
    fair = _fair(request, pk)
    data = reports.build_report(fair)
    day_points = [(r.label[:5], r.visits) for r in data.by_day]
    revenue_points = [(r.label[:5], r.revenue) for r in data.by_day]
    return TemplateResponse(
        request,
        "fairs/manage/report.html",
        _context(
            request,
            fair=fair,
            province=province_name(fair.province_code),
            report=data,
            visits_chart=charts.bar_chart(day_points, "Lượt truy cập theo ngày / Visits by day"),
            revenue_chart=charts.bar_chart(
                revenue_points,
                "Doanh thu theo ngày / Revenue by day",
                fmt=format_vnd,
                colour="#b91c1c",
            ),
        ),
    )


@fair_staff_view
def report_csv(request, pk: int):
    fair = _fair(request, pk)
    body = spreadsheets.write_csv(reports.CSV_HEADER, reports.csv_rows(reports.build_report(fair)))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bao-cao-{fair.slug}.csv"'
    return response


@fair_staff_view
def orders_csv(request, pk: int):
    fair = _fair(request, pk)
    body = spreadsheets.write_csv(
        reports.ORDERS_CSV_HEADER, reports.order_csv_rows(reports.order_rows(fair))
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="don-hang-{fair.slug}.csv"'
    return response
