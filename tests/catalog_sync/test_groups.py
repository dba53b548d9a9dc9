import pytest

from common.groups import GROUPS, PRODUCT_SETS, resolve_product_group


def test_there_are_six_groups_and_26_sets_numbered_1_to_26():
    assert len(GROUPS) == 6
    assert [product_set.code for product_set in PRODUCT_SETS] == list(range(1, 27))


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("11", 11),
        ("Chè", 11),
        ("che", 11),
        ("Bộ sản phẩm Chè", 11),
        ("Cà phê, ca cao", 12),
        ("Mật ong", 4),
        ("Tinh dầu", 19),
        ("Vải và may mặc", 22),  # Decision 1048 name
        ("Lưu niệm – nội thất – trang trí", 21),  # Decision 1048 name, en dash
        ("Luu niem - noi that - trang tri", 21),
        ("Thảo dược", 20),  # Decision 1048 group → default set of group 3
        ("Thực phẩm", 6),  # a group, not a set → its default set
        ("Fresh vegetables, tubers, fruit and nuts", 1),
    ],
)
def test_resolve_product_group(value, code):
    assert resolve_product_group(value).code == code


def test_group_name_resolves_into_that_group():
    product_set = resolve_product_group("Dược liệu và sản phẩm từ dược liệu")
    assert product_set.group_code == 3
    assert product_set.group_name_en == "Medicinal herbs and herbal products"


@pytest.mark.parametrize("value", ["", "0", "27", "Đồ điện tử"])
def test_unknown_product_group_is_none(value):
    assert resolve_product_group(value) is None


def test_live_plants_animals_and_tourism_are_not_parcel_goods():
    not_parcel = {product_set.code for product_set in PRODUCT_SETS if not product_set.parcel_goods}
    assert not_parcel == {23, 24, 25, 26}
