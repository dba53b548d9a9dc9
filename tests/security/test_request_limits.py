"""What one request may hold, and the multipart and header parsing Django 3.2.25 gets
wrong (saleor_adapter/saleor_compat.py, settings "Security", docs/security.md)."""

from __future__ import annotations

import json
import signal
import time
from contextlib import contextmanager

import pytest
from django.core.exceptions import TooManyFieldsSent, TooManyFilesSent
from django.test import RequestFactory
from django.urls import reverse

BOUNDARY = "ocop-boundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
MIB = 1024 * 1024


def multipart(*parts: tuple[dict[str, str], bytes]) -> bytes:
    body = b""
    for headers, content in parts:
        body += f"--{BOUNDARY}\r\n".encode()
        body += "".join(f"{name}: {value}\r\n" for name, value in headers.items()).encode()
        body += b"\r\n" + content + b"\r\n"
    return body + f"--{BOUNDARY}--\r\n".encode()


def file_part(name: str, content: bytes, **headers: str) -> tuple[dict[str, str], bytes]:
    return (
        {"Content-Disposition": f'form-data; name="{name}"; filename="{name}.csv"', **headers},
        content,
    )


@contextmanager
def at_most(seconds: float):
    """Fails the test (instead of hanging it) when the block runs longer than ``seconds``
    of wall time; yields a list that receives the time it took."""

    def expired(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    took: list[float] = []
    started = time.monotonic()
    try:
        yield took
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        took.append(time.monotonic() - started)


@pytest.mark.django_db
def test_a_base64_part_with_a_short_body_is_refused_at_once(client):
    # Given the ~250-byte anonymous request that looped forever on Django 3.1
    # (CVE-2022-23833): one part declaring Content-Transfer-Encoding: base64
    body = multipart(
        ({"Content-Disposition": 'form-data; name="operations"'}, b"{}"),
        file_part("0", b"AAA", **{"Content-Transfer-Encoding": "base64"}),
    )
    assert len(body) < 300

    # When it is posted to the GraphQL API
    with at_most(5) as took:
        response = client.generic("POST", reverse("api"), body, content_type=MULTIPART)

    # Then it is refused as a bad request within a second, with the bilingual page
    assert response.status_code == 400
    assert took[0] < 1
    assert "Yêu cầu không hợp lệ" in response.content.decode()
    assert "Bad request" in response.content.decode()


@pytest.mark.django_db
def test_a_base64_file_padded_with_whitespace_is_refused_at_once(client):
    # Given a base64 part of 1 MB of whitespace around single characters, the shape of
    # CVE-2026-33033 (each few bytes copied the rest of a 64 kB chunk)
    body = multipart(file_part("0", b"A" + b" \r\n" * 350_000, **{
        "Content-Transfer-Encoding": "BASE64"
    }))  # fmt: skip

    # When it is uploaded
    with at_most(5) as took:
        response = client.generic("POST", reverse("api"), body, content_type=MULTIPART)

    # Then nothing is decoded: 400 at once
    assert (response.status_code, took[0] < 1) == (400, True)


def test_an_upload_may_carry_five_files_not_six():
    # Given multipart requests with five and with six small files
    factory = RequestFactory()

    def request_with(count: int):
        parts = [file_part(str(n), b"a,b\r\n1,2") for n in range(count)]
        return factory.generic("POST", "/", multipart(*parts), content_type=MULTIPART)

    # Then five are read, and the sixth is refused (Django's default is 100)
    assert len(request_with(5).FILES) == 5
    with pytest.raises(TooManyFilesSent):
        request_with(6).FILES  # noqa: B018


def test_a_form_may_carry_two_hundred_fields_not_more():
    factory = RequestFactory()
    assert len(factory.post("/", {f"f{n}": "x" for n in range(200)}).POST) == 200
    with pytest.raises(TooManyFieldsSent):
        factory.post("/", {f"f{n}": "x" for n in range(201)}).POST  # noqa: B018


@pytest.mark.django_db
def test_a_graphql_body_over_one_mebibyte_is_refused(client):
    # Given a JSON body just over DATA_UPLOAD_MAX_MEMORY_SIZE (1 MiB)
    body = json.dumps({"query": "{ shop { name } }", "variables": {"pad": "x" * MIB}})

    # When it is posted
    response = client.post(reverse("api"), body, content_type="application/json")

    # Then it is refused before the query runs
    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_a_body_over_the_request_limit_is_answered_413_before_it_is_read(client, settings):
    # Given the limit (a 20 MiB registry file plus its multipart framing)
    assert settings.OCOP_MAX_REQUEST_BYTES == 21 * MIB

    # When a request announces one byte more
    response = client.generic(
        "POST", reverse("api"), b"x" * (21 * MIB + 1), content_type="application/json"
    )

    # Then it is answered at once, in both languages
    assert response.status_code == 413
    assert response.content.decode() == (
        "Yêu cầu quá lớn (tối đa 21 MB) / Request too large (at most 21 MB)."
    )


@pytest.mark.django_db
def test_a_huge_content_type_header_is_not_parsed(client):
    # Given a Content-Type of 64 kB of ';' inside a quoted parameter: parsing it is
    # quadratic (CVE-2026-84429; 8 s of CPU on Django 3.2.25's cgi.parse_header)
    content_type = 'multipart/form-data; boundary="' + ";" * 64_000 + '"'
    request = RequestFactory().generic("POST", "/", b"{}", content_type=content_type)
    assert (request.content_type, request.content_params) == ("application/octet-stream", {})

    # When it is sent to the GraphQL API
    with at_most(5) as took:
        response = client.generic("POST", reverse("api"), b"{}", content_type=content_type)

    # Then the body is not read as anything, and the API refuses the request at once
    assert response.status_code == 400
    assert took[0] < 1


def test_an_ordinary_content_type_is_still_read():
    request = RequestFactory().generic(
        "POST", "/", b"{}", content_type="application/json; charset=utf-8"
    )
    assert (request.content_type, request.content_params) == (
        "application/json",
        {"charset": "utf-8"},
    )
