"""JWTs expire 15 minutes after they are issued; tokenRefresh extends a live token, up
to 8 hours after signing in (config/settings.py GRAPHQL_JWT)."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from freezegun import freeze_time
from saleor.account.models import User

from tests.saleor_fixtures.api import ApiClient

SIGNED_IN = datetime.datetime(2026, 12, 1, 8, 0, 0)
TOKEN_CREATE = """mutation { tokenCreate(email: "thu-kho@ocop.test", password: "mat-khau-kho-1")
  { token accountErrors { code } } }"""
TOKEN_REFRESH = "mutation R($token: String!) { tokenRefresh(token: $token) { token } }"
ME = "{ me { email } }"


class TokenClient(ApiClient):
    """Sends a given token, as a dashboard holding it would."""

    def __init__(self, token: str | None = None):
        super().__init__()
        self.token = token

    def auth_headers(self) -> dict:
        return {"HTTP_AUTHORIZATION": f"JWT {self.token}"} if self.token else {}


@pytest.fixture
def storekeeper(db) -> User:
    return User.objects.create_user("thu-kho@ocop.test", "mat-khau-kho-1", is_staff=True)


def sign_in() -> str:
    result = TokenClient().post_graphql(TOKEN_CREATE)["tokenCreate"]
    assert result["accountErrors"] == []
    return result["token"]


def at(minutes: float):
    return freeze_time(SIGNED_IN + datetime.timedelta(minutes=minutes))


def test_lifetimes_are_the_documented_ones():
    assert settings.GRAPHQL_JWT["JWT_VERIFY_EXPIRATION"] is True
    assert settings.GRAPHQL_JWT["JWT_EXPIRATION_DELTA"] == datetime.timedelta(minutes=15)
    assert settings.GRAPHQL_JWT["JWT_REFRESH_EXPIRATION_DELTA"] == datetime.timedelta(hours=8)


def test_a_token_works_for_15_minutes_then_is_refused_with_a_clear_error(storekeeper):
    # Given a token issued at 08:00
    with at(0):
        token = sign_in()

    # When it is used at 08:14 and at 08:16
    with at(14):
        fresh = TokenClient(token).execute(ME)
    with at(16):
        stale = TokenClient(token).execute(ME)

    # Then it works at first, and is then refused as expired (Saleor's error shape)
    assert fresh == {"data": {"me": {"email": "thu-kho@ocop.test"}}}
    assert stale["data"] == {"me": None}
    assert [(e["message"], e["extensions"]["exception"]["code"]) for e in stale["errors"]] == [
        ("Signature has expired", "JSONWebTokenExpired")
    ]


def test_token_refresh_gives_a_token_valid_15_minutes_from_the_refresh(storekeeper):
    # Given a token issued at 08:00 and refreshed at 08:10
    with at(0):
        token = sign_in()
    with at(10):
        refreshed = TokenClient().post_graphql(TOKEN_REFRESH, {"token": token})["tokenRefresh"]

    # When both are used at 08:20
    with at(20):
        old = TokenClient(token).execute(ME)
        new = TokenClient(refreshed["token"]).execute(ME)

    # Then the old one has expired and the refreshed one still works
    assert old["errors"][0]["extensions"]["exception"]["code"] == "JSONWebTokenExpired"
    assert new == {"data": {"me": {"email": "thu-kho@ocop.test"}}}


def test_an_expired_token_cannot_be_refreshed(storekeeper):
    with at(0):
        token = sign_in()

    # When a client asks for a refresh at 08:16, after the token expired
    with at(16):
        result = TokenClient().execute(TOKEN_REFRESH, {"token": token})

    # Then it must sign in again
    assert result["data"] == {"tokenRefresh": None}
    assert [e["message"] for e in result["errors"]] == ["Signature has expired"]


def test_refreshing_keeps_a_session_for_8_hours_after_signing_in(storekeeper):
    # Given a client refreshing its token every 14 minutes from 08:00 until 15:56
    with at(0):
        token = sign_in()
    minute = 0
    while minute + 14 <= 8 * 60:
        minute += 14
        with at(minute):
            token = TokenClient().post_graphql(TOKEN_REFRESH, {"token": token})["tokenRefresh"][
                "token"
            ]

    # When it asks again at 16:05, 8 hours 5 minutes after signing in
    with at(8 * 60 + 5):
        still_valid = TokenClient(token).execute(ME)
        refused = TokenClient().execute(TOKEN_REFRESH, {"token": token})

    # Then the last token still works until it expires, but cannot be refreshed again
    assert minute == 476
    assert still_valid == {"data": {"me": {"email": "thu-kho@ocop.test"}}}
    assert [e["message"] for e in refused["errors"]] == ["Refresh has expired"]
