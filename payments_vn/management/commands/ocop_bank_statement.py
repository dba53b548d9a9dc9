"""python manage.py ocop_bank_statement STATEMENT.csv: match bank credits to orders."""

import logging
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import DataError, IntegrityError, InternalError

from payments_vn.matching import record_bank_credit
from payments_vn.models import BankTransaction
from payments_vn.statements import read_statement
from payments_vn.tables import TableError

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Khớp sao kê ngân hàng với đơn hàng / Match a bank statement (CSV) to orders."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, **options):
        try:
            statement = read_statement(options["path"])
        except TableError as error:
            raise CommandError(str(error), returncode=2) from error
        outcomes = Counter()
        problems = list(statement.problems)
        for number, credit in statement.credits:
            try:
                row, created = record_bank_credit(credit, BankTransaction.Source.STATEMENT)
            except (DataError, IntegrityError, InternalError) as error:
                # The row's own fault (a value, a constraint): rolled back, nothing written.
                logger.exception("Statement row %s could not be recorded", number)
                reason = (str(error).strip().splitlines() or [type(error).__name__])[0]
                problems.append((number, f"không ghi được / could not be recorded: {reason}"))
                continue
            outcomes[row.outcome if created else "duplicate"] += 1
        for outcome, count in sorted(outcomes.items()):
            self.stdout.write(f"{outcome}: {count}")
        if statement.skipped:
            self.stdout.write(
                f"skipped rows (not credits): {', '.join(map(str, statement.skipped))}"
            )
        for number, problem in sorted(problems):
            self.stdout.write(f"row {number}: {problem}")
        review = sum(n for o, n in outcomes.items() if o not in ("matched", "duplicate"))
        if review:
            self.stdout.write(f"Cần kiểm tra / to review: {review}")
        if problems:
            self.stdout.write(f"Dòng bị từ chối / rows refused: {len(problems)}")
