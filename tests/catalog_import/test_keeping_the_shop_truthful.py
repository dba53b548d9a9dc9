"""Products leave the shop when their certificate expires, come back with a renewal, and
cannot be published through Saleor's API without a valid certificate."""

import datetime

import graphene
from saleor.product.models import Product

from catalog_sync.importer import import_registry
from catalog_sync.tasks import unpublish_expired_products
from tests.catalog_import.registry import MIEN_DONG, TRA_TAN_CUONG, write_registry
from tests.saleor_fixtures.api import grant

# Valid when imported on 1 Oct 2026, expired by today (the suite runs on real dates,
# so this certificate is given an explicit expiry in the past).
EXPIRING = {**MIEN_DONG, "expiry_date": "2026-10-31"}

PRODUCT_UPDATE = """
mutation Publish($id: ID!, $category: ID!) {
  productUpdate(id: $id, input: {isPublished: true, category: $category}) {
    product { isPublished }
    productErrors { field code message }
  }
}
"""

BULK_PUBLISH = """
mutation BulkPublish($ids: [ID]!) {
  productBulkPublish(ids: $ids, isPublished: true) {
    count
    productErrors { field code message }
  }
}
"""


def test_daily_task_unpublishes_expired_products_and_a_renewal_brings_them_back(db, tmp_path):
    # Given a published product whose certificate expired on 31 Oct 2026, and a valid one
    import_registry(
        write_registry(tmp_path / "old.csv", [EXPIRING, TRA_TAN_CUONG]),
        as_of=datetime.date(2026, 10, 1),
    )
    assert Product.objects.filter(is_published=True).count() == 2

    # When the daily task runs (twice: it is idempotent)
    first, second = unpublish_expired_products(), unpublish_expired_products()

    # Then only the expired one is taken off the shop
    assert (first, second) == (1, 0)
    published = dict(Product.objects.values_list("name", "is_published"))
    assert published == {"Miến dong Tài Hoan": False, "Trà xanh Tân Cương": True}

    # When its renewal decision is imported
    renewal = {**MIEN_DONG, "decision_number": "1555/QĐ-BNNMT-VPĐP", "decision_date": "2026-11-05"}
    report = import_registry(write_registry(tmp_path / "renewal.csv", [renewal]))

    # Then it is back on sale
    assert report.updated == 1
    assert Product.objects.get(name="Miến dong Tài Hoan").is_published is True


def test_staff_cannot_publish_a_product_without_a_valid_certificate(staff_api_client, tmp_path):
    # Given an expired product taken off the shop, and a certified one
    import_registry(
        write_registry(tmp_path / "old.csv", [EXPIRING, TRA_TAN_CUONG]),
        as_of=datetime.date(2026, 10, 1),
    )
    unpublish_expired_products()
    Product.objects.filter(name="Trà xanh Tân Cương").update(is_published=False)
    expired = Product.objects.get(name="Miến dong Tài Hoan")
    certified = Product.objects.get(name="Trà xanh Tân Cương")
    grant(staff_api_client.user, "manage_products")

    def node_id(product):
        return graphene.Node.to_global_id("Product", product.pk)

    def publish(product):
        category = graphene.Node.to_global_id("Category", product.category_id)
        return staff_api_client.post_graphql(
            PRODUCT_UPDATE, {"id": node_id(product), "category": category}
        )

    # When staff publish each through Saleor's productUpdate (2.10 wants the category too)
    refused, allowed = publish(expired), publish(certified)

    # Then the expired one is refused with a reason and stays hidden; the other is published
    assert refused["productUpdate"] == {
        "product": None,
        "productErrors": [
            {
                "field": "isPublished",
                "code": "INVALID",
                "message": "Sản phẩm chưa có giấy chứng nhận OCOP còn hiệu lực nên không thể mở bán"
                " / This product has no valid OCOP certificate, so it cannot be published.",
            }
        ],
    }
    assert allowed["productUpdate"] == {"product": {"isPublished": True}, "productErrors": []}
    assert Product.objects.get(pk=expired.pk).is_published is False

    # When staff bulk-publish both
    Product.objects.filter(pk=certified.pk).update(is_published=False)
    bulk = staff_api_client.post_graphql(
        BULK_PUBLISH, {"ids": [node_id(expired), node_id(certified)]}
    )

    # Then only the certified one is published, and the other is named in the errors
    assert bulk["productBulkPublish"]["count"] == 1
    assert [e["field"] for e in bulk["productBulkPublish"]["productErrors"]] == [node_id(expired)]
    assert dict(Product.objects.values_list("name", "is_published")) == {
        "Miến dong Tài Hoan": False,
        "Trà xanh Tân Cương": True,
    }
