import shutil
import socket
import subprocess
import time

import pytest
from django.test import Client

from tests.storefront.catalogue import import_catalogue

REDIS_SERVER = shutil.which("redis-server")


@pytest.fixture
def catalogue(db, tmp_path):
    """Six listed products (tests/storefront/catalogue.py), keyed by name."""
    return import_catalogue(tmp_path / "registry.csv")


@pytest.fixture
def client() -> Client:
    return Client()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory):
    """A real Redis (Debian's redis-server, which `make test` installs) on a free loopback
    port, in a temporary folder, for this test session only."""
    if REDIS_SERVER is None:
        pytest.skip("redis-server is not installed (apt-get install -y redis-server)")
    folder = tmp_path_factory.mktemp("redis")
    port = free_port()
    server = subprocess.Popen(
        [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(port), "--dir", str(folder),
         "--save", "", "--appendonly", "no", "--protected-mode", "yes"],
        stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("redis-server did not start")
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)
