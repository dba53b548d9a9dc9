"""The cells of the role × screen matrix (tests/backoffice/test_role_matrix.py): one module
per back-office section, each with a ``CELLS`` list. A cell is one URL and method with the
status every role gets; the helpers below spell the usual rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.backoffice.roles import ROLES, World

SIGN_IN = 302  # anonymous: to the one sign-in, /dang-nhap/?next=…


@dataclass(frozen=True)
class Cell:
    name: str
    url: Callable[[World], str]
    expected: dict[str, int]
    method: str = "get"
    data: Callable[[World], dict] = field(default=lambda world: {})

    def __post_init__(self):
        assert set(self.expected) == set(ROLES), self.name


def platform_only(ok: int = 200) -> dict[str, int]:
    """Platform staff's screens: everyone else signed in is refused (403)."""
    return {**dict.fromkeys(ROLES, 403), "anonymous": SIGN_IN, "platform": ok}


def cooperative_a(ok: int = 200, *, owner_only: bool = False) -> dict[str, int]:
    """A screen of cooperative A's portal (or one of its objects): B gets 404 for A's
    object, provinces and customers 403; platform staff see everything."""
    return {
        **dict.fromkeys(ROLES, 403),
        "anonymous": SIGN_IN,
        "coop_a_staff": 403 if owner_only else ok,
        "coop_a_owner": ok,
        "coop_b": 404,
        "platform": ok,
    }


def any_cooperative(ok: int = 200, *, owner_only: bool = False) -> dict[str, int]:
    """A portal screen with no object in its URL: every cooperative sees its own."""
    return {**cooperative_a(ok, owner_only=owner_only), "coop_b": ok}


def province_a(ok: int = 200) -> dict[str, int]:
    """An object of province A: province B gets 404."""
    return {
        **dict.fromkeys(ROLES, 403),
        "anonymous": SIGN_IN,
        "province_a": ok,
        "province_b": 404,
        "platform": ok,
    }


def any_province(ok: int = 200) -> dict[str, int]:
    return {**province_a(ok), "province_b": ok}
