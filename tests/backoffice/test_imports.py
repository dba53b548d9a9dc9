"""Platform staff import a province's registry file without a shell: upload it (checked
as a whole first), watch the run, read its report, download its rejected rows; the
history of runs. The file is a real registry, imported by the real task."""

import csv
import io
import json

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from saleor.product.models import Product

from catalog_sync.models import ImportRun
from tests.catalog_import.registry import HEADERS, MIEN_DONG, TRA_TAN_CUONG, write_registry
from tests.routing.marketplace import client_for

IMPORTS = "/quan-tri/nhap-danh-muc/"


@pytest.fixture
def media(media_in_tmp):
    return media_in_tmp  # tests/backoffice/conftest.py: MEDIA_ROOT in the test's folder


def upload(client, path, **fields):
    with open(path, "rb") as handle:
        return client.post(IMPORTS, {"file": handle, **fields})


def test_an_uploaded_registry_is_imported_and_reported(
    platform_staff, media, tmp_path, celery_runs_tasks_inline, run_on_commit
):
    # Given Thái Nguyên's list: miến dong (5★) and a trà rated 2★ (not certifiable)
    path = write_registry(
        tmp_path / "thai-nguyen.csv", [MIEN_DONG, {**TRA_TAN_CUONG, "stars": "2"}]
    )
    staff = client_for(platform_staff)

    # When staff upload it, and the queued task runs after commit
    with run_on_commit():
        response = upload(staff, path, as_of="2026-11-23")

    # Then the run's page opens, the run is done, its file kept under MEDIA_ROOT
    run = ImportRun.objects.get()
    assert (response.status_code, response["Location"]) == (
        302, reverse("backoffice-import", args=[run.pk]),
    )  # fmt: skip
    assert (run.status, run.original_name, run.created_by) == (
        "done", "thai-nguyen.csv", platform_staff,
    )  # fmt: skip
    assert (media / run.file.name).is_file()
    assert run.rows_written == 1  # the accepted row
    assert Product.objects.get().name == "Miến dong Tài Hoan"

    # and the page shows the report, without refreshing itself any more
    html = staff.get(response["Location"]).content.decode()
    for line in [
        "Hợp lệ / accepted: 1", "Bị từ chối / rejected: 1", "Tạo mới / created: 1",
        "Cập nhật / updated: 0", "Không đổi / unchanged: 0",
    ]:  # fmt: skip
        assert f"<li>{line}</li>" in html
    assert "stars_not_certified" in html
    assert 'http-equiv="refresh"' not in html

    # When they download the rejected rows
    download = staff.get(reverse("backoffice-import-rejections", args=[run.pk]))

    # Then it is the clerks' CSV, named with the run's id
    assert download["Content-Disposition"] == (
        f'attachment; filename="nhap-danh-muc-{run.pk}-dong-bi-tu-choi.csv"'
    )
    assert download.content.startswith("\ufeff".encode())
    assert list(csv.reader(io.StringIO(download.content.decode("utf-8-sig")))) == [
        ["Dòng / Row", "Cột / Field", "Mã lỗi / Code", "Lý do", "Reason"],
        ["3", "stars", "stars_not_certified", STARS_VI, STARS_EN],
    ]
    # and the history lists the run with its counts and who uploaded it
    history = staff.get(IMPORTS).content.decode()
    assert f"#{run.pk} thai-nguyen.csv" in history
    assert "dieu.phoi@ocop.test" in history
    # and the upload is in the audit log with its actor
    created = LogEntry.objects.get_for_object(run).get(action=LogEntry.Action.CREATE)
    assert created.actor == platform_staff
    # (the task's progress counter is not logged: it is no one's change)
    logged = LogEntry.objects.get_for_object(run)
    assert {entry.changes_dict.get("rows_written") for entry in logged} == {None}


STARS_VI = "Hạng sao 2 chưa đủ điều kiện công nhận OCOP (chỉ 3–5 sao)."
STARS_EN = "2 stars is not an OCOP certification (only 3–5 stars)."


def test_a_running_import_refreshes_itself_and_tells_its_progress(platform_staff, media):
    # Given a run the worker is on, 500 rows written so far
    run = ImportRun.objects.create(
        file="ocop-registry-uploads/2026/12/ha-noi.csv", original_name="ha-noi.csv",
        status=ImportRun.Status.RUNNING, rows_written=500, created_by=platform_staff,
    )  # fmt: skip
    staff = client_for(platform_staff)

    # When staff open its page, then it reloads itself every 3 s, no JavaScript
    html = staff.get(reverse("backoffice-import", args=[run.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="3">' in html
    assert "500 rows written" in html
    assert "<script" not in html

    # and the JSON status says the same
    status = json.loads(staff.get(reverse("backoffice-import-status", args=[run.pk])).content)
    assert status == {
        "id": run.pk, "status": "running", "rows_written": 500, "finished": False,
        "error_code": None, "error_message": None, "summary": None,
    }  # fmt: skip

    # When it has failed, then the page shows why and stops refreshing
    ImportRun.objects.filter(pk=run.pk).update(
        status="failed", error_code="run_stalled", error_message="Đã dừng / Stopped"
    )
    html = staff.get(reverse("backoffice-import", args=[run.pk])).content.decode()
    assert 'http-equiv="refresh"' not in html
    assert "Đã dừng / Stopped <code>run_stalled</code>" in html


BAD_FILES = [
    # (name, content, field, message): the reader's own reasons, before any run exists
    ("quyet-dinh.pdf", b"%PDF-1.4", "file", "Only CSV, XLSX or JSON files are accepted."),
    ("trong.csv", b"", "file", "The file is empty"),
    (
        "nhi-phan.csv",
        bytes(range(256)) * 4,
        "file",
        "Không đọc được tệp: nội dung là dữ liệu nhị phân, không phải văn bản CSV. / The file "
        "cannot be read: its content is binary data, not CSV text.",
    ),
    (
        "khong-tieu-de.csv",
        "Tên,Giá\nMiến,1\n".encode(),
        "file",
        "Không nhận ra dòng tiêu đề ở dòng 1.",
    ),
    (
        "hong.xlsx",
        b"PK\x03\x04 not a workbook",
        "file",
        "not a valid .xlsx workbook (damaged or wrong extension: BadZipFile).",
    ),
]


@pytest.mark.parametrize(("name", "content", "field", "message"), BAD_FILES)
def test_a_bad_file_is_a_field_error_and_no_run(
    platform_staff, media, name, content, field, message
):
    response = client_for(platform_staff).post(IMPORTS, {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 400
    html = response.content.decode()
    assert '<span class="errorlist">' in html
    assert message in html
    assert not ImportRun.objects.exists()


def test_missing_file_bad_date_and_sheet_are_field_errors(platform_staff, media, tmp_path):
    staff = client_for(platform_staff)
    path = write_registry(tmp_path / "r.csv", [MIEN_DONG])
    assert "No file was sent with the request." in staff.post(IMPORTS, {}).content.decode()
    bad_date = upload(staff, path, as_of="31/02/2026")
    assert (bad_date.status_code, "Not a valid date (DD/MM/YYYY)" in bad_date.content.decode()) == (
        400, True,
    )  # fmt: skip
    long_sheet = upload(staff, path, sheet="x" * 101)
    assert long_sheet.status_code == 400
    assert "A sheet name is at most 100 characters" in long_sheet.content.decode()
    assert not ImportRun.objects.exists()


@pytest.mark.parametrize(
    ("url", "status"),
    [
        (IMPORTS + "?trang=abc", 400),
        (IMPORTS + "?trang=" + "9" * 40, 400),
        (IMPORTS + "?trang=7", 404),
        (IMPORTS + "1" * 10_000 + "/", 404),
        (IMPORTS + "9" * 25 + "/", 404),
        (IMPORTS + "123456/trang-thai.json", 404),
        (IMPORTS + "123456/dong-bi-tu-choi.csv", 404),
    ],
)
def test_bad_pages_and_ids_are_a_clear_400_or_404(platform_staff, url, status):
    assert client_for(platform_staff).get(url).status_code == status


def test_the_history_costs_the_same_queries_for_one_run_or_many(platform_staff, media):
    staff = client_for(platform_staff)

    def add(number: int) -> None:
        ImportRun.objects.create(
            file=f"r{number}.csv", original_name=f"r{number}.csv", status="done",
            summary={"accepted": number, "rejected": 0, "rejections": []},
            created_by=platform_staff,
        )  # fmt: skip

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff.get(IMPORTS).status_code == 200
        return len(captured)

    add(1)
    queries()  # the session's and the sign-in's first queries, once per client
    one = queries()
    for number in range(2, 31):
        add(number)
    assert queries() == one


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    name=st.text(max_size=40),
    suffix=st.sampled_from([".csv", ".xlsx", ".json", ".txt", ""]),
    content=st.binary(max_size=300),
    sheet=st.text(max_size=110),
    as_of=st.text(max_size=15),
)
def test_any_upload_is_accepted_or_refused_never_a_crash(
    platform_staff, media, name, suffix, content, sheet, as_of
):
    response = client_for(platform_staff).post(
        IMPORTS,
        {
            "file": SimpleUploadedFile((name.replace("/", "") or "f") + suffix, content),
            "sheet": sheet,
            "as_of": as_of,
        },
    )
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert '<span class="errorlist">' in response.content.decode()


def test_a_workbook_is_imported_from_its_named_sheet(
    platform_staff, media, tmp_path, celery_runs_tasks_inline, run_on_commit
):
    # Given the same list saved from Excel, on a sheet named "Danh sách"
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    sheet.append(list(HEADERS.values()))
    sheet.append([MIEN_DONG.get(key, "") for key in HEADERS])
    path = tmp_path / "thai-nguyen.xlsx"
    workbook.save(path)
    staff = client_for(platform_staff)

    # When staff name a sheet it does not have, then it is a field error on the sheet
    wrong = upload(staff, path, sheet="Trang 2")
    assert wrong.status_code == 400
    assert "Sheet &#x27;Trang 2&#x27; is not in the workbook." in wrong.content.decode()
    assert not ImportRun.objects.exists()

    # When they name the right one, then it is imported
    with run_on_commit():
        right = upload(staff, path, sheet="Danh sách", as_of="23/11/2026")
    assert right.status_code == 302
    run = ImportRun.objects.get()
    assert (run.status, run.sheet, str(run.as_of)) == ("done", "Danh sách", "2026-11-23")
    assert run.summary["created"] == 1
    assert Product.objects.get().name == "Miến dong Tài Hoan"
