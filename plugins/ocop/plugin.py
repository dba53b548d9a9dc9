"""The OCOP plugin: the marketplace's hook into Saleor's plugin manager."""

from __future__ import annotations

import copy

from django.core.exceptions import ValidationError
from saleor.plugins.base_plugin import BasePlugin, ConfigurationTypeField
from saleor.plugins.error_codes import PluginErrorCode

from marketplace.configuration import (
    CERTIFICATE_VALIDITY_MONTHS,
    COMMISSION_RATE,
    DEFAULTS,
    HIDE_UNCERTIFIED_PRODUCTS,
    ConfigurationError,
    MarketplaceSettings,
    parse_settings,
)

PLUGIN_ID = "ocop.marketplace"


def _as_dict(configuration: list[dict]) -> dict:
    return {item["name"]: item["value"] for item in configuration or []}


class OCOPPlugin(BasePlugin):
    PLUGIN_ID = PLUGIN_ID
    PLUGIN_NAME = "OCOP Marketplace"
    PLUGIN_DESCRIPTION = (
        "Chỉ bán sản phẩm OCOP được công nhận 3–5 sao; định tuyến đơn hàng tới hợp tác xã. "
        "Sells only certified 3–5 star OCOP products and routes orders to cooperatives."
    )
    DEFAULT_ACTIVE = True
    DEFAULT_CONFIGURATION = [{"name": name, "value": value} for name, value in DEFAULTS.items()]
    CONFIG_STRUCTURE = {
        COMMISSION_RATE: {
            "type": ConfigurationTypeField.STRING,
            "label": "Commission rate (%) / Tỷ lệ hoa hồng (%)",
            "help_text": "Platform commission on each delivered cooperative order, 0–100.",
        },
        CERTIFICATE_VALIDITY_MONTHS: {
            "type": ConfigurationTypeField.STRING,
            "label": "Certificate validity (months) / Thời hạn giấy chứng nhận (tháng)",
            "help_text": "Used when a registry row gives no expiry date (36 by law).",
        },
        HIDE_UNCERTIFIED_PRODUCTS: {
            "type": ConfigurationTypeField.BOOLEAN,
            "label": "Hide uncertified products / Ẩn sản phẩm chưa được công nhận",
            "help_text": "Keep products without a valid certificate unpublished.",
        },
    }

    def __init__(self, *, configuration: list[dict], active: bool):
        # Saleor 2.10 hands a plugin without stored configuration the class-level
        # DEFAULT_CONFIGURATION itself, and pluginUpdate then edits it in place: a
        # refused or rolled-back edit would change the defaults for the whole process.
        super().__init__(configuration=copy.deepcopy(configuration), active=active)

    @property
    def settings(self) -> MarketplaceSettings:
        return parse_settings(_as_dict(self.configuration))

    # -- order routing (marketplace.routing, marketplace.lifecycle) --------------------

    def order_created(self, order, previous_value):
        """Inside checkoutComplete's transaction: only record the order for routing;
        the split runs in a Celery task once the order is committed."""
        if not self.active:
            return previous_value
        from marketplace.routing import assert_not_oversold, schedule_routing

        assert_not_oversold(order)
        schedule_routing(order)
        return previous_value

    def order_cancelled(self, order, previous_value):
        """Saleor cancelled the whole order: close its unshipped cooperative parts."""
        if not self.active:
            return previous_value
        from marketplace.lifecycle import saleor_order_cancelled

        saleor_order_cancelled(order)
        return previous_value

    @classmethod
    def validate_plugin_configuration(cls, plugin_configuration) -> None:
        try:
            parse_settings(_as_dict(plugin_configuration.configuration))
        except ConfigurationError as error:
            raise ValidationError(
                {error.field: ValidationError(error.message, code=PluginErrorCode.INVALID.value)}
            ) from error


def marketplace_settings() -> MarketplaceSettings:
    """The operator's current settings, as stored in the OCOP plugin's configuration."""
    from saleor.plugins.manager import get_plugins_manager

    plugin = get_plugins_manager().get_plugin(PLUGIN_ID)
    return plugin.settings
