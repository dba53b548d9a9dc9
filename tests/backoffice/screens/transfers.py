"""Bank transfers to review (backoffice.transfers): the list, a credit and its three
resolutions. The credit (and an order paid by VietQR to match it to) is built once;
each role's attempt is rolled back, so platform staff resolve a credit still waiting."""

import datetime
from decimal import Decimal

from django.urls import reverse
from saleor.order.models import Order
from saleor.plugins.models import PluginConfiguration

from devtools.demo import SAMPLE_BANK_ACCOUNT
from payments_vn.matching import BankCredit, record_bank_credit
from saleor_adapter.payments.vietqr import GATEWAY_ID as VIETQR
from tests.backoffice.screens import Cell, platform_only
from tests.saleor_fixtures.api import ApiClient
from tests.saleor_fixtures.checkout import buy

BOOKED = datetime.datetime(2026, 11, 30, 8, 0, tzinfo=datetime.UTC)


def _transfer_order(world) -> Order:
    """An order of one miến dong (125.000 ₫ + 30.000 ₫ shipping) to pay by VietQR."""
    if "transfer_order" not in world.things:
        PluginConfiguration.objects.get_or_create(
            identifier=VIETQR, defaults={"active": True, "configuration": SAMPLE_BANK_ACCOUNT}
        )
        result = buy(ApiClient(), world.catalog.mien_dong, 1, VIETQR, token="vietqr")
        assert result["checkoutErrors"] == []
        world.things["transfer_order"] = Order.objects.order_by("-pk").first()
    return world.things["transfer_order"]


def _credit(world):
    if "credit" not in world.things:
        due = _transfer_order(world).total_gross_amount
        world.things["credit"], _ = record_bank_credit(
            BankCredit("FT-MATRIX", Decimal(due), "chuyen tien", BOOKED), "statement"
        )
    return world.things["credit"]


def _action(name: str):
    return lambda world: reverse("backoffice-transfer-action", args=[_credit(world).pk, name])


CELLS = [
    Cell("bank transfers list", lambda world: reverse("backoffice-transfers"), platform_only()),
    Cell(
        "bank transfer page",
        lambda world: reverse("backoffice-transfer", args=[_credit(world).pk]),
        platform_only(),
    ),
    Cell(
        "bank transfer match to an order",
        _action("khop-don"),
        platform_only(302),
        method="post",
        data=lambda world: {"order": str(_transfer_order(world).pk)},
    ),
    Cell(
        "bank transfer refund recorded",
        _action("hoan-tien"),
        platform_only(302),
        method="post",
        data=lambda world: {"reference": "FT26334001"},
    ),
    Cell(
        "bank transfer dismiss",
        _action("bo-qua"),
        platform_only(302),
        method="post",
        data=lambda world: {"note": "Chuyển thử / Test transfer"},
    ),
]
