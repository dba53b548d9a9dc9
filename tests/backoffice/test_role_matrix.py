"""Every back-office URL and action against every role, with the status each one gets
(the cells live in tests/backoffice/screens/). Each role's request runs in a savepoint that
is rolled back, so one role's write does not change what the next one sees; an anonymous
caller is sent to the one sign-in."""

import importlib
import pkgutil

import pytest
from django.db import transaction

from tests.backoffice import screens
from tests.backoffice.roles import ROLES
from tests.backoffice.screens import SIGN_IN, Cell


def all_cells() -> list[Cell]:
    cells = []
    for module in pkgutil.iter_modules(screens.__path__):
        cells.extend(importlib.import_module(f"{screens.__name__}.{module.name}").CELLS)
    return cells


CELLS = all_cells()


def test_the_matrix_has_no_two_cells_of_one_name():
    names = [cell.name for cell in CELLS]
    assert len(names) == len(set(names))


@pytest.mark.parametrize("cell", CELLS, ids=[cell.name for cell in CELLS])
def test_each_role_gets_its_status(world, cell: Cell):
    # Given the screen's objects, built once
    url, data = cell.url(world), cell.data(world)
    got = {}
    for role in ROLES:
        # When each role calls it, in a savepoint rolled back afterwards
        with transaction.atomic():
            response = getattr(world.client(role), cell.method)(url, data)
            got[role] = response.status_code
            if role == "anonymous" and response.status_code == SIGN_IN:
                assert response["Location"].startswith("/dang-nhap/?next="), url
            transaction.set_rollback(True)
    # Then every role gets exactly its cell's status
    assert got == cell.expected


def staff_route_names() -> set[str]:
    """Every named route of the back office's areas (the old per-area login pages, which
    only redirect to the one sign-in, aside)."""
    from django.urls import get_resolver

    names = set()

    def walk(patterns, prefix="", namespace=""):
        for pattern in patterns:
            path = prefix + str(pattern.pattern).lstrip("^")
            if hasattr(pattern, "url_patterns"):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, path, inner)
            elif pattern.name and path.startswith(STAFF_AREAS):
                names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns)
    return names - {"portal:login", "fairs:login", "storefront-staff-login"}


STAFF_AREAS = ("quan-tri/", "htx/", "tinh/", "cau-hinh-cua-hang/")


def test_every_back_office_route_has_a_cell(world):
    from urllib.parse import urlsplit

    from django.urls import resolve

    # Given every cell's URL, resolved to its route
    covered = {resolve(urlsplit(cell.url(world)).path).view_name for cell in CELLS}
    # Then no route of a staff area is left out of the matrix
    missing = sorted(staff_route_names() - covered)
    assert missing == [], "\n".join(missing)
