"""Logged request paths cannot forge log lines (CVE-2025-48432): the console handler
escapes control characters in every logged value."""

import io
import logging
import os

import pytest


@pytest.fixture
def console_output():
    """What the shop's console log handler writes, while the test runs."""
    handler = next(
        h
        for h in logging.getLogger("django").handlers
        if any(type(f).__name__ == "EscapeControlCharacters" for f in h.filters)
    )
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.mark.django_db
def test_a_path_with_a_newline_is_logged_on_one_line(client, console_output):
    # Given a URL whose path holds an encoded newline and a terminal escape
    # When it is requested (a 404, which Django logs with the path)
    response = client.get("/khong-co%0AERROR%20forged%20line%1b[31m/")
    assert response.status_code == 404

    # Then each line logged for it is that one line, with the characters escaped
    lines = [line for line in console_output.getvalue().splitlines() if "forged" in line]
    assert set(lines) == {
        "WARNING django.request Not Found: /khong-co\\x0aERROR forged line\\x1b[31m/ "
        f"[PID:{os.getpid()}:MainThread]"
    }
