"""Loaded by pytest before anything else (``-p`` in setup.cfg), so before the settings:
the tests run on a development machine (they find or start their own PostgreSQL and use
a local secret key), with DEBUG off as in production. Subprocesses inherit it."""

import os

os.environ.setdefault("OCOP_DEV", "1")
