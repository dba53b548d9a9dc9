"""A live shop for browser tests: import a registry into DATABASE_URL, add a shipping
method, set the site's domain, then serve exactly as ``make demo`` does
(``devtools.demo.serve``).

    DATABASE_URL=... python -m tests.browser.live_shop REGISTRY.csv PORT
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main(registry: str, port: int) -> None:
    import django

    django.setup()
    from django.utils import timezone

    from catalog_sync.importer import import_registry
    from devtools.demo import configure_site, serve

    report = import_registry(registry, as_of=timezone.localdate())
    if report.rejections:
        sys.exit(f"registry rejected: {[r.as_dict() for r in report.rejections]}")
    configure_payments()
    # Before serving: the workers cache the site, and links in mails and printed QR
    # codes must open this shop.
    configure_site(f"127.0.0.1:{port}")
    serve(port)


def configure_payments() -> None:
    """The three payment methods as an operator sets them up: VietQR with a sample
    receiving account and, when the test runs a stub of Stripe's API
    (``OCOP_TEST_STRIPE_API_BASE``, tests/browser/stripe_stub.py), Saleor's Stripe plugin
    with test keys, its HTTP calls sent to that stub, never to api.stripe.com. Gunicorn
    forks its workers from this process, so they inherit ``stripe.api_base``."""
    from saleor.plugins.models import PluginConfiguration

    from devtools.demo import SAMPLE_BANK_ACCOUNT
    from saleor_adapter.payments.vietqr import GATEWAY_ID as VIETQR

    PluginConfiguration.objects.update_or_create(
        identifier=VIETQR, defaults={"active": True, "configuration": SAMPLE_BANK_ACCOUNT}
    )
    api_base = os.environ.get("OCOP_TEST_STRIPE_API_BASE")
    if not api_base:
        return
    import stripe

    from tests.browser.stripe_stub import SECRET_KEY

    stripe.api_base = api_base
    PluginConfiguration.objects.update_or_create(
        identifier="mirumee.payments.stripe",
        defaults={
            "active": True,
            "configuration": [
                {"name": "Public API key", "value": "pk_test_recorded"},
                {"name": "Secret API key", "value": SECRET_KEY},
                {"name": "Store customers card", "value": False},
                {"name": "Automatic payment capture", "value": True},
            ],
        },
    )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
