import pytest
from saleor.plugins.models import PluginConfiguration

from plugins.payments.cod import GATEWAY_ID as COD
from plugins.payments.vietqr import GATEWAY_ID as VIETQR


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
def vietqr_account(db):
    """The shop's (sample) receiving account at VietinBank."""
    PluginConfiguration.objects.create(
        identifier=VIETQR,
        active=True,
        configuration=[
            {"name": "bank_bin", "value": "970415"},
            {"name": "account_number", "value": "113366668888"},
            {"name": "account_name", "value": "CONG TY CHO OCOP (MAU)"},
        ],
    )
