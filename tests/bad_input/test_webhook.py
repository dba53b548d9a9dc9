"""The bank's notification endpoint, sent signed bodies with malformed fields, bodies
that are not JSON or nest too deep, and malformed signature and timestamp headers: a
4xx with a bilingual reason, and no bank transaction recorded."""

from __future__ import annotations

import json
import time

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from payments_vn.views import signature
from tests.bad_input.site import attempt
from tests.bad_input.values import bad_values
from tests.bad_input.world import WEBHOOK_SECRET

FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
NOTICE = {"id": "FT26335001", "amount": 280000, "description": "OCOPABCD2345",
          "bookedAt": "2026-11-30T09:15:00+07:00"}  # fmt: skip


def _nested(depth: int):
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


MAX_AMOUNT = 10**14 - 1  # the amount column's 14 digits
_texts = bad_values.filter(lambda bad: bad.kind in {"nul", "long", "json"}).map(
    lambda bad: bad.text
)
_containers = st.one_of(
    st.sampled_from([None, True, [], {}]), st.integers(min_value=2, max_value=400).map(_nested)
)
# Per field, JSON values it cannot hold.
MALFORMED = {
    "amount": st.one_of(
        st.sampled_from(
            [
                10**30,
                10**14,
                -1,
                0,
                0.5,
                "",
                "²",
                "٣٠٠٠٠٠",
                "1e309",
                "Infinity",
                "NaN",
                "-0",
                "1" * 4301,
                "280.000,5",
            ]
        ),
        st.floats(allow_nan=True, allow_infinity=True).filter(
            lambda f: not (f.is_integer() and 0 < f <= MAX_AMOUNT)
        ),
        st.integers(min_value=MAX_AMOUNT + 1, max_value=10**40),
        st.integers(max_value=0),
        _containers,
        _texts,
    ),
    "id": st.one_of(st.sampled_from(["", "   ", "FT\x00", "x" * 101]), _containers, _texts),
    "bookedAt": st.one_of(
        st.sampled_from(
            [
                "",
                "²",
                20261130,
                "9999-12-31T23:59:59-23:59",
                "2026-13-01T00:00:00",
                "0001-01-01T00:00:00+05:00",
                "1999-12-31T23:59:59Z",
            ]
        ),
        _containers,
        bad_values.map(lambda bad: bad.text),
    ),
}
# Anything at all, for the free-text message.
ANYTHING = st.one_of(
    st.sampled_from([10**30, -1, 0.5, "", "²"]),
    st.floats(allow_nan=True, allow_infinity=True),
    _containers,
    bad_values.map(lambda bad: bad.text),
)


def _post(client, body: bytes, *, timestamp: str | None = None, sign: str | None = None):
    timestamp = str(int(time.time())) if timestamp is None else timestamp
    given_signature = signature(WEBHOOK_SECRET, timestamp, body) if sign is None else sign
    return attempt(
        client, "POST", reverse("vietqr-bank-notification"), body=body,
        content_type="application/json", HTTP_X_OCOP_TIMESTAMP=timestamp,
        HTTP_X_OCOP_SIGNATURE=given_signature,
    )  # fmt: skip


def _assert_refused(outcome, what) -> None:
    assert 400 <= outcome.status < 500, (what, outcome.status, outcome.html[:500])
    assert " / " in json.loads(outcome.html)["message"], outcome.html  # Vietnamese / English
    assert outcome.changed == {}, (what, outcome.changed)


def test_a_well_formed_notification_is_recorded(world):
    # Given a signed notification of a credit with no known reference
    outcome = _post(world.clients["anonymous"], json.dumps(NOTICE).encode())
    # Then it is kept for staff to review
    assert (outcome.status, json.loads(outcome.html)) == (
        200, {"id": "FT26335001", "outcome": "unknown", "duplicate": False},
    )  # fmt: skip
    # the transaction, and its entry in the audit log (written by nobody: the bank)
    assert outcome.changed == {"payments_vn_banktransaction": 1, "auditlog_logentry": 1}


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("amount", 10**30, "amount_out_of_range"),
        ("amount", _nested(300), "invalid_credit"),
        ("amount", "٣٠٠٠٠٠", "invalid_credit"),
        ("id", "FT\x00", "invalid_id"),
        ("id", "x" * 101, "invalid_id"),
        ("bookedAt", "9999-12-31T23:59:59-23:59", "invalid_date"),
    ],
)
def test_the_malformed_notifications_of_the_probe_are_refused(world, field, value, error):
    # Given the notifications that answered 500 when the shop was probed
    outcome = _post(world.clients["anonymous"], json.dumps({**NOTICE, field: value}).encode())
    # Then each is refused with what is wrong
    _assert_refused(outcome, (field, value))
    assert json.loads(outcome.html)["error"] == error


def test_a_booking_time_with_any_iso_offset_is_recorded_in_utc(world):
    # Given a notification booked at 10:00 at UTC−23:59, an offset PostgreSQL refuses
    body = json.dumps({**NOTICE, "bookedAt": "2026-11-30T10:00:00-23:59"}).encode()
    outcome = _post(world.clients["anonymous"], body)
    # Then it is recorded (as 09:59 UTC the next day)
    assert outcome.status == 200, outcome.html
    # the transaction, and its entry in the audit log (written by nobody: the bank)
    assert outcome.changed == {"payments_vn_banktransaction": 1, "auditlog_logentry": 1}


@settings(FUZZ)
@given(data=st.data(), field=st.sampled_from(sorted(MALFORMED)))
def test_a_signed_notification_with_a_malformed_field_is_refused(world, data, field):
    # Given a correctly signed notification whose id, amount or date is malformed
    value = data.draw(MALFORMED[field], label=field)
    body = json.dumps({**NOTICE, field: value}).encode()
    outcome = _post(world.clients["anonymous"], body)
    # Then it is refused, and nothing recorded
    _assert_refused(outcome, (field, value))


@settings(FUZZ)
@given(value=ANYTHING)
@example(value="chuyển khoản\x00OCOPABCD2345")
def test_a_malformed_transfer_message_is_never_a_server_error(world, value):
    # Given a notification whose free-text message is anything at all
    outcome = _post(
        world.clients["anonymous"], json.dumps({**NOTICE, "description": value}).encode()
    )
    # Then it is recorded (the credit is real) or refused, never a crash
    assert outcome.status in (200, 400), (value, outcome.status, outcome.html[:500])
    if outcome.status == 400:
        assert outcome.changed == {}


@settings(FUZZ)
@given(
    body=st.one_of(
        st.integers(min_value=1000, max_value=30_000).map(lambda n: b"[" * n + b"]" * n),
        st.integers(min_value=1000, max_value=12_000).map(lambda n: b'{"a":' * n + b"1" + b"}" * n),
        st.binary(max_size=200),
        st.sampled_from([b"\xff\xfe", b'{"id": "\xff"}', b"\x00", b"", b"null", b"[]"]),
    )
)
@example(body=b"[" * 30_000 + b"]" * 30_000)
@example(body=b"[" * 40_000 + b"]" * 40_000)  # over 64 KiB
def test_a_signed_body_that_is_not_a_notification_is_refused(world, body):
    # Given a correctly signed body that is not JSON, nests too deep, or is too large
    outcome = _post(world.clients["anonymous"], body)
    # Then it is refused (400, or 413 when too large), and nothing recorded
    _assert_refused(outcome, body[:40])


@settings(FUZZ)
@given(
    header=st.sampled_from(["timestamp", "signature"]),
    value=st.one_of(st.text(max_size=80), bad_values.map(lambda bad: bad.text[:200])),
)
@example(header="signature", value="é" * 64)
@example(header="signature", value="ÿ")
@example(header="timestamp", value="²")
@example(header="timestamp", value="1" * 4301)
def test_malformed_signature_headers_are_refused(world, header, value):
    # Given a notification whose timestamp or signature header is malformed (a header
    # arrives decoded as latin-1, so any of those characters can be sent)
    body = json.dumps(NOTICE).encode()
    value = value.encode("latin-1", "replace").decode("latin-1")
    if header == "timestamp":
        outcome = _post(world.clients["anonymous"], body, timestamp=value,
                        sign=signature(WEBHOOK_SECRET, value, body))  # fmt: skip
    else:
        outcome = _post(world.clients["anonymous"], body, sign=value)
    # Then it is refused, and nothing recorded
    _assert_refused(outcome, (header, value[:40]))
