"""Platform staff's customers section (backoffice.customers)."""

from django.urls import reverse

from tests.backoffice.screens import Cell, platform_only

CELLS = [
    Cell("customers list", lambda world: reverse("backoffice-customers"), platform_only()),
    Cell(
        "customer page",
        lambda world: reverse("backoffice-customer", args=[world.users["customer"].pk]),
        platform_only(),
    ),
    Cell(
        "customer erase",
        lambda world: reverse("backoffice-customer-erase", args=[world.users["customer"].pk]),
        platform_only(302),
        method="post",
        data=lambda world: {
            "note": "Yêu cầu YC-1 / Request YC-1",
            "confirmation": world.users["customer"].email,
        },
    ),
]
