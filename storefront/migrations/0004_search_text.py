"""The PostgreSQL engine's folded text per product (storefront.models.SearchText), with
trigram indexes, filled for the products already there."""

from django.db import migrations, models

INDEXES = r"""
CREATE INDEX storefront_searchtext_every_trgm
    ON storefront_config_searchtext USING gin (every gin_trgm_ops);
CREATE INDEX storefront_searchtext_names_trgm
    ON storefront_config_searchtext USING gin (names gin_trgm_ops);
CREATE INDEX storefront_searchtext_name_trgm
    ON storefront_config_searchtext USING gin (name gin_trgm_ops);
"""


def backfill(apps, schema_editor):
    from storefront.search_text import refresh_all

    refresh_all()


class Migration(migrations.Migration):
    dependencies = [
        ("storefront_config", "0003_search_browse_order"),
        ("marketplace", "0006_search_outbox"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchText",
            fields=[
                ("product_id", models.IntegerField(primary_key=True, serialize=False)),
                ("name", models.TextField()),
                ("name_en", models.TextField(blank=True)),
                ("fields", models.TextField(blank=True)),
                ("description", models.TextField(blank=True)),
                ("names", models.TextField()),
                ("known", models.TextField()),
                ("every", models.TextField()),
            ],
        ),
        migrations.RunSQL(INDEXES, migrations.RunSQL.noop),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
