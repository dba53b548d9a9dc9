"""A shop (or a test) that runs without the OCOP plugin in ``settings.PLUGINS``: every
path that reads the operator's settings uses the documented defaults instead of
failing, and the checkout still reserves stock and places the order."""

from decimal import Decimal

import graphene
import pytest
from django.conf import settings
from django.test import override_settings
from saleor.order.models import Order
from saleor.plugins.manager import get_plugins_manager

from fairs.attribution import window_days
from marketplace.configuration import MarketplaceSettings
from marketplace.models import OrderRouting, Producer, ProducerType, StockReservation
from marketplace.settlement import commission_rate
from marketplace.shipping import DEFAULT_RATES, parse_rate_table
from saleor_adapter.ocop.plugin import PLUGIN_ID, marketplace_settings
from tests.saleor_fixtures.api import grant
from tests.saleor_fixtures.checkout import buy

WITHOUT_OCOP = [p for p in settings.PLUGINS if p != "saleor_adapter.ocop.plugin.OCOPPlugin"]

PRODUCT_CREATE = """
mutation Create($input: ProductCreateInput!) {
  productCreate(input: $input) {
    product { name isPublished }
    productErrors { field code message }
  }
}
"""


@pytest.fixture
def without_ocop_plugin():
    with override_settings(PLUGINS=WITHOUT_OCOP):
        assert get_plugins_manager().get_plugin(PLUGIN_ID) is None
        yield


def test_the_settings_are_the_defaults(cooperative_warehouse, without_ocop_plugin):
    # Given no OCOP plugin, when the settings and what derives from them are read
    # Then each is the documented default
    assert marketplace_settings() == MarketplaceSettings(
        commission_rate_percent=Decimal(10),
        certificate_validity_months=36,
        hide_uncertified_products=True,
        fair_attribution_days=30,
        shipping_per_parcel=True,
        shipping_rates=parse_rate_table(DEFAULT_RATES),
        free_shipping_threshold_vnd=Decimal(500000),
    )
    assert window_days() == 30
    producer = Producer.objects.create(
        name="Hợp tác xã Tài Hoan",
        name_key="hop tac xa tai hoan",
        producer_type=ProducerType.COOPERATIVE,
        province_code="19",
        province_name="Thái Nguyên",
        warehouse=cooperative_warehouse,
    )
    assert commission_rate(producer) == Decimal(10)


def test_product_create_works_and_the_publication_guard_still_refuses(
    staff_api_client, ocop_product, without_ocop_plugin
):
    # Given staff who manage products, and no OCOP plugin
    grant(staff_api_client.user, "manage_products")
    product_input = {
        "productType": graphene.Node.to_global_id("ProductType", ocop_product.product_type_id),
        "category": graphene.Node.to_global_id("Category", ocop_product.category_id),
        "basePrice": 99000,
        "sku": "TRA-100G",
    }

    # When they create an unpublished product, and try to publish one without certificate
    draft = staff_api_client.post_graphql(
        PRODUCT_CREATE, {"input": {**product_input, "name": "Trà xanh", "isPublished": False}}
    )["productCreate"]
    published = staff_api_client.post_graphql(
        PRODUCT_CREATE,
        {"input": {**product_input, "name": "Trà đen", "sku": "TRA-DEN", "isPublished": True}},
    )["productCreate"]

    # Then the first is created and the second refused, as with the default settings
    assert draft == {"product": {"name": "Trà xanh", "isPublished": False}, "productErrors": []}
    assert published == {
        "product": None,
        "productErrors": [
            {
                "field": "isPublished",
                "code": "INVALID",
                "message": "Sản phẩm chưa có giấy chứng nhận OCOP còn hiệu lực nên không thể "
                "mở bán / This product has no valid OCOP certificate, so it cannot be published.",
            }
        ],
    }


def test_checkout_places_the_order_and_releases_its_reservation(
    api_client, ocop_product, without_ocop_plugin
):
    # Given no OCOP plugin (so no order_created hook)
    # When a customer buys 2 packs with Saleor's dummy gateway
    completed = buy(api_client, ocop_product.variants.get(), 2, "mirumee.payments.dummy")

    # Then the order is placed and the stock reserved for it is given back after it
    assert completed["checkoutErrors"] == []
    assert completed["order"]["paymentStatus"] == "FULLY_CHARGED"
    assert StockReservation.objects.count() == 0
    # and nothing asks for routing: the sweeper routes orders made while the plugin is off
    assert OrderRouting.objects.filter(order=Order.objects.get()).exists() is False
