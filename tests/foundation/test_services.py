import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import psutil
import pytest

from devtools import services


def test_database_url_from_the_environment_wins(monkeypatch):
    # Given an operator's DATABASE_URL
    monkeypatch.setenv("DATABASE_URL", "postgres://shop:secret@db.internal:5433/ocop")
    # When the shop looks for its database
    # Then it uses exactly that one
    assert services.database_url() == "postgres://shop:secret@db.internal:5433/ocop"


def test_broker_url_prefers_celery_broker_url_then_redis_url(monkeypatch):
    monkeypatch.setenv("CELERY_BROKER_URL", "amqp://guest@mq:5672//")
    monkeypatch.setenv("REDIS_URL", "redis://cache:6379/1")
    assert services.broker_url() == "amqp://guest@mq:5672//"
    monkeypatch.delenv("CELERY_BROKER_URL")
    assert services.broker_url() == "redis://cache:6379/1"


def test_a_closed_port_is_not_listening():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    assert services.is_listening("127.0.0.1", free_port) is False


def test_with_database_name_keeps_host_and_options():
    url = "postgresql://postgres@/postgres?host=/tmp/pg"
    assert services.with_database_name(url, "ocop") == "postgresql://postgres@/ocop?host=/tmp/pg"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _shop(port: int) -> dict:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/graphql/",
        data=json.dumps({"query": "{ shop { name defaultCountry { code } } }"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)["data"]["shop"]


@pytest.mark.slow
def test_demo_serves_the_shop_on_an_embedded_postgresql_when_no_server_runs(tmp_path):
    # Given a machine where the project may not use any PostgreSQL server or DATABASE_URL
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        OCOP_EMBEDDED_POSTGRES="1",
        OCOP_DEVDATA_DIR=str(tmp_path),
        CELERY_TASK_ALWAYS_EAGER="True",
    )
    port = _free_port()

    # When `make demo`'s entry point runs
    demo = subprocess.Popen(
        [sys.executable, "-m", "devtools.demo", "--port", str(port)],
        cwd=services.REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        shop, deadline = None, time.monotonic() + 240
        while shop is None and time.monotonic() < deadline and demo.poll() is None:
            try:
                shop = _shop(port)
            except OSError:
                time.sleep(1)

        # Then it started its own PostgreSQL under the data folder and serves the shop
        assert shop == {"name": "Chợ OCOP Việt Nam", "defaultCountry": {"code": "VN"}}
        assert (tmp_path / "postgres" / "PG_VERSION").exists()
    finally:
        demo.send_signal(signal.SIGTERM)
        output = demo.communicate(timeout=60)[0].decode()

    # and it stops that server when it stops
    assert "Staff account / Tài khoản quản trị: admin@ocop.test" in output
    leftovers = [
        p
        for p in psutil.process_iter(["name", "cmdline"])
        if p.info["name"] == "postgres" and str(tmp_path) in " ".join(p.info["cmdline"] or [])
    ]
    assert leftovers == []


@pytest.fixture(autouse=True)
def _keep_database_url(monkeypatch):
    # database_url() publishes what it found in os.environ; keep tests from leaking it.
    if "DATABASE_URL" in os.environ:
        monkeypatch.setenv("DATABASE_URL", os.environ["DATABASE_URL"])
