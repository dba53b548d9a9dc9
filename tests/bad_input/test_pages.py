"""Every URL of the site, fetched with malformed query strings and path arguments, as
the client that may see it: never a server error, never a write.

Query parameter names are the ones the page's own GET forms and links use, the ones any
page of ours reads, and junk; values are tests.bad_input.values'. Routes come from the
URL resolver (tests.bad_input.site.routes), so a new page is fuzzed as soon as it
exists; one with path arguments needs an entry in tests.bad_input.areas.ARGUMENTS.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote

import pytest
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.bad_input import areas
from tests.bad_input.site import attempt, get_forms, routes
from tests.bad_input.values import SHARP, bad_values

FETCHED = [route for route in routes() if route.name not in areas.NOT_FETCHED]
EXAMPLES = 6
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _names_used_by(html: str) -> set[str]:
    """Parameters of the page's GET forms and of its links' query strings."""
    names = {item.name for form in get_forms(html) for item in form.fuzzable()}
    for query in re.findall(r'href="[^"]*\?([^"#]*)', html):
        names.update(name for name, _ in parse_qsl(query.replace("&amp;", "&")))
    return names


def _check(route, outcome, where: str) -> None:
    assert outcome.status < 500, (route.name, where, outcome.status)
    allowed = areas.WRITES_ON_GET.get(route.name, set())
    assert set(outcome.changed) <= allowed, (route.name, where, outcome.changed)


def test_every_route_with_arguments_is_fuzzed():
    # Given the URLconf, every route with path arguments has values to fill them
    missing = [
        r.name for r in routes()
        if r.arguments and r.name not in areas.ARGUMENTS and r.name not in areas.NOT_FETCHED
    ]  # fmt: skip
    assert missing == []
    # and no entry names a route that no longer exists
    names = {r.name for r in routes()}
    assert set(areas.ARGUMENTS) - names == set()


@pytest.mark.parametrize("route", FETCHED, ids=[r.name for r in FETCHED])
def test_malformed_query_strings_never_crash_a_page(world, route):
    client = world.clients[areas.who(route)]
    path = reverse(route.name, kwargs=areas.arguments(route, world))
    # Given the page as its visitor sees it (the right person is signed in)
    plain = attempt(client, "GET", path)
    assert plain.status < 500, (route.name, plain.status)
    assert not plain.location.startswith(areas.LOGIN_PATHS) or route.name in areas.SIGN_OUT_PAGES
    names = sorted(set(areas.PARAMETERS.get(route.name, [])) | _names_used_by(plain.html))
    name = st.one_of(
        st.sampled_from([quote(n, safe="") for n in names or ["q"]]),
        bad_values.map(lambda b: b.raw),
    )

    @settings(FUZZ, max_examples=2 if route.name in areas.SLOW else EXAMPLES)
    @given(params=st.lists(st.tuples(name, bad_values), min_size=1, max_size=3))
    def fuzz(params):
        # When the query string carries malformed values
        query = "&".join(f"{key}={value.raw}" for key, value in params)
        outcome = attempt(client, "GET", path, query=query)
        # Then the answer is a page or a refusal, and nothing was written
        _check(route, outcome, query[:200])

    # Every parameter the page reads meets each sharp value on its own (none hides
    # behind another that is refused first); hypothesis adds random mixtures.
    for parameter in names:
        for value in SHARP:
            fuzz = example(params=[(quote(parameter, safe=""), value)])(fuzz)
    fuzz()


WITH_ARGUMENTS = [route for route in FETCHED if route.arguments]


def _path_with(route, valid: dict, argument: str, raw: str) -> str:
    """The route's path with ``raw`` (percent-encoded) in place of one argument."""
    marker = areas.placeholder(argument, route.arguments.index(argument), route)
    try:
        return reverse(route.name, kwargs={**valid, argument: marker}).replace(str(marker), raw)
    except NoReverseMatch:  # a pattern of fixed words (fair|booth|product): the real one
        path = reverse(route.name, kwargs=valid)
        return path.replace(str(valid[argument]), raw, 1)


@pytest.mark.parametrize("route", WITH_ARGUMENTS, ids=[r.name for r in WITH_ARGUMENTS])
def test_malformed_path_arguments_are_not_found_not_a_crash(world, route):
    client = world.clients[areas.who(route)]
    valid = areas.arguments(route, world)

    @settings(FUZZ, max_examples=2 if route.name in areas.SLOW else 6)
    @given(argument=st.sampled_from(route.arguments), value=bad_values)
    def fuzz(argument, value):
        # When one path argument is malformed (the others name real things)
        path = _path_with(route, valid, argument, value.raw)
        outcome = attempt(client, "GET", path)
        # Then it is a page or a refusal (mostly 404), and nothing was written
        _check(route, outcome, path[:200])

    fuzz()
