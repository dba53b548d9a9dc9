"""Which level of government issued a recognition decision, and which level may.

Decisions taken here (documented in docs/registry-format.md):
- A provincial department ("Sở Nông nghiệp và PTNT tỉnh X", "Sở Nông nghiệp và Môi
  trường", the provincial "Văn phòng Điều phối nông thôn mới tỉnh X") counts as
  PROVINCE. Legally the provincial People's Committee signs, but lists often name the
  department that ran the evaluation; the star/level rule still holds, because a
  department can never stand in for the ministry (5★) or a district (3★, 2023–2025).
  The district equivalent ("Phòng Nông nghiệp huyện X") counts as DISTRICT.
- "UBND thành phố X" is PROVINCE only when X is a centrally-run city on the decision
  date: Huế counts from 1 Jan 2025; before that "thành phố Huế" was a city of Thừa
  Thiên Huế province, i.e. district level. Cities inside a province (Thái Nguyên, Bắc
  Kạn, Thủ Đức …) are district level.
- Commune People's Committees never recognise OCOP products: "UBND xã X" is unknown.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass
from functools import lru_cache

from common.text import word_key
from common.units import is_central_city


class IssuingLevel(enum.Enum):
    CENTRAL = "central"
    PROVINCE = "province"
    DISTRICT = "district"

    @property
    def label_vi(self) -> str:
        return {
            IssuingLevel.CENTRAL: "cấp trung ương (Bộ)",
            IssuingLevel.PROVINCE: "cấp tỉnh (UBND tỉnh/thành phố trực thuộc trung ương)",
            IssuingLevel.DISTRICT: "cấp huyện (UBND huyện/quận/thị xã/thành phố thuộc tỉnh)",
        }[self]

    @property
    def label_en(self) -> str:
        return {
            IssuingLevel.CENTRAL: "central (ministry)",
            IssuingLevel.PROVINCE: "provincial (provincial People's Committee)",
            IssuingLevel.DISTRICT: "district (district People's Committee)",
        }[self]


_C, _P, _D = IssuingLevel.CENTRAL, IssuingLevel.PROVINCE, IssuingLevel.DISTRICT


@dataclass(frozen=True)
class LegalPeriod:
    """One period of the OCOP rules: from ``start`` (inclusive) to the next period."""

    start: dt.date
    legal_basis: str
    levels_by_stars: dict[int, frozenset[IssuingLevel]]


# The legal framework over time. A new decision (e.g. the reported 26/2026/QĐ-TTg, not
# verified) is one more row here.
LEGAL_PERIODS: tuple[LegalPeriod, ...] = (
    LegalPeriod(
        dt.date.min,
        "1048/QĐ-TTg",
        {3: frozenset({_P}), 4: frozenset({_P}), 5: frozenset({_C})},
    ),
    LegalPeriod(
        dt.date(2023, 2, 24),
        "148/QĐ-TTg",
        {3: frozenset({_P, _D}), 4: frozenset({_P}), 5: frozenset({_C})},
    ),
    LegalPeriod(
        dt.date(2025, 7, 6),
        "148/QĐ-TTg (sửa đổi bởi 1489/QĐ-TTg)",
        {3: frozenset({_P}), 4: frozenset({_P}), 5: frozenset({_C})},
    ),
)

# Cities that are province-level only from a date (None: always, for our purposes).
CENTRAL_CITY_SINCE: dict[str, dt.date | None] = {"hue": dt.date(2025, 1, 1)}


def legal_period(decision_date: dt.date) -> LegalPeriod:
    current = LEGAL_PERIODS[0]
    for period in LEGAL_PERIODS:
        if decision_date >= period.start:
            current = period
    return current


def legal_basis(decision_date: dt.date) -> str:
    """The decision that governed OCOP recognition on that date."""
    return legal_period(decision_date).legal_basis


def allowed_levels(stars: int, decision_date: dt.date) -> set[IssuingLevel]:
    """Levels that may recognise a product of ``stars`` on ``decision_date``."""
    return set(legal_period(decision_date).levels_by_stars.get(stars, frozenset()))


# --- recognising the authority text --------------------------------------------------

# Patterns run on word_key(): folded, punctuation turned into spaces ("BNN&PTNT" →
# "bnn ptnt", "Uỷ ban" and "Ủy ban" → "uy ban").
_CENTRAL = re.compile(
    r"^(?:bo nong nghiep|bo nn|bnn|bo cong thuong|bo y te|bo van hoa"
    r"|van phong dieu phoi (?:chuong trinh )?(?:xay dung )?nong thon moi trung uong"
    r"|vpdp (?:ntm )?(?:trung uong|tw)|thu tuong|chinh phu|ministry)"
)
_COMMITTEE = re.compile(r"^(?:chu tich |ct )?(?:ubnd|uy ban nhan dan|people s committee of) (.+)$")
_DEPARTMENT = re.compile(r"^(?:so|phong) (?:nong nghiep|nn)\b")
_DEPARTMENT_PLACE = re.compile(r"\b(tinh|thanh pho|tp|huyen|quan|thi xa|tx) (.+)$")
_PROVINCIAL_COORDINATION = re.compile(r"^van phong dieu phoi .*\b(tinh|thanh pho|tp) (.+)$")


def _city_level(city: str, on: dt.date | None) -> IssuingLevel:
    city_key = word_key(city).replace(" ", "")
    if not is_central_city(city):
        return _D
    since = CENTRAL_CITY_SINCE.get(city_key)
    if since is not None and on is not None and on < since:
        return _D
    return _P


def _place_level(unit: str, place: str, on: dt.date | None) -> IssuingLevel | None:
    if unit == "tinh":
        return _P
    if unit in ("thanh pho", "tp"):
        return _city_level(place, on)
    if unit in ("huyen", "quan", "thi xa", "tx"):
        return _D
    return None


@lru_cache(maxsize=4096)
def issuing_level(authority: str, on: dt.date | None = None) -> IssuingLevel | None:
    """The level of the body named in ``authority``, or None when it is not recognised.

    ``on`` (the decision date) matters only for cities whose level changed (Huế).
    """
    key = word_key(authority)
    if not key:
        return None
    if _CENTRAL.match(key):
        return _C
    committee = _COMMITTEE.match(key)
    if committee:
        rest = committee.group(1)
        # "UBND TP.HCM" folds to "ubnd tp hcm"; "UBND TPHCM" to "ubnd tphcm".
        if rest.startswith("tphcm") or rest.startswith("tp hcm"):
            return _P
        unit = re.match(r"(thanh pho|thi xa|tinh|huyen|quan|tp|tx) (.+)", rest)
        if unit:
            return _place_level(unit.group(1), unit.group(2), on)
        if rest.endswith(" province"):
            return _P
        if rest.endswith(" district"):
            return _D
        return None
    if _PROVINCIAL_COORDINATION.match(key):
        return _P
    if _DEPARTMENT.match(key):
        place = _DEPARTMENT_PLACE.search(key)
        if key.startswith("phong"):
            return _D
        if place is None:
            return _P
        level = _place_level(place.group(1), place.group(2), on)
        # A department is provincial whatever the city's status: districts have "phòng".
        return _P if level is not None else None
    return None
