"""The ways staff start an import: the management command and the GraphQL upload."""

import json

import pytest
from django.core.management import CommandError, call_command
from saleor.product.models import Product

from catalog_sync.models import ImportRun
from tests.catalog_import.registry import MIEN_DONG, TRA_TAN_CUONG, write_registry
from tests.saleor_fixtures.api import grant

IMPORT_MUTATION = """
mutation Import($file: Upload!, $asOf: Date) {
  ocopRegistryImport(file: $file, asOf: $asOf) {
    importRun { id status originalName }
    importErrors { field code message }
  }
}
"""

RUN_QUERY = """
query Run($id: ID!) {
  ocopImportRun(id: $id) {
    status errorCode
    summary { accepted rejected created updated unchanged rejections { row field code } }
  }
}
"""


def test_command_imports_and_writes_the_json_report(db, tmp_path, capsys):
    # Given a registry with one certified and one 1★ product
    path = write_registry(tmp_path / "r.csv", [MIEN_DONG, {**TRA_TAN_CUONG, "stars": "1"}])
    report_path = tmp_path / "report.json"

    # When the command imports it
    call_command(
        "ocop_import", str(path), "--as-of", "2026-11-23", "--json-report", str(report_path)
    )

    # Then the JSON report and the printed summary say the same
    report = json.loads(report_path.read_text())
    assert {k: v for k, v in report.items() if k != "rejections"} == {
        "accepted": 1, "rejected": 1, "created": 1, "updated": 0, "unchanged": 0,
    }  # fmt: skip
    assert [(r["row"], r["field"], r["code"]) for r in report["rejections"]] == [
        (3, "stars", "stars_not_certified")
    ]
    assert "Tạo mới / created: 1" in capsys.readouterr().out


def test_command_dry_run_writes_nothing(db, tmp_path, capsys):
    path = write_registry(tmp_path / "r.csv", [MIEN_DONG])

    call_command("ocop_import", str(path), "--dry-run")

    assert Product.objects.count() == 0
    assert "dry run, nothing written" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"", "empty.csv", "empty_file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00junk", "junk.xlsx", "file_unreadable"),
        ("Tên sản phẩm;Giá\nMiến;1".encode("utf-16"), "utf16.csv", "encoding_invalid"),
    ],
)
def test_command_exits_2_when_the_file_cannot_be_read(db, tmp_path, content, name, code):
    path = tmp_path / name
    path.write_bytes(content)

    with pytest.raises(CommandError) as error:
        call_command("ocop_import", str(path))

    assert error.value.returncode == 2
    assert Product.objects.count() == 0


def test_command_rejects_a_malformed_as_of_date(db, tmp_path):
    path = write_registry(tmp_path / "r.csv", [MIEN_DONG])
    with pytest.raises(CommandError, match="invalid date '23/11/2026'"):
        call_command("ocop_import", str(path), "--as-of", "23/11/2026")


def upload(client, path, variables=None):
    operations = {"query": IMPORT_MUTATION, "variables": {"file": None, **(variables or {})}}
    with open(path, "rb") as handle:
        return client.post(
            "/graphql/",
            data={
                "operations": json.dumps(operations),
                "map": json.dumps({"0": ["variables.file"]}),
                "0": handle,
            },
            **client.auth_headers(),
        ).json()


def test_staff_upload_a_registry_and_read_the_summary(
    staff_api_client, tmp_path, settings, celery_runs_tasks_inline, run_on_commit
):
    # Given a staff member who manages products, and a registry file
    settings.MEDIA_ROOT = str(tmp_path / "media")
    grant(staff_api_client.user, "manage_products")
    path = write_registry(
        tmp_path / "thai-nguyen.csv", [MIEN_DONG, {**TRA_TAN_CUONG, "stars": "2"}]
    )

    # When they upload it through GraphQL (multipart) and the task runs after commit
    with run_on_commit():
        body = upload(staff_api_client, path, {"asOf": "2026-11-23"})
    run = body["data"]["ocopRegistryImport"]

    # Then the run is reported, and its summary matches the command's
    assert run["importErrors"] == []
    assert run["importRun"]["originalName"] == "thai-nguyen.csv"
    result = staff_api_client.post_graphql(RUN_QUERY, {"id": run["importRun"]["id"]})[
        "ocopImportRun"
    ]
    assert result == {
        "status": "done",
        "errorCode": None,
        "summary": {
            "accepted": 1, "rejected": 1, "created": 1, "updated": 0, "unchanged": 0,
            "rejections": [{"row": 3, "field": "stars", "code": "stars_not_certified"}],
        },
    }  # fmt: skip
    assert Product.objects.get().name == "Miến dong Tài Hoan"


def test_an_unreadable_upload_is_refused_with_its_reason_and_no_run(staff_api_client, tmp_path):
    # Given bytes that are no text, named .csv
    grant(staff_api_client.user, "manage_products")
    path = tmp_path / "binary.csv"
    path.write_bytes(bytes(range(256)) * 4)

    # When they are uploaded, then the file is refused as the import would refuse it
    # (catalog_sync.uploads opens it first), and no run is recorded
    errors = upload(staff_api_client, path)["data"]["ocopRegistryImport"]["importErrors"]
    assert [(error["field"], error["code"]) for error in errors] == [("file", "INVALID")]
    assert "/" in errors[0]["message"]  # Vietnamese / English
    assert ImportRun.objects.count() == 0


def test_upload_refuses_other_formats_and_people_without_permission(staff_api_client, tmp_path):
    # Given a PDF, and first a staff member without the permission
    path = tmp_path / "quyet-dinh.pdf"
    path.write_bytes(b"%PDF-1.4 ...")

    denied = upload(staff_api_client, path)
    grant(staff_api_client.user, "manage_products")
    refused = upload(staff_api_client, path)

    assert denied["data"]["ocopRegistryImport"] is None
    assert "permission" in denied["errors"][0]["message"].lower()
    assert refused["data"]["ocopRegistryImport"]["importErrors"] == [
        {
            "field": "file",
            "code": "FORMAT_UNSUPPORTED",
            "message": "Chỉ nhận tệp CSV, XLSX hoặc JSON / "
            "Only CSV, XLSX or JSON files are accepted.",
        }
    ]
    assert ImportRun.objects.count() == 0


def test_import_run_ids_that_are_not_ours_find_nothing(staff_api_client):
    grant(staff_api_client.user, "manage_products")
    for bad_id in [
        "bogus",
        "UHJvZHVjdDox",
        "T2NvcEltcG9ydFJ1bjp4",
    ]:  # junk, Product:1, OcopImportRun:x
        assert staff_api_client.post_graphql(RUN_QUERY, {"id": bad_id}) == {"ocopImportRun": None}
