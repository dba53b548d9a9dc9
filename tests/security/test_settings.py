"""Production is the default: DEBUG off, every service named in the environment (or a
start-up error saying what to set), nothing probed or created while settings load.

Each test loads the settings in a fresh interpreter with exactly the environment given."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from config import environment as config_environment

PRODUCTION = {
    "SECRET_KEY": "k" * 50,
    "OCOP_STAMP_KEY": "s" * 50,
    "ALLOWED_HOSTS": "shop.example.vn",
    "ALLOWED_CLIENT_HOSTS": "shop.example.vn",
    "DATABASE_URL": "postgres://shop:secret@db.example.vn:5432/ocop",
    "CELERY_BROKER_URL": "redis://broker.example.vn:6379/0",
}
# Records (and refuses) every network connection, then loads the settings and prints
# the ones a test reads.
LOAD = """
import json, socket, sys
attempts = []
def refuse(*args, **kwargs):
    attempts.append(repr(args[:2]))
    raise OSError("no network while settings load")
socket.create_connection = refuse
socket.socket.connect = lambda self, address: refuse(address)
from django.conf import settings
names = sys.argv[1:]
values = {name: getattr(settings, name) for name in names}
import django
django.setup()
dev_tools = sorted(name for name in sys.modules if name.split(".")[0] == "devtools")
print(json.dumps({"attempts": attempts, "dev_tools": dev_tools, **values}, default=repr))
"""


def load_settings(tmp_path, environment: dict[str, str], *names: str):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "OCOP_DEVDATA_DIR": str(tmp_path / "devdata"),
        **environment,
    }
    return subprocess.run(
        [sys.executable, "-c", LOAD, *names],
        cwd=config_environment.REPO_ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def loaded(done) -> dict:
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_production_needs_only_its_environment_and_touches_nothing(tmp_path):
    # When the settings load with every service named and no development flag
    values = loaded(load_settings(tmp_path, PRODUCTION, "DEBUG", "CELERY_BROKER_URL", "CACHES"))

    # Then DEBUG is off, the named services are used, nothing was probed or created, and
    # not one module of the dev tools was imported
    assert values == {
        "attempts": [],
        "dev_tools": [],
        "DEBUG": False,
        "CELERY_BROKER_URL": "redis://broker.example.vn:6379/0",
        "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
    }
    assert not (tmp_path / "devdata").exists()


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("SECRET_KEY", "SECRET_KEY is not set. Set it in the environment, e.g. SECRET_KEY="),
        ("OCOP_STAMP_KEY", "OCOP_STAMP_KEY is not set. Set it in the environment, e.g. "
                           "OCOP_STAMP_KEY="),
        ("ALLOWED_HOSTS", "ALLOWED_HOSTS is not set. Set it in the environment, e.g. "
                          "ALLOWED_HOSTS=shop.example.vn"),
        ("DATABASE_URL", "DATABASE_URL is not set. Set it in the environment, e.g. "
                         "DATABASE_URL=postgres://"),
        ("CELERY_BROKER_URL", "No Celery broker: set CELERY_BROKER_URL (or REDIS_URL)"),
    ],
)  # fmt: skip
def test_a_missing_service_stops_the_start_with_what_to_set(tmp_path, missing, message):
    environment = {k: v for k, v in PRODUCTION.items() if k != missing}
    done = load_settings(tmp_path, environment, "DEBUG")
    assert done.returncode != 0
    assert f"django.core.exceptions.ImproperlyConfigured: {message}" in done.stderr
    assert not (tmp_path / "devdata").exists()


def test_redis_url_is_the_broker_and_the_cache(tmp_path):
    environment = {k: v for k, v in PRODUCTION.items() if k != "CELERY_BROKER_URL"}
    environment["REDIS_URL"] = "redis://redis.example.vn:6379/1"
    values = loaded(load_settings(tmp_path, environment, "CELERY_BROKER_URL", "CACHES"))
    assert values["CELERY_BROKER_URL"] == "redis://redis.example.vn:6379/1"
    assert values["CACHES"]["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert values["CACHES"]["default"]["LOCATION"] == "redis://redis.example.vn:6379/1"


HTTPS_SETTINGS = (
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
    "SECURE_SSL_REDIRECT", "SECURE_PROXY_SSL_HEADER",
)  # fmt: skip


def test_one_switch_turns_on_https(tmp_path):
    # Given production without and with OCOP_HTTPS=1
    plain = loaded(load_settings(tmp_path, PRODUCTION, *HTTPS_SETTINGS))
    https = loaded(load_settings(tmp_path, {**PRODUCTION, "OCOP_HTTPS": "1"}, *HTTPS_SETTINGS))

    # Then plain HTTP trusts no forwarded scheme; HTTPS is secure cookies, HSTS, redirect
    assert plain == {
        "attempts": [],
        "dev_tools": [],
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
        "SECURE_HSTS_SECONDS": 0,
        "SECURE_SSL_REDIRECT": False,
        "SECURE_PROXY_SSL_HEADER": None,
    }
    assert https == {
        "attempts": [],
        "dev_tools": [],
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
    }


@pytest.mark.parametrize(
    ("debug", "expected"), [(None, False), ("False", False), ("true", True), ("1", True)]
)
def test_debug_is_off_unless_set(tmp_path, debug, expected):
    environment = {**PRODUCTION, **({"DEBUG": debug} if debug is not None else {})}
    assert loaded(load_settings(tmp_path, environment, "DEBUG"))["DEBUG"] is expected


def test_a_misspelt_flag_is_refused(tmp_path):
    done = load_settings(tmp_path, {**PRODUCTION, "OCOP_HTTPS": "ja"}, "DEBUG")
    assert "OCOP_HTTPS='ja': use 1/true/yes/on or 0/false/no/off." in done.stderr


def test_a_development_machine_makes_its_own_secret_key(tmp_path):
    # Given OCOP_DEV=1 (make demo, the tests) without SECRET_KEY or the hosts
    environment = {
        "OCOP_DEV": "1",
        "DATABASE_URL": PRODUCTION["DATABASE_URL"],
        "CELERY_BROKER_URL": PRODUCTION["CELERY_BROKER_URL"],
    }
    values = loaded(load_settings(tmp_path, environment, "DEBUG", "SECRET_KEY", "OCOP_STAMP_KEY"))
    # Then it starts, DEBUG still off, with the keys kept in its data folder (the stamp
    # key apart from the secret key)
    assert values["DEBUG"] is False
    assert values["SECRET_KEY"] == (tmp_path / "devdata" / "secret_key").read_text().strip()
    stamp_key = (tmp_path / "devdata" / "stamp_key").read_text().strip()
    assert values["OCOP_STAMP_KEY"] == stamp_key != values["SECRET_KEY"]
