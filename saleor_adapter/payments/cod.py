"""Cash on delivery ("thanh toán khi nhận hàng"), the way most Vietnamese buyers pay."""

from __future__ import annotations

from babel.numbers import format_currency
from django.core.exceptions import ValidationError
from saleor.plugins.base_plugin import ConfigurationTypeField
from saleor.plugins.error_codes import PluginErrorCode

from saleor_adapter.payments.offline import OfflineGatewayPlugin, whole_vnd

GATEWAY_ID = "ocop.payments.cod"
MAX_ORDER_VALUE = "max_order_value_vnd"


class CashOnDeliveryGatewayPlugin(OfflineGatewayPlugin):
    PLUGIN_ID = GATEWAY_ID
    PLUGIN_NAME = "Thanh toán khi nhận hàng (COD)"
    PLUGIN_DESCRIPTION = "Cash on delivery: captured when the courier or cooperative collects."
    DEFAULT_CONFIGURATION = [{"name": MAX_ORDER_VALUE, "value": "5000000"}]
    CONFIG_STRUCTURE = {
        MAX_ORDER_VALUE: {
            "type": ConfigurationTypeField.STRING,
            "label": "Giá trị đơn COD tối đa (VNĐ) / Maximum COD order value (VND)",
            "help_text": "Orders above this amount must be paid another way.",
        }
    }

    @classmethod
    def validate_plugin_configuration(cls, plugin_configuration) -> None:
        config = {item["name"]: item["value"] for item in plugin_configuration.configuration}
        limit = whole_vnd(config.get(MAX_ORDER_VALUE, ""))
        if limit is None or limit <= 0:
            raise ValidationError(
                {
                    MAX_ORDER_VALUE: ValidationError(
                        "Giới hạn COD phải là số tiền VNĐ dương / "
                        "The COD limit must be a positive VND amount.",
                        code=PluginErrorCode.INVALID.value,
                    )
                }
            )

    def accept(self, payment):
        limit = whole_vnd(self.config.get(MAX_ORDER_VALUE, "")) or 0
        if payment.amount > limit:
            shown = format_currency(limit, "VND", locale="vi_VN")
            return None, (
                f"Đơn hàng trên {shown} không thể thanh toán khi nhận hàng / "
                f"Orders above {shown} cannot be paid cash on delivery."
            )
        return "COD", None
