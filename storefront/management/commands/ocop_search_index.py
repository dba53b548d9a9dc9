"""``manage.py ocop_search_index``: the search engine's copy of the catalogue.

--rebuild  build a new index of every OCOP product and move the alias to it in one
           step (searches go on against the old index meanwhile), then drop the old one;
--sync     index what the outbox marks (what the Celery task and the beat sweeper do);
--status   the engine, its alias and index, and how many products wait.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from marketplace import search_outbox
from marketplace.models import OcopProduct
from storefront.tasks import sync_outbox

BATCH = 1000


def product_id_batches(size: int = BATCH):
    last = 0
    while True:
        ids = list(
            OcopProduct.objects.filter(product_id__gt=last)
            .order_by("product_id")
            .values_list("product_id", flat=True)[:size]
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


class Command(BaseCommand):
    help = "Rebuild (alias swap) or sync the search index."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--rebuild", action="store_true")
        group.add_argument("--sync", action="store_true")
        group.add_argument("--status", action="store_true")

    def handle(self, *args, rebuild=False, sync=False, status=False, **options):
        if settings.OCOP_SEARCH_ENGINE != "opensearch" and not sync:
            raise CommandError(
                "The search engine is PostgreSQL (OCOP_SEARCH_ENGINE=postgres): it reads the "
                "live tables, there is no index to build. / Công cụ tìm kiếm là PostgreSQL: "
                "không có chỉ mục để dựng."
            )
        if sync:
            count = sync_outbox(budget=float("inf"))
            self.stdout.write(f"Indexed {count} products; {search_outbox.pending()} wait.")
            return
        from opensearchpy.exceptions import OpenSearchException

        from storefront import opensearch_engine

        try:
            if status:
                es = opensearch_engine.admin_client()
                alias = opensearch_engine.alias()
                indexes = (
                    sorted(es.indices.get_alias(name=alias))
                    if es.indices.exists_alias(name=alias)
                    else []
                )
                count = es.count(index=alias)["count"] if indexes else 0
                self.stdout.write(
                    f"{settings.OCOP_OPENSEARCH_URL} alias {alias} -> {', '.join(indexes) or '-'}:"
                    f" {count} documents; {search_outbox.pending()} products wait."
                )
                return
            started = time.monotonic()
            name = opensearch_engine.rebuild(product_id_batches())
        except OpenSearchException as error:
            raise CommandError(
                f"Search engine unavailable / Không kết nối được: {error!r}"
            ) from error
        count = opensearch_engine.admin_client().count(index=name)["count"]
        self.stdout.write(
            f"Built {name} with {count} documents in {time.monotonic() - started:.1f} s;"
            f" {opensearch_engine.alias()} now points to it."
        )
