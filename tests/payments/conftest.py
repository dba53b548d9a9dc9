import pytest
from saleor.plugins.models import PluginConfiguration

from saleor_adapter.payments.cod import GATEWAY_ID as COD


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
