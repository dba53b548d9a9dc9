"""OCOP product classification: 6 groups ("ngành") and 26 product sets ("bộ sản phẩm").

Source: Decision 148/QĐ-TTg (24 Feb 2023), appendix on product classification, from
memory of public summaries; the official appendix was not available offline.
Where I was unsure:
- The split of the Food group into 12 sets and of the herbal group into 4 sets, and so
  the numbering 1–26, is a reconstruction. The group names are certain; the set names
  are the ones used in provincial lists, but the official numbering may differ. Treat
  ``code`` as this project's stable identifier until checked against the appendix.
- Where herbal teas such as trà hoa vàng belong (tea vs. herbal products) varies by
  province; the aliases put "trà"/"chè" under tea and "trà dược liệu"/"trà thảo dược"
  under herbal products.
- The pre-2023 names (Decision 1048/QĐ-TTg, 2019) are mapped to the nearest current
  set or group; 1048's own sub-groups were coarser, so old certificates resolve to a
  default set of the group unless the file names a specific set.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from common.text import normalize_text, word_key


@dataclass(frozen=True)
class ProductGroup:
    code: int
    name_vi: str
    name_en: str
    default_set_code: int
    # Names used for this group on certificates issued under Decision 1048 (before 2023).
    legacy_names_vi: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProductSet:
    code: int
    name_vi: str
    name_en: str
    group_code: int
    group_name_vi: str
    group_name_en: str
    # False for what cannot travel as an ordinary parcel: live plants and animals, and
    # tourism services (booked, not shipped).
    parcel_goods: bool = True


GROUPS: tuple[ProductGroup, ...] = (
    ProductGroup(1, "Thực phẩm", "Food", 6),
    ProductGroup(2, "Đồ uống", "Beverages", 16),
    ProductGroup(
        3,
        "Dược liệu và sản phẩm từ dược liệu",
        "Medicinal herbs and herbal products",
        20,
        ("Thảo dược",),
    ),
    ProductGroup(4, "Hàng thủ công mỹ nghệ", "Handicrafts", 21),
    ProductGroup(5, "Sinh vật cảnh", "Ornamental plants and animals", 24),
    ProductGroup(
        6,
        "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
        "Community and eco-tourism services and tourist sites",
        26,
        ("Dịch vụ du lịch nông thôn, bán hàng", "Dịch vụ du lịch nông thôn"),
    ),
)

_GROUPS_BY_CODE = {group.code: group for group in GROUPS}

# (code, Vietnamese, English, group, parcel goods)
_SET_ROWS: tuple[tuple[int, str, str, int, bool], ...] = (
    (1, "Rau, củ, quả, hạt tươi", "Fresh vegetables, tubers, fruit and nuts", 1, True),
    (2, "Thịt, trứng, sữa tươi", "Fresh meat, eggs and milk", 1, True),
    (3, "Gạo, ngũ cốc", "Rice and cereals", 1, True),
    (4, "Mật ong, các sản phẩm từ mật ong, mật khác", "Honey and honey products", 1, True),
    (5, "Sản phẩm chế biến từ gạo, ngũ cốc", "Processed rice and cereal products", 1, True),
    (
        6,
        "Sản phẩm chế biến từ rau, củ, quả, hạt",
        "Processed vegetable, fruit and nut products",
        1,
        True,
    ),
    (7, "Sản phẩm chế biến từ thịt, trứng, sữa", "Processed meat, egg and dairy products", 1, True),
    (8, "Sản phẩm chế biến từ thủy sản", "Processed fish and seafood products", 1, True),
    (9, "Tương, nước mắm, gia vị dạng lỏng", "Sauces, fish sauce and liquid seasonings", 1, True),
    (10, "Gia vị khác", "Other spices and seasonings", 1, True),
    (11, "Chè", "Tea", 1, True),
    (12, "Cà phê, ca cao", "Coffee and cocoa", 1, True),
    (13, "Rượu trắng", "White spirits (rượu trắng)", 2, True),
    (14, "Đồ uống có cồn khác", "Other alcoholic beverages", 2, True),
    (15, "Nước khoáng, nước uống đóng chai", "Mineral and bottled water", 2, True),
    (16, "Đồ uống không cồn", "Non-alcoholic beverages", 2, True),
    (
        17,
        "Thực phẩm chức năng, thuốc dược liệu, thuốc y học cổ truyền",
        "Functional foods, herbal and traditional medicines",
        3,
        True,
    ),
    (18, "Mỹ phẩm có thành phần từ dược liệu", "Cosmetics from medicinal herbs", 3, True),
    (19, "Tinh dầu, tinh chất dược liệu", "Essential oils and herbal extracts", 3, True),
    (20, "Sản phẩm khác từ dược liệu", "Other herbal products", 3, True),
    (
        21,
        "Thủ công mỹ nghệ gia dụng, trang trí",
        "Household and decorative handicrafts",
        4,
        True,
    ),
    (22, "Vải, may mặc", "Textiles and garments", 4, True),
    (23, "Hoa", "Flowers", 5, False),
    (24, "Cây cảnh", "Ornamental plants", 5, False),
    (25, "Động vật cảnh", "Ornamental animals", 5, False),
    (
        26,
        "Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch",
        "Community tourism, eco-tourism and tourist sites",
        6,
        False,
    ),
)

PRODUCT_SETS: tuple[ProductSet, ...] = tuple(
    ProductSet(
        code=code,
        name_vi=name_vi,
        name_en=name_en,
        group_code=group_code,
        group_name_vi=_GROUPS_BY_CODE[group_code].name_vi,
        group_name_en=_GROUPS_BY_CODE[group_code].name_en,
        parcel_goods=parcel,
    )
    for code, name_vi, name_en, group_code, parcel in _SET_ROWS
)

_SETS_BY_CODE = {product_set.code: product_set for product_set in PRODUCT_SETS}

# Other names seen in lists, mostly Decision 1048 sub-groups and short forms, → set code.
SET_ALIASES: dict[str, int] = {
    "Nông sản tươi sống": 1,
    "Rau quả tươi": 1,
    "Trái cây tươi": 1,
    "Fresh fruit": 1,
    "Thực phẩm tươi sống": 2,
    "Gạo": 3,
    "Ngũ cốc": 3,
    "Nông sản thô, sơ chế": 3,
    "Mật ong": 4,
    "Honey": 4,
    "Thực phẩm chế biến": 6,
    "Đồ ăn nhanh": 6,
    "Thực phẩm tiện lợi": 6,
    "Thủy sản chế biến": 8,
    "Nước mắm": 9,
    "Tương": 9,
    "Gia vị": 10,
    "Trà": 11,
    "Chè tươi, chè chế biến": 11,
    "Chè, trà": 11,
    "Cà phê": 12,
    "Cà phê - ca cao": 12,
    "Coffee": 12,
    "Đồ uống có cồn": 14,
    "Rượu": 13,
    "Nước khoáng": 15,
    "Nước uống đóng chai": 15,
    "Đồ uống không cồn khác": 16,
    "Thực phẩm chức năng": 17,
    "Mỹ phẩm": 18,
    "Mỹ phẩm từ thảo dược": 18,
    "Tinh dầu": 19,
    "Essential oils": 19,
    "Trà dược liệu": 20,
    "Trà thảo dược": 20,
    "Chế phẩm khác từ thảo dược": 20,
    "Thủ công mỹ nghệ": 21,
    "Lưu niệm - nội thất - trang trí": 21,
    "Lưu niệm, nội thất, trang trí": 21,
    "Vải và may mặc": 22,
    "Vải, may mặc": 22,
    "Dệt may": 22,
    "Sinh vật cảnh": 24,
    "Du lịch": 26,
    "Tourism": 26,
    "Dịch vụ du lịch": 26,
}

# Words that may precede a name in a cell ("Bộ sản phẩm Chè", "Nhóm Thực phẩm").
_LEADING_WORDS = ("bo san pham ", "nhom san pham ", "nganh hang ", "nganh ", "nhom ", "bo ")


def _key(value: str) -> str:
    key = word_key(value)
    for prefix in _LEADING_WORDS:
        if key.startswith(prefix):
            return key[len(prefix) :]
    return key


def _build_index() -> dict[str, ProductSet]:
    index: dict[str, ProductSet] = {}
    # Group names first so that a set with the same folded name (none today) wins.
    for group in GROUPS:
        default = _SETS_BY_CODE[group.default_set_code]
        for name in (group.name_vi, group.name_en, *group.legacy_names_vi):
            index[_key(name)] = default
    for alias, code in SET_ALIASES.items():
        index[_key(alias)] = _SETS_BY_CODE[code]
    for product_set in PRODUCT_SETS:
        index[_key(product_set.name_vi)] = product_set
        index[_key(product_set.name_en)] = product_set
    return index


_INDEX = _build_index()


def product_set_by_code(code: int) -> ProductSet | None:
    return _SETS_BY_CODE.get(code)


@lru_cache(maxsize=2048)
def resolve_product_group(value: str) -> ProductSet | None:
    """The product set named by a code "1".."26", a set name or a group name (old or new).

    A group name resolves to that group's default set, since a marketplace listing needs
    a set; the default is the broadest set of the group.
    """
    text = normalize_text(value)
    if not text:
        return None
    if text.isascii() and text.isdigit():  # "²".isdigit() is true too; int() refuses it
        return _SETS_BY_CODE.get(int(text)) if len(text) <= 3 else None
    return _INDEX.get(_key(text))


# The first words of product names and the set they put a product in, for registries
# published without a group column (docs/registry-format.md). Folded (no diacritics,
# lower case, đ→d); the longest match at the start of the name wins ("ca phe" before
# "ca", "tra thao duoc" before "tra"). A name that starts with none of them is left to
# a person (catalog_sync refuses the row with ``product_group_not_inferable``).
NAME_KEYWORDS: dict[str, int] = {
    "che": 11, "tra": 11, "tra thao duoc": 20, "tra duoc lieu": 20,
    "ca phe": 12, "ca cao": 12, "cacao": 12,
    "mat ong": 4,
    "mien": 5, "bun": 5, "pho": 5, "banh da": 5, "banh pho": 5, "banh canh": 5,
    "banh trang": 5, "banh": 5, "com": 5,
    "gao": 3, "nep": 3, "ngo": 3,
    "nuoc mam": 9, "mam": 9, "tuong": 9,
    "tieu": 10, "toi": 10, "gia vi": 10, "muoi": 10, "ot": 10, "hat tieu": 10,
    "ruou": 13,
    "nuoc khoang": 15, "nuoc uong": 15, "nuoc cot": 16, "nuoc ep": 16, "nuoc": 16,
    "ca": 8, "tom": 8, "muc": 8, "cua": 8,
    "gio": 7, "cha": 7, "lap xuong": 7, "nem": 7, "thit": 7, "xuc xich": 7,
    "mut": 6, "keo": 6,
    "vai thieu": 1, "vai": 1, "khom": 1, "cam": 1, "buoi": 1, "nhan": 1, "xoai": 1,
    "tinh dau": 19, "cao": 20,
    "gom": 21, "su": 21, "may tre": 21, "may": 21, "tre": 21, "go": 21, "kham": 21,
    "non": 21, "det": 22, "tho cam": 22, "lua": 22,
    "hoa": 23, "lan": 24, "bonsai": 24, "cay canh": 24,
    "du lich": 26, "diem du lich": 26,
}  # fmt: skip
_LONGEST_KEYWORD = max(len(keyword.split()) for keyword in NAME_KEYWORDS)


@lru_cache(maxsize=4096)
def infer_product_set(product_name: str) -> ProductSet | None:
    """The product set a product's name points to (its first words), or None."""
    words = word_key(product_name).split()
    for size in range(min(_LONGEST_KEYWORD, len(words)), 0, -1):
        code = NAME_KEYWORDS.get(" ".join(words[:size]))
        if code is not None:
            return _SETS_BY_CODE[code]
    return None
