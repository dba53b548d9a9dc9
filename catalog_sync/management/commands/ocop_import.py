"""python manage.py ocop_import PATH [--dry-run] [--as-of YYYY-MM-DD] [--json-report OUT]"""

from __future__ import annotations

import argparse
import datetime
import sys

from django.core.management.base import BaseCommand, CommandError

from catalog_sync.importer import DEFAULT_CHUNK_SIZE, import_registry
from catalog_sync.readers import RegistryFileError
from catalog_sync.reports import summary_lines, write_json_report, write_rejections_csv

FILE_UNREADABLE_EXIT = 2


def iso_date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"ngày không hợp lệ / invalid date {text!r}: dùng / use YYYY-MM-DD"
        ) from None


class Command(BaseCommand):
    help = (
        "Nhập danh sách sản phẩm OCOP (CSV, XLSX, JSON) / "
        "Import an OCOP registry file. Exit 0 when processed, 2 when unreadable."
    )

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="validate, write nothing")
        parser.add_argument("--as-of", type=iso_date, help="reference date (default: today)")
        parser.add_argument("--sheet", help="XLSX sheet name (default: the first)")
        parser.add_argument("--json-report", help="write the JSON report here")
        parser.add_argument("--rejections-csv", help="write rejected rows for clerks here")
        parser.add_argument(
            "--chunk-size",
            type=int,
            default=DEFAULT_CHUNK_SIZE,
            help="rows written per transaction (default %(default)s)",
        )

    def handle(self, *args, **options):
        progress = None
        bar = None
        if sys.stdout.isatty():
            from tqdm import tqdm

            bar = tqdm(unit=" dòng/rows", desc="Nhập / importing")
            progress = bar.update
        try:
            report = import_registry(
                options["path"],
                as_of=options["as_of"],
                dry_run=options["dry_run"],
                sheet=options["sheet"],
                progress=progress,
                chunk_size=max(1, options["chunk_size"]),
            )
        except RegistryFileError as error:
            message = f"{error} [{error.code}]"
            raise CommandError(message, returncode=FILE_UNREADABLE_EXIT) from error
        finally:
            if bar is not None:
                bar.close()
        if options["json_report"]:
            write_json_report(report, options["json_report"])
        if options["rejections_csv"]:
            write_rejections_csv(report, options["rejections_csv"])
        if options["dry_run"]:
            self.stdout.write("Chạy thử, không ghi gì / dry run, nothing written")
        for line in summary_lines(report):
            self.stdout.write(line)
