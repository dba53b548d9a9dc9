"""People and facts of the back-office journeys in a live shop's database (run in a
subprocess, like tests/browser/parcels_setup.py):

    DATABASE_URL=... python -m tests.browser.backoffice_setup staff
    DATABASE_URL=... python -m tests.browser.backoffice_setup cooperative NAME

``staff``: two platform staff accounts (a change of payout account needs both).
``cooperative``: the cooperative's members and payout account as JSON.
``bank NAME``: give the cooperative a payout account (as approved in the back office).
``entries ORDER``: the order's ledger entries as JSON: cooperative, net, payout batch.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

PASSWORD = "mat-khau-van-hanh-1"
# Not parcels_setup.STAFF: a journey of the same live shop signs in as that one with its own
# password.
OPERATORS = ("van.hanh@ocop.test", "ke.toan@ocop.test")


def staff() -> None:
    from django.contrib.auth.models import Permission
    from saleor.account.models import User

    for email in OPERATORS:
        # Set each time: the live shop's database outlives one journey.
        user = User.objects.filter(email=email).first() or User(email=email)
        user.is_staff, user.is_active = True, True
        user.set_password(PASSWORD)
        user.save()
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


def bank(name: str) -> None:
    from marketplace.models import CooperativeSettings, Producer

    settings, _ = CooperativeSettings.objects.get_or_create(
        producer=Producer.objects.get(name=name)
    )
    settings.bank_name, settings.bank_bin = "Agribank", "970405"
    settings.bank_account_number, settings.bank_account_holder = "1500205012345", "HTX TAI HOAN"
    settings.save()


def entries(order_number: str) -> None:
    from marketplace.models import LedgerEntry

    print(
        json.dumps(
            [
                [e.producer.name, int(e.net_amount), e.payout_batch and e.payout_batch.reference]
                for e in LedgerEntry.objects.filter(cooperative_order__order_id=int(order_number))
                .select_related("producer", "payout_batch")
                .order_by("pk")
            ]
        )
    )


if __name__ == "__main__":
    import django

    django.setup()
    {
        "staff": lambda: staff(),
        "cooperative": lambda: cooperative(sys.argv[2]),
        "bank": lambda: bank(sys.argv[2]),
        "entries": lambda: entries(sys.argv[2]),
    }[sys.argv[1]]()
