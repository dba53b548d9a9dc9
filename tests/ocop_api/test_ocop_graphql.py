import datetime

import graphene
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from saleor.product.models import Product

from catalog_sync.importer import import_registry
from tests.catalog_import.registry import MIEN_DONG, TRA_TAN_CUONG, write_registry

OCOP_FIELDS = """
ocop {
  stars badgeUrl productGroup
  certificate { decisionNumber decisionDate expiryDate issuingAuthority level legalBasis isValid }
  producer { name type province }
  origin { commune province provinceCode legacyCommune legacyDistrict legacyProvince }
}
"""

OCOP_PRODUCTS = """
query List($minStars: Int, $province: String, $group: Int, $sort: OcopProductOrder, $first: Int) {
  ocopProducts(first: $first, minStars: $minStars, province: $province, productGroup: $group,
               sortBy: $sort) {
    totalCount
    edges { node { name OCOP_FIELDS } }
  }
}
""".replace("OCOP_FIELDS", OCOP_FIELDS)

# Written the pre-2025 way: Bắc Kạn province, Na Rì district (both merged or abolished).
MIEN_DONG_LEGACY = {
    **MIEN_DONG,
    "province": "Bắc Kạn",
    "legacy_district": "Na Rì",
    "commune": "Côn Minh",
}
HOA_VANG = {
    **TRA_TAN_CUONG,
    "product_name": "Trà hoa vàng Bắc Kạn",
    "producer_name": "Hợp tác xã Hoa Vàng",
    "decision_number": "3982/QĐ-UBND",
    "stars": "4",
}
EXPIRED_BANH = {
    **MIEN_DONG,
    "product_name": "Bánh gio Na Rì",
    "producer_name": "Hộ kinh doanh Bánh Gio",
    "producer_type": "hộ kinh doanh",
    "decision_number": "77/QĐ-BNN-VPĐP",
    "expiry_date": "2026-10-31",
}


def names(data) -> list[str]:
    return [edge["node"]["name"] for edge in data["ocopProducts"]["edges"]]


@pytest.fixture
def catalogue(db, tmp_path):
    import_registry(
        write_registry(
            tmp_path / "r.csv", [MIEN_DONG_LEGACY, TRA_TAN_CUONG, HOA_VANG, EXPIRED_BANH]
        ),
        as_of=datetime.date(2026, 10, 1),
    )


def test_a_product_shows_its_stars_badge_certificate_producer_and_origin(api_client, catalogue):
    # When a storefront lists 5★ OCOP products
    data = api_client.post_graphql(OCOP_PRODUCTS, {"minStars": 5, "first": 10})

    # Then the miến dong comes with all its OCOP facts, the legacy origin beside the current
    assert data["ocopProducts"]["edges"] == [
        {
            "node": {
                "name": "Miến dong Tài Hoan",
                "ocop": {
                    "stars": 5,
                    "badgeUrl": "http://testserver/badges/classic/ocop-5-sao.svg",
                    "productGroup": "Thực phẩm",
                    "certificate": {
                        "decisionNumber": "1124/QĐ-BNN-VPĐP",
                        "decisionDate": "2025-03-10",
                        "expiryDate": "2028-03-10",
                        "issuingAuthority": "Bộ Nông nghiệp và Phát triển nông thôn",
                        "level": "CENTRAL",
                        "legalBasis": "148/QĐ-TTg",
                        "isValid": True,
                    },
                    "producer": {
                        "name": "Hợp tác xã Tài Hoan",
                        "type": "cooperative",
                        "province": "Thái Nguyên",
                    },
                    "origin": {
                        "commune": "Xã Côn Minh",
                        "province": "Thái Nguyên",
                        "provinceCode": "19",
                        "legacyCommune": "Côn Minh",
                        "legacyDistrict": "Na Rì",
                        "legacyProvince": "Bắc Kạn",
                    },
                },
            }
        }
    ]


@pytest.mark.parametrize(
    ("variables", "expected"),
    [
        ({"minStars": 4, "sort": {"field": "STARS", "direction": "DESC"}},
         ["Miến dong Tài Hoan", "Trà xanh Tân Cương", "Trà hoa vàng Bắc Kạn"]),
        ({"minStars": 4, "sort": {"field": "STARS", "direction": "ASC"}},
         ["Trà hoa vàng Bắc Kạn", "Trà xanh Tân Cương", "Miến dong Tài Hoan"]),
        ({"province": "thai nguyen", "sort": {"field": "NAME", "direction": "ASC"}},
         ["Miến dong Tài Hoan", "Trà hoa vàng Bắc Kạn", "Trà xanh Tân Cương"]),
        ({"province": "01"}, []),
        ({"group": 2, "sort": {"field": "NAME", "direction": "ASC"}},
         ["Trà hoa vàng Bắc Kạn", "Trà xanh Tân Cương"]),
    ],
    ids=["stars desc", "stars asc", "province by name", "province by code", "group"],
)  # fmt: skip
def test_filters_and_sorting(api_client, catalogue, variables, expected):
    data = api_client.post_graphql(OCOP_PRODUCTS, {"first": 10, **variables})
    assert names(data) == expected
    assert data["ocopProducts"]["totalCount"] == len(expected)


def test_an_expired_certificate_shows_no_badge_and_is_not_listed(api_client, catalogue):
    # Given the bánh gio, whose certificate expired on 31 Oct 2026 but which is still
    # published (the daily unpublish task has not run yet)
    expired = Product.objects.get(name="Bánh gio Na Rì")
    assert expired.is_published is True

    # When a storefront lists OCOP products, and reads the product directly
    listed = names(api_client.post_graphql(OCOP_PRODUCTS, {"first": 10}))
    node_id = graphene.Node.to_global_id("Product", expired.pk)
    direct = api_client.post_graphql(
        "query($id: ID!) { product(id: $id) { ocop { stars badgeUrl certificate { isValid } } } }",
        {"id": node_id},
    )

    # Then it is not listed, and it carries no badge
    assert "Bánh gio Na Rì" not in listed
    assert len(listed) == 3
    assert direct["product"]["ocop"] == {
        "stars": 5,
        "badgeUrl": None,
        "certificate": {"isValid": False},
    }


def test_a_product_that_is_not_ocop_has_no_ocop_facts(api_client, ocop_product):
    node_id = graphene.Node.to_global_id("Product", ocop_product.pk)
    data = api_client.post_graphql(
        "query($id: ID!) { product(id: $id) { ocop { stars } } }", {"id": node_id}
    )
    assert data == {"product": {"ocop": None}}


def numbered(count: int) -> list[dict]:
    return [
        {**TRA_TAN_CUONG, "product_name": f"Trà số {n}", "producer_name": f"HTX Chè số {n}",
         "decision_number": f"{n}/QĐ-UBND"}
        for n in range(count)
    ]  # fmt: skip


def test_the_query_count_does_not_depend_on_the_page_size(api_client, db, tmp_path):
    # Given 12 OCOP products
    import_registry(
        write_registry(tmp_path / "r.csv", numbered(12)), as_of=datetime.date(2026, 11, 23)
    )

    # When a page of 3 and a page of 12 are fetched with all OCOP facts
    with CaptureQueriesContext(connection) as small:
        assert len(names(api_client.post_graphql(OCOP_PRODUCTS, {"first": 3}))) == 3
    with CaptureQueriesContext(connection) as large:
        assert len(names(api_client.post_graphql(OCOP_PRODUCTS, {"first": 12}))) == 12

    # Then both cost the same number of queries
    assert len(large) == len(small)


@pytest.mark.parametrize(
    ("variables", "message"),
    [
        ({"minStars": 99}, "Số sao tối thiểu phải từ 1 đến 5 / minStars must be between 1 and 5"),
        ({"province": "Atlantis"},
         "Không tìm thấy tỉnh/thành phố 'Atlantis' / unknown province 'Atlantis'"),
        ({"group": 9}, "Nhóm sản phẩm OCOP phải từ 1 đến 6 / productGroup must be between 1 and 6"),
        ({"province": "x" * 10000}, None),
    ],
    ids=["stars", "province", "group", "huge province"],
)  # fmt: skip
def test_absurd_filters_get_a_clear_error(api_client, db, variables, message):
    body = api_client.execute(OCOP_PRODUCTS, {"first": 10, **variables})
    assert body["data"]["ocopProducts"] is None
    if message:
        assert [e["message"] for e in body["errors"]] == [message]
    else:
        assert body["errors"][0]["message"].endswith("unknown province '" + "x" * 60 + "'")


def test_badges_are_svg_cached_for_a_year_and_only_for_certified_levels(client):
    # When a page embeds the 5★ badge
    response = client.get("/badges/classic/ocop-5-sao.svg")

    # Then it is an accessible SVG marked as national level, cacheable for a year
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    body = response.content.decode()
    assert body.startswith("<svg ")
    assert 'role="img"' in body
    assert '<title id="t">OCOP 5 sao – cấp quốc gia / OCOP 5-star national product</title>' in body
    assert body.count("<polygon") == 5

    # and levels that are not certified, or unknown styles, are not found
    assert client.get("/badges/classic/ocop-2-sao.svg").status_code == 404
    assert client.get("/badges/neon/ocop-5-sao.svg").status_code == 404
    assert client.post("/badges/flat/ocop-4-sao.svg").status_code == 405
