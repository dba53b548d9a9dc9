"""Search that finds what shoppers mean, on both engines (PostgreSQL and the real
OpenSearch node): origin, producer, English names, synonyms, accents and typos give
the same top results whichever engine answers."""

from __future__ import annotations

import pytest
from django.utils import timezone
from saleor.product.models import Product

from catalog_sync.importer import import_registry
from marketplace.models import OcopProduct
from storefront.search import SearchFacets, get_search_engine
from tests.catalog_import.registry import HEADERS, MIEN_DONG, write_registry
from tests.storefront.catalogue import recent

ENGLISH = "Tên tiếng Anh"  # the optional registry column product_name_en

ROWS = [
    {**MIEN_DONG, "decision_date": recent(), "product_name_en": "Arrowroot glass noodles",
     "description": "Sợi miến dai, phơi nắng."},
    {**MIEN_DONG, "decision_date": recent(), "product_name": "Chè Tân Cương",
     "product_name_en": "Tan Cuong green tea", "product_group": "Đồ uống", "stars": "4",
     "producer_name": "Hợp tác xã Chè Tân Cương", "commune": "Xã Tân Cương",
     "description": "Búp chè sao tay.", "decision_number": "3981/QĐ-UBND",
     "issuing_authority": "UBND tỉnh Thái Nguyên", "price_vnd": "350000"},
    {**MIEN_DONG, "decision_date": recent(), "product_name": "Mật ong hoa vải Lục Ngạn",
     "product_name_en": "Lychee flower honey", "product_group": "Mật ong", "stars": "3",
     "producer_name": "Hộ kinh doanh Nguyễn Văn Hùng", "producer_type": "Hộ kinh doanh",
     "province": "Tỉnh Bắc Giang", "legacy_district": "Lục Ngạn", "commune": "Nam Dương",
     "description": "Lấy từ hoa vải tháng 3.", "decision_number": "427/QĐ-UBND",
     "issuing_authority": "UBND tỉnh Bắc Giang", "price_vnd": "250000"},
    {**MIEN_DONG, "decision_date": recent(), "product_name": "Nước mắm Phú Quốc 40 độ đạm",
     "product_name_en": "Phu Quoc fish sauce", "product_group": "Tương, nước mắm, gia vị dạng lỏng",
     "producer_name": "Công ty Cổ phần Hải sản Dương Đông", "producer_type": "Doanh nghiệp",
     "province": "Kiên Giang", "legacy_district": "Thành phố Phú Quốc",
     "commune": "Phường Dương Đông", "description": "Cá cơm ủ thùng gỗ.",
     "decision_number": "9017/QĐ-BNN-VPĐP"},
]  # fmt: skip

CASES = [
    # origin: the province (current and pre-2025), the old district
    ("thai nguyen", ["Miến dong Tài Hoan", "Chè Tân Cương"]),
    ("che thai nguyen", ["Chè Tân Cương"]),
    ("kien giang", ["Nước mắm Phú Quốc 40 độ đạm"]),
    ("luc ngan", ["Mật ong hoa vải Lục Ngạn"]),
    # synonyms (search_synonyms.txt): trà = chè, English ↔ Vietnamese
    ("tra thai nguyen", ["Chè Tân Cương"]),
    ("honey", ["Mật ong hoa vải Lục Ngạn"]),
    ("fish sauce", ["Nước mắm Phú Quốc 40 độ đạm"]),
    ("glass noodles", ["Miến dong Tài Hoan"]),
    # the English name (registry column product_name_en)
    ("green tea", ["Chè Tân Cương"]),
    ("lychee", ["Mật ong hoa vải Lục Ngạn"]),
    # the producer
    ("nguyen van hung", ["Mật ong hoa vải Lục Ngạn"]),
    ("hai san duong dong", ["Nước mắm Phú Quốc 40 độ đạm"]),
    # accents: as typed, folded, and đ→d
    ("Chè", ["Chè Tân Cương"]),
    ("nuoc mam", ["Nước mắm Phú Quốc 40 độ đạm"]),
    ("40 do dam", ["Nước mắm Phú Quốc 40 độ đạm"]),
    # typos
    ("nuoc mamm", ["Nước mắm Phú Quốc 40 độ đạm"]),
    ("mat ongg", ["Mật ong hoa vải Lục Ngạn"]),
    # the description
    ("thung go", ["Nước mắm Phú Quốc 40 độ đạm"]),
    # nothing
    ("xe máy điện", []),
]


def write_rows(path, rows):
    return write_registry(path, rows, {**HEADERS, "product_name_en": ENGLISH})


@pytest.fixture(params=["postgres", pytest.param("opensearch", marks=pytest.mark.opensearch)])
def engine(request, db, tmp_path, settings):
    """Given the catalogue, indexed by the engine under test."""
    if request.param == "opensearch":
        request.getfixturevalue("opensearch")
    report = import_registry(write_rows(tmp_path / "r.csv", ROWS), as_of=timezone.localdate())
    assert report.rejections == [], [r.as_dict() for r in report.rejections]
    search = get_search_engine()
    index_everything(search)
    return search


def index_everything(search) -> None:
    from django.conf import settings

    search.index_products(OcopProduct.objects.values_list("product_id", flat=True))
    if settings.OCOP_SEARCH_ENGINE == "opensearch":
        from storefront import opensearch_engine

        opensearch_engine.admin_client().indices.refresh(index=opensearch_engine.alias())


def names(ids) -> list[str]:
    by_id = dict(Product.objects.filter(id__in=ids).values_list("id", "name"))
    return [by_id[pk] for pk in ids]


@pytest.mark.parametrize(("query", "expected"), CASES)
def test_shoppers_find_what_they_mean(engine, query, expected):
    # When a shopper searches; then the top results are exactly these, in this order
    result = engine.search(query, limit=24)
    assert names(result.product_ids) == expected
    assert result.total == len(expected)


def test_the_english_name_is_saleors_product_translation(engine):
    from saleor.product.models import ProductTranslation

    assert sorted(
        ProductTranslation.objects.filter(language_code="en").values_list("name", flat=True)
    ) == [
        "Arrowroot glass noodles",
        "Lychee flower honey",
        "Phu Quoc fish sauce",
        "Tan Cuong green tea",
    ]


def test_facet_counts_count_each_facet_under_the_others(engine):
    # Given a search for everything in Thái Nguyên (province 19) with at least 4 stars
    result = engine.search(
        "", limit=24, facets=SearchFacets(min_stars=4, province_code="19"), with_counts=True
    )
    # Then two products match; the stars facet counts Thái Nguyên's products per level,
    # the province facet counts 4★+ products per province
    assert names(result.product_ids) == ["Miến dong Tài Hoan", "Chè Tân Cương"]
    counts = result.counts
    assert counts.stars == {5: 1, 4: 1}
    assert counts.at_least(3) == 2
    assert counts.province == {"19": 2, "91": 1}
    assert counts.group == {1: 1, 2: 1}


def test_paging_and_totals_agree(engine):
    first = engine.search("", limit=2)
    second = engine.search("", limit=2, offset=2)
    assert (first.total, second.total) == (4, 4)
    assert names(first.product_ids + second.product_ids) == [
        "Miến dong Tài Hoan",
        "Nước mắm Phú Quốc 40 độ đạm",
        "Chè Tân Cương",
        "Mật ong hoa vải Lục Ngạn",
    ]
    assert engine.search("", limit=2, offset=10).product_ids == []


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("mi", ["Miến dong Tài Hoan"]),
        ("nuoc m", ["Nước mắm Phú Quốc 40 độ đạm"]),
        ("Mật", ["Mật ong hoa vải Lục Ngạn"]),
        ("zz", []),
    ],
)
def test_suggestions_as_the_shopper_types(engine, typed, expected):
    assert names(engine.suggest(typed)) == expected
