"""The real OpenSearch node for the tests marked ``opensearch``: started once per test
process (devtools/opensearch.py; OCOP_OPENSEARCH_URL when set is used instead), each
test on an alias of its own, so tests and xdist workers never see each other's
documents. How long the node took to start is printed at the end of the run."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import pytest

START_TIMES = Path(__file__).resolve().parent.parent / "test-results" / "opensearch-start"


@pytest.fixture(scope="session")
def opensearch_server():
    from devtools import opensearch

    home = Path(tempfile.mkdtemp(prefix="ocop-opensearch-"))
    engine = opensearch.start(home=home)
    START_TIMES.mkdir(parents=True, exist_ok=True)
    note = (
        f"OpenSearch at {engine.url}: started in {engine.started_in_seconds:.1f} s"
        if engine.process
        else f"OpenSearch at {engine.url} (OCOP_OPENSEARCH_URL)"
    )
    (START_TIMES / f"{os.getpid()}.txt").write_text(note)
    yield engine
    engine.stop()
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def opensearch(opensearch_server, settings):
    """OCOP_SEARCH_ENGINE=opensearch on the real node, with a fresh alias; deleted after."""
    from storefront import opensearch_engine

    settings.OCOP_SEARCH_ENGINE = "opensearch"
    settings.STOREFRONT_SEARCH_ENGINE = "storefront.opensearch_engine.OpenSearchProductSearch"
    settings.OCOP_OPENSEARCH_URL = opensearch_server.url
    settings.OCOP_SEARCH_INDEX = f"test-{uuid.uuid4().hex[:12]}"
    opensearch_engine._down_until = 0.0
    yield opensearch_server
    with contextlib.suppress(Exception):  # a test that stopped the node
        opensearch_engine.admin_client().indices.delete(
            index=f"{settings.OCOP_SEARCH_INDEX}-*", ignore_unavailable=True
        )
    opensearch_engine._down_until = 0.0


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "opensearch: runs against the real OpenSearch node (started once per process)"
    )
    if not hasattr(config, "workerinput"):  # the controller (or a run without xdist)
        shutil.rmtree(START_TIMES, ignore_errors=True)


def pytest_terminal_summary(terminalreporter, config):
    if hasattr(config, "workerinput") or not START_TIMES.is_dir():
        return
    for note in sorted(START_TIMES.glob("*.txt")):
        terminalreporter.write_line(note.read_text())
