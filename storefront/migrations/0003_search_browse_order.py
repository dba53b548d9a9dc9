"""Indexes for the PostgreSQL search engine at scale (storefront/search.py):

* ``product_product (name, id)``: a browse page walks the products of one star level in
  name order and stops after the page (no sort of the whole catalogue per request);
* a trigram index on the folded English name (Saleor's product translations), searched
  beside the name.
"""

from django.db import migrations

FORWARD = r"""
CREATE INDEX IF NOT EXISTS storefront_product_name_id ON product_product (name, id);
CREATE INDEX IF NOT EXISTS storefront_translation_name_fold_trgm
    ON product_producttranslation USING gin (ocop_fold(name) gin_trgm_ops);
"""

BACKWARD = r"""
DROP INDEX IF EXISTS storefront_translation_name_fold_trgm;
DROP INDEX IF EXISTS storefront_product_name_id;
"""


class Migration(migrations.Migration):
    dependencies = [("storefront_config", "0002_vietnamese_search")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
