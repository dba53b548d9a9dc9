"""Fixtures shared by the whole suite.

Saleor objects are built through Saleor's own models and utilities (not mocks), on the
real PostgreSQL database that is migrated once per run (see tests/database.py).
"""

import os
import time

import pytest

# The same Celery set-up on every machine, with or without Redis: tasks queued by the code
# under test go to an in-process broker and are dropped (never to a real queue that some
# other worker would run against another database); tests that need a task's effect run
# it inline (``celery_runs_tasks_inline``) or call its body. Subprocesses inherit this.
os.environ["CELERY_BROKER_URL"] = "memory://localhost/"
os.environ["CELERY_TASK_ALWAYS_EAGER"] = "False"

from tests.database import drop_worker_database, setup_worker_database

# Fixtures shared across folders (one definition each; a folder's conftest may
# override one locally).
pytest_plugins = [
    "tests.saleor_fixtures.catalog",
    "tests.saleor_fixtures.api",
    "tests.saleor_fixtures.stripe_api",
    "tests.routing.marketplace",
    "tests.search_engine",
    "tests.backoffice.roles",
]


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """Replaces pytest-django's per-worker migrate with a clone of one migrated template."""
    from django.db import connection

    base_name = connection.settings_dict["NAME"]
    # The process id keeps two test runs on one server (two developers, or a run and a
    # benchmark) from dropping each other's databases.
    worker_name = f"{connection.creation._get_test_db_name()}_p{os.getpid()}"
    with django_db_blocker.unblock():
        setup_worker_database(worker_name, base_name)
    yield
    with django_db_blocker.unblock():
        drop_worker_database(worker_name)


@pytest.fixture
def run_on_commit():
    """Inside a test transaction, run the callbacks a block scheduled with
    transaction.on_commit, as a real commit would (written for Django 3.1, which had no
    captureOnCommitCallbacks; pytest-django's django_capture_on_commit_callbacks does
    the same on 3.2)."""
    from contextlib import contextmanager

    from django.db import connection

    @contextmanager
    def capture():
        start = len(connection.run_on_commit)
        yield
        callbacks = connection.run_on_commit[start:]
        del connection.run_on_commit[start:]
        for _savepoints, callback in callbacks:
            callback()

    return capture


@pytest.fixture
def celery_runs_tasks_inline():
    """Run .delay() in the test process: the tests check the task's effect, not the broker."""
    from config.celery import app as celery_app

    previous = celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates
    # A failing task fails the test, on every machine (with or without a broker).
    celery_app.conf.task_always_eager = celery_app.conf.task_eager_propagates = True
    yield
    celery_app.conf.task_always_eager, celery_app.conf.task_eager_propagates = previous


@pytest.fixture
def vietqr_account(db):
    """The shop's receiving account for VietQR transfers: the demo's sample account at
    VietinBank (BIN 970415)."""
    from saleor.plugins.models import PluginConfiguration

    from devtools.demo import SAMPLE_BANK_ACCOUNT
    from saleor_adapter.payments.vietqr import GATEWAY_ID

    PluginConfiguration.objects.create(
        identifier=GATEWAY_ID, active=True, configuration=SAMPLE_BANK_ACCOUNT
    )


def pytest_sessionstart(session):
    session.config._ocop_started = time.monotonic()


def pytest_terminal_summary(terminalreporter, config):
    """Print the wall time CI asks for: the suite's, and the whole `make test` run's."""
    line = f"wall time: test suite {time.monotonic() - config._ocop_started:.1f} s"
    started = os.environ.get("OCOP_RUN_STARTED")
    if started:
        line += f"; whole run (install + lint + tests) {time.time() - int(started):.0f} s"
    terminalreporter.write_line(line)


def pytest_collection_modifyitems(items):
    """Browser tests serve the shop in a subprocess: they are slow tests too, so
    ``-m "not slow"`` gives the quick loop and ``make test`` still runs everything."""
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.slow)
