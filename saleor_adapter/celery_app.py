"""Saleor's Celery app (it autodiscovers the tasks of every installed app)."""

from saleor.celeryconf import app

__all__ = ["app"]
