"""A live shop for browser tests: import a registry into DATABASE_URL, add a shipping
method, then serve exactly as ``make demo`` does (``storefront_config.demo.serve``).

    DATABASE_URL=... python -m tests.browser.live_shop REGISTRY.csv PORT
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storefront_config.settings")


def main(registry: str, port: int) -> None:
    import django

    django.setup()
    from django.utils import timezone

    from catalog_sync.importer import import_registry
    from storefront_config.demo import serve

    report = import_registry(registry, as_of=timezone.localdate())
    if report.rejections:
        sys.exit(f"registry rejected: {[r.as_dict() for r in report.rejections]}")
    serve(port)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
