"""Our GraphQL mutations and id lookups, sent malformed ids and inputs.

The mutations are found in the schema (every mutation whose class lives in
``plugins.``: our own and our wrappers of Saleor's), and their documents and variables
are built from the argument types, so a new mutation is fuzzed as soon as it exists.
Each argument is a value that works (``BASELINES``) or a malformed one: an id of the
wrong type, of a pk that is not ASCII digits ("CooperativeOrder:²"), garbage, or any of
tests.bad_input.values' texts. Never a server error or a Python message; an id that is
malformed, or NUL in a text, is refused and writes nothing.
"""

from __future__ import annotations

import base64
import json

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from graphene import Node
from graphql.type.definition import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLScalarType,
)
from graphql_jwt.shortcuts import get_token
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saleor_adapter.graphql.schema import schema
from tests.bad_input.site import attempt
from tests.bad_input.values import Bad, bad_values
from tests.saleor_fixtures.api import grant

FUZZ = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Uploads are multipart (catalog_sync's tests send bad files); nothing else is skipped.
NOT_FUZZED = {"ocopRegistryImport": "an Upload: tests/catalog_import"}
PYTHON_NOISE = ("invalid literal", "Traceback", "object has no attribute", "NoneType",
                "is not a valid UUID", "DataError", "IntegrityError", "NUL (0x00)")  # fmt: skip


def gid(kind: str, pk) -> str:
    return Node.to_global_id(kind, pk)


def ours() -> dict:
    """Mutation fields whose resolver is one of our classes (saleor_adapter.…)."""
    found = {}
    for name, field in schema.get_mutation_type().fields.items():
        owner = getattr(field.resolver, "__self__", None)
        if owner is not None and owner.__module__.startswith("saleor_adapter."):
            found[name] = field
    return found


def _named(kind):
    while isinstance(kind, GraphQLNonNull | GraphQLList):
        kind = kind.of_type
    return kind


def _bad_id(kinds: list[str]) -> st.SearchStrategy[str]:
    pk = st.one_of(bad_values.map(lambda bad: bad.text[:300]), st.just("²"), st.just("-1"))
    typed = st.tuples(st.sampled_from(kinds), pk).map(lambda t: gid(*t))
    raw = st.one_of(
        bad_values.map(lambda bad: bad.text[:300]),
        st.binary(max_size=30).map(lambda b: base64.b64encode(b).decode()),
    )
    return st.one_of(typed, raw).map(lambda text: ("id", text))


def leaves(arguments: dict, prefix=()) -> list[tuple[tuple[str, ...], object]]:
    """(path, GraphQL type) of every scalar argument, inside input objects too."""
    found = []
    for name, argument in arguments.items():
        kind = _named(argument.type)
        if isinstance(kind, GraphQLInputObjectType):
            found += leaves(kind.fields, (*prefix, name))
        else:
            found.append(((*prefix, name), argument.type))
    return found


def _malformed(kind) -> st.SearchStrategy:
    """(why, value) for a scalar type: what makes it malformed."""
    named = _named(kind)
    if isinstance(named, GraphQLEnumType):
        return st.sampled_from([("enum", "NOT_A_VALUE")])
    name = named.name if isinstance(named, GraphQLScalarType) else ""
    if name == "ID":
        return _bad_id(["CooperativeOrder", "CooperativeListing", "Fair", "FairCooperative",
                        "Product", "Checkout", "Payment", "OcopImportRun"])  # fmt: skip
    if name in {"Int", "PositiveDecimal", "Decimal", "Float"}:
        return st.sampled_from(
            [("number", 2**31), ("number", -(2**31) - 1), ("number", 10**30), ("number", -1)]
        )
    if name == "Boolean":
        return st.sampled_from([("type", "true"), ("type", 2)])
    return bad_values.map(lambda bad: (bad.kind, bad.text))


def _set(data: dict, path: tuple[str, ...], value) -> dict:
    data = json.loads(json.dumps(data))
    target = data
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value
    return data


def _document(name: str, field) -> str:
    declared = ", ".join(f"${arg}: {argument.type}" for arg, argument in field.args.items())
    passed = ", ".join(f"{arg}: ${arg}" for arg in field.args)
    payload = _named(field.type)
    errors = [f for f in payload.fields if f.endswith("Errors") or f == "errors"]
    selection = " ".join(f"{f} {{ message }}" for f in errors)
    head = f"mutation Fuzz({declared})" if declared else "mutation Fuzz"
    call = f"{name}({passed})" if passed else name
    return f"{head} {{ {call} {{ __typename {selection} }} }}"


def _baselines(world) -> dict[str, dict]:
    """Arguments that name real things, so a malformed one is met past the lookups."""
    new, packed = (
        gid("CooperativeOrder", world.new_part.pk),
        gid("CooperativeOrder", world.packed_part.pk),
    )
    fair = gid("Fair", world.fair.pk)
    return {
        "cooperativeOrderAccept": {"id": new},
        "cooperativeOrderPack": {"id": new},
        "cooperativeOrderDeliver": {"id": packed},
        "cooperativeOrderReject": {"id": new, "reason": "Hết hàng"},
        "cooperativeOrderCancel": {"id": new, "reason": "Khách huỷ"},
        "cooperativeOrderShip": {"id": packed, "carrier": "VNPost", "trackingNumber": "EB1VN"},
        "cooperativeOrderResolveAttention": {"id": new, "note": "Đã gọi khách"},
        "cooperativeListingUpdate": {"id": gid("CooperativeListing", world.listing.pk),
                                     "price": 130000, "stock": 12},
        "fairCreate": {"input": {"name": "Tuần lễ OCOP", "province": "19", "venue": "Nhà văn hoá",
                                 "startsOn": "2026-12-20", "endsOn": "2026-12-22"}},
        "fairUpdate": {"id": fair, "input": {"name": "Hội chợ OCOP Thái Nguyên"}},
        "fairBoothCreate": {"fairId": fair, "input": {"name": "Gian B01", "code": "B01"}},
        "productUpdate": {"id": gid("Product", world.catalog.mien_dong.product.pk),
                          "input": {"name": "Miến dong"}},
        "productBulkPublish": {"ids": [gid("Product", world.catalog.tra.product.pk)],
                               "isPublished": True},
        "paymentCapture": {"paymentId": gid("Payment", 1), "amount": 1000},
    }  # fmt: skip


def _post(client, token: str, document: str, variables: dict):
    body = json.dumps({"query": document, "variables": variables}).encode()
    return attempt(client, "POST", "/graphql/", body=body, content_type="application/json",
                   HTTP_AUTHORIZATION=f"JWT {token}")  # fmt: skip


def _refusals(payload: dict | None) -> list[str]:
    if not payload:
        return []
    return [e["message"] for key, errors in payload.items() if key != "__typename"
            for e in errors or []]  # fmt: skip


def _kind_of(baseline: dict, path: tuple[str, ...]) -> str:
    """The type named by the baseline's id at ``path`` (an id of the right type)."""
    value = baseline
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    if isinstance(value, list):
        value = value[0] if value else None
    try:
        return Node.from_global_id(value)[0] if value else "CooperativeOrder"
    except Exception:
        return "CooperativeOrder"


MUTATIONS = sorted(ours())


def test_our_mutations_are_found():
    assert {"cooperativeOrderShip", "fairCreate", "productUpdate", "checkoutComplete"} <= set(
        MUTATIONS
    )


@pytest.mark.parametrize("name", MUTATIONS)
def test_malformed_arguments_are_refused_and_write_nothing(world, name):
    if name in NOT_FUZZED:
        pytest.skip(NOT_FUZZED[name])
    field = ours()[name]
    # Given platform staff, who may call every one of them
    user = grant(world.platform_staff, "manage_products", "manage_checkouts")
    client, token = world.clients["anonymous"], get_token(user)
    document = _document(name, field)
    baseline = _baselines(world).get(name, {})
    arguments = leaves(field.args)
    paths = [path for path, _ in arguments]

    @settings(FUZZ)
    @given(data=st.data(), path=st.sampled_from(paths))
    def fuzz(data, path):
        kind = dict(arguments)[path]
        why, value = data.draw(_malformed(kind), label="/".join(path))
        check(path, why, value)

    def check(path, why, value):
        # When one argument is malformed (the others name real things)
        variables = _set(baseline, path, value)
        outcome = _post(client, token, document, variables)
        where = (name, path, why, str(value)[:80])
        # Then no server error and no Python message
        assert outcome.status < 500, (*where, outcome.status, outcome.html[:500])
        answer = json.loads(outcome.html)
        messages = [e.get("message", "") for e in answer.get("errors") or []]
        messages += _refusals((answer.get("data") or {}).get(name))
        assert not any(noise in m for m in messages for noise in PYTHON_NOISE), (*where, messages)
        # and a malformed id, or NUL in a text, are refused and write nothing (a long text
        # may be fine: a product's description has no limit)
        if why in {"id", "nul"}:
            assert messages or not (answer.get("data") or {}).get(name), (*where, answer)
            assert outcome.changed == {}, (*where, outcome.changed)
        elif messages:
            assert outcome.changed == {}, (*where, outcome.changed)

    # Every id meets pks of other scripts' digits and too many digits, every text NUL
    # and 10,000 characters (explicitly; hypothesis adds the rest).
    for path, kind in arguments:
        if _named(kind).name == "ID":
            for pk in ("²", "٣", "1" * 40):
                check(path, "id", gid(_kind_of(baseline, path), pk))
        elif _named(kind).name == "String":
            for bad in (Bad("nul", "a%00b"), Bad("long", "a" * 10_000)):
                check(path, bad.kind, bad.text)
    fuzz()


def _our_lookups() -> dict[str, str]:
    """Query fields of ours that take an ``id``, with the type the id must name."""
    names = {"cooperativeOrder": "CooperativeOrder", "fair": "Fair",
             "ocopImportRun": "OcopImportRun"}  # fmt: skip
    fields = schema.get_query_type().fields
    assert set(names) <= set(fields)
    return names


@pytest.mark.parametrize("name", sorted(_our_lookups()))
def test_malformed_ids_find_nothing_and_say_nothing_of_python(world, name):
    kind = _our_lookups()[name]
    user = grant(world.platform_staff, "manage_products")
    client, token = world.clients["anonymous"], get_token(user)
    document = f"query Fuzz($id: ID!) {{ {name}(id: $id) {{ __typename }} }}"

    @settings(FUZZ)
    @given(malformed=_bad_id([kind]))
    def fuzz(malformed):
        check(malformed[1])

    def check(value):
        # When the id is malformed
        outcome = _post(client, token, document, {"id": value})
        # Then nothing is found, no error speaks of Python, and nothing is written
        assert outcome.status < 500, (name, value, outcome.status)
        answer = json.loads(outcome.html)
        assert answer.get("data") == {name: None}, (name, value, answer)
        assert outcome.changed == {}

    for pk in ("²", "٣", "1" * 40, "\x00", "-1"):
        check(gid(kind, pk))
    fuzz()


SHOP = '{"query": "{ shop { name } }"'
NOT_REQUESTS = [b'"query"', b"1", b"null", b"[1, 2]", f"[{SHOP}}}, 3]".encode(), b'{"query": 5}',
                f'{SHOP}, "variables": [1]}}'.encode(), b"\xff\xfe", b""]  # fmt: skip


@settings(FUZZ)
@given(
    body=st.one_of(
        st.integers(min_value=1000, max_value=50_000).map(lambda n: b"[" * n + b"]" * n),
        st.integers(min_value=1000, max_value=20_000).map(
            lambda n: b'{"query":' * n + b"1" + b"}" * n
        ),
        st.sampled_from(NOT_REQUESTS),
        st.binary(max_size=100),
    )
)  # fmt: skip
def test_a_graphql_body_that_is_not_a_request_is_refused(world, body):
    # Given a POST to /graphql/ whose JSON is not a GraphQL request (or not JSON, or
    # nested deeper than the parser goes)
    outcome = attempt(
        world.clients["anonymous"], "POST", "/graphql/", body=body, content_type="application/json"
    )
    # Then it is a 4xx (or an answer with errors), never a server error
    assert outcome.status < 500, (body[:60], outcome.status, outcome.html[:300])
    assert outcome.changed == {}


@settings(FUZZ)
@given(
    operations=st.one_of(
        st.sampled_from(["", "1", "[1]", "null", '{"query": 5}', "[" * 5000 + "]" * 5000]),
        bad_values.map(lambda bad: bad.text[:2000]),
    ),
    files_map=st.sampled_from(["", "5", "[1]", '{"0": 5}', '{"0": ["variables.file.x.y"]}',
                               '{"0": [7]}', "{" * 3000]),
)  # fmt: skip
def test_a_malformed_multipart_upload_is_refused(world, operations, files_map):
    # Given a multipart POST whose ``operations`` or ``map`` is malformed
    body = encode_multipart(BOUNDARY, {"operations": operations, "map": files_map})
    outcome = attempt(world.clients["anonymous"], "POST", "/graphql/", body=body,
                      content_type=MULTIPART_CONTENT)  # fmt: skip
    # Then it is a 4xx (or an answer with errors), never a server error
    assert outcome.status < 500, (operations[:60], files_map[:60], outcome.status)
    assert outcome.changed == {}
