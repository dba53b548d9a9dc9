"""Give a Saleor account the fairs of a province, take them away, or list who has what.

manage.py ocop_province_staff grant EMAIL PROVINCE_CODE
manage.py ocop_province_staff revoke EMAIL PROVINCE_CODE
manage.py ocop_province_staff list
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from common.units import province_name
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
        code = province.strip().zfill(2)
        if not province_name(code):
            raise CommandError(f"Không có tỉnh mã {province} / No province with code {province}.")
        user = get_user_model().objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(f"Không có tài khoản {email} / No account {email}.")
        if action == "grant":
            ProvinceStaff.objects.get_or_create(user=user, province_code=code)
            self.stdout.write(f"{user.email}: {code} {province_name(code)}")
        else:
            deleted, _ = ProvinceStaff.objects.filter(user=user, province_code=code).delete()
            outcome = "removed" if deleted else "had no access to"
            self.stdout.write(f"{user.email}: {outcome} {code}")
