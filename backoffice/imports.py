"""Platform staff import the provinces' registry files from here: upload one (checked as
a whole first, ``catalog_sync.uploads``, the same start as the GraphQL upload), watch
the run (the page refreshes itself while it runs, no JavaScript; a small JSON status for
scripts), read its report and download its rejected rows; the history of runs."""

from __future__ import annotations

from django.core.paginator import EmptyPage, Paginator
from django.db.models.fields.json import KeyTransform
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse

from backoffice.security import number_param, signed_in_area
from catalog_sync.models import ImportRun
from catalog_sync.reports import rejections_csv, report_counts, summary_lines
from catalog_sync.uploads import UploadError, start_import_run
from common.dates import parse_date
from common.errors import bilingual
from common.inputs import has_nul
from marketplace import access

PAGE_SIZE = 50
REJECTIONS_SHOWN = 100  # on the page; the CSV has them all
REFRESH_SECONDS = 3
OPEN = (ImportRun.Status.PENDING, ImportRun.Status.RUNNING)

staff_view = signed_in_area(
    may_enter=access.sees_all,
    refusal=(
        "Chỉ nhân viên sàn nhập danh mục sản phẩm / Only platform staff may import the catalogue."
    ),
)


def _overview(request, *, error: UploadError | None = None, form=None, status=200):
    # The counts from the stored report, not the report: its rejections can be 50,000.
    runs = (
        ImportRun.objects.select_related("created_by")
        .defer("summary")
        .annotate(
            accepted=KeyTransform("accepted", "summary"),
            rejected=KeyTransform("rejected", "summary"),
        )
    )
    try:
        page = Paginator(runs.order_by("-created_at", "-id"), PAGE_SIZE).page(
            number_param(request.GET, "trang") or 1
        )
    except EmptyPage:
        raise Http404("Trang không tồn tại / No such page.") from None
    return TemplateResponse(
        request,
        "backoffice/imports.html",
        {"user": request.user, "page": page, "error": error, "form": form or {}},
        status=status,
    )


def _as_of(raw: str):
    raw = raw.strip()
    if not raw:
        return None
    day = None if has_nul(raw) else parse_date(raw)
    if day is None:
        raise UploadError(
            "invalid",
            bilingual("Ngày tham chiếu không hợp lệ (DD/MM/YYYY)", "Not a valid date (DD/MM/YYYY)"),
            "as_of",
        )
    return day


@staff_view
def import_overview(request):
    if request.method != "POST":
        return _overview(request)
    post = request.POST
    form = {key: post.get(key, "") for key in ("sheet", "as_of", "dry_run")}
    try:
        run = start_import_run(
            request.FILES.get("file"),
            user=request.user,
            sheet=form["sheet"],
            as_of=_as_of(form["as_of"]),
            dry_run=form["dry_run"] == "1",
        )
    except UploadError as error:
        return _overview(request, error=error, form=form, status=400)
    return redirect("backoffice-import", pk=run.pk)


def _run(pk: int) -> ImportRun:
    run = ImportRun.objects.select_related("created_by").filter(pk=pk).first()
    if run is None:
        raise Http404("Không tìm thấy lần nhập / No such import run.")
    return run


@staff_view
def import_run(request, pk: int):
    run = _run(pk)
    summary = run.summary or {}
    rejections = summary.get("rejections", [])
    return TemplateResponse(
        request,
        "backoffice/import_run.html",
        {
            "user": request.user,
            "run": run,
            "open": run.status in OPEN,
            "refresh_seconds": REFRESH_SECONDS,
            "lines": summary_lines(report_counts(summary)) if summary else [],
            "rejections": rejections[:REJECTIONS_SHOWN],
            "more_rejections": max(0, len(rejections) - REJECTIONS_SHOWN),
            "rejection_count": len(rejections),
        },
    )


@staff_view
def import_status(request, pk: int):
    run = _run(pk)
    summary = run.summary or {}
    return JsonResponse(
        {
            "id": run.pk,
            "status": run.status,
            "rows_written": run.rows_written,
            "finished": run.status not in OPEN,
            "error_code": run.error_code or None,
            "error_message": run.error_message or None,
            "summary": {key: value for key, value in summary.items() if key != "rejections"}
            or None,
        }
    )


@staff_view
def import_rejections(request, pk: int):
    run = _run(pk)
    response = HttpResponse(rejections_csv(run.summary or {}), content_type="text/csv")
    response["Content-Disposition"] = (
        f'attachment; filename="nhap-danh-muc-{run.pk}-dong-bi-tu-choi.csv"'
    )
    return response
