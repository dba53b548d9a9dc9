"""Suggest-as-you-type (JSON for the search box's script, a page of links without
JavaScript) and facet counts in the filters, on the default engine (PostgreSQL; the
same calls on OpenSearch are in test_relevance.py)."""

import json

from tests.storefront.test_pages import text


def test_suggestions_come_as_json_for_the_search_box(client, catalogue):
    response = client.get("/tim-kiem/goi-y/", {"q": "mien", "format": "json"})
    assert response.status_code == 200
    assert json.loads(response.content) == {
        "query": "mien",
        "suggestions": [
            {
                "name": "Mien dong sấy khô",
                "url": f"/san-pham/{catalogue['Mien dong sấy khô'].slug}/",
            },
            {
                "name": "Miến dong Tài Hoan",
                "url": f"/san-pham/{catalogue['Miến dong Tài Hoan'].slug}/",
            },
        ],
    }


def test_suggestions_work_without_javascript(client, catalogue):
    # the search box's "Gợi ý" button sends the same form to the suggestions page
    home = text(client.get("/"))
    assert 'formaction="/tim-kiem/goi-y/"' in home
    assert 'list="search-suggestions"' in home
    page = text(client.get("/tim-kiem/goi-y/", {"q": "Trà"}))
    assert 'data-testid="suggestions"' in page
    assert (
        f'<a href="/san-pham/{catalogue["Trà hoa vàng Nam Mẫu"].slug}/">Trà hoa vàng Nam Mẫu</a>'
        in page
    )
    assert "Tìm tất cả sản phẩm cho “Trà”" in page


def test_empty_or_hostile_input_suggests_nothing(client, catalogue):
    for query in ["", " ", "%", "\\", "'; DROP TABLE product_product; --", "x" * 10_000]:
        response = client.get("/tim-kiem/goi-y/", {"q": query, "format": "json"})
        assert response.status_code == 200
        assert json.loads(response.content)["suggestions"] == [], query


def test_the_filters_show_how_many_products_each_option_has(client, catalogue):
    page = text(client.get("/san-pham/", {"stars": "4"}))
    # 6 products, all in Thái Nguyên (19); 4 have 4 stars or more
    assert "4 sản phẩm" in page
    assert '<option value="19" >Thái Nguyên (4)</option>' in page
    assert '<option value="01" >Thành phố Hà Nội (0)</option>' in page
    assert '<option value="2" >Đồ uống (2)</option>' in page
    # the stars facet counts under the other filters only, not its own
    assert '★★★ trở lên <span class="count">(6)</span>' in page
    assert '★★★★★  <span class="count">(1)</span>' in page
