"""The search index stays in sync without signals (an outbox written with each change,
indexed after commit, swept by beat), is rebuilt behind an alias, and the storefront
answers from PostgreSQL when the engine is down — all against the real OpenSearch node."""

from __future__ import annotations

import logging
from decimal import Decimal

import pytest
from django.test import Client

from marketplace import ports, search_outbox
from marketplace.models import OcopProduct, SearchOutbox
from storefront import opensearch_engine
from storefront.search import get_search_engine
from storefront.tasks import sweep_search_outbox, sync_outbox
from tests.storefront.catalogue import import_catalogue

pytestmark = pytest.mark.opensearch


def searched(query: str = "", **kwargs) -> list[str]:
    opensearch_engine.admin_client().indices.refresh(index=f"{opensearch_engine.alias()}-*")
    from saleor.product.models import Product

    ids = get_search_engine().search(query, limit=24, **kwargs).product_ids
    by_id = dict(Product.objects.filter(id__in=ids).values_list("id", "name"))
    return [by_id[pk] for pk in ids]


@pytest.fixture
def indexed(opensearch, db, tmp_path, run_on_commit):
    """The six-product catalogue imported (which marks every product) and indexed."""
    opensearch_engine.ensure_index()
    with run_on_commit():
        catalogue = import_catalogue(tmp_path / "registry.csv")
        assert SearchOutbox.objects.count() == 6  # the import marked each product it wrote
    sync_outbox()  # what the after-commit task does (the tests' broker drops tasks)
    assert SearchOutbox.objects.count() == 0
    return catalogue


def test_an_import_marks_its_products_in_its_own_transaction(indexed):
    assert searched("mien dong") == ["Mien dong sấy khô", "Miến dong Tài Hoan", "Bột dong riềng"]


def test_a_price_change_is_marked_with_the_change_and_indexed_after_commit(
    indexed, run_on_commit, celery_runs_tasks_inline
):
    product = indexed["Miến dong Tài Hoan"]
    # When a cooperative changes the price (the catalogue port, as the portal does)
    with run_on_commit():
        ports.catalogue().set_price(product, Decimal("99000"))
        # Then the product is marked in the same transaction, and not yet indexed
        assert list(SearchOutbox.objects.values_list("product_id", flat=True)) == [product.pk]
    # and after commit the task indexed it and cleared the mark
    assert SearchOutbox.objects.count() == 0
    opensearch_engine.admin_client().indices.refresh(index=opensearch_engine.alias())
    source = opensearch_engine.admin_client().get(index=opensearch_engine.alias(), id=product.pk)
    assert source["_source"]["price"] == 99000


def test_unpublishing_removes_a_product_from_search_after_the_sweep(indexed):
    product = indexed["Bột dong riềng"]
    # a task lost (no broker): only the mark is left
    search_outbox.mark_products_now([product.pk])
    ports.catalogue().set_published([product.pk], False)
    assert "Bột dong riềng" in searched("dong")
    # the beat sweeper indexes what was left
    assert sweep_search_outbox() >= 1
    assert searched("dong") == ["Mien dong sấy khô", "Miến dong Tài Hoan"]


def test_an_expired_certificate_needs_no_reindex(indexed):
    ocop = OcopProduct.objects.get(product=indexed["Miến dong Tài Hoan"])
    certificate = ocop.current_certificate
    # the index holds the validity window: a search on a later day leaves it out
    later = certificate.expiry_date.toordinal() + 1
    import datetime

    day = datetime.date.fromordinal(later)
    assert "Miến dong Tài Hoan" not in searched("mien dong", day=day)
    assert "Miến dong Tài Hoan" in searched("mien dong")


def test_a_rebuild_swaps_the_alias_to_a_new_index(indexed):
    es = opensearch_engine.admin_client()
    alias = opensearch_engine.alias()
    (before,) = es.indices.get_alias(name=alias)
    from django.core.management import call_command

    call_command("ocop_search_index", "--rebuild")
    (after,) = es.indices.get_alias(name=alias)
    # a new index behind the same name, the old one dropped, the same answers
    assert after != before
    assert not es.indices.exists(index=before)
    assert es.count(index=alias)["count"] == 6
    assert searched("hoa vang") == ["Trà hoa vàng Nam Mẫu", "Gạo nếp cái hoa vàng"]


def test_the_storefront_answers_from_postgresql_when_the_engine_is_down(indexed, settings, caplog):
    # Given the engine stops (the real node, stopped by the test)
    from devtools import opensearch as devtools_opensearch

    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("OCOP_OPENSEARCH_URL", raising=False)
        node = devtools_opensearch.start()
    settings.OCOP_OPENSEARCH_URL = node.url
    opensearch_engine.ensure_index()
    assert (
        opensearch_engine.index_products(OcopProduct.objects.values_list("product_id", flat=True))
        == 6
    )
    node.stop()
    # When a shopper searches
    with caplog.at_level(logging.WARNING, logger="storefront.opensearch_engine"):
        response = Client().get("/tim-kiem/", {"q": "mien dong"})
    # Then the page is served from PostgreSQL, with a warning in the log, never a 500
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 sản phẩm" in page
    assert "Miến dong Tài Hoan" in page
    assert "Search engine unavailable, answering from PostgreSQL" in caplog.text
    # and changes made meanwhile wait in the outbox for the engine's return
    product = indexed["Gạo nếp cái hoa vàng"]
    search_outbox.mark_products_now([product.pk])
    assert sync_outbox() == 0
    assert SearchOutbox.objects.filter(product_id=product.pk).exists()
    suggestions = Client().get("/tim-kiem/goi-y/", {"q": "mien", "format": "json"}).json()
    assert [s["name"] for s in suggestions["suggestions"]] == [
        "Mien dong sấy khô",
        "Miến dong Tài Hoan",
    ]


def test_a_page_past_the_engines_window_is_answered_by_postgresql(indexed):
    # a hand-typed ?page= far past the end: no error, the exact total, no cooldown
    result = get_search_engine().search("", limit=24, offset=opensearch_engine.MAX_RESULT_WINDOW)
    assert (result.product_ids, result.total) == ([], 6)
    assert opensearch_engine._down_until == 0.0
