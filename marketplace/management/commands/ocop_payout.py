"""python manage.py ocop_payout: pay the cooperatives what the ledger owes them.

Without options it runs a payout (every unpaid entry, grouped per cooperative, in one
batch) and writes the batch's bank transfer file; ``--mark-paid REFERENCE`` records the
bank's confirmation. Running it twice never pays an entry twice (``run_payout`` locks).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from marketplace import payouts, settlement
from marketplace.models import PayoutBatch, Producer


class Command(BaseCommand):
    help = "Chi trả cho hợp tác xã / Pay the cooperatives what the ledger owes them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default=".",
            help="Thư mục ghi tệp chuyển khoản / folder for the transfer CSV (default: .)",
        )
        parser.add_argument(
            "--mark-paid",
            metavar="REFERENCE",
            help="Đánh dấu đợt đã chuyển tiền / mark a batch paid, e.g. OCOP-20261123-1A2B3C4D",
        )

    def handle(self, *args, **options):
        if options["mark_paid"]:
            return self._mark_paid(options["mark_paid"].strip())
        output_dir = Path(options["output_dir"])
        if not output_dir.is_dir():
            raise CommandError(f"Không có thư mục / no such folder: {output_dir}", returncode=2)
        result = payouts.run_payout()
        names = dict(
            Producer.objects.filter(pk__in=[*result.held, *result.awaiting_payment]).values_list(
                "pk", "name"
            )
        )
        for producer_id, reason in sorted(result.held.items()):
            self.stdout.write(f"Tạm giữ / held: {names[producer_id]} — {reason}")
        for producer_id, count in sorted(result.awaiting_payment.items()):
            if producer_id not in result.held:
                self.stdout.write(
                    f"Chờ tiền khách trả / awaiting the buyer's payment: {names[producer_id]}"
                    f" — {count} khoản / entries, for a later payout"
                )
        if result.batch is None:
            self.stdout.write("Không có khoản nào cần chi trả / nothing to pay.")
            return
        batch = result.batch
        path = output_dir / f"{batch.reference}.csv"
        path.write_bytes(payouts.payout_csv(batch))
        self.stdout.write(
            f"{batch.reference}: {batch.lines.count()} hợp tác xã / cooperatives, "
            f"{int(batch.total_amount)} VND → {path}"
        )

    def _mark_paid(self, reference: str) -> None:
        batch = PayoutBatch.objects.filter(reference=reference).first()
        if batch is None:
            raise CommandError(
                f"Không tìm thấy đợt chi trả / no payout batch {reference!r}", returncode=2
            )
        try:
            payouts.mark_batch_paid(batch.pk)
        except settlement.SettlementError as error:
            raise CommandError(f"{reference}: {error} ({error.code})", returncode=1) from error
        self.stdout.write(f"{reference}: đã trả / paid")
