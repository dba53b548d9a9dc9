"""The marketplace's operator settings, independent of where they are stored.

Saleor keeps them as the OCOP plugin's configuration (editable with ``pluginUpdate``);
this module parses and validates the raw values, so a bad value is refused with a
reason instead of breaking an import or a payout later.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from common.inputs import whole_number
from common.money import parse_vnd
from marketplace.shipping import DEFAULT_RATES, RateTable, RateTableError, parse_rate_table

COMMISSION_RATE = "commission_rate_percent"
CERTIFICATE_VALIDITY_MONTHS = "certificate_validity_months"
HIDE_UNCERTIFIED_PRODUCTS = "hide_uncertified_products"
FAIR_ATTRIBUTION_DAYS = "fair_attribution_days"
ACCEPTANCE_REMINDER_HOURS = "acceptance_reminder_hours"
ACCEPTANCE_ESCALATION_HOURS = "acceptance_escalation_hours"
SHIP_UNPAID_TRANSFERS = "ship_unpaid_transfers"
SHIPPING_PER_PARCEL = "shipping_per_parcel"
SHIPPING_RATES = "shipping_rates"
FREE_SHIPPING_THRESHOLD = "free_shipping_threshold_vnd"

DEFAULTS = {
    COMMISSION_RATE: "10",
    CERTIFICATE_VALIDITY_MONTHS: "36",
    HIDE_UNCERTIFIED_PRODUCTS: True,
    FAIR_ATTRIBUTION_DAYS: "30",
    ACCEPTANCE_REMINDER_HOURS: "24",
    ACCEPTANCE_ESCALATION_HOURS: "48",
    SHIP_UNPAID_TRANSFERS: False,
    SHIPPING_PER_PARCEL: True,
    SHIPPING_RATES: DEFAULT_RATES,
    FREE_SHIPPING_THRESHOLD: "500000",
}
MAX_FREE_SHIPPING_THRESHOLD = 1_000_000_000


class ConfigurationError(ValueError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class MarketplaceSettings:
    commission_rate_percent: Decimal
    certificate_validity_months: int
    hide_uncertified_products: bool
    # How long after a visit through a fair link an order is credited to the fair.
    fair_attribution_days: int
    # Shipping per parcel (marketplace.shipping): on, the rate table, and the goods
    # amount from which a cooperative's parcel ships free (0: never), unless it set its
    # own. Off: the shipping method's one price per order, shared in proportion to goods.
    shipping_per_parcel: bool
    shipping_rates: RateTable
    free_shipping_threshold_vnd: Decimal
    # A part still "new" this long after the order reminds its cooperative; this long
    # (escalation, never less than the reminder) flags it for platform staff.
    acceptance_reminder_hours: int = 24
    acceptance_escalation_hours: int = 48
    # False: a part paid by bank transfer cannot be shipped before the money came in.
    ship_unpaid_transfers: bool = False


def parse_settings(raw: dict) -> MarketplaceSettings:
    """Turn stored string values into typed settings; raise ConfigurationError on bad input."""
    values = {**DEFAULTS, **{k: v for k, v in raw.items() if v not in (None, "")}}

    try:
        rate = Decimal(str(values[COMMISSION_RATE]).strip().replace(",", "."))
    except InvalidOperation:
        rate = None
    if rate is None or not rate.is_finite() or not Decimal(0) <= rate <= Decimal(100):
        raise ConfigurationError(
            COMMISSION_RATE,
            "Tỷ lệ hoa hồng phải là số từ 0 đến 100 / "
            "Commission rate must be a number from 0 to 100.",
        )

    months = whole_number(values[CERTIFICATE_VALIDITY_MONTHS], max_digits=6)
    if months is None or not 1 <= months <= 120:
        raise ConfigurationError(
            CERTIFICATE_VALIDITY_MONTHS,
            "Thời hạn giấy chứng nhận phải là số tháng nguyên từ 1 đến 120 / "
            "Certificate validity must be a whole number of months from 1 to 120.",
        )

    hide = _boolean(values[HIDE_UNCERTIFIED_PRODUCTS])
    ship_unpaid = _boolean(values[SHIP_UNPAID_TRANSFERS])

    days = whole_number(values[FAIR_ATTRIBUTION_DAYS], max_digits=6)
    if days is None or not 1 <= days <= 365:
        raise ConfigurationError(
            FAIR_ATTRIBUTION_DAYS,
            "Thời gian ghi nhận đơn cho hội chợ phải là số ngày nguyên từ 1 đến 365 / "
            "The fair attribution window must be a whole number of days from 1 to 365.",
        )

    reminder = whole_number(values[ACCEPTANCE_REMINDER_HOURS], max_digits=6)
    if reminder is None or not 1 <= reminder <= 720:
        raise ConfigurationError(
            ACCEPTANCE_REMINDER_HOURS,
            "Thời gian nhắc HTX nhận đơn phải là số giờ nguyên từ 1 đến 720 / "
            "The acceptance reminder must be a whole number of hours from 1 to 720.",
        )
    escalation = whole_number(values[ACCEPTANCE_ESCALATION_HOURS], max_digits=6)
    if escalation is None or not reminder <= escalation <= 720:
        raise ConfigurationError(
            ACCEPTANCE_ESCALATION_HOURS,
            f"Thời gian báo nhân viên phải là số giờ nguyên từ {reminder} (thời gian nhắc) "
            f"đến 720 / The staff escalation must be a whole number of hours from "
            f"{reminder} (the reminder) to 720.",
        )

    try:
        rates = parse_rate_table(str(values[SHIPPING_RATES]))
    except RateTableError as error:
        raise ConfigurationError(SHIPPING_RATES, error.message) from None

    threshold = parse_vnd(str(values[FREE_SHIPPING_THRESHOLD]))
    if threshold is None or threshold > MAX_FREE_SHIPPING_THRESHOLD:
        raise ConfigurationError(
            FREE_SHIPPING_THRESHOLD,
            "Ngưỡng miễn phí vận chuyển phải là số đồng nguyên từ 0 đến 1.000.000.000 "
            "(0: không miễn phí) / The free shipping threshold must be a whole number of "
            "đồng from 0 to 1,000,000,000 (0: never free).",
        )

    return MarketplaceSettings(
        commission_rate_percent=rate,
        certificate_validity_months=months,
        hide_uncertified_products=hide,
        fair_attribution_days=days,
        acceptance_reminder_hours=reminder,
        acceptance_escalation_hours=escalation,
        ship_unpaid_transfers=ship_unpaid,
        shipping_per_parcel=_boolean(values[SHIPPING_PER_PARCEL]),
        shipping_rates=rates,
        free_shipping_threshold_vnd=Decimal(threshold),
    )


def _boolean(value) -> bool:
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() == "true"
