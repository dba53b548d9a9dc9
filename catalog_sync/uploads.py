"""Starting an import from an uploaded file: the one way, for the GraphQL upload and the
back office alike. The file is checked as a whole before a run exists (format, size,
and that it opens with a header we know: the reader's own checks, so a file refused
here is one the import would refuse); the run is queued after commit."""

from __future__ import annotations

import datetime
import shutil
import tempfile
from pathlib import Path

from django.db import transaction

from catalog_sync.models import ImportRun
from catalog_sync.readers import (
    MAX_TEXT_FILE_BYTES,
    SUPPORTED_EXTENSIONS,
    RegistryFileError,
    read_registry,
)
from common.errors import DomainError, bilingual
from common.inputs import has_nul

# The raw upload: a text file's own cap (readers.MAX_TEXT_FILE_BYTES); a workbook is
# compressed, so its raw size is capped like a CSV's and its inflated size is checked
# by the reader from the zip's directory.
MAX_UPLOAD_BYTES = {**MAX_TEXT_FILE_BYTES, ".xlsx": MAX_TEXT_FILE_BYTES[".csv"]}
MAX_SHEET = ImportRun._meta.get_field("sheet").max_length


class UploadError(DomainError):
    """Codes: required, format_unsupported, file_too_large, invalid (the field says
    which), or the reader's own file-level code (docs/registry-format.md)."""


def _megabytes(size: int) -> str:
    return f"{size // (1024 * 1024)} MB"


def check_upload(upload, sheet: str = "") -> str:
    """The upload's extension, or UploadError with the field at fault."""
    if upload is None:
        raise UploadError(
            "required", bilingual("Chưa gửi kèm tệp", "No file was sent with the request."), "file"
        )
    name = Path(upload.name or "").name
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_EXTENSIONS or has_nul(name):
        raise UploadError(
            "format_unsupported",
            bilingual(
                "Chỉ nhận tệp CSV, XLSX hoặc JSON", "Only CSV, XLSX or JSON files are accepted."
            ),
            "file",
        )
    if upload.size > MAX_UPLOAD_BYTES[suffix]:
        limit = _megabytes(MAX_UPLOAD_BYTES[suffix])
        raise UploadError(
            "file_too_large",
            bilingual(f"Tệp lớn hơn {limit}", f"The file is larger than {limit}"),
            "file",
        )
    if has_nul(sheet) or len(sheet) > MAX_SHEET:
        raise UploadError(
            "invalid",
            bilingual(
                f"Tên trang tính tối đa {MAX_SHEET} ký tự",
                f"A sheet name is at most {MAX_SHEET} characters",
            ),
            "sheet",
        )
    return suffix


def _check_opens(upload, suffix: str, sheet: str) -> None:
    """Open the file as the import will and read its header and first row; a file the
    reader refuses as a whole is refused here, with its reason."""
    with tempfile.NamedTemporaryFile(suffix=suffix) as local:
        upload.seek(0)
        shutil.copyfileobj(upload, local)
        local.flush()
        upload.seek(0)
        try:
            rows = iter(read_registry(local.name, sheet=sheet or None).rows)
            try:
                next(rows, None)
            finally:
                rows.close()  # a started generator closes the workbook it holds
        except RegistryFileError as error:
            field = "sheet" if error.code == "sheet_not_found" else "file"
            raise UploadError(error.code, str(error), field) from None


def start_import_run(
    upload,
    *,
    user=None,
    sheet: str = "",
    as_of: datetime.date | None = None,
    dry_run: bool = False,
) -> ImportRun:
    """Keep the uploaded file (``MEDIA_ROOT``), record the run and queue the import
    (``tasks.import_registry_run``) after commit."""
    from catalog_sync.tasks import import_registry_run

    sheet = (sheet or "").strip()
    suffix = check_upload(upload, sheet)
    _check_opens(upload, suffix, sheet)
    run = ImportRun.objects.create(
        file=upload,
        original_name=Path(upload.name).name[:255],
        sheet=sheet,
        as_of=as_of,
        dry_run=dry_run,
        created_by=user if getattr(user, "is_authenticated", False) else None,
    )
    run_id = run.pk
    transaction.on_commit(lambda: import_registry_run.delay(run_id))
    return run
