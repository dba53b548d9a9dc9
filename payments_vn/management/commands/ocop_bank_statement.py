"""python manage.py ocop_bank_statement STATEMENT.csv: match bank credits to orders."""

from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from payments_vn.matching import record_bank_credit
from payments_vn.models import BankTransaction
from payments_vn.statements import read_statement
from payments_vn.tables import TableError


class Command(BaseCommand):
    help = "Khớp sao kê ngân hàng với đơn hàng / Match a bank statement (CSV) to orders."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, **options):
        try:
            credits, skipped = read_statement(options["path"])
        except TableError as error:
            raise CommandError(str(error), returncode=2) from error
        outcomes = Counter()
        for credit in credits:
            row, created = record_bank_credit(credit, BankTransaction.Source.STATEMENT)
            outcomes[row.outcome if created else "duplicate"] += 1
        for outcome, count in sorted(outcomes.items()):
            self.stdout.write(f"{outcome}: {count}")
        if skipped:
            self.stdout.write(f"skipped rows (not credits): {', '.join(map(str, skipped))}")
        review = sum(n for o, n in outcomes.items() if o not in ("matched", "duplicate"))
        if review:
            self.stdout.write(f"Cần kiểm tra / to review: {review}")
