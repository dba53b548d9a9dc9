"""GraphQL requests over a limit are refused before anything runs: one error with a
code, HTTP 400, in well under a second (saleor_adapter/graphql/limits.py, view.py)."""

from __future__ import annotations

import gc
import json
import time

import pytest
from django.test import Client
from graphql import parse
from saleor.account.models import User

from saleor_adapter.graphql import limits
from saleor_adapter.graphql.view import LimitedGraphQLView
from tests.saleor_fixtures.api import ApiClient


@pytest.fixture(autouse=True)
def running_server(db):
    """A server that has answered once: the first request imports the URLconf and
    builds Saleor's schema (seconds), which is not what the timings here measure. The
    garbage earlier tests left is collected first: a full collection of this process's
    heap takes about a second on a loaded machine and would land in a timed request."""
    gc.collect()
    Client().post("/graphql/", data='{"query": "{ __typename }"}', content_type="application/json")


def post(body, content_type="application/json") -> tuple[int, object, float]:
    """Status, decoded body and seconds taken for one POST to /graphql/."""
    started = time.monotonic()
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    response = Client().post("/graphql/", data=data, content_type=content_type)
    return response.status_code, response.json(), time.monotonic() - started


def refusal(body) -> tuple[int, str, float]:
    status, content, seconds = post(body)
    assert list(content) == ["errors"], content
    (error,) = content["errors"]
    assert set(error) == {"message", "extensions"}
    return status, error["extensions"]["code"], seconds


def nested(levels: int, field: str = "categories(first: 100) { edges { node { LEAF } } }"):
    """The issue's anonymous query: categories → products → category → products …"""
    leaf = "name"
    for _ in range(levels):
        leaf = f"products(first: 100) {{ edges {{ node {{ category {{ {leaf} }} }} }} }}"
    return "{ " + field.replace("LEAF", leaf) + " }"


def test_the_five_level_nested_query_is_refused_in_under_a_second(db):
    # Given the query: categories → products → category → products, five levels
    query = nested(5)
    assert len(query.encode()) < 400

    # When an anonymous client posts it
    status, code, seconds = refusal({"query": query})

    # Then it is refused for its depth (25 levels > 15) before anything runs, at once
    assert (status, code) == (400, "QUERY_TOO_DEEP")
    assert seconds < 1.0


def test_a_shallow_query_multiplying_pages_is_refused_for_its_cost(db):
    # Given 100 categories × 100 products each: depth 7 only, but 10,000 products
    query = nested(1, "categories(first: 100) { edges { node { LEAF } } }").replace(
        "category { name }", "name"
    )

    # When it is posted
    status, content, _ = post({"query": query})

    # Then the cost estimate refuses it, naming the estimate and the ceiling
    assert status == 400
    assert content["errors"] == [
        {
            "message": "Truy vấn quá nặng (ước tính 30301, tối đa 20000); hãy giảm first/last "
            "hoặc số cấp lồng / Query too complex (estimated cost 30301, limit 20000): ask "
            "for fewer items (first/last) or fewer nested lists.",
            "extensions": {"code": "QUERY_TOO_COMPLEX"},
        }
    ]


def test_a_page_of_100_products_with_their_attributes_passes(db):
    # Given what a dashboard's product list asks for, 100 per page (cost 8,801)
    query = """query ProductList($first: Int) { products(first: $first) { edges { node {
      id name thumbnail { url } productType { id name } isAvailable isPublished
      basePrice { amount currency } attributes { attribute { id slug } values { id name } }
    } } pageInfo { hasNextPage } } }"""

    # When it is posted
    status, content, _ = post({"query": query, "variables": {"first": 100}})

    # Then it runs
    assert (status, content) == (
        200,
        {"data": {"products": {"edges": [], "pageInfo": {"hasNextPage": False}}}},
    )


def test_page_sizes_given_as_variables_count_in_the_cost(db):
    # Given the same query with the page sizes as variables
    query = """query Q($a: Int, $b: Int) { categories(first: $a) { edges { node {
      products(first: $b) { edges { node { name } } } } } } }"""

    # When it asks for 100 × 100, and then for 10 × 10
    too_much = post({"query": query, "variables": {"a": 100, "b": 100}})
    fine = post({"query": query, "variables": {"a": 10, "b": 10}})

    # Then the first is refused (cost 30,301) and the second runs (cost 331)
    assert too_much[1]["errors"][0]["extensions"] == {"code": "QUERY_TOO_COMPLEX"}
    assert fine[:2] == (200, {"data": {"categories": {"edges": []}}})


def test_a_2000_level_selection_is_refused_before_the_parser_can_overflow(db):
    # Given a 2,000-level nested selection (graphql-core 2's parser recurses per level)
    query = "{ shop " + "{ a " * 2000 + "}" * 2001
    with pytest.raises(RecursionError):
        parse(query)

    # When it is posted
    status, content, seconds = post({"query": query})

    # Then the bracket count refuses it: one error, no 500
    assert status == 400
    assert content["errors"] == [
        {
            "message": "Truy vấn lồng quá sâu (hơn 40 cấp ngoặc) / "
            "Query nested too deeply (more than 40 levels of brackets).",
            "extensions": {"code": "QUERY_TOO_DEEP"},
        }
    ]
    assert seconds < 1.0


def test_deeply_nested_argument_values_are_refused_the_same_way(db):
    # Given an argument holding a list nested 5,000 deep
    query = (
        "{ products(first: 1, filter: { ids: " + "[" * 5000 + "]" * 5000 + " }) { totalCount } }"
    )

    # Then it is refused as too deep, not parsed
    assert refusal({"query": query})[:2] == (400, "QUERY_TOO_DEEP")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('{ a(s: "}}}") { b } }', 2),
        ('{ a(s: """ " } \\""" }}} """) { b } }', 2),
        ("# }}}\n{ a { b } }", 2),
        ('{ a(s: "{{{ unterminated\n) { b } }', 2),
        ("{" * 41, 41),
    ],
)
def test_the_bracket_scan_skips_strings_and_comments(query, expected):
    assert limits.nesting(query) == expected


@pytest.mark.parametrize(
    "text",
    [
        '"\\' * 8_000,  # a quote and a backslash: a backtracking scanner goes quadratic
        '"""' + '\\"""' * 4_000,  # escaped triple quotes
        '"' * 16_000,
        "{" * 16_000,
    ],
    ids=["quote-backslash", "escaped-block-quotes", "quotes", "braces"],
)
def test_the_bracket_scan_takes_linear_time(text):
    # Given 16,000 characters built to make a scanner backtrack
    started = time.monotonic()
    limits.nesting(text)

    # Then it is read in milliseconds (under 2 s even on a loaded machine; a regular
    # expression with backtracking took 16 s on the first)
    assert time.monotonic() - started < 2.0


def test_brackets_inside_strings_and_comments_do_not_count(db):
    # Given a legitimate query whose string argument and comment hold 60 opening braces
    query = (
        '# {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{\n{ products(first: 1, filter: {search: "'
        + ("{" * 30)
        + '"}) { totalCount } }'
    )

    # When it is posted
    status, content, _ = post({"query": query})

    # Then it runs
    assert (status, content) == (200, {"data": {"products": {"totalCount": 0}}})


@pytest.mark.parametrize(
    "fragments",
    [
        # A fragment spreading itself
        "fragment A on Shop { name ...A }",
        # Two fragments spreading each other
        "fragment A on Shop { name ...B } fragment B on Shop { description ...A }",
        # A cycle three fragments long, through nested selections
        "fragment A on Shop { defaultCountry { code } ...B } "
        "fragment B on Shop { countries { code } ...C } fragment C on Shop { name ...A }",
    ],
)
def test_cyclic_fragments_are_refused(db, fragments):
    # Given a query spreading fragments that (directly or not) spread themselves
    query = "{ shop { ...A } } " + fragments

    # When it is posted
    status, code, seconds = refusal({"query": query})

    # Then it is refused as a cycle, at once
    assert (status, code) == (400, "QUERY_FRAGMENT_CYCLE")
    assert seconds < 1.0


def test_depth_counts_through_fragments(db):
    # Given 16 levels of categories, each level a fragment of depth 1 (4 brackets deep)
    fragments = "".join(
        f"fragment L{i} on Category "
        f"{{ children(first: 1) {{ edges {{ node {{ ...L{i + 1} }} }} }} }} "
        for i in range(5)
    )
    query = "{ categories(first: 1) { edges { node { ...L0 } } } } " + fragments
    query += "fragment L5 on Category { name }"

    # When it is posted
    status, content, _ = post({"query": query})

    # Then its depth, 3 + 5 × 3 + 1 = 19, is refused
    assert status == 400
    assert content["errors"] == [
        {
            "message": "Truy vấn lồng quá sâu (19 cấp, tối đa 15) / "
            "Query too deep (depth 19, limit 15).",
            "extensions": {"code": "QUERY_TOO_DEEP"},
        }
    ]


def test_a_fragment_bomb_is_refused_for_its_field_count(db):
    # Given fragments that each spread the previous one twice: 2^11 = 2,048 fields
    fragments = "fragment F0 on Shop { name } " + "".join(
        f"fragment F{i} on Shop {{ ...F{i - 1} ...F{i - 1} }} " for i in range(1, 12)
    )
    query = "{ shop { ...F11 } } " + fragments

    # Then it is refused before graphql-core's validators expand it
    status, content, seconds = post({"query": query})
    assert status == 400
    assert content["errors"][0]["extensions"] == {"code": "QUERY_TOO_MANY_FIELDS"}
    assert content["errors"][0]["message"].endswith("Too many fields (2049, limit 1000).")
    assert seconds < 1.0


def test_many_aliases_are_refused(db):
    # Given 31 aliases of the same field
    query = "{ " + " ".join(f"s{i}: shop {{ name }}" for i in range(31)) + " }"

    # Then it is refused for its aliases
    assert refusal({"query": query})[:2] == (400, "QUERY_TOO_MANY_ALIASES")


def test_thirty_aliases_are_allowed(db):
    query = "{ " + " ".join(f"s{i}: shop {{ defaultCurrency }}" for i in range(30)) + " }"

    status, content, _ = post({"query": query})

    assert status == 200
    assert content["data"]["s29"] == {"defaultCurrency": "VND"}


def test_a_query_over_the_length_limit_is_refused_in_bytes(db):
    # Given a query of 5,490 characters, 16,430 bytes (this Vietnamese letter takes 3)
    query = "{ shop { name } } # " + "ờ" * 5_450
    assert len(query.encode()) == 16_370
    assert len(query) < 16_384
    query += "ờ" * 20

    # Then it is refused for its length
    status, content, _ = post({"query": query})
    assert status == 400
    assert content["errors"] == [
        {
            "message": "Truy vấn quá dài (16430 byte, tối đa 16384) / "
            "Query too long (16430 bytes, limit 16384).",
            "extensions": {"code": "QUERY_TOO_LONG"},
        }
    ]


def test_a_batch_of_101_token_create_is_refused_whole_and_runs_nothing(db):
    # Given an account and a JSON array of 101 password guesses
    user = User.objects.create_user("ke-toan@ocop.test", "mat-khau-dung-1", is_staff=True)
    guess = 'mutation { tokenCreate(email: "ke-toan@ocop.test", password: "PW") { token } }'
    batch = [{"query": guess.replace("PW", f"doan-{i}")} for i in range(100)]
    batch.append({"query": guess.replace("PW", "mat-khau-dung-1")})

    # When it is posted in one request
    status, content, seconds = post(batch)

    # Then one error refuses the whole batch, no operation ran and no token was issued
    assert status == 400
    assert content == {
        "errors": [
            {
                "message": "Quá nhiều thao tác trong một yêu cầu (101, tối đa 20) / "
                "Too many operations in one batched request (101, limit 20).",
                "extensions": {"code": "BATCH_TOO_LARGE"},
            }
        ]
    }
    user.refresh_from_db()
    assert user.last_login is None
    assert seconds < 1.0


def test_a_batch_within_the_limit_answers_each_operation(db):
    # Given 20 operations, one of them too deep
    batch = [{"query": "{ shop { defaultCurrency } }"}] * 19 + [{"query": nested(5)}]

    # When they are posted together
    status, content, _ = post(batch)

    # Then each gets its own answer, the deep one its refusal (status 400 for the batch)
    assert status == 400
    assert content[:19] == [{"data": {"shop": {"defaultCurrency": "VND"}}}] * 19
    assert content[19]["errors"][0]["extensions"] == {"code": "QUERY_TOO_DEEP"}


@pytest.mark.parametrize(
    "body",
    [
        "[1, 2]",
        '"query"',
        "42",
        "[" * 100_000 + "]" * 100_000,
        '{"query": "{ shop { name } }", "variables": ' + "[" * 100_000 + "]" * 100_000 + "}",
    ],
    ids=["array-of-numbers", "string", "number", "deep-json", "deep-json-variables"],
)
def test_a_malformed_body_is_a_400_not_a_500(db, body):
    # When the body is JSON but not a GraphQL request (or nested beyond the decoder)
    status, content, _ = post(body)

    # Then it is a 400 with one readable error
    assert (status, content) == (
        400,
        {"errors": [{"message": "Không đọc được yêu cầu / Unable to parse query."}]},
    )


def test_a_multipart_request_with_broken_operations_is_a_400(db):
    # Given a multipart upload whose "operations" part is not JSON
    response = Client().post("/graphql/", data={"operations": "{not json", "map": "{}"})

    # Then it is refused as unreadable, not a 500
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {
            "message": "Không đọc được yêu cầu / Unable to parse query.",
            "extensions": {"code": "INVALID_REQUEST"},
        }
    ]


def test_the_view_serving_graphql_is_the_limited_one():
    from django.urls import resolve

    assert resolve("/graphql/").func.view_class is LimitedGraphQLView


def test_staff_queries_run_under_the_limits(staff_user):
    # Given a staff member's ordinary query, authenticated by JWT
    client = ApiClient(staff_user)

    # When it is sent
    data = client.post_graphql("{ me { email isStaff } shop { defaultCountry { code } } }")

    # Then it runs
    assert data == {
        "me": {"email": "nhanvien@ocop.test", "isStaff": True},
        "shop": {"defaultCountry": {"code": "VN"}},
    }


STAFF_WAREHOUSES = """{ warehouses(first: 100) { totalCount edges { node { id name
  shippingZones(first: 100) { edges { node { name countries { country } } } }
  address { city country { country } } } } } }"""


def test_signed_in_staff_have_the_larger_cost_ceiling(staff_user):
    # Given the dashboard's warehouse list: 100 warehouses × 100 shipping zones each,
    # an estimate of 1 + 100 × (shipping zones 1 + 100 × (1 + name 1 + 5 countries × 2)
    # + …) = 91,201 — over the public 20,000, under staff's 250,000
    from django.contrib.auth.models import Permission
    from saleor.core.permissions import ProductPermissions

    staff_user.user_permissions.add(
        Permission.objects.get(codename=ProductPermissions.MANAGE_PRODUCTS.codename)
    )

    # When a signed-in staff member and an anonymous caller send it
    staff = ApiClient(staff_user).execute(STAFF_WAREHOUSES)
    status, content, _ = post({"query": STAFF_WAREHOUSES})

    # Then it runs for staff, and the anonymous caller is refused for its cost
    assert staff == {"data": {"warehouses": {"totalCount": 0, "edges": []}}}
    assert status == 400
    assert content["errors"][0]["extensions"] == {"code": "QUERY_TOO_COMPLEX"}


def test_a_body_that_is_not_json_keeps_saleors_answer(db):
    # Given a body that is not JSON at all, and one whose query is not a string
    not_json = post("invalid-data")
    query_object = post({"query": {"type": "dict"}})

    # Then both are Saleor's own 400s (its dashboard and clients rely on the wording)
    assert not_json[0] == 400
    assert [error["message"] for error in not_json[1]["errors"]] == ["Unable to parse query."]
    assert query_object[0] == 400
    assert query_object[1]["errors"][0]["message"] == "Must provide a query string."


def test_a_global_id_in_another_scripts_digits_names_nothing(ocop_product):
    # Given a product and its id written with Arabic-Indic and fullwidth digits, which
    # Python's int() would read as the same number
    from graphql_relay import to_global_id

    arabic = str(ocop_product.pk).translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    fullwidth = str(ocop_product.pk).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    query = "query P($id: ID!) { product(id: $id) { name } }"
    client = ApiClient()

    # When each is asked for, and then the real id
    answers = [
        client.execute(query, {"id": to_global_id("Product", pk)})["data"]["product"]
        for pk in (arabic, fullwidth, str(ocop_product.pk))
    ]

    # Then only the ASCII id finds the product
    assert answers == [None, None, {"name": ocop_product.name}]
