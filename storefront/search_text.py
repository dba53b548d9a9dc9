"""The PostgreSQL engine's folded text per product (``SearchText``), refreshed in the
transaction of the change: ``marketplace.search_outbox.mark_products`` calls
``refresh`` (registered in ``StorefrontConfig.ready``), whatever engine is configured,
so the PostgreSQL answer (the default, and the fallback when OpenSearch is down) is
never stale."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection

from common.groups import GROUPS, product_set_by_code
from common.text import fold
from storefront.models import SearchText

TABLE = SearchText._meta.db_table


def _group_words() -> tuple[str, list]:
    """(VALUES sql, params): each product set code with its group's names, folded."""
    names = {g.code: fold(f"{g.name_vi} {g.name_en}") for g in GROUPS}
    rows = []
    for code in range(1, 27):
        product_set = product_set_by_code(code)
        if product_set is not None:
            rows.append((code, names.get(product_set.group_code, "")))
    sql = ", ".join(["(%s::int, %s::text)"] * len(rows))
    return sql, [value for row in rows for value in row]


def refresh(product_ids: Iterable[int]) -> int:
    """Rewrite the folded text of ``product_ids`` (and drop those no longer OCOP products)."""
    ids = sorted({int(pk) for pk in product_ids})
    if not ids:
        return 0
    values, values_params = _group_words()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {TABLE}
                (product_id, name, name_en, fields, description, names, known, every)
            SELECT p.id, n.name, n.name_en, n.fields, n.description,
                   n.name || ' ' || n.name_en,
                   n.name || ' ' || n.name_en || ' ' || n.fields,
                   n.name || ' ' || n.name_en || ' ' || n.fields || ' ' || n.description
            FROM product_product p
            JOIN marketplace_ocopproduct o ON o.product_id = p.id
            JOIN marketplace_producer pr ON pr.id = o.producer_id
            LEFT JOIN marketplace_certificate c ON c.id = o.current_certificate_id
            LEFT JOIN product_producttranslation t
              ON t.product_id = p.id AND t.language_code = 'en'
            LEFT JOIN (VALUES {values}) AS g (set_code, words) ON g.set_code = o.product_set_code
            CROSS JOIN LATERAL (SELECT
                ocop_fold(p.name) AS name,
                ocop_fold(coalesce(t.name, '')) AS name_en,
                ocop_fold(concat_ws(' ', pr.name, c.commune_name, c.province_name,
                    c.legacy_commune_name, c.legacy_district_name, c.legacy_province_name,
                    g.words)) AS fields,
                ocop_fold(left(p.description, 400)) AS description) AS n
            WHERE p.id = ANY(%s)
            ON CONFLICT (product_id) DO UPDATE SET
                name = EXCLUDED.name, name_en = EXCLUDED.name_en, fields = EXCLUDED.fields,
                description = EXCLUDED.description, names = EXCLUDED.names,
                known = EXCLUDED.known, every = EXCLUDED.every
            """,
            [*values_params, ids],
        )
        written = cursor.rowcount
        cursor.execute(
            f"DELETE FROM {TABLE} s WHERE s.product_id = ANY(%s) AND NOT EXISTS "
            "(SELECT 1 FROM marketplace_ocopproduct o WHERE o.product_id = s.product_id)",
            [ids],
        )
    return written


def refresh_all(batch: int = 5000) -> int:
    """Every OCOP product (the migration's backfill; ``ocop_search_index --sync`` after
    writes that bypassed the shop)."""
    from marketplace.models import OcopProduct

    ids = list(OcopProduct.objects.order_by("product_id").values_list("product_id", flat=True))
    return sum(refresh(ids[start : start + batch]) for start in range(0, len(ids), batch))
