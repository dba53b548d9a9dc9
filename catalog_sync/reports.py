"""What an import tells people: a JSON report for machines, a CSV of rejections for clerks."""

from __future__ import annotations

import json
from pathlib import Path

from catalog_sync.importer import ImportReport
from common.spreadsheets import write_csv


def write_json_report(report: ImportReport, path: str | Path) -> None:
    Path(path).write_text(
        json.dumps(report.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8"
    )


REJECTIONS_HEADER = ["Dòng / Row", "Cột / Field", "Mã lỗi / Code", "Lý do", "Reason"]


def rejections_csv(summary: dict) -> bytes:
    """The rejected rows of a report (``ImportReport.as_dict()``, as a run keeps it) for
    clerks: UTF-8 with BOM, cells that look like formulas neutralised."""
    return write_csv(
        REJECTIONS_HEADER,
        (
            [r["row"], r["field"], r["code"], r["message_vi"], r["message_en"]]
            for r in summary.get("rejections", [])
        ),
    )


def write_rejections_csv(report: ImportReport, path: str | Path) -> None:
    Path(path).write_bytes(rejections_csv(report.as_dict()))


def report_counts(summary: dict) -> ImportReport:
    """The counts of a stored summary (a run's), for ``summary_lines``."""
    return ImportReport(
        **{
            key: summary.get(key, 0)
            for key in ("accepted", "rejected", "created", "updated", "unchanged")
        }
    )


def summary_lines(report: ImportReport) -> list[str]:
    return [
        f"Hợp lệ / accepted: {report.accepted}",
        f"Bị từ chối / rejected: {report.rejected}",
        f"Tạo mới / created: {report.created}",
        f"Cập nhật / updated: {report.updated}",
        f"Không đổi / unchanged: {report.unchanged}",
    ]
