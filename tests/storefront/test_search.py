"""Vietnamese search: without diacritics, đ→d, exact accents first, small typos."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from saleor.product.models import Product

from storefront.search import (
    MAX_QUERY_LENGTH,
    PostgresProductSearch,
    SearchFacets,
    clean_query,
    get_search_engine,
)


def names(result) -> list[str]:
    by_id = dict(Product.objects.filter(id__in=result.product_ids).values_list("id", "name"))
    return [by_id[pk] for pk in result.product_ids]


def search(text, **kwargs):
    return PostgresProductSearch().search(text, limit=kwargs.pop("limit", 24), **kwargs)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # typed as written on the product first, then the folded match, then a description
        ("mien dong", ["Mien dong sấy khô", "Miến dong Tài Hoan", "Bột dong riềng"]),
        ("Miến dong", ["Miến dong Tài Hoan", "Mien dong sấy khô", "Bột dong riềng"]),
        ("MIẾN DONG", ["Miến dong Tài Hoan", "Mien dong sấy khô", "Bột dong riềng"]),
        ("dac san", ["Chè Tân Cương đặc sản"]),
        ("Đặc sản", ["Chè Tân Cương đặc sản"]),
        ("tra hoa vang", ["Trà hoa vàng Nam Mẫu"]),
        ("hoa vang", ["Trà hoa vàng Nam Mẫu", "Gạo nếp cái hoa vàng"]),
        ("vang hoa tra", ["Trà hoa vàng Nam Mẫu"]),
        # chè and trà are synonyms (storefront/search_synonyms.txt): both names match
        ("che", ["Chè Tân Cương đặc sản", "Trà hoa vàng Nam Mẫu"]),
    ],
)
def test_search_folds_diacritics_and_ranks_the_exact_spelling_first(catalogue, query, expected):
    assert names(search(query)) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mien dongg", ["Mien dong sấy khô", "Miến dong Tài Hoan"]),
        ("mein dong", ["Mien dong sấy khô", "Miến dong Tài Hoan", "Bột dong riềng"]),
        ("tra hao vang", ["Trà hoa vàng Nam Mẫu"]),
        ("che tan cuongg", ["Chè Tân Cương đặc sản"]),
    ],
)
def test_small_typos_still_find_the_product(catalogue, query, expected):
    assert names(search(query)) == expected


def test_a_query_that_matches_nothing_finds_nothing(catalogue):
    result = search("xe máy điện")
    assert (result.product_ids, result.total) == ([], 0)


def test_facets_narrow_the_search(catalogue):
    assert names(search("mien dong", facets=SearchFacets(min_stars=5))) == ["Mien dong sấy khô"]
    assert names(search("", facets=SearchFacets(min_stars=4, product_group=2))) == [
        "Chè Tân Cương đặc sản",
        "Trà hoa vàng Nam Mẫu",
    ]
    assert search("", facets=SearchFacets(province_code="01")).total == 0


def test_browsing_lists_the_best_stars_first_with_the_total(catalogue):
    result = search("", limit=2, offset=0)
    assert result.total == 6
    assert names(result) == ["Mien dong sấy khô", "Chè Tân Cương đặc sản"]
    assert names(search("", limit=2, offset=4)) == ["Bột dong riềng", "Gạo nếp cái hoa vàng"]


def test_a_page_past_the_end_is_empty_but_knows_the_total(catalogue):
    result = search("mien dong", limit=2, offset=10)
    assert (result.product_ids, result.total) == ([], 3)


def test_an_expired_certificate_is_not_found(catalogue):
    ocop = catalogue["Miến dong Tài Hoan"].ocop
    certificate = ocop.current_certificate
    certificate.expiry_date = certificate.decision_date  # expired long ago
    certificate.save(update_fields=["expiry_date"])
    assert names(search("mien dong")) == ["Mien dong sấy khô", "Bột dong riềng"]


def test_like_wildcards_regex_and_sql_in_a_query_are_plain_text(catalogue):
    for query in ["%", "_", "%%%", "\\", ".*", "'; DROP TABLE product_product; --"]:
        assert search(query).product_ids == [], query
    # punctuation around words does not hide a product
    assert names(search("[đặc sản]*")) == ["Chè Tân Cương đặc sản"]
    assert Product.objects.count() == 6


def test_a_ten_thousand_character_query_is_cut_and_costs_one_query(catalogue):
    text = "miến dong " * 1000
    assert clean_query(text) == "miến dong miến dong miến dong miến dong"
    assert len(clean_query("x" * 10_000)) == MAX_QUERY_LENGTH
    with CaptureQueriesContext(connection) as queries:
        result = search(text)
    # the repeated words no longer form the product's phrase: both names rank alike
    assert names(result) == ["Mien dong sấy khô", "Miến dong Tài Hoan", "Bột dong riềng"]
    # one count and one page, whatever the catalogue's size
    assert len([q for q in queries.captured_queries if "product_product" in q["sql"]]) == 2


def test_the_engine_is_chosen_by_a_setting(settings):
    settings.STOREFRONT_SEARCH_ENGINE = "storefront.search.PostgresProductSearch"
    assert isinstance(get_search_engine(), PostgresProductSearch)


def test_the_folding_function_matches_the_python_one(db):
    from common.text import fold

    text = "Đặc sản Miến dong Trà hoa vàng ĐẮK LẮK Ưng Ý Ỷ Thủy"
    with connection.cursor() as cursor:
        cursor.execute("SELECT ocop_fold(%s)", [text])
        assert (
            cursor.fetchone()[0]
            == fold(text)
            == ("dac san mien dong tra hoa vang dak lak ung y y thuy")
        )


def test_search_uses_the_trigram_index(db):
    with connection.cursor() as cursor:
        # (the browse order's plain index on the name is no help for a pattern; leave it
        # out of this rolled-back transaction so an empty table's plan cannot pick it)
        cursor.execute("DROP INDEX storefront_product_name_id")
        cursor.execute("SET enable_seqscan = off")
        plans = []
        for condition in ["LIKE '%mien dong%'", "~ '(^|[^[:alnum:]])mien dong'"]:
            cursor.execute(
                f"EXPLAIN SELECT id FROM product_product WHERE ocop_fold(name) {condition}"
            )
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
        cursor.execute("RESET enable_seqscan")
    assert all("storefront_product_name_fold_trgm" in plan for plan in plans), plans


def test_a_page_is_read_with_limit_and_offset_and_counted_apart(catalogue):
    # No id list is kept between requests: each page is one ordered LIMIT/OFFSET query
    # plus one count, so the total is exact however many products match.
    with CaptureQueriesContext(connection) as queries:
        second = search("mien dong", limit=2, offset=2)
    sql = [q["sql"] for q in queries.captured_queries if "product_product" in q["sql"]]
    assert (names(second), second.total) == (["Bột dong riềng"], 3)
    assert len(sql) == 2
    assert sql[0].startswith("SELECT count(*)")
    assert "LIMIT 2 OFFSET 2" in sql[1]
