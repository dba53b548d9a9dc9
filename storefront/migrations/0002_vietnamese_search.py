"""Vietnamese search on Saleor's product table, kept in sync by PostgreSQL itself.

``ocop_fold(text)`` folds like ``common.text.fold``: đ/Đ → d/D explicitly (the
letter has no Unicode decomposition), then ``unaccent`` (tone and vowel marks), then
lower case. It is IMMUTABLE (``unaccent`` is only STABLE because its dictionary could
change; we name the dictionary), so it can back expression indexes: trigram GIN
indexes on the folded name and on the folded start of the description. Every insert or
update of a product, by the importer, the dashboard or the API, is indexed with no
extra work at import time.
"""

from django.db import migrations

# PostgreSQL 17+ builds and maintains expression indexes with a safe search_path
# (pg_catalog only), so the function names unaccent's schema explicitly.
FORWARD = r"""
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
DO $do$
DECLARE
    schema_name text := (
        SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent'
    );
BEGIN
    EXECUTE format(
        $f$CREATE OR REPLACE FUNCTION ocop_fold(value text) RETURNS text
               LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
               AS $body$ SELECT pg_catalog.lower(%1$s.unaccent(%2$L::regdictionary,
                   pg_catalog.translate(value, 'đĐ', 'dD'))) $body$$f$,
        schema_name, schema_name || '.unaccent'
    );
END
$do$;
CREATE INDEX IF NOT EXISTS storefront_product_name_fold_trgm
    ON product_product USING gin (ocop_fold(name) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS storefront_product_description_fold_trgm
    ON product_product USING gin (ocop_fold(left(description, 400)) gin_trgm_ops);
"""

BACKWARD = r"""
DROP INDEX IF EXISTS storefront_product_description_fold_trgm;
DROP INDEX IF EXISTS storefront_product_name_fold_trgm;
DROP FUNCTION IF EXISTS ocop_fold(text);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("storefront_config", "0001_initial"),
        ("product", "0117_auto_20200423_0737"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
