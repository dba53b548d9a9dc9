"""The OCOP plugin: the marketplace's hook into Saleor's plugin manager."""

from __future__ import annotations

import copy
import logging

from django.core.exceptions import ValidationError
from saleor.plugins.base_plugin import BasePlugin, ConfigurationTypeField
from saleor.plugins.error_codes import PluginErrorCode

from marketplace.configuration import (
    ACCEPTANCE_ESCALATION_HOURS,
    ACCEPTANCE_REMINDER_HOURS,
    CERTIFICATE_VALIDITY_MONTHS,
    COMMISSION_RATE,
    DEFAULTS,
    FAIR_ATTRIBUTION_DAYS,
    FREE_SHIPPING_THRESHOLD,
    HIDE_UNCERTIFIED_PRODUCTS,
    SHIP_UNPAID_TRANSFERS,
    SHIPPING_PER_PARCEL,
    SHIPPING_RATES,
    ConfigurationError,
    MarketplaceSettings,
    parse_settings,
)

PLUGIN_ID = "ocop.marketplace"
FAIR_METADATA_KEY = "ocop_fair"
FAIR_BOOTH_METADATA_KEY = "ocop_fair_booth"

logger = logging.getLogger(__name__)


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
        FAIR_ATTRIBUTION_DAYS: {
            "type": ConfigurationTypeField.STRING,
            "label": "Fair attribution window (days) / Thời gian ghi nhận đơn cho hội chợ (ngày)",
            "help_text": "Orders placed this many days after a visit through a fair link "
            "are credited to the fair, 1–365.",
        },
        ACCEPTANCE_REMINDER_HOURS: {
            "type": ConfigurationTypeField.STRING,
            "label": "Acceptance reminder (hours) / Nhắc HTX nhận đơn sau (giờ)",
            "help_text": "A cooperative part still new this long after the order: the "
            "cooperative is reminded, 1–720.",
        },
        ACCEPTANCE_ESCALATION_HOURS: {
            "type": ConfigurationTypeField.STRING,
            "label": "Staff escalation (hours) / Báo nhân viên sau (giờ)",
            "help_text": "Still new this long after the order: the part goes on the staff "
            "'needs attention' queue; at least the reminder, at most 720.",
        },
        SHIP_UNPAID_TRANSFERS: {
            "type": ConfigurationTypeField.BOOLEAN,
            "label": "Ship unpaid bank transfers / Cho giao đơn chuyển khoản chưa thanh toán",
            "help_text": "Off: a part paid by bank transfer cannot be shipped before the "
            "transfer is received.",
        },
        SHIPPING_PER_PARCEL: {
            "type": ConfigurationTypeField.BOOLEAN,
            "label": "Shipping per parcel / Tính phí vận chuyển theo kiện",
            "help_text": "One parcel per cooperative, priced from its province with the "
            "rate table; off: the shipping method's price per order, shared by goods.",
        },
        SHIPPING_RATES: {
            "type": ConfigurationTypeField.STRING,
            "label": "Shipping rates per parcel / Bảng phí vận chuyển theo kiện",
            "help_text": "grams: same province, same region, other region fees; ';' between "
            "bands; '+grams: …' per started step above the last band. Example: "
            "'500: 20000 25000 30000; +1000: 3000 5000 8000'.",
        },
        FREE_SHIPPING_THRESHOLD: {
            "type": ConfigurationTypeField.STRING,
            "label": "Free shipping from (₫ per cooperative) / Miễn phí vận chuyển từ (₫ mỗi HTX)",
            "help_text": "A cooperative's parcel ships free when its goods reach this "
            "amount (0: never); a cooperative may set its own.",
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
        from saleor_adapter.shipping import store_parcel_fees
        from saleor_adapter.stock_reservations import release

        assert_not_oversold(order)
        # Saleor has allocated the stock the checkout reserved: in this transaction the
        # reservation gives way to the allocation, never both counted, never neither.
        release(order.checkout_token)
        settings = self.settings
        store_parcel_fees(order, settings)
        schedule_routing(order)
        mark_order_products(order)  # stock taken: search shows what is left
        credit_fair(order, settings.fair_attribution_days)
        return previous_value

    # -- shipping per parcel (marketplace.shipping, saleor_adapter.shipping) ------------

    def calculate_checkout_shipping(self, checkout, lines, discounts, previous_value):
        """One parcel per cooperative, each priced from its province: Saleor's shipping
        price of the checkout is their sum (its totals and payments follow)."""
        if not self.active:
            return previous_value
        from saleor_adapter.shipping import checkout_shipping

        return checkout_shipping(checkout, lines, previous_value, self.settings)

    def order_cancelled(self, order, previous_value):
        """Saleor cancelled the whole order: close its unshipped cooperative parts."""
        if not self.active:
            return previous_value
        from marketplace.lifecycle import saleor_order_cancelled

        saleor_order_cancelled(order)
        mark_order_products(order)  # stock given back
        return previous_value

    # -- payments → settlement (saleor_adapter.payments.ledger) --------------------------------

    def order_fully_paid(self, order, previous_value):
        """A capture paid the order in full: record it in the cooperatives' books."""
        if not self.active:
            return previous_value
        from saleor_adapter.payments.ledger import sync_order_ledger_safely

        sync_order_ledger_safely(order)
        return previous_value

    def order_updated(self, order, previous_value):
        """Saleor's order_captured / order_refunded / order_voided end here: record any
        payment transaction of the order not recorded yet (idempotent)."""
        if not self.active:
            return previous_value
        from saleor_adapter.payments.ledger import sync_order_ledger_safely

        sync_order_ledger_safely(order)
        return previous_value

    @classmethod
    def validate_plugin_configuration(cls, plugin_configuration) -> None:
        try:
            parse_settings(_as_dict(plugin_configuration.configuration))
        except ConfigurationError as error:
            raise ValidationError(
                {error.field: ValidationError(error.message, code=PluginErrorCode.INVALID.value)}
            ) from error


def credit_fair(order, days: int) -> None:
    """Credit the order to the trade fair whose link brought the shopper (see
    ``fairs.attribution``) and note the fair on the order's private metadata, so staff
    see it in Saleor too. In a savepoint: a failed credit is logged and never costs
    the shopper their order."""
    from django.db import transaction

    from fairs.attribution import credit_order

    try:
        with transaction.atomic():
            credit = credit_order(order.pk, order.checkout_token, order.created, days)
            if credit is not None:
                order.store_value_in_private_metadata(
                    {
                        FAIR_METADATA_KEY: credit.fair.slug,
                        FAIR_BOOTH_METADATA_KEY: credit.booth.slug if credit.booth else "",
                    }
                )
                order.save(update_fields=["private_metadata"])
    except Exception:
        logger.exception("Could not credit order %s to a trade fair", order.pk)


def mark_order_products(order) -> None:
    """The order's products, for search (in-stock): in the order's transaction."""
    from marketplace.search_outbox import mark_products

    # Stock only: the products' text (the PostgreSQL engine's folded table) is unchanged.
    mark_products(order.lines.values_list("variant__product_id", flat=True), text_changed=False)


def marketplace_settings() -> MarketplaceSettings:
    """The operator's current settings, as stored in the OCOP plugin's configuration;
    the documented defaults when the plugin is not in ``settings.PLUGINS`` (a shop, or a
    test, that runs Saleor without it): every caller then behaves as on a fresh shop."""
    from saleor.plugins.manager import get_plugins_manager

    plugin = get_plugins_manager().get_plugin(PLUGIN_ID)
    if plugin is None:
        return parse_settings({})
    return plugin.settings
