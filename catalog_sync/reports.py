"""What an import tells people: a JSON report for machines, a CSV of rejections for clerks."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from catalog_sync.importer import ImportReport

# A spreadsheet evaluates a cell starting with one of these; a clerk opening the
# rejection CSV must see the registry's text, never run it.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: object) -> str:
    text = str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def write_json_report(report: ImportReport, path: str | Path) -> None:
    Path(path).write_text(
        json.dumps(report.as_dict(), ensure_ascii=False, indent=2), encoding="utf-8"
    )


def write_rejections_csv(report: ImportReport, path: str | Path) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Dòng / Row", "Cột / Field", "Mã lỗi / Code", "Lý do", "Reason"])
        for rejection in report.as_dict()["rejections"]:
            writer.writerow(
                spreadsheet_safe(value)
                for value in (
                    rejection["row"],
                    rejection["field"],
                    rejection["code"],
                    rejection["message_vi"],
                    rejection["message_en"],
                )
            )


def summary_lines(report: ImportReport) -> list[str]:
    return [
        f"Hợp lệ / accepted: {report.accepted}",
        f"Bị từ chối / rejected: {report.rejected}",
        f"Tạo mới / created: {report.created}",
        f"Cập nhật / updated: {report.updated}",
        f"Không đổi / unchanged: {report.unchanged}",
    ]
