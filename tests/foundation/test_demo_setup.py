"""What `make demo` sets up in its database: accounts, and the payment methods a
shopper is offered."""

from saleor.plugins.manager import get_plugins_manager
from saleor.plugins.models import PluginConfiguration

from devtools import demo
from saleor_adapter.payments.vietqr import GATEWAY_ID as VIETQR


def offered() -> list[str]:
    return sorted(g["id"] for g in get_plugins_manager().list_payment_gateways())


def test_the_demo_offers_cash_on_delivery_and_vietqr_not_the_dummy_gateway(db):
    # Given a new database, where Saleor's dummy gateway is on and VietQR has no account
    assert offered() == ["mirumee.payments.dummy", "ocop.payments.cod"]

    # When the demo configures payments
    demo.configure_sample_payments()

    # Then shoppers are offered cash on delivery and VietQR to the sample account
    assert offered() == ["ocop.payments.cod", "ocop.payments.vietqr"]
    assert PluginConfiguration.objects.get(identifier=VIETQR).configuration == (
        demo.SAMPLE_BANK_ACCOUNT
    )


def test_running_the_demo_again_keeps_what_the_operator_configured(db):
    demo.configure_sample_payments()
    own_account = [
        {"name": "bank_bin", "value": "970436"},
        {"name": "account_number", "value": "0011002233445"},
        {"name": "account_name", "value": "CONG TY CHO OCOP"},
    ]
    PluginConfiguration.objects.filter(identifier=VIETQR).update(configuration=own_account)

    demo.configure_sample_payments()

    assert PluginConfiguration.objects.get(identifier=VIETQR).configuration == own_account


def test_demo_accounts_are_created_once_and_keep_the_password(db):
    first = demo.ensure_account("htx@ocop.test", "mat-khau-1")
    again = demo.ensure_account("htx@ocop.test", "mat-khau-2")

    assert again.pk == first.pk
    assert again.check_password("mat-khau-2")
    assert not again.is_staff
    assert demo.ensure_account("admin@ocop.test", "mat-khau-3", superuser=True).is_superuser


def test_after_migrating_the_process_reads_todays_site_settings(db, request):
    from django.contrib.sites.models import Site
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader
    from saleor.site.models import SiteSettings

    from saleor_adapter.migrations_runner import migrate

    # Given what a Saleor data migration does while `make demo` migrates: it asks the
    # historical Site model for the current site, and Saleor's process-wide site cache
    # keeps that migration-time object
    request.addfinalizer(Site.objects.clear_cache)  # whatever happens, no leak to others
    historical = MigrationLoader(connection).project_state().apps.get_model("sites", "Site")
    historical.objects.get_current()
    assert type(Site.objects.get_current().settings).__module__ == "__fake__"

    # When the demo migrates through our runner
    migrate(verbosity=0)

    # Then the process (and the server it forks) reads the real settings again
    assert type(Site.objects.get_current().settings) is SiteSettings
    assert Site.objects.get_current().settings.display_gross_prices is True
