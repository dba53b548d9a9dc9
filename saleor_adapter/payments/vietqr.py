"""Bank transfer by VietQR: the buyer scans a code with any banking app; the order is
paid when the bank reports a credit carrying its reference (payments_vn.matching)."""

from __future__ import annotations

import re
import secrets

from django.core.exceptions import ValidationError
from saleor.plugins.base_plugin import ConfigurationTypeField
from saleor.plugins.error_codes import PluginErrorCode

from saleor_adapter.payments.offline import OfflineGatewayPlugin

GATEWAY_ID = "ocop.payments.vietqr"
BANK_BIN, ACCOUNT_NUMBER, ACCOUNT_NAME = "bank_bin", "account_number", "account_name"
# Unambiguous when read aloud or retyped: no 0/O, 1/I.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
REFERENCE_PREFIX = "OCOP"
REFERENCE_PATTERN = re.compile(rf"{REFERENCE_PREFIX}[{REFERENCE_ALPHABET}]{{8}}")


def new_reference() -> str:
    return REFERENCE_PREFIX + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


class VietQRGatewayPlugin(OfflineGatewayPlugin):
    PLUGIN_ID = GATEWAY_ID
    PLUGIN_NAME = "Chuyển khoản ngân hàng (VietQR)"
    PLUGIN_DESCRIPTION = "Bank transfer by VietQR; paid when the bank reports the transfer."
    DEFAULT_ACTIVE = False  # needs the shop's bank account first
    DEFAULT_CONFIGURATION = [
        {"name": BANK_BIN, "value": ""},
        {"name": ACCOUNT_NUMBER, "value": ""},
        {"name": ACCOUNT_NAME, "value": ""},
    ]
    CONFIG_STRUCTURE = {
        BANK_BIN: {
            "type": ConfigurationTypeField.STRING,
            "label": "Mã BIN ngân hàng / Bank BIN",
            "help_text": "6-digit NAPAS bank identification number, e.g. 970436.",
        },
        ACCOUNT_NUMBER: {
            "type": ConfigurationTypeField.STRING,
            "label": "Số tài khoản / Account number",
            "help_text": "The shop's account that receives transfers.",
        },
        ACCOUNT_NAME: {
            "type": ConfigurationTypeField.STRING,
            "label": "Tên chủ tài khoản / Account holder",
            "help_text": "Shown to the buyer beside the QR code.",
        },
    }

    @classmethod
    def validate_plugin_configuration(cls, plugin_configuration) -> None:
        config = {item["name"]: item["value"] for item in plugin_configuration.configuration}
        errors = {}
        if not re.fullmatch(r"\d{6}", str(config.get(BANK_BIN) or "")):
            errors[BANK_BIN] = "Mã BIN gồm 6 chữ số / The bank BIN is 6 digits."
        if not re.fullmatch(r"[0-9A-Za-z]{1,19}", str(config.get(ACCOUNT_NUMBER) or "")):
            errors[ACCOUNT_NUMBER] = (
                "Số tài khoản gồm 1–19 chữ hoặc số / The account number is 1–19 letters or digits."
            )
        if errors and plugin_configuration.active:
            raise ValidationError(
                {
                    field: ValidationError(message, code=PluginErrorCode.INVALID.value)
                    for field, message in errors.items()
                }
            )

    def accept(self, payment):
        if not (self.config.get(BANK_BIN) and self.config.get(ACCOUNT_NUMBER)):
            return None, (
                "Cửa hàng chưa cấu hình tài khoản nhận chuyển khoản / "
                "The shop has not configured its bank account."
            )
        return new_reference(), None
