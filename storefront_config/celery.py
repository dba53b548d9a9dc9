"""The Celery app: Saleor's own (autodiscovers our apps' and plugins' tasks) on our settings."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "storefront_config.settings")

from saleor.celeryconf import app

__all__ = ["app"]
