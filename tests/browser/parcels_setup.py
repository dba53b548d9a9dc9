"""People and facts of the parcels journey in a live shop's database (run in a
subprocess, like the shop and tests/browser/fair_setup.py):

    DATABASE_URL=... python -m tests.browser.parcels_setup accounts
    DATABASE_URL=... python -m tests.browser.parcels_setup books ORDER_NUMBER

``accounts``: a portal account for Hợp tác xã Tài Hoan and for Hợp tác xã Định Hóa (each
with its order e-mail) and a platform staff account. ``books``: the order's money in the
books as JSON (``settlement.order_money``) and each part's refund.
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

PASSWORD = "mat-khau-hanh-trinh-1"
ACCOUNTS = {
    "Hợp tác xã Tài Hoan": "ban.hang@taihoan.test",
    "Hợp tác xã Định Hóa": "ban.hang@dinhhoa.test",
}
STAFF = "dieu.phoi@ocop.test"


def accounts() -> None:
    from django.contrib.auth.models import Permission
    from saleor.account.models import User

    from marketplace.models import CooperativeMembership, CooperativeSettings, Producer

    for name, email in ACCOUNTS.items():
        producer = Producer.objects.get(name=name)
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email=email, password=PASSWORD
        )
        CooperativeMembership.objects.get_or_create(user=user, producer=producer)
        CooperativeSettings.objects.get_or_create(
            producer=producer, defaults={"notification_email": email}
        )
    staff = User.objects.filter(email=STAFF).first() or User.objects.create_user(
        email=STAFF, password=PASSWORD, is_staff=True
    )
    staff.user_permissions.add(Permission.objects.get(codename="manage_orders"))


def books(order_number: str) -> None:
    from marketplace import settlement
    from marketplace.models import CooperativeOrder, PartRefund

    money = settlement.order_money(int(order_number))
    print(
        json.dumps(
            {
                "paid": int(money.paid),
                "ledger": int(money.ledger),
                "escrow": int(money.escrow),
                "commission": int(money.commission),
                "balanced": money.balanced,
                "parts": {
                    co.producer.name: co.status
                    for co in CooperativeOrder.objects.filter(order_id=int(order_number))
                },
                "refunds": [
                    [r.cooperative_order.number, int(r.amount), r.method, r.status]
                    for r in PartRefund.objects.filter(
                        cooperative_order__order_id=int(order_number)
                    )
                ],
            }
        )
    )


if __name__ == "__main__":
    import django

    django.setup()
    {"accounts": lambda: accounts(), "books": lambda: books(sys.argv[2])}[sys.argv[1]]()
