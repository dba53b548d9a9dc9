import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from saleor.product.models import AttributeValue, Product
from saleor.warehouse.models import Stock, Warehouse

from catalog_sync.importer import import_registry
from marketplace.models import Certificate, OcopProduct, Producer
from tests.catalog_import.registry import MIEN_DONG, TRA_TAN_CUONG, write_registry

AS_OF = datetime.date(2026, 11, 23)


def product_attributes(product: Product) -> dict[str, str]:
    values = AttributeValue.objects.filter(assignedproductattribute__product=product)
    return {value.attribute.slug: value.name for value in values.select_related("attribute")}


def shop_state() -> dict:
    """Everything an import writes, to compare two runs."""
    return {
        "products": sorted(
            Product.objects.values_list("slug", "name", "price_amount", "is_published")
        ),
        "producers": Producer.objects.count(),
        "warehouses": Warehouse.objects.count(),
        "stocks": sorted(Stock.objects.values_list("product_variant__sku", "quantity")),
        "certificates": sorted(
            Certificate.objects.values_list("decision_key", "stars", "source_hash")
        ),
    }


def test_import_creates_a_sellable_saleor_product_per_certified_row(db, tmp_path):
    # Given a registry with a 5★ and a 4★ product, and a 2★ product that is not certified
    path = write_registry(
        tmp_path / "thai-nguyen.csv",
        [MIEN_DONG, TRA_TAN_CUONG, {**MIEN_DONG, "product_name": "Bánh gio", "stars": "2"}],
    )

    # When it is imported
    report = import_registry(path, as_of=AS_OF)

    # Then the two certified products are created and the 2★ row is refused on its row number
    assert (report.accepted, report.rejected, report.created, report.updated, report.unchanged) == (
        2, 1, 2, 0, 0,
    )  # fmt: skip
    assert [(r.row, r.field, r.code) for r in report.rejections] == [
        (4, "stars", "stars_not_certified")
    ]

    # and the miến dong is a published Saleor product, in VND, in stock at its cooperative
    product = Product.objects.get(name="Miến dong Tài Hoan")
    assert (product.price_amount, product.currency, product.is_published) == (125000, "VND", True)
    assert product.product_type.slug == "ocop"
    assert product.category.parent is not None  # a product set under its OCOP group
    assert product_attributes(product) == {
        "ocop-stars": "5 sao",
        "ocop-province": "Thái Nguyên",
        "ocop-product-group": product.category.parent.name,
    }
    stock = Stock.objects.get(product_variant__product=product)
    assert stock.quantity == 40
    producer = Producer.objects.get(name="Hợp tác xã Tài Hoan")
    assert stock.warehouse == producer.warehouse
    assert (producer.producer_type, producer.province_name, producer.commune_name) == (
        "cooperative", "Thái Nguyên", "Xã Côn Minh",
    )  # fmt: skip
    assert producer.warehouse.address.city == "Xã Côn Minh"

    # and its certificate is recorded with the decision, 36 months' validity and the central level
    certificate = OcopProduct.objects.get(product=product).current_certificate
    assert (
        certificate.decision_number,
        certificate.decision_date,
        certificate.expiry_date,
        certificate.stars,
        certificate.issuing_level,
    ) == ("1124/QĐ-BNN-VPĐP", datetime.date(2025, 3, 10), datetime.date(2028, 3, 10), 5, "central")


def test_a_second_run_of_the_same_file_changes_nothing(db, tmp_path):
    # Given a registry already imported
    path = write_registry(tmp_path / "registry.csv", [MIEN_DONG, TRA_TAN_CUONG])
    import_registry(path, as_of=AS_OF)
    before = shop_state()
    updated_at = dict(Product.objects.values_list("pk", "updated_at"))

    # When the same file is imported again
    report = import_registry(path, as_of=AS_OF)

    # Then every row is unchanged and nothing in the shop moved
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert shop_state() == before
    assert dict(Product.objects.values_list("pk", "updated_at")) == updated_at


def test_a_star_upgrade_updates_the_badge_and_keeps_the_history(db, tmp_path):
    # Given the tea imported with its 2026 4★ decision
    import_registry(write_registry(tmp_path / "2026.csv", [TRA_TAN_CUONG]), as_of=AS_OF)

    # When a later decision recognises it at 5★ nationally
    upgrade = {
        **TRA_TAN_CUONG,
        "stars": "5",
        "decision_number": "2001/QĐ-BNNMT-VPĐP",
        "decision_date": "2026-11-02",
        "issuing_authority": "Bộ Nông nghiệp và Môi trường",
        "price_vnd": "390000",
    }
    report = import_registry(write_registry(tmp_path / "upgrade.csv", [upgrade]), as_of=AS_OF)

    # Then the product shows 5★ and the new price, and both decisions are kept
    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    product = Product.objects.get(name="Trà xanh Tân Cương")
    assert product_attributes(product)["ocop-stars"] == "5 sao"
    assert product.price_amount == 390000
    ocop = OcopProduct.objects.get(product=product)
    assert [(c.decision_number, c.stars) for c in ocop.certificates.all()] == [
        ("2001/QĐ-BNNMT-VPĐP", 5),
        ("3981/QĐ-UBND", 4),
    ]
    assert ocop.current_certificate.decision_number == "2001/QĐ-BNNMT-VPĐP"


def test_an_older_decision_arriving_later_only_adds_history(db, tmp_path):
    # Given the tea imported with its 2026 decision
    import_registry(write_registry(tmp_path / "2026.csv", [TRA_TAN_CUONG]), as_of=AS_OF)

    # When an older list (its 2024 decision, another price) is imported afterwards
    older = {**TRA_TAN_CUONG, "decision_number": "210/QĐ-UBND", "decision_date": "2024-01-15",
             "price_vnd": "300000"}  # fmt: skip
    import_registry(write_registry(tmp_path / "2024.csv", [older]), as_of=AS_OF)

    # Then the product keeps the newer decision's facts
    ocop = OcopProduct.objects.get(product__name="Trà xanh Tân Cương")
    assert ocop.current_certificate.decision_number == "3981/QĐ-UBND"
    assert ocop.product.price_amount == 350000
    assert ocop.certificates.count() == 2


def test_a_dry_run_reports_what_would_happen_and_writes_nothing(db, tmp_path):
    path = write_registry(tmp_path / "registry.csv", [MIEN_DONG, TRA_TAN_CUONG])

    report = import_registry(path, as_of=AS_OF, dry_run=True)

    assert (report.accepted, report.created) == (2, 2)
    assert (Product.objects.count(), Producer.objects.count(), Warehouse.objects.count()) == (
        0,
        0,
        0,
    )


def test_a_sku_used_by_another_product_is_refused(db, tmp_path):
    # Given two different products that the file gives the same SKU
    path = write_registry(
        tmp_path / "registry.csv",
        [{**MIEN_DONG, "sku": "TN-001"}, {**TRA_TAN_CUONG, "sku": "TN-001"}],
    )

    report = import_registry(path, as_of=AS_OF)

    assert [(r.row, r.field, r.code) for r in report.rejections] == [(3, "sku", "sku_duplicate")]
    assert list(Product.objects.values_list("name", flat=True)) == ["Miến dong Tài Hoan"]


def numbered_rows(count: int, start: int) -> list[dict]:
    return [
        {**TRA_TAN_CUONG, "product_name": f"Trà Tân Cương số {n}",
         "producer_name": f"Hợp tác xã Chè số {n}", "decision_number": f"{n}/QĐ-UBND"}
        for n in range(start, start + count)
    ]  # fmt: skip


@pytest.mark.parametrize("second_run", [False, True], ids=["first run", "re-run"])
def test_queries_do_not_grow_with_the_number_of_rows(db, tmp_path, second_run):
    # Given a small and a four times larger registry
    small = write_registry(tmp_path / "small.csv", numbered_rows(10, start=1))
    large = write_registry(tmp_path / "large.csv", numbered_rows(40, start=100))
    import_registry(write_registry(tmp_path / "warm.csv", [MIEN_DONG]), as_of=AS_OF)
    if second_run:
        import_registry(small, as_of=AS_OF)
        import_registry(large, as_of=AS_OF)

    # When each is imported
    with CaptureQueriesContext(connection) as small_run:
        import_registry(small, as_of=AS_OF)
    with CaptureQueriesContext(connection) as large_run:
        import_registry(large, as_of=AS_OF)

    # Then both cost the same number of queries
    assert len(large_run) == len(small_run)
