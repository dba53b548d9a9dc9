from decimal import Decimal

from django.conf import settings
from saleor.plugins.manager import get_plugins_manager

from marketplace.shipping import DEFAULT_RATES
from saleor_adapter.ocop.plugin import PLUGIN_ID, OCOPPlugin, marketplace_settings
from tests.saleor_fixtures.api import grant

PLUGINS_QUERY = """
query {
  plugins(first: 20) {
    edges { node { id name active configuration { name value type } } }
  }
}
"""

PLUGIN_UPDATE = """
mutation Update($id: ID!, $input: PluginUpdateInput!) {
  pluginUpdate(id: $id, input: $input) {
    plugin { id active configuration { name value } }
    pluginsErrors { field code message }
  }
}
"""


def test_ocop_plugin_is_registered_and_active_by_default(db):
    # Given the shop's settings
    # When Saleor's plugin manager loads the plugins
    plugin = get_plugins_manager().get_plugin(PLUGIN_ID)

    # Then ours is among them, active, with the legal defaults
    assert "saleor_adapter.ocop.plugin.OCOPPlugin" in settings.PLUGINS
    assert isinstance(plugin, OCOPPlugin)
    assert plugin.active is True
    assert plugin.settings.certificate_validity_months == 36
    assert plugin.settings.commission_rate_percent == Decimal(10)


def test_staff_with_manage_plugins_sees_the_plugin_and_its_configuration(staff_api_client):
    # Given a staff member allowed to manage plugins
    grant(staff_api_client.user, "manage_plugins")

    # When they list plugins through Saleor's GraphQL API
    data = staff_api_client.post_graphql(PLUGINS_QUERY)

    # Then the OCOP plugin is listed, active, with its configuration
    nodes = {edge["node"]["id"]: edge["node"] for edge in data["plugins"]["edges"]}
    ocop = nodes[PLUGIN_ID]
    assert ocop["name"] == "OCOP Marketplace"
    assert ocop["active"] is True
    assert {item["name"]: (item["value"], item["type"]) for item in ocop["configuration"]} == {
        "commission_rate_percent": ("10", "STRING"),
        "certificate_validity_months": ("36", "STRING"),
        "hide_uncertified_products": ("true", "BOOLEAN"),
        "fair_attribution_days": ("30", "STRING"),
        "acceptance_reminder_hours": ("24", "STRING"),
        "acceptance_escalation_hours": ("48", "STRING"),
        "ship_unpaid_transfers": ("false", "BOOLEAN"),
        "shipping_per_parcel": ("true", "BOOLEAN"),
        "shipping_rates": (DEFAULT_RATES, "STRING"),
        "free_shipping_threshold_vnd": ("500000", "STRING"),
    }


def test_staff_without_permission_cannot_list_plugins(staff_api_client):
    # Given a staff member without the manage_plugins permission
    # When they ask for plugins
    body = staff_api_client.execute(PLUGINS_QUERY)

    # Then Saleor refuses with a permission error and no data
    assert body["data"]["plugins"] is None
    assert "permission" in body["errors"][0]["message"].lower()


def test_operator_changes_the_commission_rate(staff_api_client):
    # Given a staff member allowed to manage plugins
    grant(staff_api_client.user, "manage_plugins")

    # When they set a 12.5 % commission
    data = staff_api_client.post_graphql(
        PLUGIN_UPDATE,
        {"id": PLUGIN_ID, "input": {"configuration": [
            {"name": "commission_rate_percent", "value": "12.5"}
        ]}},
    )  # fmt: skip

    # Then it is stored and the marketplace reads it back
    assert data["pluginUpdate"]["pluginsErrors"] == []
    assert marketplace_settings().commission_rate_percent == Decimal("12.5")


def test_invalid_configuration_is_refused_with_a_reason(staff_api_client):
    # Given a staff member allowed to manage plugins
    grant(staff_api_client.user, "manage_plugins")

    # When they enter a commission of 150 % and a validity of "ba năm"
    bad_rate = staff_api_client.post_graphql(
        PLUGIN_UPDATE,
        {"id": PLUGIN_ID, "input": {"configuration": [
            {"name": "commission_rate_percent", "value": "150"}
        ]}},
    )  # fmt: skip
    bad_months = staff_api_client.post_graphql(
        PLUGIN_UPDATE,
        {"id": PLUGIN_ID, "input": {"configuration": [
            {"name": "certificate_validity_months", "value": "ba năm"}
        ]}},
    )  # fmt: skip

    # Then each is refused on its own field, in Vietnamese and English, and nothing changes
    assert bad_rate["pluginUpdate"]["pluginsErrors"] == [
        {
            "field": "commissionRatePercent",
            "code": "INVALID",
            "message": "Tỷ lệ hoa hồng phải là số từ 0 đến 100 / "
            "Commission rate must be a number from 0 to 100.",
        }
    ]
    assert [(e["field"], e["code"]) for e in bad_months["pluginUpdate"]["pluginsErrors"]] == [
        ("certificateValidityMonths", "INVALID")
    ]
    assert marketplace_settings().commission_rate_percent == Decimal(10)
    assert marketplace_settings().certificate_validity_months == 36
