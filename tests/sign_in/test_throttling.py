"""Every password sign-in is throttled per account and address, and per address
(config/sign_in_throttle.py, django-axes): the back office's one sign-in (the portal,
the provinces' fair pages, the shop settings) and GraphQL tokenCreate."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time
from saleor.account.models import User

PASSWORD = "mat-khau-dung-1"
ATTACKER = "203.0.113.7"
ELSEWHERE = "198.51.100.20"
LOCKED = (
    "Đăng nhập tạm bị khoá vì sai mật khẩu quá nhiều lần; hãy thử lại sau 15 phút / "
    "Sign-in locked after too many failed attempts; try again in 15 minutes."
)
TOKEN_CREATE = """mutation Login($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) { token accountErrors { code } } }"""


@dataclass(frozen=True)
class Outcome:
    signed_in: bool
    locked_out: bool
    status: int


def _page_outcome(response, signed_in: bool) -> Outcome:
    locked = response.status_code == 429 and LOCKED in response.content.decode()
    if locked:
        assert response["Retry-After"] == "900"
    return Outcome(signed_in, locked, response.status_code)


def back_office(client: Client, email: str, password: str) -> Outcome:
    response = client.post(reverse("backoffice-login"), {"username": email, "password": password})
    return _page_outcome(
        response, response.status_code == 302 and "_auth_user_id" in client.session
    )


def token_create(client: Client, email: str, password: str) -> Outcome:
    response = client.post(
        reverse("api"),
        data=json.dumps(
            {"query": TOKEN_CREATE, "variables": {"email": email, "password": password}}
        ),
        content_type="application/json",
    )
    body = response.json()
    if response.status_code == 429:
        assert body == {"errors": [{"message": LOCKED, "extensions": {"code": "LOGIN_LOCKED_OUT"}}]}
        assert response["Retry-After"] == "900"
        return Outcome(False, True, 429)
    return Outcome(bool(body["data"]["tokenCreate"]["token"]), False, response.status_code)


SIGN_INS: dict[str, Callable[[Client, str, str], Outcome]] = {
    "back-office": back_office,
    "token-create": token_create,
}
WRONG_STATUS = {"back-office": 200, "token-create": 200}


def staff(email: str) -> User:
    return User.objects.create_user(email, PASSWORD, is_staff=True)


def from_address(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


@pytest.mark.parametrize("sign_in", SIGN_INS, ids=list(SIGN_INS))
def test_forty_wrong_passwords_then_the_right_one_is_refused(db, sign_in):
    # Given a staff account
    staff("thu-kho@ocop.test")
    attempt = SIGN_INS[sign_in]

    # When one address tries 40 wrong passwords, then the right one
    client = from_address(ATTACKER)
    wrong = [attempt(client, "thu-kho@ocop.test", f"doan-{i}") for i in range(40)]
    right = attempt(client, "thu-kho@ocop.test", PASSWORD)

    # Then the first four are plain wrong passwords, the fifth locks the sign-in, and
    # every later one, the right password included, is refused with the lockout message
    assert wrong[:4] == [Outcome(False, False, WRONG_STATUS[sign_in])] * 4
    assert wrong[4:] == [Outcome(False, True, 429)] * 36
    assert right == Outcome(False, True, 429)
    # Only the five real password checks were counted (refusals check no password)
    assert list(
        AccessAttempt.objects.values_list("username", "ip_address", "failures_since_start")
    ) == [("thu-kho@ocop.test", ATTACKER, 5)]


@pytest.mark.parametrize("sign_in", SIGN_INS, ids=list(SIGN_INS))
def test_the_right_password_signs_in_before_any_lock(db, sign_in):
    # Given a staff account and four mistakes (under the limit of five)
    staff("thu-kho@ocop.test")
    client = from_address(ATTACKER)
    for i in range(4):
        SIGN_INS[sign_in](client, "thu-kho@ocop.test", f"doan-{i}")

    # When the right password comes
    outcome = SIGN_INS[sign_in](client, "thu-kho@ocop.test", PASSWORD)

    # Then it signs in
    assert outcome.signed_in is True


def test_one_accounts_lock_does_not_lock_other_accounts_or_the_owner_elsewhere(db):
    # Given an account locked from the attacker's address by 40 wrong passwords
    staff("thu-kho@ocop.test")
    staff("ke-toan@ocop.test")
    attacker = from_address(ATTACKER)
    for i in range(40):
        back_office(attacker, "thu-kho@ocop.test", f"doan-{i}")
    assert back_office(attacker, "thu-kho@ocop.test", PASSWORD).locked_out is True

    # When another account signs in from the same address, and the owner from elsewhere
    colleague = back_office(from_address(ATTACKER), "ke-toan@ocop.test", PASSWORD)
    owner = token_create(from_address(ELSEWHERE), "thu-kho@ocop.test", PASSWORD)

    # Then both get in: the lock is for that account from that address
    assert colleague == Outcome(True, False, 302)
    assert owner == Outcome(True, False, 200)


def test_many_accounts_tried_from_one_address_lock_the_address(db):
    # Given ten accounts, each tried twice with a wrong password from one address
    # (two is under the per-account limit of five; twenty is the per-address limit)
    for n in range(10):
        staff(f"htx-{n}@ocop.test")
    attacker = from_address(ATTACKER)
    outcomes = [
        SIGN_INS[name](attacker, f"htx-{n}@ocop.test", "doan")
        for n in range(10)
        for name in ("back-office", "token-create")
    ]
    staff("chu-nhiem@ocop.test")

    # When an eleventh account signs in from that address with its right password,
    # and again from another address
    same_address = back_office(from_address(ATTACKER), "chu-nhiem@ocop.test", PASSWORD)
    other_address = back_office(from_address(ELSEWHERE), "chu-nhiem@ocop.test", PASSWORD)

    # Then the twentieth failure locked the address, not the account
    assert [o.locked_out for o in outcomes] == [False] * 19 + [True]
    assert same_address == Outcome(False, True, 429)
    assert other_address == Outcome(True, False, 302)


def test_failures_count_across_sign_ins(db):
    # Given five wrong passwords on the back-office sign-in
    staff("thu-kho@ocop.test")
    client = from_address(ATTACKER)
    for i in range(5):
        back_office(client, "thu-kho@ocop.test", f"doan-{i}")

    # When the same address asks GraphQL for a token, the account name in capitals
    outcome = token_create(client, "THU-KHO@ocop.test", PASSWORD)

    # Then it is refused too: one count per account and address, whatever the door
    assert outcome == Outcome(False, True, 429)


def test_the_lock_ends_after_the_cool_off(db):
    staff("thu-kho@ocop.test")
    client = from_address(ATTACKER)
    with freeze_time("2026-12-01 08:00:00"):
        for i in range(5):
            token_create(client, "thu-kho@ocop.test", f"doan-{i}")
    with freeze_time("2026-12-01 08:14:00"):
        still_locked = token_create(client, "thu-kho@ocop.test", PASSWORD)

    # When the right password comes 15 minutes after the last failure
    with freeze_time("2026-12-01 08:15:01"):
        later = token_create(client, "thu-kho@ocop.test", PASSWORD)

    # Then it was refused during the cool-off and signs in after it
    assert still_locked.locked_out is True
    assert later == Outcome(True, False, 200)


def test_aliased_token_create_in_one_request_are_throttled_too(db):
    # Given 29 wrong passwords and the right one as aliases of one operation
    staff("thu-kho@ocop.test")
    guesses = [f"doan-{i}" for i in range(29)] + [PASSWORD]
    query = (
        "mutation { "
        + " ".join(
            f'a{i}: tokenCreate(email: "thu-kho@ocop.test", password: "{p}") {{ token }}'
            for i, p in enumerate(guesses)
        )
        + " }"
    )

    # When it is posted
    response = from_address(ATTACKER).post(
        reverse("api"), data=json.dumps({"query": query}), content_type="application/json"
    )

    # Then the answer is the lockout, with no token in it, and five passwords were checked
    assert response.status_code == 429
    assert response.json()["errors"][0]["extensions"] == {"code": "LOGIN_LOCKED_OUT"}
    assert 'token"' not in response.content.decode()
    assert AccessAttempt.objects.get().failures_since_start == 5


def test_a_jwt_authenticated_request_is_not_a_sign_in(db):
    # Given an address locked by failures on twenty accounts
    from graphql_jwt.shortcuts import get_token

    user = staff("thu-kho@ocop.test")
    attacker = from_address(ATTACKER)
    for n in range(20):
        token_create(attacker, f"khong-co-{n}@ocop.test", "doan")

    # When a staff member at that address uses a token they already hold
    response = attacker.post(
        reverse("api"),
        data=json.dumps({"query": "{ me { email } }"}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"JWT {get_token(user)}",
    )

    # Then the API answers them: the throttle is for password checks only
    assert response.json() == {"data": {"me": {"email": "thu-kho@ocop.test"}}}
    assert token_create(attacker, "thu-kho@ocop.test", PASSWORD).locked_out is True


def test_cool_off_setting_is_fifteen_minutes(settings):
    assert datetime.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert (settings.AXES_FAILURE_LIMIT, settings.SIGN_IN_ADDRESS_FAILURE_LIMIT) == (5, 20)
