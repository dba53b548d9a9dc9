"""Property: whatever a registry row holds, validation either gives values that fit every
column they are written to, or refuses the row with documented codes; it never raises."""

import re
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from saleor.product.models import Product, ProductVariant
from saleor.warehouse.models import Stock

from catalog_sync.importer import decision_key
from catalog_sync.limits import model_limits
from catalog_sync.validation import ValidatedRow, validate_row
from common.text import fold
from marketplace.models import Certificate, OcopProduct, Producer
from tests.catalog_sync.test_validation import AS_OF, valid_raw

DOCS = Path(__file__).resolve().parents[2] / "docs" / "registry-format.md"
DOCUMENTED_CODES = set(re.findall(r"^\| `([a-z_]+)` \|", DOCS.read_text(), re.MULTILINE))
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def size(model, name: str) -> int:
    return model._meta.get_field(name).max_length


ODD_TEXT = st.one_of(
    st.text(max_size=30),
    st.text(min_size=240, max_size=300),
    st.just("x" * 10_000),
    st.integers(min_value=0, max_value=10**40).map(str),
    st.sampled_from(["\x00", "\ud800", "²", "٣", "１２", "1e400", "-1", "0", "NaN", "İ" * 200]),
    st.tuples(st.text(max_size=10), st.sampled_from(["\x00", "\udfff"])).map("".join),
)
NEAR_LIMITS = st.integers(min_value=0, max_value=12).flatmap(
    lambda extra: st.sampled_from(
        [
            ("product_name", "Miến " + "x" * (240 + extra)),
            ("producer_name", "HTX " + "y" * (246 + extra)),
            ("decision_number", "1124/QĐ-" + "9" * (87 + extra)),
            ("issuing_authority", "Bộ Nông nghiệp và Phát triển nông thôn " + "z" * (212 + extra)),
            ("price_vnd", "9" * (5 + extra)),
            ("stock", "2147483" + "6" * extra),
            ("producer_phone", "0" * (25 + extra)),
            ("sku", "S" * (250 + extra)),
        ]
    )
)
FIELDS = list(valid_raw())
ROWS = st.one_of(
    st.dictionaries(st.sampled_from(FIELDS), ODD_TEXT, max_size=4),
    NEAR_LIMITS.map(lambda pair: dict([pair])),
).map(lambda overrides: valid_raw(**overrides))


def assert_fits_its_columns(row: ValidatedRow) -> None:
    limits = model_limits()
    text = {name: value for name, value in vars_of(row).items() if isinstance(value, str)}
    assert not any(UNSTORABLE.search(value) for value in text.values())
    assert len(row.product_name) <= min(size(Product, "name"), size(Certificate, "product_name"))
    assert len(fold(row.product_name)) <= size(OcopProduct, "name_key")
    assert len(row.producer_name) <= size(Producer, "name")
    assert len(fold(row.producer_name)) <= size(Producer, "name_key")
    assert len(row.decision_number) <= size(Certificate, "decision_number")
    assert len(decision_key(row.decision_number)) <= size(Certificate, "decision_key")
    assert len(row.issuing_authority) <= size(Certificate, "issuing_authority")
    assert len(row.legal_basis) <= size(Certificate, "legal_basis")
    assert len(row.sku) <= size(ProductVariant, "sku")
    assert len(row.producer_tax_code) <= size(Producer, "tax_code")
    assert len(row.producer_phone) <= size(Producer, "phone")
    assert len(row.producer_email) <= size(Producer, "email")
    for name, value in vars_of(row.origin).items():
        assert len(value) <= size(Certificate, name), name
    price = Product._meta.get_field("price_amount")
    assert 0 < row.price_vnd < 10 ** (price.max_digits - price.decimal_places)
    assert 0 <= row.stock <= 2_147_483_647 == limits.max_value["stock"]
    assert Stock._meta.get_field("quantity").get_internal_type() == "PositiveIntegerField"
    assert row.weight_grams is None or 0 < row.weight_grams <= 2**53
    assert row.stars in (3, 4, 5)
    assert row.score is None or 0 <= row.score <= 100


def vars_of(instance) -> dict:
    names = getattr(type(instance), "__dataclass_fields__", {})
    return {name: getattr(instance, name) for name in names}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ROWS)
@example(valid_raw(product_name="M" * 300))
@example(valid_raw(producer_name="Hợp tác xã " + "Tài Hoan " * 30))
@example(valid_raw(decision_number="1124/QĐ-" + "V" * 95))
@example(valid_raw(price_vnd="99999999999999999999999"))
@example(valid_raw(stars="4" * 5000, price_vnd="9" * 5000, weight_grams="1" * 5000 + " kg"))
def test_a_row_fits_its_columns_or_is_refused_with_documented_codes(raw):
    result = validate_row(7, raw, as_of=AS_OF)

    if isinstance(result, ValidatedRow):
        assert_fits_its_columns(result)
    else:
        assert result, "a refused row names at least one reason"
        assert {rejection.code for rejection in result} <= DOCUMENTED_CODES
        for rejection in result:
            assert rejection.row == 7
            assert rejection.field in raw
            # Messages are stored (JSON report, import run) and shown: printable, short
            assert not UNSTORABLE.search(rejection.message)
            assert len(rejection.message) < 2_000
