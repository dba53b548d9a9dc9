"""Row validation: decides which registry rows may be imported as OCOP products.

Every failure of a row is reported, each with a stable code (see docs/registry-format.md)
and a message a clerk can act on, in Vietnamese and English. Nothing in a cell is ever
evaluated: text starting with = + - @ is kept as literal text.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from dateutil.relativedelta import relativedelta
from stdnum import ean
from stdnum import exceptions as stdnum_exceptions
from stdnum.vn import mst

from catalog_sync.authority import IssuingLevel, allowed_levels, issuing_level, legal_basis
from catalog_sync.limits import FieldLimits, model_limits
from catalog_sync.readers import CANONICAL_FIELDS
from common.dates import parse_date
from common.groups import ProductSet, infer_product_set, resolve_product_group
from common.money import parse_vnd, parse_whole_number, whole_digits
from common.text import fold, normalize_multiline, normalize_text, word_key
from common.units import Origin, OriginError, resolve_origin

DEFAULT_VALIDITY_MONTHS = 36
STAR_SCORE_BANDS: dict[int, tuple[int, int]] = {3: (50, 69), 4: (70, 89), 5: (90, 100)}


# Slots: a file of 50,000 bad rows holds ~400,000 of these at once.
@dataclass(frozen=True, slots=True)
class Rejection:
    row: int
    field: str
    code: str
    message_vi: str
    message_en: str

    @property
    def message(self) -> str:
        return f"{self.message_vi} / {self.message_en}"

    def as_dict(self) -> dict[str, object]:
        return {
            "row": self.row,
            "field": self.field,
            "code": self.code,
            "message": self.message,
            "message_vi": self.message_vi,
            "message_en": self.message_en,
        }


@dataclass(frozen=True)
class ValidatedRow:
    row: int
    product_name: str
    product_set: ProductSet
    description: str
    price_vnd: int
    weight_grams: int | None
    stock: int
    sku: str
    producer_name: str
    producer_type: str
    producer_tax_code: str
    producer_phone: str
    producer_email: str
    origin: Origin
    stars: int
    decision_number: str
    decision_date: dt.date
    issuing_authority: str
    issuing_level: IssuingLevel
    expiry_date: dt.date
    expiry_is_explicit: bool
    score: int | None
    legal_basis: str
    product_name_en: str = ""
    # The optional columns of issue 16: a GS1 barcode, the raw-material area's quality
    # marks, and whether the product group was inferred from the name (to review).
    gtin: str = ""
    quality_marks: tuple[str, ...] = ()
    product_group_inferred: bool = False
    certificate_key: tuple[str, str, str] = field(init=False)

    def __post_init__(self) -> None:
        key = certificate_key(self.decision_number, self.producer_name, self.product_name)
        object.__setattr__(self, "certificate_key", key)


def certificate_key(decision_number: str, producer_name: str, product_name: str) -> tuple:
    """Identity of a certificate line: one product of one producer in one decision.

    fold() maps Đ to D, so "3981/QĐ-UBND" and "3981/QD-UBND" are the same decision;
    spaces inside the number ("3981 / QĐ-UBND") are ignored too.
    """
    return (
        fold(decision_number).replace(" ", ""),
        word_key(producer_name),
        word_key(product_name),
    )


# --- parsers -------------------------------------------------------------------------

_STAR_TEXT = re.compile(r"^(\d+)(?:[.,]0+)?\s*(?:sao|stars?|\*|★)?(?:\s*ocop)?$")
_STAR_GLYPHS = re.compile(r"^[★☆⭐\s]+$")


def parse_stars(text: str) -> int | None:
    """3 from "3", "3.0", "3 sao", "3★", "★★★"; None when it is not a star rating."""
    if _STAR_GLYPHS.match(text):
        return text.count("★") + text.count("⭐")
    match = _STAR_TEXT.match(fold(text))
    return whole_digits(match.group(1)) if match else None


_WEIGHT = re.compile(r"^(.*?)\s*(kg|g|gr|gram|grams|gam)?\.?$", re.IGNORECASE)


def parse_weight_grams(text: str) -> int | None:
    match = _WEIGHT.match(text.strip())
    if not match:
        return None
    number, unit = match.group(1), (match.group(2) or "g").lower()
    if unit == "kg":
        kilos = re.match(r"^(\d+)(?:[.,](\d{1,3}))?$", number)
        if not kilos:
            return None
        return whole_digits(kilos.group(1)) * 1000 + int((kilos.group(2) or "0").ljust(3, "0"))
    return parse_whole_number(number)


_SCORE = re.compile(r"^(\d{1,3})(?:[.,](\d+))?\s*(?:diem|d|/\s*100)?$")


def parse_score(text: str) -> int | None:
    """An integer score; a fraction is dropped, which never moves it across a star band."""
    match = _SCORE.match(fold(text))
    return int(match.group(1)) if match else None


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")

# Folded words → producer type. Order matters: "tổ hợp tác" before "hợp tác xã".
PRODUCER_TYPE_WORDS: tuple[tuple[str, str], ...] = (
    ("to hop tac", "cooperative_group"),
    ("tht", "cooperative_group"),
    ("cooperative group", "cooperative_group"),
    ("lien hiep hop tac xa", "cooperative"),
    ("hop tac xa", "cooperative"),
    ("htx", "cooperative"),
    ("cooperative", "cooperative"),
    ("doanh nghiep", "enterprise"),
    ("dntn", "enterprise"),
    ("cong ty", "enterprise"),
    ("cty", "enterprise"),
    ("chi nhanh cong ty", "enterprise"),
    ("enterprise", "enterprise"),
    ("company", "enterprise"),
    ("ho kinh doanh", "household"),
    ("hkd", "household"),
    ("ho san xuat", "household"),
    ("ho gia dinh", "household"),
    ("co so san xuat", "household"),
    ("co so", "household"),
    ("household", "household"),
)
PRODUCER_TYPES = ("cooperative", "cooperative_group", "enterprise", "household")


def parse_producer_type(text: str) -> str | None:
    """The type named by a "Loại hình" cell ("HTX", "Công ty TNHH", "enterprise" …)."""
    key = word_key(text)
    if key.replace(" ", "_") in PRODUCER_TYPES:
        return key.replace(" ", "_")
    for words, producer_type in PRODUCER_TYPE_WORDS:
        if key == words or key.startswith(words + " "):
            return producer_type
    if re.search(r"\b(tnhh|co phan|cp|jsc|ltd)\b", key):
        return "enterprise"
    return None


def infer_producer_type(producer_name: str) -> str | None:
    """The type from a legal name's first words ("Hợp tác xã Tài Hoan" → cooperative)."""
    return parse_producer_type(producer_name)


# --- messages ------------------------------------------------------------------------


class _RowErrors:
    def __init__(self, row: int) -> None:
        self.row = row
        self.items: list[Rejection] = []

    def add(self, field_name: str, code: str, message_vi: str, message_en: str) -> None:
        self.items.append(Rejection(self.row, field_name, code, message_vi, message_en))


def _levels_text(levels: set[IssuingLevel]) -> tuple[str, str]:
    ordered = [level for level in IssuingLevel if level in levels]
    return (
        " hoặc ".join(level.label_vi for level in ordered),
        " or ".join(level.label_en for level in ordered),
    )


# --- validation ----------------------------------------------------------------------


_TEXT_FIELDS = tuple(name for name in CANONICAL_FIELDS if name != "description")


def validate_row(
    row_number: int,
    raw: dict[str, str],
    *,
    as_of: dt.date,
    validity_months: int = DEFAULT_VALIDITY_MONTHS,
    limits: FieldLimits | None = None,
) -> ValidatedRow | list[Rejection]:
    """A typed row ready to import, or every reason why it cannot be imported.

    ``limits`` are the column sizes (catalog_sync.limits; the model fields' by default):
    a row accepted here fits every column it is written to.
    """
    limits = limits or model_limits()
    errors = _RowErrors(row_number)
    values = {name: normalize_text(raw.get(name)) for name in _TEXT_FIELDS}
    description = normalize_multiline(raw.get("description"))
    # Fields already refused as unstorable are not checked further.
    unusable = _check_characters({**values, "description": description}, errors)
    too_long = unusable | _check_lengths(values, limits, errors, skip=unusable)
    text = values.__getitem__

    product_name = text("product_name")
    if not product_name:
        errors.add(
            "product_name",
            "product_name_missing",
            "Thiếu tên sản phẩm.",
            "The product name is missing.",
        )

    producer_name = text("producer_name")
    if not producer_name:
        errors.add(
            "producer_name",
            "producer_name_missing",
            "Thiếu tên chủ thể (đơn vị sản xuất).",
            "The producer name is missing.",
        )

    stars = _check_stars(text("stars"), errors)

    decision_number = text("decision_number")
    if not decision_number:
        errors.add(
            "decision_number",
            "decision_number_missing",
            "Thiếu số quyết định công nhận (ví dụ 3981/QĐ-UBND).",
            "The recognition decision number is missing (e.g. 3981/QĐ-UBND).",
        )

    decision_date = _check_decision_date(text("decision_date"), as_of, errors)
    expiry_date, expiry_is_explicit = _check_expiry(
        text("expiry_date"), decision_date, as_of, validity_months, errors
    )

    authority = text("issuing_authority")
    level = (
        None
        if "issuing_authority" in too_long
        else _check_authority(authority, stars, decision_date, errors)
    )

    product_set, group_inferred = _check_product_group(text("product_group"), product_name, errors)
    gtin = _check_gtin(text("gtin"), errors)
    tax_code = (
        text("producer_tax_code")
        if "producer_tax_code" in too_long
        else _check_tax_code(text("producer_tax_code"), errors)
    )
    marks = _check_quality_marks(text("quality_marks"), errors)
    origin = (
        None
        if too_long & {"province", "commune", "legacy_district"}
        else _check_origin(text("province"), text("commune"), text("legacy_district"), errors)
    )

    price = _check_price(text("price_vnd"), errors)
    stock = _check_stock(text("stock"), errors)
    weight = _check_weight(text("weight_grams"), errors)
    numbers = {"price_vnd": price, "stock": stock, "weight_grams": weight}
    _check_magnitudes(numbers, values, limits, errors)
    score = _check_score(text("score"), stars, errors)
    producer_type = _check_producer_type(text("producer_type"), producer_name, errors)

    email = text("producer_email")
    if email and "producer_email" not in too_long and not _EMAIL.match(email):
        errors.add(
            "producer_email",
            "producer_email_invalid",
            f"Email '{_shown(email)}' không đúng định dạng (ví dụ: htx@example.vn).",
            f"Email '{_shown(email)}' is not a valid address (e.g. htx@example.vn).",
        )

    if errors.items:
        return errors.items
    required = (stars, decision_date, expiry_date, level, product_set, origin, price, producer_type)
    if any(value is None for value in required):  # every None above was reported
        raise AssertionError(f"row {row_number}: unreported validation failure")
    return ValidatedRow(
        row=row_number,
        product_name=product_name,
        product_set=product_set,
        description=description,
        price_vnd=price,
        weight_grams=weight,
        stock=stock or 0,
        sku=text("sku"),
        producer_name=producer_name,
        producer_type=producer_type,
        producer_tax_code=tax_code,
        producer_phone=text("producer_phone"),
        producer_email=email,
        origin=origin,
        stars=stars,
        decision_number=decision_number,
        decision_date=decision_date,
        issuing_authority=authority,
        issuing_level=level,
        expiry_date=expiry_date,
        expiry_is_explicit=expiry_is_explicit,
        score=score,
        legal_basis=legal_basis(decision_date),
        product_name_en=text("product_name_en"),
        gtin=gtin,
        quality_marks=marks,
        product_group_inferred=group_inferred,
    )


# What the length messages call each limited field.
_FIELD_NAMES: dict[str, tuple[str, str]] = {
    "product_name": ("Tên sản phẩm", "The product name"),
    "product_name_en": ("Tên tiếng Anh", "The English name"),
    "producer_name": ("Tên chủ thể", "The producer name"),
    "producer_tax_code": ("Mã số thuế", "The tax code"),
    "producer_phone": ("Số điện thoại", "The phone number"),
    "producer_email": ("Email", "The e-mail address"),
    "decision_number": ("Số quyết định", "The decision number"),
    "issuing_authority": ("Cơ quan công nhận", "The issuing authority"),
    "province": ("Tên tỉnh/thành phố", "The province name"),
    "commune": ("Tên xã/phường", "The commune name"),
    "legacy_district": ("Tên huyện", "The district name"),
    "sku": ("Mã SKU", "The SKU"),
}
_SHOWN_CHARACTERS = 40
_FOLDED_KEYS = frozenset({"product_name", "producer_name", "decision_number"})
# PostgreSQL text cannot hold NUL, and UTF-8 has no lone surrogates (a JSON file can
# spell one as "\ud800"): such a value can be neither stored nor shown.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _shown(value: str) -> str:
    """The start of a long value, enough for a clerk to find the cell, printable."""
    if len(value) > _SHOWN_CHARACTERS:
        value = value[:_SHOWN_CHARACTERS] + "…"
    return _UNSTORABLE.sub(lambda m: "␀" if m.group() == "\x00" else "\ufffd", value)


def _check_characters(values: dict[str, str], errors: _RowErrors) -> set[str]:
    """Fields holding a character no column can store (code ``invalid_character``)."""
    found = set()
    for name, value in values.items():
        match = _UNSTORABLE.search(value)
        if match is None:
            continue
        found.add(name)
        character = f"U+{ord(match.group()):04X}"
        errors.add(
            name,
            "invalid_character",
            f"Ô {name} chứa ký tự không lưu được ({character}, vị trí {match.start() + 1}): "
            f"'{_shown(value)}'. Hãy xoá ký tự đó.",
            f"The {name} cell holds a character that cannot be stored ({character}, at "
            f"position {match.start() + 1}): '{_shown(value)}'. Remove it.",
        )
    return found


def _number_vi(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _check_lengths(
    values: dict[str, str], limits: FieldLimits, errors: _RowErrors, skip: set[str]
) -> set[str]:
    """Fields longer than their column (code ``<field>_too_long``); their names."""
    too_long = set()
    for name, limit in limits.max_length.items():
        value = values.get(name, "") if name not in skip else ""
        length = len(value)
        if name in _FOLDED_KEYS and value and not value.isascii():
            # The folded key (name_key, decision_key) is stored too, and fold() is not
            # obviously never longer (lower() turns "İ" into two characters).
            length = max(length, len(fold(value)))
        if length <= limit:
            continue
        too_long.add(name)
        label_vi, label_en = _FIELD_NAMES.get(name, (name, name))
        errors.add(
            name,
            f"{name}_too_long",
            f"{label_vi} dài {_number_vi(length)} ký tự, quá mức tối đa {_number_vi(limit)} "
            f"ký tự: '{_shown(value)}'. Hãy rút gọn.",
            f"{label_en} is {length:,} characters long, more than the {limit:,} allowed: "
            f"'{_shown(value)}'. Shorten it.",
        )
    return too_long


# (code, Vietnamese, English) for a number larger than its column holds.
_MAGNITUDES: dict[str, tuple[str, str, str]] = {
    "price_vnd": (
        "price_too_large",
        "Giá '{value}' vượt quá mức tối đa {limit} đồng.",
        "The price '{value}' is more than the maximum of {limit} VND.",
    ),
    "stock": (
        "stock_too_large",
        "Tồn kho '{value}' vượt quá mức tối đa {limit}.",
        "The stock '{value}' is more than the maximum of {limit}.",
    ),
    "weight_grams": (
        "weight_too_large",
        "Khối lượng '{value}' vượt quá mức tối đa {limit} g.",
        "The weight '{value}' is more than the maximum of {limit} g.",
    ),
}


def _check_magnitudes(
    numbers: dict[str, int | None], values: dict[str, str], limits: FieldLimits, errors: _RowErrors
) -> None:
    for name, number in numbers.items():
        limit = limits.max_value.get(name)
        if number is None or limit is None or number <= limit:
            continue
        code, message_vi, message_en = _MAGNITUDES[name]
        shown = _shown(values[name])
        errors.add(
            name,
            code,
            message_vi.format(value=shown, limit=_number_vi(limit)),
            message_en.format(value=shown, limit=f"{limit:,}"),
        )


def _check_stars(value: str, errors: _RowErrors) -> int | None:
    stars = parse_stars(value) if value else None
    if stars in (3, 4, 5):
        return stars
    if stars in (1, 2):
        errors.add(
            "stars",
            "stars_not_certified",
            f"Hạng sao {stars} chưa đủ điều kiện công nhận OCOP (chỉ 3–5 sao).",
            f"{stars} star{'s' if stars != 1 else ''} is not an OCOP certification "
            "(only 3–5 stars).",
        )
    elif not value:
        errors.add(
            "stars",
            "stars_invalid",
            "Thiếu hạng sao (3, 4 hoặc 5).",
            "The star rating is missing (3, 4 or 5).",
        )
    else:
        errors.add(
            "stars",
            "stars_invalid",
            f"Hạng sao '{_shown(value)}' không hợp lệ; ghi 3, 4 hoặc 5.",
            f"Star rating '{_shown(value)}' is not valid; write 3, 4 or 5.",
        )
    return None


def _check_decision_date(value: str, as_of: dt.date, errors: _RowErrors) -> dt.date | None:
    if not value:
        errors.add(
            "decision_date",
            "decision_date_missing",
            "Thiếu ngày ký quyết định công nhận.",
            "The decision date is missing.",
        )
        return None
    decision_date = parse_date(value)
    if decision_date is None:
        errors.add(
            "decision_date",
            "decision_date_invalid",
            f"Ngày quyết định '{_shown(value)}' không hợp lệ; ghi dạng ngày/tháng/năm (05/08/2026) "
            "hoặc 2026-08-05.",
            f"Decision date '{_shown(value)}' is not a valid date; use day/month/year (05/08/2026) "
            "or 2026-08-05.",
        )
        return None
    if decision_date > as_of:
        errors.add(
            "decision_date",
            "decision_date_in_future",
            f"Ngày quyết định {decision_date:%d/%m/%Y} ở tương lai (sau {as_of:%d/%m/%Y}).",
            f"Decision date {decision_date:%d/%m/%Y} is in the future (after {as_of:%d/%m/%Y}).",
        )
        return None
    return decision_date


def _check_expiry(
    value: str,
    decision_date: dt.date | None,
    as_of: dt.date,
    validity_months: int,
    errors: _RowErrors,
) -> tuple[dt.date | None, bool]:
    if value:
        expiry = parse_date(value)
        if expiry is None:
            errors.add(
                "expiry_date",
                "expiry_date_invalid",
                f"Ngày hết hạn '{_shown(value)}' không hợp lệ; ghi dạng ngày/tháng/năm hoặc "
                "để trống "
                f"(mặc định {validity_months} tháng kể từ ngày quyết định).",
                f"Expiry date '{_shown(value)}' is not a valid date; use day/month/year or "
                "leave it "
                f"empty ({validity_months} months from the decision date).",
            )
            return None, True
        if decision_date is not None and expiry < decision_date:
            errors.add(
                "expiry_date",
                "expiry_before_decision",
                f"Ngày hết hạn {expiry:%d/%m/%Y} trước ngày quyết định {decision_date:%d/%m/%Y}.",
                f"Expiry date {expiry:%d/%m/%Y} is before the decision date "
                f"{decision_date:%d/%m/%Y}.",
            )
            return None, True
        explicit = True
    elif decision_date is not None:
        expiry, explicit = default_expiry(decision_date, validity_months), False
    else:
        return None, False
    if as_of > expiry:
        errors.add(
            "expiry_date",
            "certificate_expired",
            f"Giấy chứng nhận OCOP đã hết hạn ngày {expiry:%d/%m/%Y}; cần quyết định công "
            "nhận lại mới được đăng bán.",
            f"The OCOP certificate expired on {expiry:%d/%m/%Y}; a new recognition decision "
            "is needed before listing.",
        )
    return expiry, explicit


@lru_cache(maxsize=8192)
def default_expiry(
    decision_date: dt.date, validity_months: int = DEFAULT_VALIDITY_MONTHS
) -> dt.date:
    """Decision date plus the validity in calendar months (31 Jan + 1 month → 28/29 Feb)."""
    return decision_date + relativedelta(months=validity_months)


def _check_authority(
    authority: str, stars: int | None, decision_date: dt.date | None, errors: _RowErrors
) -> IssuingLevel | None:
    if not authority:
        errors.add(
            "issuing_authority",
            "issuing_authority_missing",
            "Thiếu cơ quan công nhận (ví dụ: UBND tỉnh Thái Nguyên).",
            "The issuing authority is missing (e.g. UBND tỉnh Thái Nguyên).",
        )
        return None
    level = issuing_level(authority, decision_date)
    if level is None:
        errors.add(
            "issuing_authority",
            "issuing_authority_unknown",
            f"Không nhận ra cơ quan công nhận '{_shown(authority)}'. Ghi như: Bộ Nông "
            "nghiệp và Môi "
            "trường, UBND tỉnh …, UBND huyện …",
            f"Issuing authority '{_shown(authority)}' is not recognised. Write e.g. Bộ Nông nghiệp "
            "và Môi trường (ministry), UBND tỉnh … (province), UBND huyện … (district).",
        )
        return None
    if stars is None or decision_date is None:
        return level
    allowed = allowed_levels(stars, decision_date)
    if level not in allowed:
        required_vi, required_en = _levels_text(allowed)
        basis = legal_basis(decision_date)
        errors.add(
            "issuing_authority",
            "issuing_level_mismatch",
            f"Sản phẩm {stars} sao công nhận ngày {decision_date:%d/%m/%Y} phải do {required_vi} "
            f"công nhận (theo {basis}), nhưng '{_shown(authority)}' là {level.label_vi}.",
            f"A {stars}-star product recognised on {decision_date:%d/%m/%Y} must be recognised "
            f"at {required_en} level (under {basis}), but '{_shown(authority)}' is "
            f"{level.label_en}.",
        )
    return level


def _check_product_group(
    value: str, product_name: str, errors: _RowErrors
) -> tuple[ProductSet | None, bool]:
    """The row's product set and whether it was inferred from the product's name (an
    empty or absent group column: real recognition lists often have none)."""
    if not value:
        if not product_name:
            return None, False  # product_name_missing says it
        inferred = infer_product_set(product_name)
        if inferred is None:
            errors.add(
                "product_group",
                "product_group_not_inferable",
                f"Không có nhóm/bộ sản phẩm và không suy ra được từ tên "
                f"'{_shown(product_name)}'. Ghi nhóm (ví dụ: Chè, Mật ong, hoặc mã bộ 1–26).",
                f"No product group, and none can be inferred from the name "
                f"'{_shown(product_name)}'. Give the group (e.g. Chè (tea), Mật ong (honey), "
                f"or set code 1–26).",
            )
        return inferred, inferred is not None
    product_set = resolve_product_group(value)
    if product_set is None:
        errors.add(
            "product_group",
            "product_group_unknown",
            f"Không nhận ra nhóm/bộ sản phẩm '{_shown(value)}'. Ghi tên bộ sản phẩm theo "
            "Quyết định "
            "148/QĐ-TTg hoặc mã bộ 1–26.",
            f"Product group '{_shown(value)}' is not recognised. Use a product set name of "
            "Decision 148/QĐ-TTg or a set code 1–26.",
        )
    return product_set, False


def _check_gtin(value: str, errors: _RowErrors) -> str:
    """A GS1 barcode (GTIN-8, -12, -13 or -14) with a correct check digit, or ""."""
    if not value:
        return ""
    digits = value.replace(" ", "").replace("-", "")
    if not (digits.isascii() and digits.isdigit()) or len(digits) not in (8, 12, 13, 14):
        errors.add(
            "gtin",
            "gtin_invalid_format",
            f"Mã vạch '{_shown(value)}' phải gồm 8, 12, 13 hoặc 14 chữ số (GTIN; mã Việt Nam "
            "bắt đầu bằng 893).",
            f"Barcode '{_shown(value)}' must be 8, 12, 13 or 14 digits (a GTIN; Vietnamese "
            "ones start with 893).",
        )
        return ""
    try:
        return ean.validate(digits)
    except stdnum_exceptions.ValidationError:
        errors.add(
            "gtin",
            "gtin_check_digit",
            f"Mã vạch '{_shown(value)}' sai số kiểm tra GS1 (chữ số cuối).",
            f"Barcode '{_shown(value)}' has a wrong GS1 check digit (its last digit).",
        )
        return ""


def _check_tax_code(value: str, errors: _RowErrors) -> str:
    """Vietnam's tax code (mã số thuế): 10 digits, or 13 with a branch suffix."""
    if not value:
        return ""
    try:
        return mst.validate(value)
    except stdnum_exceptions.InvalidChecksum:
        errors.add(
            "producer_tax_code",
            "producer_tax_code_check_digit",
            f"Mã số thuế '{_shown(value)}' sai chữ số kiểm tra (chữ số thứ 10).",
            f"Tax code '{_shown(value)}' has a wrong check digit (its 10th digit).",
        )
    except stdnum_exceptions.ValidationError:
        errors.add(
            "producer_tax_code",
            "producer_tax_code_invalid",
            f"Mã số thuế '{_shown(value)}' phải gồm 10 chữ số, hoặc 13 (10-XXX) cho chi nhánh.",
            f"Tax code '{_shown(value)}' must be 10 digits, or 13 (10-XXX) for a branch.",
        )
    return ""


# Quality marks of the raw-material area, as provinces write them → our code.
QUALITY_MARKS: dict[str, str] = {
    "vietgap": "vietgap", "viet gap": "vietgap",
    "huu co": "huu_co", "organic": "huu_co", "tcvn 11041": "huu_co",
    "globalgap": "globalgap", "global gap": "globalgap",
    "gacp who": "gacp_who", "gacp": "gacp_who", "gacpwho": "gacp_who",
}  # fmt: skip
QUALITY_MARK_ORDER = ("vietgap", "huu_co", "globalgap", "gacp_who")


def _check_quality_marks(value: str, errors: _RowErrors) -> tuple[str, ...]:
    """ "VietGAP; hữu cơ" → ("vietgap", "huu_co"): marks separated by , ; / or +."""
    if not value:
        return ()
    found, unknown = set(), []
    for part in re.split(r"[,;/+\n]", value):
        key = " ".join(fold(part).replace("-", " ").split())
        if not key:
            continue
        mark = QUALITY_MARKS.get(key)
        if mark is None:
            unknown.append(part.strip())
        else:
            found.add(mark)
    if unknown:
        shown = ", ".join(_shown(part) for part in unknown)
        errors.add(
            "quality_marks",
            "quality_mark_unknown",
            f"Không nhận ra chứng nhận vùng nguyên liệu '{shown}' (VietGAP, hữu cơ, "
            "GlobalGAP, GACP-WHO).",
            f"Quality mark '{shown}' is not recognised (VietGAP, organic/hữu cơ, GlobalGAP, "
            "GACP-WHO).",
        )
        return ()
    return tuple(mark for mark in QUALITY_MARK_ORDER if mark in found)


def _check_origin(province: str, commune: str, district: str, errors: _RowErrors) -> Origin | None:
    try:
        return resolve_origin(province, commune, district)
    except OriginError as error:
        errors.add(error.field, error.code, error.message_vi, error.message_en)
        return None


def _check_price(value: str, errors: _RowErrors) -> int | None:
    price = parse_vnd(value) if value else None
    if price is None or price <= 0:
        shown = _shown(value) or "(trống)"
        errors.add(
            "price_vnd",
            "price_invalid",
            f"Giá '{shown}' không hợp lệ: phải là số tiền nguyên dương tính bằng đồng, "
            "ví dụ 125000 hoặc 125.000.",
            f"Price '{_shown(value) or '(empty)'}' is not valid: it must be a positive "
            "whole number "
            "of VND, e.g. 125000 or 125.000.",
        )
        return None
    return price


def _check_stock(value: str, errors: _RowErrors) -> int | None:
    if not value:
        return 0
    stock = parse_whole_number(value)
    if stock is None:
        errors.add(
            "stock",
            "stock_invalid",
            f"Tồn kho '{_shown(value)}' không hợp lệ: phải là số nguyên không âm.",
            f"Stock '{_shown(value)}' is not valid: it must be a whole number, zero or more.",
        )
    return stock


def _check_weight(value: str, errors: _RowErrors) -> int | None:
    if not value:
        return None
    weight = parse_weight_grams(value)
    if weight is None or weight <= 0:
        errors.add(
            "weight_grams",
            "weight_invalid",
            f"Khối lượng '{_shown(value)}' không hợp lệ: ghi số gam nguyên dương, ví dụ "
            "500 hoặc 500 g.",
            f"Weight '{_shown(value)}' is not valid: give a positive whole number of grams, "
            "e.g. 500 or 500 g.",
        )
        return None
    return weight


def _check_score(value: str, stars: int | None, errors: _RowErrors) -> int | None:
    if not value:
        return None
    score = parse_score(value)
    if score is None or score > 100:
        errors.add(
            "score",
            "score_invalid",
            f"Điểm '{_shown(value)}' không hợp lệ: phải là số từ 0 đến 100.",
            f"Score '{_shown(value)}' is not valid: it must be a number from 0 to 100.",
        )
        return None
    if stars in STAR_SCORE_BANDS:
        low, high = STAR_SCORE_BANDS[stars]
        if not low <= score <= high:
            errors.add(
                "score",
                "score_stars_mismatch",
                f"Điểm {score} không khớp hạng {stars} sao (hạng {stars} sao là {low}–{high} "
                "điểm).",
                f"Score {score} does not match {stars} stars ({stars} stars is {low}–{high} "
                "points).",
            )
    return score


def _check_producer_type(value: str, producer_name: str, errors: _RowErrors) -> str | None:
    if value:
        producer_type = parse_producer_type(value)
        if producer_type is None:
            errors.add(
                "producer_type",
                "producer_type_unknown",
                f"Loại hình chủ thể '{_shown(value)}' không hợp lệ; ghi: Hợp tác xã, Tổ hợp tác, "
                "Doanh nghiệp hoặc Hộ kinh doanh.",
                f"Producer type '{_shown(value)}' is not valid; write Hợp tác xã (cooperative), Tổ "
                "hợp tác (cooperative group), Doanh nghiệp (enterprise) or Hộ kinh doanh "
                "(household).",
            )
        return producer_type
    if not producer_name:
        return None  # already reported as producer_name_missing
    producer_type = infer_producer_type(producer_name)
    if producer_type is None:
        errors.add(
            "producer_type",
            "producer_type_unknown",
            f"Không suy ra được loại hình chủ thể từ tên '{_shown(producer_name)}'; điền cột Loại "
            "hình (Hợp tác xã, Tổ hợp tác, Doanh nghiệp hoặc Hộ kinh doanh).",
            f"The producer type cannot be inferred from the name '{_shown(producer_name)}'; fill "
            "the producer type column (cooperative, cooperative group, enterprise or "
            "household).",
        )
    return producer_type


def validate_rows(
    rows: Iterable[tuple[int, dict[str, str]]],
    *,
    as_of: dt.date,
    validity_months: int = DEFAULT_VALIDITY_MONTHS,
    limits: FieldLimits | None = None,
) -> tuple[list[ValidatedRow], list[Rejection]]:
    """Validate a whole file; repeated certificates after the first are rejected too."""
    accepted: list[ValidatedRow] = []
    rejections: list[Rejection] = []
    first_seen: dict[tuple, int] = {}
    limits = limits or model_limits()
    for row_number, raw in rows:
        result = validate_row(
            row_number, raw, as_of=as_of, validity_months=validity_months, limits=limits
        )
        problems = result if isinstance(result, list) else []
        key = (
            result.certificate_key
            if isinstance(result, ValidatedRow)
            else _raw_certificate_key(raw)
        )
        if key is not None:
            first = first_seen.setdefault(key, row_number)
            if first != row_number:
                problems = [*problems, _duplicate(row_number, first, raw)]
        if problems:
            rejections.extend(problems)
        else:
            accepted.append(result)
    return accepted, rejections


def _raw_certificate_key(raw: dict[str, str]) -> tuple | None:
    parts = [normalize_text(raw.get(name)) for name in _KEY_FIELDS]
    if not all(parts):
        return None
    return certificate_key(*parts)


_KEY_FIELDS = ("decision_number", "producer_name", "product_name")


def _duplicate(row_number: int, first_row: int, raw: dict[str, str]) -> Rejection:
    number = normalize_text(raw.get("decision_number"))
    return Rejection(
        row_number,
        "decision_number",
        "duplicate_row",
        f"Trùng với dòng {first_row}: cùng quyết định {_shown(number)}, cùng chủ thể và sản "
        "phẩm. Xóa dòng lặp.",
        f"Duplicate of row {first_row}: same decision {_shown(number)}, producer and product. "
        "Remove the repeated row.",
    )


__all__ = [
    "DEFAULT_VALIDITY_MONTHS",
    "Rejection",
    "ValidatedRow",
    "certificate_key",
    "validate_row",
    "validate_rows",
]
