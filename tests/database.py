"""One migrated Saleor database per run, cloned for each test worker.

Migrating Saleor takes about half a minute; doing it once into a template database
and cloning it (``CREATE DATABASE … TEMPLATE``, a file copy) for each pytest-xdist
worker keeps the suite fast. The template's name carries a hash of the migrations,
so a changed migration builds a new template and a stale one is never reused.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

import psycopg2
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from psycopg2 import sql


def migrations_fingerprint() -> str:
    """Hash of every migration's name and, for migrations in this repo, its source."""
    digest = hashlib.sha256()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for app_label, name in sorted(loader.disk_migrations):
        digest.update(f"{app_label}.{name}\n".encode())
        module_file = Path(apps.get_app_config(app_label).path, "migrations", f"{name}.py")
        if "site-packages" not in str(module_file) and module_file.exists():
            digest.update(module_file.read_bytes())
    return digest.hexdigest()[:12]


def _server_connection():
    params = dict(connection.get_connection_params())
    params["database"] = "postgres"
    params.pop("cursor_factory", None)
    raw = psycopg2.connect(**params)
    raw.autocommit = True
    return raw


def _database_exists(cursor, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def _drop(cursor, name: str) -> None:
    cursor.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
    )
    cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


@contextmanager
def _exclusive(name: str):
    with open(Path(tempfile.gettempdir()) / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _use_database(name: str) -> None:
    connection.close()
    connection.settings_dict["NAME"] = name


_template_name = ""


def setup_worker_database(worker_name: str, base_name: str) -> None:
    """Give this test process its own database, cloned from the migrated template."""
    global _template_name
    template = _template_name = f"{base_name[:40]}_tpl_{migrations_fingerprint()}"
    # One process at a time: the first builds the template, and PostgreSQL refuses to
    # clone a template while another session is connected to it.
    with _exclusive(template):
        _ensure_template(template, base_name)
        _drop_abandoned(base_name)
        _clone(template, worker_name)
    _use_database(worker_name)


def _drop_abandoned(base_name: str) -> None:
    """Drop test databases of runs that were killed before their teardown."""
    import psutil

    raw = _server_connection()
    try:
        with raw.cursor() as cursor:
            cursor.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s",
                ["test\\_%\\_p%"],
            )
            for (name,) in cursor.fetchall():
                pid = name.rsplit("_p", 1)[1]
                if pid.isdigit() and not psutil.pid_exists(int(pid)):
                    _drop(cursor, name)
    finally:
        raw.close()


def _ensure_template(template: str, base_name: str) -> None:
    raw = _server_connection()
    try:
        with raw.cursor() as cursor:
            if _database_exists(cursor, template):
                return
            building = template + "_wip"
            _drop(cursor, building)
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(building)))
        original = connection.settings_dict["NAME"]
        _use_database(building)
        try:
            call_command("migrate", interactive=False, verbosity=0, run_syncdb=True)
        finally:
            _use_database(original)
        with raw.cursor() as cursor:
            # Renaming publishes the template only once it is complete.
            cursor.execute(
                sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                    sql.Identifier(building), sql.Identifier(template)
                )
            )
            cursor.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
                [f"{base_name[:40]}_tpl_%", template],
            )
            for (stale,) in cursor.fetchall():
                _drop(cursor, stale)
    finally:
        raw.close()


def _scratch_name(label: str) -> str:
    # Per process, like the worker databases: concurrent runs never share one.
    return f"test_{label[:40]}_p{os.getpid()}"


def scratch_database_url(label: str) -> str:
    """A fresh migrated database beside the test one, for work done by other processes
    (a subprocess sees only committed data, and must not share the test transaction).
    Drop it with ``drop_scratch_database(label)``."""
    name = _scratch_name(label)
    with _exclusive(_template_name):
        _clone(_template_name, name)
    params = connection.get_connection_params()
    host = params.get("host") or ""
    port = params.get("port") or 5432
    user = params.get("user") or "postgres"
    if host.startswith("/"):
        return f"postgres://{user}@/{name}?host={host}&port={port}"
    return f"postgres://{user}@{host}:{port}/{name}"


def run_sql(url: str, query: str) -> list[tuple]:
    """Rows of ``query`` read from a scratch database by a connection of its own (what
    the processes working in it committed)."""
    conn = psycopg2.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        with conn.cursor() as cursor:
            cursor.execute(query)
            return cursor.fetchall()
    finally:
        conn.close()


def drop_scratch_database(label: str) -> None:
    drop_database(_scratch_name(label))


def drop_database(name: str) -> None:
    raw = _server_connection()
    try:
        with raw.cursor() as cursor:
            _drop(cursor, name)
    finally:
        raw.close()


def _clone(template: str, name: str) -> None:
    raw = _server_connection()
    try:
        with raw.cursor() as cursor:
            _drop(cursor, name)
            cursor.execute(
                sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                    sql.Identifier(name), sql.Identifier(template)
                )
            )
    finally:
        raw.close()


def drop_worker_database(name: str) -> None:
    connection.close()
    drop_database(name)
