"""Set up the shop's payment gateways (the demo and first installs use it)."""

from __future__ import annotations

import copy

from saleor.payment.gateways.dummy.plugin import DummyGatewayPlugin
from saleor.plugins.models import PluginConfiguration

from saleor_adapter.payments.vietqr import GATEWAY_ID as VIETQR


def configure_gateways_once(*, vietqr_configuration: list[dict], dummy_active: bool) -> None:
    """VietQR with this receiving account, and Saleor's dummy test gateway on or off —
    only where nothing is configured yet: a second run keeps the operator's choices."""
    PluginConfiguration.objects.get_or_create(
        identifier=VIETQR, defaults={"active": True, "configuration": vietqr_configuration}
    )
    PluginConfiguration.objects.get_or_create(
        identifier=DummyGatewayPlugin.PLUGIN_ID,
        defaults={
            "active": dummy_active,
            "configuration": copy.deepcopy(DummyGatewayPlugin.DEFAULT_CONFIGURATION),
        },
    )
