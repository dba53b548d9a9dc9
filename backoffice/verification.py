"""Province staff pages of verification (/tinh/xac-minh/, /tinh/chung-nhan/, /tinh/tem/,
/tinh/chuong-trinh/) and the cooperative portal's stamps (/htx/tem/).

Same area, sign-in and scoping as the fair pages: provincial staff see their own
provinces (``fairs.access.province_codes``), platform staff every province; another
province's report, flag, certificate or stamp batch is answered exactly like a missing
one (404). A cooperative sees and stamps only its own products (``marketplace.access``).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from backoffice.fairs import fair_staff_view
from backoffice.security import portal_view
from common import spreadsheets
from common.errors import DomainError
from common.units import province_name
from fairs import access as province_access
from marketplace import access, certification
from marketplace.certification import valid_on
from marketplace.models import Certificate, OcopProduct
from marketplace.verification_codes import product_code
from verification import labels, lookup, programme, reports, stamps
from verification.forms import IssueStampsForm, ResolveForm, RevokeForm, TargetForm
from verification.models import FakeReport, StampBatch

NOT_FOUND = "Không tìm thấy / Not found."


def _codes(request) -> list[str] | None:
    return province_access.province_codes(request.user)


def _in_provinces(queryset: QuerySet, codes: list[str] | None, field: str) -> QuerySet:
    return queryset if codes is None else queryset.filter(**{f"{field}__in": codes})


def _context(request, **extra) -> dict:
    return {"user": request.user, "sees_all": province_access.sees_all(request.user), **extra}


def _form_error(form, error: DomainError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


# -- the queue: fake reports and copied stamps -----------------------------------------


@fair_staff_view
def queue(request):
    codes = _codes(request)
    return TemplateResponse(
        request,
        "verification/manage/queue.html",
        _context(
            request,
            open_reports=reports.reports_for(codes).filter(status=FakeReport.Status.OPEN)[:200],
            resolved_reports=reports.reports_for(codes).filter(status=FakeReport.Status.RESOLVED)[
                :50
            ],
            flags=reports.flags_for(codes).filter(resolved_at__isnull=True)[:200],
        ),
    )


def _report(request, pk: int) -> FakeReport:
    report = reports.reports_for(_codes(request)).filter(pk=pk).first()
    if report is None:
        raise Http404(NOT_FOUND)
    return report


@fair_staff_view
def report_detail(request, pk: int):
    report = _report(request, pk)
    status = 200
    if request.method == "POST":
        form = ResolveForm(request.POST)
        if form.is_valid():
            try:
                reports.resolve_report(report, form.cleaned_data["note"], request.user)
            except DomainError as error:
                _form_error(form, error)
            else:
                return redirect("verification:queue")
        status = 400
    else:
        form = ResolveForm()
    return TemplateResponse(
        request,
        "verification/manage/report.html",
        _context(
            request,
            report=report,
            form=form,
            province=province_name(report.province_code),
            code=product_code(report.ocop_product_id),
        ),
        status=status,
    )


@fair_staff_view
def report_photo(request, pk: int):
    report = _report(request, pk)
    if not report.photo:
        raise Http404(NOT_FOUND)
    try:
        return FileResponse(report.photo.open("rb"))
    except OSError:
        raise Http404(NOT_FOUND) from None


@fair_staff_view
def flag_resolve(request, pk: int):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    flag = reports.flags_for(_codes(request)).filter(pk=pk).first()
    if flag is None:
        raise Http404(NOT_FOUND)
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            reports.resolve_flag(flag, form.cleaned_data["note"], request.user)
        except DomainError as error:
            _form_error(form, error)
        else:
            return redirect("verification:queue")
    return TemplateResponse(
        request,
        "verification/manage/flag.html",
        _context(request, flag=flag, form=form, code=product_code(flag.ocop_product_id)),
        status=400,
    )


# -- certificates: expiry and revocation ----------------------------------------------


@fair_staff_view
def certificates(request):
    codes = _codes(request)
    today = timezone.localdate()
    products = _in_provinces(
        OcopProduct.objects.filter(current_certificate__isnull=False),
        codes,
        "producer__province_code",
    ).select_related("product", "producer", "current_certificate")
    rows = [
        {
            "product": product,
            "certificate": product.current_certificate,
            "status": lookup.status_of(product.current_certificate, today),
            "days_left": (product.current_certificate.expiry_date - today).days,
            "code": product_code(product.pk),
        }
        for product in products.order_by("current_certificate__expiry_date", "pk")[:1000]
    ]
    return TemplateResponse(
        request, "verification/manage/certificates.html", _context(request, rows=rows)
    )


@fair_staff_view
def revoke(request, pk: int):
    scoped = _in_provinces(
        Certificate.objects.all(), _codes(request), "ocop_product__producer__province_code"
    )
    certificate = scoped.select_related("ocop_product__product").filter(pk=pk).first()
    if certificate is None:
        raise Http404(NOT_FOUND)
    status = 200
    if request.method == "POST":
        form = RevokeForm(request.POST)
        if form.is_valid():
            try:
                certification.revoke(
                    certificate,
                    decision_number=form.cleaned_data["decision_number"],
                    decided_on=form.cleaned_data["decided_on"],
                    reason=form.cleaned_data["reason"],
                    user=request.user,
                )
            except DomainError as error:
                _form_error(form, error)
            else:
                return redirect("verification:certificates")
        status = 400
    else:
        form = RevokeForm(initial={"decided_on": timezone.localdate().isoformat()})
    return TemplateResponse(
        request,
        "verification/manage/revoke.html",
        _context(request, certificate=certificate, form=form),
        status=status,
    )


# -- stamps (both areas) ----------------------------------------------------------------


def _stamp_page(request, products: QuerySet, *, issued_as: str, template: str):
    certified = products.filter(valid_on(timezone.localdate())).select_related("product")
    choices = [(p.pk, p.product.name) for p in certified.order_by("product__name", "pk")[:2000]]
    status = 200
    form = IssueStampsForm(products=choices)
    if request.method == "POST":
        form = IssueStampsForm(request.POST, products=choices)
        if form.is_valid():
            product = certified.get(pk=int(form.cleaned_data["product"]))
            try:
                stamps.issue_batch(
                    product, form.cleaned_data["count"], issued_as=issued_as, user=request.user
                )
            except DomainError as error:
                _form_error(form, error)
            else:
                return redirect(request.path)
        status = 400
    batches = StampBatch.objects.filter(ocop_product__in=products).select_related(
        "ocop_product__product"
    )[:200]
    return TemplateResponse(
        request, template, _context(request, form=form, batches=batches), status=status
    )


def _province_products(request) -> QuerySet:
    return _in_provinces(OcopProduct.objects.all(), _codes(request), "producer__province_code")


def _cooperative_products(request) -> QuerySet:
    return OcopProduct.objects.filter(producer__in=access.producers_for(request.user))


def _sheet(batch: StampBatch | None) -> HttpResponse:
    if batch is None:
        raise Http404(NOT_FOUND)
    response = HttpResponse(labels.render_pdf(batch), content_type="application/pdf")
    name = f"tem-{product_code(batch.ocop_product_id)}-{batch.first_serial}-{batch.last_serial}"
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def _batch(products: QuerySet, pk: int) -> StampBatch | None:
    return (
        StampBatch.objects.filter(pk=pk, ocop_product__in=products)
        .select_related("ocop_product__product", "ocop_product__producer",
                        "ocop_product__current_certificate")
        .first()
    )  # fmt: skip


@fair_staff_view
def stamps_page(request):
    return _stamp_page(
        request,
        _province_products(request),
        issued_as=StampBatch.IssuedAs.PROVINCE,
        template="verification/manage/stamps.html",
    )


@fair_staff_view
def stamp_sheet(request, pk: int):
    return _sheet(_batch(_province_products(request), pk))


@portal_view
def portal_stamps(request):
    return _stamp_page(
        request,
        _cooperative_products(request),
        issued_as=StampBatch.IssuedAs.COOPERATIVE,
        template="portal/stamps.html",
    )


@portal_view
def portal_stamp_sheet(request, pk: int):
    return _sheet(_batch(_cooperative_products(request), pk))


# -- the province's programme page ------------------------------------------------------


@fair_staff_view
def programme_page(request):
    codes = _codes(request)
    # A target is the province's own: set by an account that runs exactly one province.
    target_province = codes[0] if codes is not None and len(codes) == 1 else None
    target_form = TargetForm(prefix="muc-tieu") if target_province else None
    status = 200
    if request.method == "POST":
        if target_province is None:
            return HttpResponseNotAllowed(["GET"])
        target_form = TargetForm(request.POST, prefix="muc-tieu")
        if target_form.is_valid():
            programme.set_target(
                target_province, target_form.cleaned_data["products_online"], request.user
            )
            return redirect("verification:programme")
        status = 400
    data = programme.build(codes)
    sections = [
        ("Đơn hàng theo tháng / Orders by month", data.by_month),
        ("Theo sản phẩm / By product", data.by_product),
        ("Theo hợp tác xã / By cooperative", data.by_cooperative),
        ("Theo xã của HTX / By the cooperative's commune", data.by_order_commune),
    ]
    return TemplateResponse(
        request,
        "verification/manage/programme.html",
        _context(request, data=data, sections=sections, target_form=target_form),
        status=status,
    )


@fair_staff_view
def programme_csv(request):
    data = programme.build(_codes(request))
    body = spreadsheets.write_csv(programme.CSV_HEADER, programme.csv_rows(data))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="chuong-trinh-ocop.csv"'
    return response
