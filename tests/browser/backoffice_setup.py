"""People and facts of the back-office journeys in a live shop's database (run in a
subprocess, like tests/browser/parcels_setup.py):

    DATABASE_URL=... python -m tests.browser.backoffice_setup staff
    DATABASE_URL=... python -m tests.browser.backoffice_setup cooperative NAME

``staff``: two platform staff accounts (a change of payout account needs both).
``cooperative``: the cooperative's members and payout account as JSON.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

PASSWORD = "mat-khau-van-hanh-1"
OPERATORS = ("dieu.phoi@ocop.test", "ke.toan@ocop.test")


def staff() -> None:
    from django.contrib.auth.models import Permission
    from saleor.account.models import User

    for email in OPERATORS:
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password=PASSWORD, is_staff=True
        )
        user.user_permissions.add(Permission.objects.get(codename="manage_orders"))


def cooperative(name: str) -> None:
    from marketplace.models import CooperativeMembership, CooperativeSettings, Producer

    producer = Producer.objects.get(name=name)
    settings = CooperativeSettings.objects.filter(producer=producer).first()
    print(
        json.dumps(
            {
                "members": sorted(
                    [m.user.email, m.role, m.user.has_usable_password()]
                    for m in CooperativeMembership.objects.filter(producer=producer)
                ),
                "account": settings
                and [
                    settings.bank_bin,
                    settings.bank_account_number,
                    settings.bank_account_holder,
                ],
            }
        )
    )


if __name__ == "__main__":
    import django

    django.setup()
    {"staff": lambda: staff(), "cooperative": lambda: cooperative(sys.argv[2])}[sys.argv[1]]()
