"""The shop's environment, read the way production reads it: nothing is looked for.

Every service is named in the environment (``DATABASE_URL``, ``CELERY_BROKER_URL`` or
``REDIS_URL``, ``CACHE_URL``, ``SECRET_KEY`` …); a missing one stops the start-up with
a message saying what to set. Nothing here probes the network or writes a file. On a
development machine (``DEBUG=True`` or ``OCOP_DEV=1``) the settings also ask
``devtools.services``, which finds or starts local services.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
# Where a development machine keeps its data (never created from here).
DEVDATA_DIR = Path(os.environ.get("OCOP_DEVDATA_DIR", REPO_ROOT / ".devdata"))


TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"", "0", "false", "no", "off", "none"}


def env_flag(environ: Mapping[str, str], name: str, default: bool = False) -> bool:
    """A yes/no setting: 1/true/yes/on or 0/false/no/off (any case); anything else is
    refused, so a typo never flips a security setting silently."""
    if name not in environ:
        return default
    word = environ[name].strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}={environ[name]!r}: use 1/true/yes/on or 0/false/no/off.")


def is_development(environ: Mapping[str, str]) -> bool:
    """A development machine (DEBUG=True, or OCOP_DEV=1 as ``make demo`` and the tests
    set): services may be discovered or started, and local secrets generated."""
    return env_flag(environ, "DEBUG") or env_flag(environ, "OCOP_DEV")


def require(environ: Mapping[str, str], name: str, example: str) -> str:
    """The value of a setting production cannot run without, or a start-up error."""
    value = environ.get(name, "").strip()
    if not value:
        raise ImproperlyConfigured(
            f"{name} is not set. Set it in the environment, e.g. {name}={example} "
            "(on a development machine, OCOP_DEV=1 finds or creates local defaults)."
        )
    return value


DEFAULT_SHOP_NAME = "Chợ OCOP Việt Nam"


def default_from_email(environ, email_host_user: str) -> str:
    """The sender of the shop's e-mails, from the environment.

    ``DEFAULT_FROM_EMAIL`` when set ("Chợ OCOP Việt Nam <don-hang@example.vn>"); else
    EMAIL_URL's user when it is an address; else ``no-reply@localhost`` under the shop's
    name (``OCOP_SHOP_NAME``), logged when EMAIL_URL sends real mail. Saleor's own
    fallback, EMAIL_URL's user, is "demo@example.com" for the console backend and a
    login such as "apikey" for most SMTP relays. A sender staff set in Saleor's shop
    settings still wins over this one.
    """
    if environ.get("DEFAULT_FROM_EMAIL"):
        return environ["DEFAULT_FROM_EMAIL"]
    name = environ.get("OCOP_SHOP_NAME", DEFAULT_SHOP_NAME)
    if environ.get("EMAIL_URL") and "@" in (email_host_user or ""):
        return f"{name} <{email_host_user}>"
    if environ.get("EMAIL_URL"):
        logger.warning("DEFAULT_FROM_EMAIL is not set: e-mails are sent from no-reply@localhost")
    return f"{name} <no-reply@localhost>"


REDIS_SCHEMES = {"redis", "rediss", "unix"}
REDIS_CACHE_BACKEND = "django_redis.cache.RedisCache"


def cache_config(environ: Mapping[str, str]) -> dict:
    """Django's ``CACHES["default"]``: ``CACHE_URL``, else ``REDIS_URL``, else memory.

    Saleor hands the same URLs to django-cache-url, which maps ``redis://`` to Django 4's
    own Redis backend: on Django 3.2 every cached page would fail. Redis URLs go to
    django-redis instead; other cache URLs (``locmem://``, ``memcached://``, ``dummy://``)
    keep django-cache-url's reading. A cache that is down degrades to no cache (logged),
    never to an error page.
    """
    import django_cache_url

    url = environ.get("CACHE_URL") or environ.get("REDIS_URL") or ""
    if urlsplit(url).scheme not in REDIS_SCHEMES:
        return (
            django_cache_url.parse(url) if url else {"BACKEND": django_cache_url.BACKENDS["locmem"]}
        )
    return {
        "BACKEND": REDIS_CACHE_BACKEND,
        "LOCATION": url,
        "KEY_PREFIX": environ.get("CACHE_KEY_PREFIX", "ocop"),
        "OPTIONS": {
            "SOCKET_CONNECT_TIMEOUT": 1,
            "SOCKET_TIMEOUT": 1,
            "IGNORE_EXCEPTIONS": True,
        },
    }


def database_url() -> str:
    """DATABASE_URL, or a start-up error saying how to set it."""
    return require(os.environ, "DATABASE_URL", "postgres://shop:secret@db:5432/ocop")


def broker_url() -> str | None:
    """The Celery broker the environment names (CELERY_BROKER_URL, else REDIS_URL)."""
    return os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL") or None
