"""How long and how large each registry field may be: the columns it is written to.

Nothing here is typed in by hand: the limits are read from the model fields the
importer writes each value to (our models and, through the catalogue port, Saleor's),
so validation refuses exactly what the database would, and a row the dry run accepts
fits every column. ``column_limits()`` also reads the migrated columns themselves: a
Saleor money field's decimal places follow ``DEFAULT_CURRENCY`` when the process
starts (0 for VND) while its column keeps the scale of its migration (2), so only the
column tells how many whole đồng fit.

Values the importer shortens on purpose (a warehouse's name, an address line, the SEO
description) and values resolved to our own tables (province, commune and product
group names, stars, dates) are not limited here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

# Registry field → (app label, model, field) of every column its text is stored in
# untruncated. Folded keys (name_key, decision_key) are never longer than the text.
_TEXT_COLUMNS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "product_name": (
        ("marketplace", "Certificate", "product_name"),
        ("marketplace", "OcopProduct", "name_key"),
    ),
    "producer_name": (
        ("marketplace", "Producer", "name"),
        ("marketplace", "Producer", "name_key"),
    ),
    "producer_tax_code": (("marketplace", "Producer", "tax_code"),),
    "producer_phone": (("marketplace", "Producer", "phone"),),
    "producer_email": (("marketplace", "Producer", "email"),),
    "decision_number": (
        ("marketplace", "Certificate", "decision_number"),
        ("marketplace", "Certificate", "decision_key"),
    ),
    "issuing_authority": (("marketplace", "Certificate", "issuing_authority"),),
    # Kept as written when they are pre-2025 names (legacy_* columns of Origin).
    "province": (("marketplace", "Certificate", "legacy_province_name"),),
    "commune": (("marketplace", "Certificate", "legacy_commune_name"),),
    "legacy_district": (("marketplace", "Certificate", "legacy_district_name"),),
}


@dataclass(frozen=True)
class FieldLimits:
    """Most characters of each text field, largest whole number of each number field."""

    max_length: Mapping[str, int]
    max_value: Mapping[str, int]


def _fields() -> tuple[dict[str, list], dict[str, list]]:
    """(text field → its char columns, number field → its numeric columns)."""
    from django.apps import apps
    from django.db.models import CharField

    from marketplace import ports

    text = {
        name: [apps.get_model(app, model)._meta.get_field(f) for app, model, f in columns]
        for name, columns in _TEXT_COLUMNS.items()
    }
    numbers: dict[str, list] = {}
    for name, fields in ports.catalogue().registry_columns().items():
        for field in fields:
            kind = text if isinstance(field, CharField) else numbers
            kind.setdefault(name, []).append(field)
    return text, numbers


def _largest(field, precision_scale: tuple[int, int] | None = None) -> int:
    """The largest whole number a numeric column holds."""
    from django.db import connection

    kind = field.get_internal_type()
    if kind == "DecimalField":
        digits, places = precision_scale or (field.max_digits, field.decimal_places)
        return 10 ** (digits - places) - 1
    if kind == "FloatField":
        return 2**53  # double precision: every whole number up to 2^53 is exact
    return connection.ops.integer_field_range(kind)[1]


@lru_cache(maxsize=1)
def model_limits() -> FieldLimits:
    """The limits as the model fields declare them (no database needed)."""
    text, numbers = _fields()
    return FieldLimits(
        max_length={name: min(f.max_length for f in fields) for name, fields in text.items()},
        max_value={name: min(map(_largest, fields)) for name, fields in numbers.items()},
    )


@lru_cache(maxsize=1)
def column_limits() -> FieldLimits:
    """The model limits, tightened by what the migrated columns really hold."""
    from django.db import connection

    text, numbers = _fields()
    tables = {
        f.model._meta.db_table for fields in (*text.values(), *numbers.values()) for f in fields
    }
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, character_maximum_length, numeric_precision, "
            "numeric_scale FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ANY(%s)",
            [sorted(tables)],
        )
        found = {(table, column): rest for table, column, *rest in cursor.fetchall()}

    def column(field):
        return found.get((field.model._meta.db_table, field.column), (None, None, None))

    def length(field) -> int:
        size = column(field)[0]
        return min(field.max_length, size) if size else field.max_length

    def largest(field) -> int:
        _, precision, scale = column(field)
        if field.get_internal_type() == "DecimalField" and precision is not None:
            return min(_largest(field), _largest(field, (precision, scale or 0)))
        return _largest(field)

    return FieldLimits(
        max_length={name: min(map(length, fields)) for name, fields in text.items()},
        max_value={name: min(map(largest, fields)) for name, fields in numbers.items()},
    )
