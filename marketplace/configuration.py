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
SHIPPING_PER_PARCEL = "shipping_per_parcel"
SHIPPING_RATES = "shipping_rates"
FREE_SHIPPING_THRESHOLD = "free_shipping_threshold_vnd"

DEFAULTS = {
    COMMISSION_RATE: "10",
    CERTIFICATE_VALIDITY_MONTHS: "36",
    HIDE_UNCERTIFIED_PRODUCTS: True,
    FAIR_ATTRIBUTION_DAYS: "30",
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


def _flag(value) -> bool:
    return value if isinstance(value, bool) else str(value).strip().lower() == "true"


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

    hide = _flag(values[HIDE_UNCERTIFIED_PRODUCTS])

    days = whole_number(values[FAIR_ATTRIBUTION_DAYS], max_digits=6)
    if days is None or not 1 <= days <= 365:
        raise ConfigurationError(
            FAIR_ATTRIBUTION_DAYS,
            "Thời gian ghi nhận đơn cho hội chợ phải là số ngày nguyên từ 1 đến 365 / "
            "The fair attribution window must be a whole number of days from 1 to 365.",
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
        shipping_per_parcel=_flag(values[SHIPPING_PER_PARCEL]),
        shipping_rates=rates,
        free_shipping_threshold_vnd=Decimal(threshold),
    )
