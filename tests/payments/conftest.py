import pytest
from saleor.order.models import Order
from saleor.plugins.models import PluginConfiguration

from saleor_adapter.payments.cod import GATEWAY_ID as COD
from saleor_adapter.payments.vietqr import GATEWAY_ID as VIETQR
from tests.saleor_fixtures.checkout import buy

SECRET = "bi-mat-cua-ngan-hang"


@pytest.fixture
def cod_limit(db):
    def set_limit(value: str):
        PluginConfiguration.objects.update_or_create(
            identifier=COD,
            defaults={
                "active": True,
                "configuration": [{"name": "max_order_value_vnd", "value": value}],
            },
        )

    return set_limit


@pytest.fixture
def transfer_order(api_client, ocop_product, vietqr_account):
    """An order of 280.000 ₫ placed to be paid by VietQR transfer."""
    result = buy(api_client, ocop_product.variants.get(), 2, VIETQR, token="vietqr")
    assert result["checkoutErrors"] == []
    assert result["order"]["paymentStatus"] == "NOT_CHARGED"
    return Order.objects.get()


@pytest.fixture
def webhook_secret(settings):
    settings.OCOP_BANK_WEBHOOK_SECRET = SECRET
