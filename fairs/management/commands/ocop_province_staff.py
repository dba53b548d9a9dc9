"""Give a Saleor account the fairs of a province, take them away, or list who has what.

manage.py ocop_province_staff grant EMAIL PROVINCE_CODE
manage.py ocop_province_staff revoke EMAIL PROVINCE_CODE
manage.py ocop_province_staff list

The same service as the back office's provinces page (``fairs.staff``): a grant sends
the invitation e-mail, a revoke deactivates an account left with no other role.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from common.units import province_name
from fairs import staff
from fairs.models import ProvinceStaff


class Command(BaseCommand):
    help = "Manage which accounts run the trade fairs of which province."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["grant", "revoke", "list"])
        parser.add_argument("email", nargs="?")
        parser.add_argument("province", nargs="?", help="two-digit province code, e.g. 19")

    def handle(self, *args, action: str, email: str | None, province: str | None, **options):
        if action == "list":
            for row in ProvinceStaff.objects.select_related("user").order_by(
                "province_code", "user__email"
            ):
                self.stdout.write(
                    f"{row.province_code} {province_name(row.province_code)}\t{row.user.email}"
                )
            return
        if not email or not province:
            raise CommandError("Cần EMAIL và mã tỉnh / EMAIL and PROVINCE_CODE are required.")
        try:
            code = staff.province_code(province)
        except staff.ProvinceStaffError:
            raise CommandError(
                f"Không có tỉnh mã {province} / No province with code {province}."
            ) from None
        if action == "grant":
            try:
                row = staff.invite(None, email, code, existing_only=True)
            except staff.ProvinceStaffError as error:
                if error.code != "already_staff":
                    raise CommandError(error.message) from None
            else:
                email = row.user.email
            self.stdout.write(f"{email.strip().lower()}: {code} {province_name(code)}")
            return
        row = ProvinceStaff.objects.filter(
            user__email__iexact=email.strip(), province_code=code
        ).first()
        if row is None:
            self.stdout.write(f"{email}: had no access to {code}")
            return
        deactivated = staff.revoke(None, row.pk)
        self.stdout.write(
            f"{email}: removed {code}" + (" (account deactivated)" if deactivated else "")
        )
