"""Shipping per parcel: one parcel per cooperative, priced from its province to the
delivery province by the operator's rate table (marketplace.shipping), charged by Saleor
as their sum and kept on each cooperative order for the ledger.

The catalogue (tests/routing/marketplace.py): Hợp tác xã Tài Hoan's miến dong
(125.000 ₫, 500 g) and Hợp tác xã Chè Tân Cương's trà (350.000 ₫, 200 g), both from
Thái Nguyên (North). The default table, in đồng (same province / same region / other
region): ≤ 500 g 20.000 / 25.000 / 30.000; ≤ 1 kg 22.000 / 30.000 / 35.000; ≤ 2 kg
25.000 / 35.000 / 45.000; ≤ 5 kg 30.000 / 45.000 / 60.000; each started kg above
3.000 / 5.000 / 8.000; a parcel of 500.000 ₫ of goods or more ships free.
"""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from saleor.plugins.models import PluginConfiguration

from marketplace import lifecycle
from marketplace.configuration import (
    FREE_SHIPPING_THRESHOLD,
    SHIPPING_RATES,
    ConfigurationError,
    parse_settings,
)
from marketplace.models import CooperativeOrder, CooperativeSettings, LedgerEntry
from marketplace.routing import route_order
from marketplace.shipping import (
    DEFAULT_RATES,
    OTHER_REGION,
    SAME_PROVINCE,
    SAME_REGION,
    RateTableError,
    parse_rate_table,
    zone_between,
)
from saleor_adapter.ocop.plugin import PLUGIN_ID

HO_CHI_MINH = {"country_area": "Thành phố Hồ Chí Minh", "city": "Phường Sài Gòn"}
THAI_NGUYEN = {"country_area": "Thái Nguyên", "city": "Phường Phan Đình Phùng"}


def configure(**values):
    PluginConfiguration.objects.update_or_create(
        identifier=PLUGIN_ID,
        defaults={
            "name": "OCOP Marketplace",
            "active": True,
            "configuration": [{"name": k, "value": v} for k, v in values.items()],
        },
    )


def shipping_of(order):
    return {
        co.producer.name: co.shipping_amount
        for co in CooperativeOrder.objects.filter(order=order).select_related("producer")
    }


# -- the rate table ---------------------------------------------------------------------


def test_the_default_table_prices_each_band_and_each_started_kilogram_above():
    rates = parse_rate_table(DEFAULT_RATES)
    assert [rates.fee(SAME_PROVINCE, g) for g in (0, 500, 501, 1000, 2000, 5000)] == [
        20000, 20000, 22000, 22000, 25000, 30000,
    ]  # fmt: skip
    # 5.001 g is one started kilogram above 5 kg: 60.000 + 8.000 between regions;
    # 7.000 g two: 45.000 + 2 × 5.000 within a region
    assert rates.fee(OTHER_REGION, 5001) == 68000
    assert rates.fee(SAME_REGION, 7000) == 55000


def test_zones_follow_the_regions_of_the_34_provinces():
    assert zone_between("19", "19") == SAME_PROVINCE  # Thái Nguyên → Thái Nguyên
    assert zone_between("19", "01") == SAME_REGION  # Thái Nguyên → Hà Nội, North
    assert zone_between("48", "68") == SAME_REGION  # Đà Nẵng → Lâm Đồng, Centre
    assert zone_between("79", "96") == SAME_REGION  # Hồ Chí Minh → Cà Mau, South
    assert zone_between("19", "79") == OTHER_REGION
    assert zone_between("19", "") == OTHER_REGION  # an address of no known province


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ("", "Bảng phí vận chuyển không hợp lệ: bảng trống"),
        ("500: 20000 25000", "cần đúng 3 mức phí"),
        ("500: 20000 25000 30000", "thiếu dòng «+gam"),
        ("1000: 1 2 3; 500: 1 2 3; +1000: 1 2 3", "các mức cân nặng phải tăng dần"),
        ("nửa ký: 1 2 3; +1000: 1 2 3", "không có dạng «gam: phí phí phí»"),
        ("500: 1 2 30000000; +1000: 1 2 3", "tối đa 10.000.000"),
        ("500: 1 2 3; +1000: 1 2 3; +500: 1 2 3", "có hai dòng «+»"),
    ],
)
def test_a_bad_table_is_refused_in_both_languages(table, says):
    # When the operator saves a bad table, the plugin's validation refuses that field
    with pytest.raises(ConfigurationError) as refused:
        parse_settings({SHIPPING_RATES: table or " "})
    assert refused.value.field == SHIPPING_RATES
    assert says in refused.value.message
    assert "Invalid shipping rate table" in refused.value.message


def test_a_bad_threshold_is_refused():
    for value in ("-1", "abc", "1000000001", "12,5"):
        with pytest.raises(ConfigurationError) as refused:
            parse_settings({FREE_SHIPPING_THRESHOLD: value})
        assert refused.value.field == FREE_SHIPPING_THRESHOLD
        assert "free shipping threshold" in refused.value.message
    assert parse_settings({FREE_SHIPPING_THRESHOLD: "300.000"}).free_shipping_threshold_vnd == (
        300000
    )


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=120))
def test_any_text_is_a_table_or_a_bilingual_refusal(text):
    try:
        rates = parse_rate_table(text)
    except RateTableError as error:
        message = error.message
    else:
        message = ""
        assert rates.fee(OTHER_REGION, 10**6) >= 0
    assert message == "" or " / Invalid shipping rate table" in message


# -- orders: Saleor charges the sum, each cooperative order keeps its own -----------------


def test_two_cooperatives_ship_two_parcels_each_with_its_own_fee(catalog, order_of, platform_staff):
    # Given Lan in Hà Nội buys 2 miến dong (Tài Hoan) and 1 trà (Tân Cương)
    order = order_of((catalog.mien_dong, 2), (catalog.tra, 1))

    # Then Saleor charged the two parcels: Tài Hoan 2 × 500 g = 1 kg within the North
    # (30.000 ₫) + Tân Cương 200 g within the North (25.000 ₫) = 55.000 ₫
    assert order.shipping_price_gross_amount == 55000
    # and the order's total is goods + both parcels: 250.000 + 350.000 + 55.000
    assert order.total_gross_amount == 655000

    # When it is routed, each cooperative order carries its own parcel's fee
    route_order(order.pk)
    assert shipping_of(order) == {
        "Hợp tác xã Tài Hoan": Decimal(30000),
        "Hợp tác xã Chè Tân Cương": Decimal(25000),
    }
    # (not the proportional split of before: 250 : 350 of 55.000 would give 22.917)

    # and the ledger uses it when Tài Hoan's part is delivered
    part = CooperativeOrder.objects.get(order=order, producer=catalog.tai_hoan)
    for step in (lifecycle.accept, lifecycle.pack):
        step(platform_staff, part.pk)
    lifecycle.ship(platform_staff, part.pk, "VNPost", "EB123456789VN")
    lifecycle.deliver(platform_staff, part.pk)
    entry = LedgerEntry.objects.get(cooperative_order=part)
    # 250.000 goods − 10 % commission (25.000) + its 30.000 shipping = 255.000 payable
    assert (entry.gross_amount, entry.commission_amount, entry.shipping_amount,
            entry.net_amount) == (250000, 25000, 30000, 255000)  # fmt: skip


def test_the_origin_and_destination_set_the_zone(catalog, order_of):
    # Given the same cart delivered in Thái Nguyên (the cooperatives' own province)
    near = order_of((catalog.mien_dong, 2), (catalog.tra, 1), address=THAI_NGUYEN)
    # and in Hồ Chí Minh City (the South: another region)
    far = order_of((catalog.mien_dong, 2), (catalog.tra, 1), address=HO_CHI_MINH)

    # Then within the province: 1 kg 22.000 + 200 g 20.000 = 42.000 ₫
    assert near.shipping_price_gross_amount == 42000
    # and between regions: 1 kg 35.000 + 200 g 30.000 = 65.000 ₫
    assert far.shipping_price_gross_amount == 65000
    route_order(far.pk)
    assert shipping_of(far) == {
        "Hợp tác xã Tài Hoan": Decimal(35000),
        "Hợp tác xã Chè Tân Cương": Decimal(30000),
    }


def test_a_parcel_ships_free_from_the_threshold_its_cooperative_or_the_operator_set(
    catalog, order_of
):
    # Given Tài Hoan ships free from 200.000 ₫ of its goods (the operator: 500.000 ₫)
    CooperativeSettings.objects.create(
        producer=catalog.tai_hoan, free_shipping_threshold_amount=Decimal(200000)
    )

    # When Lan buys 2 miến dong (250.000 ₫ ≥ 200.000) and 2 trà (700.000 ₫ ≥ 500.000)
    order = order_of((catalog.mien_dong, 2), (catalog.tra, 2))

    # Then both parcels are free and the order's total is the goods alone
    assert order.shipping_price_gross_amount == 0
    assert order.total_gross_amount == 950000
    route_order(order.pk)
    assert shipping_of(order) == {
        "Hợp tác xã Tài Hoan": Decimal(0),
        "Hợp tác xã Chè Tân Cương": Decimal(0),
    }

    # When the operator switches free shipping off (0) and Tài Hoan's own threshold
    # is not reached (1 miến dong, 125.000 ₫)
    configure(**{FREE_SHIPPING_THRESHOLD: "0"})
    order = order_of((catalog.mien_dong, 1), (catalog.tra, 2))

    # Then 500 g within the North 25.000 + 400 g 25.000 = 50.000 ₫
    assert order.shipping_price_gross_amount == 50000


def test_a_heavy_parcel_pays_each_started_kilogram_above_the_last_band(catalog, order_of):
    # Given the operator's own table and no free shipping
    configure(
        **{
            SHIPPING_RATES: "1000: 10000 20000 30000; +500: 1000 2000 3000",
            FREE_SHIPPING_THRESHOLD: "0",
        }
    )
    # When Lan in Hồ Chí Minh City buys 5 miến dong (2.500 g)
    order = order_of((catalog.mien_dong, 5), address=HO_CHI_MINH)

    # Then 1 kg between regions 30.000 + 3 started 500 g steps × 3.000 = 39.000 ₫
    assert order.shipping_price_gross_amount == 39000
    route_order(order.pk)
    assert shipping_of(order) == {"Hợp tác xã Tài Hoan": Decimal(39000)}


PLUGIN_UPDATE = """
mutation Update($id: ID!, $input: PluginUpdateInput!) {
  pluginUpdate(id: $id, input: $input) { pluginsErrors { field code message } }
}
"""


def test_the_operator_edits_the_table_through_saleor_and_a_bad_one_is_refused(
    staff_api_client,
):
    from saleor_adapter.ocop.plugin import marketplace_settings
    from tests.saleor_fixtures.api import grant

    grant(staff_api_client.user, "manage_plugins")

    def update(name, value):
        return staff_api_client.post_graphql(
            PLUGIN_UPDATE,
            {"id": PLUGIN_ID, "input": {"configuration": [{"name": name, "value": value}]}},
        )["pluginUpdate"]["pluginsErrors"]

    # When staff save a table of one band and a 300.000 ₫ threshold
    assert update(SHIPPING_RATES, "2000: 15000 20000 25000; +1000: 2000 3000 4000") == []
    assert update(FREE_SHIPPING_THRESHOLD, "300.000") == []
    # Then the marketplace prices with them
    settings_now = marketplace_settings()
    assert settings_now.shipping_rates.fee(SAME_REGION, 3500) == 20000 + 2 * 3000
    assert settings_now.free_shipping_threshold_vnd == 300000

    # When they save a table without the extra-weight entry, it is refused on its field
    (error,) = update(SHIPPING_RATES, "2000: 15000 20000 25000")
    assert (error["field"], error["code"]) == ("shippingRates", "INVALID")
    assert "thiếu dòng «+gam" in error["message"]
    assert "Invalid shipping rate table" in error["message"]
    # and the table in force is unchanged
    assert marketplace_settings().shipping_rates.fee(SAME_REGION, 3500) == 26000
