"""A live shop in a subprocess, on its own database, for Chromium to shop in."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from devtools import services
from tests.browser.stripe_stub import StripeStub
from tests.catalog_import.registry import write_registry
from tests.database import drop_scratch_database, scratch_database_url
from tests.storefront.catalogue import row

SCREENSHOTS = services.REPO_ROOT / "test-results" / "screenshots"
# Each live shop's database URL by its base URL, for tests that prepare data in it.
LIVE_DATABASES: dict[str, str] = {}
# Each live shop's stub of Stripe's API by its base URL (tests/browser/stripe_stub.py),
# and the secret its bank notifications are signed with (a test value).
STRIPE_STUBS: dict[str, StripeStub] = {}
# Where each live shop writes its e-mails (one file per connection).
MAIL_DIRS: dict[str, Path] = {}
BANK_WEBHOOK_SECRET = "bi-mat-thong-bao-ngan-hang-thu"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip

# What the consumer will look for: two miến dong, one of them 5★.
BROWSER_ROWS = [
    row(product_name="Miến dong Tài Hoan", stars="5", price_vnd="125.000", stock="40"),
    row(product_name="Miến dong Định Hóa", stars="4", price_vnd="75000",
        producer_name="Hợp tác xã Định Hóa", decision_number="2001/QĐ-UBND"),
    row(product_name="Trà hoa vàng Nam Mẫu", stars="4", product_group="Đồ uống",
        price_vnd="650000", producer_name="Hợp tác xã Nam Mẫu", decision_number="2002/QĐ-UBND",
        description="Hoa trà vàng sấy lạnh."),
]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _ready(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz/", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="session")
def live_shop(django_db_setup, tmp_path_factory):
    """Base URL of a shop served by a subprocess from a scratch database."""
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is not installed: apt-get install -y chromium")
    name = f"ocop_browser_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    url = scratch_database_url(name)
    registry = write_registry(tmp_path_factory.mktemp("shop") / "registry.csv", BROWSER_ROWS)
    port = _free_port()
    stripe_stub = StripeStub.start()
    mail_dir = tmp_path_factory.mktemp("mail")
    media_dir = tmp_path_factory.mktemp("media")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "CELERY_TASK_ALWAYS_EAGER": "True",
        "OCOP_WEB_WORKERS": "2",
        "OCOP_BANK_WEBHOOK_SECRET": BANK_WEBHOOK_SECRET,
        "OCOP_TEST_STRIPE_API_BASE": stripe_stub.url,
        # Mail is written to files the tests read (Django's file backend).
        "EMAIL_URL": f"file:///{mail_dir}",  # dj-email-url drops one slash
        # Uploaded photos and their renditions: a folder of this session only.
        "MEDIA_ROOT": str(media_dir),
    }
    log = open(tmp_path_factory.mktemp("log") / "server.log", "w+")  # noqa: SIM115
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.browser.live_shop", str(registry), str(port)],
        cwd=services.REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    LIVE_DATABASES[base] = url
    STRIPE_STUBS[base] = stripe_stub
    MAIL_DIRS[base] = mail_dir
    try:
        deadline = time.monotonic() + 120
        while not _ready(base):
            if server.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"the shop did not start:\n{log.read()[-4000:]}")
            time.sleep(0.3)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()
        drop_scratch_database(name)
        stripe_stub.stop()


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser
        browser.close()


def csp_violations(page) -> list[str]:
    """What Chromium refuses on ``page`` under the shop's Content-Security-Policy (it says
    so on the console); the list fills as the page is used."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(f"{page.url}: {message.text}")
            if "Content Security Policy" in message.text
            else None
        ),
    )
    return refused


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
