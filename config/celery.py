"""The Celery app: Saleor's own (autodiscovers our apps' and plugins' tasks) on our settings."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from saleor_adapter.celery_app import app

__all__ = ["app"]
