"""Storefront pages: what a shopper sees, in Vietnamese, and what bad input gets."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from saleor.product.models import Product

from common.money import format_vnd
from storefront.models import StorefrontConfiguration
from tests.storefront.catalogue import import_catalogue, many_rows

NBSP = "\xa0"


def card_names(response) -> list[str]:
    return re.findall(r'class="card-name">([^<]*)<', response.content.decode())


def text(response) -> str:
    return response.content.decode()


def test_prices_are_written_the_vietnamese_way():
    assert format_vnd(125000) == f"125.000{NBSP}₫"
    assert format_vnd("1250000.00") == f"1.250.000{NBSP}₫"
    assert format_vnd(0) == f"0{NBSP}₫"


def test_home_shows_featured_five_star_products_and_groups(client, catalogue):
    response = client.get("/")
    assert response.status_code == 200
    assert response["Content-Language"] == "vi"
    assert card_names(response) == ["Mien dong sấy khô"]
    page = text(response)
    assert "Chợ OCOP Việt Nam" in page
    assert '<a href="/san-pham/?group=2">Đồ uống</a>' in page


def test_product_list_shows_cards_with_badge_province_and_price(client, catalogue):
    response = client.get("/san-pham/")
    assert response.status_code == 200
    assert card_names(response) == [
        "Mien dong sấy khô",
        "Chè Tân Cương đặc sản",
        "Miến dong Tài Hoan",
        "Trà hoa vàng Nam Mẫu",
        "Bột dong riềng",
        "Gạo nếp cái hoa vàng",
    ]
    page = text(response)
    assert "6 sản phẩm" in page
    assert page.count('src="/badges/classic/ocop-4-sao.svg"') == 3
    assert f"125.000{NBSP}₫" in page
    assert 'class="card-image placeholder"' in page  # no photos imported: placeholders


def test_facets_filter_by_stars_province_and_group(client, catalogue):
    assert card_names(client.get("/san-pham/?stars=5")) == ["Mien dong sấy khô"]
    assert card_names(client.get("/san-pham/?stars=4&group=2")) == [
        "Chè Tân Cương đặc sản",
        "Trà hoa vàng Nam Mẫu",
    ]
    assert card_names(client.get("/san-pham/?province=19&stars=5")) == ["Mien dong sấy khô"]
    empty = client.get("/san-pham/?province=01")
    assert (empty.status_code, card_names(empty)) == (200, [])
    assert "Không có sản phẩm phù hợp với bộ lọc." in text(empty)


def test_search_page_finds_products_typed_without_diacritics(client, catalogue):
    response = client.get("/tim-kiem/", {"q": "mien dong", "stars": "5"})
    assert response.status_code == 200
    assert card_names(response) == ["Mien dong sấy khô"]
    assert card_names(client.get("/tim-kiem/", {"q": "tra hoa vang"})) == ["Trà hoa vàng Nam Mẫu"]
    assert "Kết quả cho “mien dong”" in text(response)


def test_pagination_links_keep_the_filters(client, catalogue):
    StorefrontConfiguration(products_per_page=4).save()
    first = client.get("/tim-kiem/", {"q": "o", "page": "1"})
    second = client.get("/san-pham/", {"stars": "3", "page": "2"})
    assert card_names(second) == ["Bột dong riềng", "Gạo nếp cái hoa vàng"]
    assert 'href="?stars=3&amp;page=1" rel="prev"' in text(second)
    assert first.status_code == 200


def test_product_page_shows_badge_origin_producer_story_and_certificate(client, catalogue):
    product = catalogue["Miến dong Tài Hoan"]
    response = client.get(f"/san-pham/{product.slug}/")
    assert response.status_code == 200
    page = text(response)
    assert 'data-testid="ocop-badge" src="/badges/classic/ocop-4-sao.svg"' in page
    assert 'data-testid="origin">Xuất xứ: Xã Côn Minh, Thái Nguyên</p>' in page
    assert f'data-testid="price">125.000{NBSP}₫</p>' in page
    assert "Sợi miến làm từ củ dong riềng Na Rì." in page  # the story
    assert "<dd>Hợp tác xã Tài Hoan</dd>" in page
    assert "<dd>Hợp tác xã</dd>" in page  # producer type
    assert 'data-testid="decision-number">1124/QĐ-BNN-VPĐP</dd>' in page
    assert "<dd>UBND tỉnh Thái Nguyên (Cấp tỉnh)</dd>" in page
    assert '<span class="ok">Còn hiệu lực</span>' in page
    assert 'data-testid="add-to-cart"' in page
    assert "Còn 40 sản phẩm trong kho của chủ thể." in page


def test_an_expired_certificate_shows_no_badge_and_cannot_be_bought(client, catalogue):
    # Given a product still published the day after its certificate expired
    product = catalogue["Miến dong Tài Hoan"]
    certificate = product.ocop.current_certificate
    certificate.expiry_date = certificate.decision_date
    certificate.save(update_fields=["expiry_date"])

    page = text(client.get(f"/san-pham/{product.slug}/"))

    assert 'data-testid="ocop-badge"' not in page
    assert '<span class="bad">Hết hiệu lực</span>' in page
    assert 'data-testid="not-for-sale"' in page
    assert 'data-testid="add-to-cart"' not in page
    # and it is no longer listed
    assert "Miến dong Tài Hoan" not in card_names(client.get("/san-pham/"))


def test_badge_style_comes_from_the_configuration(client, catalogue):
    StorefrontConfiguration(badge_style="flat").save()
    page = text(client.get("/san-pham/?stars=5"))
    assert 'src="/badges/flat/ocop-5-sao.svg"' in page


@pytest.mark.parametrize(
    "path",
    [
        "/san-pham/khong-co-san-pham-nay/",
        "/san-pham/" + "a" * 300 + "/",
    ],
)
def test_an_unknown_product_is_a_storefront_404_page(client, catalogue, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "Không có sản phẩm này, hoặc sản phẩm đã ngừng bán." in text(response) or (
        len(path) > 250
    )


def test_an_unpublished_product_is_not_found(client, catalogue):
    product = catalogue["Bột dong riềng"]
    Product.objects.filter(pk=product.pk).update(is_published=False)
    assert client.get(f"/san-pham/{product.slug}/").status_code == 404


@pytest.mark.parametrize(
    ("query", "names", "notice"),
    [
        ("page=-1", 6, True),
        ("page=abc", 6, True),
        ("page=0", 6, True),
        ("page=99999", 6, False),  # past the end: the last page, said so
        ("page=" + "9" * 40, 6, True),
        ("stars=99", 6, True),
        ("stars=2", 6, True),
        ("stars=%E2%98%85", 6, True),
        ("province=%3Cscript%3Ealert(1)%3C/script%3E", 6, True),
        ("province=99", 6, True),
        ("group=0", 6, True),
        ("group=-3", 6, True),
        ("q=" + "%" * 50, 0, False),
    ],
)
def test_bad_list_parameters_give_a_proper_page(client, catalogue, query, names, notice):
    response = client.get("/san-pham/?" + query)
    assert response.status_code == 200
    page = text(response)
    assert len(card_names(response)) == names
    assert ("Một số bộ lọc không hợp lệ nên đã được bỏ qua." in page) is notice
    assert "<script>alert" not in page


def test_a_page_past_the_end_shows_the_last_page(client, catalogue):
    StorefrontConfiguration(products_per_page=4).save()
    response = client.get("/san-pham/?page=99999")
    assert card_names(response) == ["Bột dong riềng", "Gạo nếp cái hoa vàng"]
    assert "Không có trang đó; đây là trang cuối (2)." in text(response)


def test_a_ten_thousand_character_search_gives_a_proper_page(client, catalogue):
    response = client.get("/tim-kiem/", {"q": "trà hoa vàng " * 800})
    assert response.status_code == 200
    assert card_names(response) == ["Trà hoa vàng Nam Mẫu"]
    response = client.get("/tim-kiem/", {"q": "x" * 10_000})
    assert response.status_code == 200
    assert "Không tìm thấy sản phẩm phù hợp." in text(response)


def test_wrong_methods_are_refused_not_crashed(client, catalogue):
    assert client.post("/san-pham/").status_code == 405
    assert client.get("/gio-hang/them/").status_code == 405


def queries_for(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


def test_pages_cost_a_fixed_number_of_queries_whatever_their_size(client, db, tmp_path):
    # Given 40 products
    catalogue = import_catalogue(tmp_path / "many.csv", many_rows(40))
    slug = next(iter(catalogue.values())).slug
    client.get("/")  # the first request of a process caches Saleor's Site
    StorefrontConfiguration(products_per_page=4).save()
    small = {p: queries_for(client, p) for p in ("/san-pham/", "/tim-kiem/?q=banh+da", "/")}

    # When a page holds ten times as many products
    StorefrontConfiguration(products_per_page=40).save()
    large = {p: queries_for(client, p) for p in ("/san-pham/", "/tim-kiem/?q=banh+da", "/")}

    # Then it costs the same number of queries, and few
    assert small == large
    # configuration, search (the facet counts, which also give the list's total, and
    # one page; a search also counts its matches), products, images, OCOP facts; the
    # home page counts its 5★ products and looks for featured products the staff chose
    assert large == {"/san-pham/": 6, "/tim-kiem/?q=banh+da": 7, "/": 7}
    # the product page: configuration, its product, stock, photos, OCOP facts and the
    # cooperative's profile (marketplace.cooperatives.public_profile)
    assert queries_for(client, f"/san-pham/{slug}/") == 6


def test_english_is_one_click_away_and_remembered(client, catalogue):
    switched = client.get("/ngon-ngu/en/", {"next": "/san-pham/?stars=4"})
    assert (switched.status_code, switched["Location"]) == (302, "/san-pham/?stars=4")
    listing = client.get("/san-pham/?stars=4")
    page = text(listing)
    assert listing["Content-Language"] == "en"
    assert '<html lang="en">' in page
    assert "4 products" in page
    assert "<legend>Stars</legend>" in page
    # each option says how many products it would show (with the other filters kept)
    assert '<option value="2" >Beverages (2)</option>' in page
    detail = text(client.get(f"/san-pham/{catalogue['Miến dong Tài Hoan'].slug}/"))
    assert "Add to cart" in detail
    assert "Verify the OCOP certificate" in detail
    assert 'data-testid="origin">Origin: Xã Côn Minh, Thái Nguyên</p>' in detail
    # and back to Vietnamese
    client.get("/ngon-ngu/vi/")
    assert "4 sản phẩm" in text(client.get("/san-pham/?stars=4"))


def test_the_default_language_is_configurable_and_unknown_ones_are_ignored(client, catalogue):
    StorefrontConfiguration(default_language="en").save()
    assert "Featured 5-star OCOP products" in text(client.get("/"))
    client.cookies["ocop_lang"] = "fr"
    assert client.get("/")["Content-Language"] == "en"
    response = client.get("/ngon-ngu/xx/", {"next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_list_pages_are_kept_rendered_for_a_while_per_language(client, catalogue, settings):
    from django.core.cache import cache

    cache.clear()
    settings.STOREFRONT_SEARCH_CACHE_SECONDS = 60
    first = text(client.get("/san-pham/?stars=5"))
    with CaptureQueriesContext(connection) as queries:
        again = text(client.get("/san-pham/?stars=5"))
    assert again == first
    assert len(queries.captured_queries) == 1  # the configuration only
    client.get("/ngon-ngu/en/")
    assert "1 product" in text(client.get("/san-pham/?stars=5"))  # not the Vietnamese copy
    # a configuration change shows at once
    StorefrontConfiguration(shop_name="Chợ mới").save()
    assert "Chợ mới" in text(client.get("/san-pham/?stars=5"))
    cache.clear()
