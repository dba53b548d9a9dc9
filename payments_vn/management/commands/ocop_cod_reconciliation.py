"""python manage.py ocop_cod_reconciliation FILE.csv: settle COD parcels a courier reports."""

from django.core.management.base import BaseCommand, CommandError

from payments_vn.cod_reconciliation import reconcile_cod_file
from payments_vn.tables import TableError


class Command(BaseCommand):
    help = "Đối soát COD của đơn vị vận chuyển / Settle a courier's COD reconciliation file."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, **options):
        try:
            report = reconcile_cod_file(options["path"])
        except TableError as error:
            raise CommandError(str(error), returncode=2) from error
        for outcome, count in sorted(report.outcomes.items()):
            self.stdout.write(f"{outcome}: {count}")
        for row, problem in report.problems:
            self.stdout.write(f"row {row}: {problem}")
