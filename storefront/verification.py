"""The public verification pages (``/xac-minh/<code>``, a stamp's
``/xac-minh/<code>/<serial>-<signature>``) and their JSON twins, the shared-location
form and the report of a suspected fake.

What they say comes from ``verification.lookup`` (a couple of queries); a stamp's check
is one insert (nothing for a HEAD request or a link preview). A code that names nothing
is a friendly 404 in both languages; a forged stamp of a real product is answered on the
product's page with "not a genuine stamp", and recorded.
"""

from __future__ import annotations

from contextlib import suppress
from functools import lru_cache

from django.core import signing
from django.http import HttpResponseNotAllowed, HttpResponseRedirect, JsonResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_safe

from common.inputs import whole_number
from common.units import provinces
from fairs.attribution import is_automated
from marketplace.models import OcopProduct
from saleor_adapter import storefront_data
from storefront.pages import (
    ISSUING_LEVEL_LABELS,
    PRODUCER_TYPE_LABELS,
    QUALITY_MARK_LABELS,
    _label,
    page_context,
    storefront_view,
)
from storefront.pages import not_found as _not_found
from verification import lookup, reports
from verification.forms import FakeReportForm, LocationForm

CHECK_SALT = "verification.check"


def _no_store(response):
    # Each scan must reach us to be counted; the status must never be a stale copy.
    response["Cache-Control"] = "private, no-store"
    return response


def not_found(request):
    return _no_store(
        _not_found(
            request,
            _("Không có mã xác minh này. Kiểm tra lại mã in trên tem hoặc nhãn sản phẩm."),
        )
    )


@lru_cache(maxsize=1)
def province_options() -> str:
    """The location form's options, built once: Django's widget rendering of a
    35-option select cost the stamp page more than its queries."""
    return format_html_join("", '<option value="{}">{}</option>', [("", "—"), *provinces()])


def _records(request) -> bool:
    return request.method == "GET" and not is_automated(request)


def _context(request, product: lookup.ProductVerification, **extra) -> dict:
    images = storefront_data.first_images([product.product_id])
    return page_context(
        request,
        product=product,
        image=images.get(product.product_id),
        producer_type=_label(PRODUCER_TYPE_LABELS, product.producer_type),
        issuing_level=_label(ISSUING_LEVEL_LABELS, product.issuing_level),
        marks=[_label(QUALITY_MARK_LABELS, mark) for mark in product.quality_marks],
        star_text="★" * product.stars,
        product_url=(
            reverse("storefront-product", args=[product.product_slug])
            if product.is_published and product.in_force
            else ""
        ),
        report_url=reverse("verification:report", args=[product.code]),
        reported=request.GET.get("da-bao-cao") == "1",
        **extra,
    )


@require_safe
@storefront_view
def product_page(request, code: str):
    product = lookup.verify_product(code)
    if product is None:
        return not_found(request)
    return _no_store(
        TemplateResponse(request, "storefront/verification.html", _context(request, product))
    )


@require_safe
def product_json(request, code: str):
    product = lookup.verify_product(code)
    if product is None:
        return _no_store(JsonResponse({"error": "not_found"}, status=404))
    return _no_store(JsonResponse(lookup.as_json(product)))


def _stamp(request, code: str, token: str):
    product = lookup.verify_product(code)
    if product is None:
        if _records(request):
            lookup.record_unknown(f"{code}/{token}")
        return None, None
    return product, lookup.check_stamp(product, token, record=_records(request))


@require_safe
@csrf_protect  # the page carries the location form
@storefront_view
def stamp_page(request, code: str, token: str):
    product, stamp = _stamp(request, code, token)
    if product is None:
        return _no_store(
            TemplateResponse(
                request,
                "storefront/verification_forged.html",
                page_context(request),
                status=404,
            )
        )
    location_form = None
    if stamp.check_id is not None:
        location_form = {
            "check": signing.dumps(stamp.check_id, salt=CHECK_SALT),
            "options": province_options(),
        }
    return _no_store(
        TemplateResponse(
            request,
            "storefront/verification.html",
            _context(request, product, stamp=stamp, location_form=location_form),
        )
    )


@require_safe
def stamp_json(request, code: str, token: str):
    product, stamp = _stamp(request, code, token)
    if product is None:
        body = {"error": "not_found", "stamp": {"state": lookup.FORGED}}
        return _no_store(JsonResponse(body, status=404))
    return _no_store(JsonResponse(lookup.as_json(product, stamp)))


@csrf_protect
@storefront_view
def share_location(request, code: str):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    product = lookup.verify_product(code)
    if product is None:
        return not_found(request)
    form = LocationForm(request.POST)
    check_id = None
    if form.is_valid():
        with suppress(signing.BadSignature):
            check_id = whole_number(
                signing.loads(form.cleaned_data["check"], salt=CHECK_SALT, max_age=3600)
            )
        if check_id is None:
            form.add_error("check", _("Phiên kiểm tra đã hết hạn, vui lòng quét lại tem."))
    if check_id is None or not form.is_valid():
        refused = {
            "check": request.POST.get("check", "")[:200] if check_id else "",
            "options": province_options(),
            "errors": [error for errors in form.errors.values() for error in errors],
        }
        return _no_store(
            TemplateResponse(
                request,
                "storefront/verification.html",
                _context(request, product, location_form=refused),
                status=400,
            )
        )
    lookup.share_location(check_id, form.cleaned_data["province"])
    return HttpResponseRedirect(
        reverse("verification:product", args=[product.code]) + "?da-chia-se=1"
    )


@csrf_protect
@storefront_view
def report_fake(request, code: str):
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    product = lookup.verify_product(code)
    if product is None:
        return not_found(request)
    status = 200
    if request.method == "POST":
        form = FakeReportForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            reports.submit_report(
                OcopProduct.objects.select_related("producer").get(pk=product.ocop_product_id),
                what=data["what"],
                where=data["where"],
                contact=data["contact"],
                photo=data["photo"],
                serial=data["serial"],
            )
            return HttpResponseRedirect(
                reverse("verification:product", args=[product.code]) + "?da-bao-cao=1"
            )
        status = 400
    else:
        serial = whole_number(request.GET.get("so"), max_digits=9)
        form = FakeReportForm(initial={"serial": serial} if serial else None)
    return _no_store(
        TemplateResponse(
            request,
            "storefront/verification_report.html",
            _context(request, product, form=form),
            status=status,
        )
    )
