"""Introspection policy: the schema is described to anyone only when
GRAPHQL_PUBLIC_INTROSPECTION is on (the default with DEBUG), otherwise only to active
staff with a valid JWT (saleor_adapter/graphql/view.py ``may_introspect``)."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from graphql import parse
from graphql.utils.introspection_query import introspection_query
from saleor.account.models import User

from saleor_adapter.graphql import limits
from tests.saleor_fixtures.api import ApiClient

SCHEMA_QUERY = "{ __schema { queryType { name } } }"
REFUSED = {
    "errors": [
        {
            "message": "Chỉ nhân viên đã đăng nhập mới xem được lược đồ API / "
            "Introspection is only for signed-in staff (send a staff JWT).",
            "extensions": {"code": "INTROSPECTION_DISABLED"},
        }
    ]
}


@pytest.fixture
def private_schema(settings):
    settings.GRAPHQL_PUBLIC_INTROSPECTION = False


def post(query: str, **headers):
    response = Client().post(
        "/graphql/", data=json.dumps({"query": query}), content_type="application/json", **headers
    )
    return response.status_code, response.json()


@pytest.mark.parametrize(
    "query",
    [
        SCHEMA_QUERY,
        '{ __type(name: "Product") { fields { name } } }',
        # Hidden in a fragment on the root type
        "{ ...Peek } fragment Peek on Query { __schema { types { name } } }",
        # Or in an inline fragment
        "{ ... on Query { __schema { types { name } } } }",
    ],
)
def test_anonymous_introspection_is_refused(db, private_schema, query):
    assert post(query) == (400, REFUSED)


def test_a_customer_token_does_not_open_the_schema(db, private_schema):
    # Given a signed-in customer (not staff)
    customer = User.objects.create_user("khach@ocop.test", "mat-khau-khach-1")

    # When they introspect with their JWT
    status, content = post(SCHEMA_QUERY, **ApiClient(customer).auth_headers())

    # Then they are refused like anyone else
    assert (status, content) == (400, REFUSED)


def test_staff_may_introspect(private_schema, staff_user):
    # When a staff member's tool sends an introspection query with its JWT
    status, content = post(
        "{ __schema { types { name } } }", **ApiClient(staff_user).auth_headers()
    )

    # Then it gets the schema, our types included
    assert status == 200
    names = {t["name"] for t in content["data"]["__schema"]["types"]}
    assert {"Product", "OcopProductInfo", "CooperativeOrder", "Fair"} <= names


def test_the_standard_introspection_query_is_within_the_limits():
    # Given the query GraphQL tools send (the playground, code generators), measured as
    # the view measures it. (Running it costs graphql-core 2 several seconds of CPU on
    # Saleor's schema: one reason it is for staff only.)
    from saleor_adapter.graphql.schema import schema

    measure = limits.check_document(
        parse(introspection_query), schema, {}, limits.Limits.from_settings()
    )

    # Then it passes: depth 13 of 15, 181 fields of 1,000
    assert measure == limits.DocumentMeasure(
        depth=13, aliases=0, fields=181, cost=1, introspection=True
    )


def test_a_forged_staff_token_is_refused(db, private_schema):
    assert post(SCHEMA_QUERY, HTTP_AUTHORIZATION="JWT eyJhbGciOi.forged.token") == (400, REFUSED)


def test_typename_is_not_introspection(db, private_schema):
    assert post("{ __typename shop { __typename } }") == (
        200,
        {"data": {"__typename": "Query", "shop": {"__typename": "Shop"}}},
    )


def test_public_introspection_when_switched_on(db, settings):
    # Given the switch on (the default when DEBUG is on, for local development)
    settings.GRAPHQL_PUBLIC_INTROSPECTION = True

    # Then anyone may introspect
    assert post(SCHEMA_QUERY) == (200, {"data": {"__schema": {"queryType": {"name": "Query"}}}})
