"""Product search on OpenSearch (or Elasticsearch 7.x): the scale-out engine.

Chosen with ``OCOP_SEARCH_ENGINE=opensearch``; the server is ``OCOP_OPENSEARCH_URL``
(``make demo`` and the tests start the project's own node, devtools/opensearch.py).
The client is opensearch-py, whose DSL (``Search``, ``Q``, ``A``) is elasticsearch-dsl's:
current elasticsearch-py refuses servers that are not Elastic's.

The index (``OCOP_SEARCH_INDEX`` is an alias to ``<alias>-<timestamp>``): the name as
written (lowercased: the exact-accents tier), folded (``asciifolding``: đ→d) and as edge
n-grams (suggest-as-you-type); the English name, description, producer, origin (current
and pre-2025 names) and product group folded; stars, price, stock, province, group and
the certificate's validity window, so an expiry needs no reindex. Synonyms
(search_synonyms.txt) apply at query time. Ranking is the PostgreSQL engine's tiers
(storefront/search.py) as constant scores under a dis_max, then stars, then the name.

If the engine cannot be reached, the search is answered by PostgreSQL with a warning
in the log, and the engine is left alone for ``RETRY_AFTER_SECONDS``.
"""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Iterable
from functools import cache

from django.conf import settings
from django.utils import timezone
from opensearchpy import OpenSearch, Q
from opensearchpy.exceptions import ConnectionError as EngineUnreachable
from opensearchpy.exceptions import OpenSearchException
from opensearchpy.helpers import bulk
from opensearchpy.helpers.search import Search

from common.text import fold
from storefront.search import (
    FacetCounts,
    PostgresProductSearch,
    SearchFacets,
    SearchResult,
    clean_query,
)
from storefront.search_terms import documents, synonym_lines

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 10.0
MAX_RESULT_WINDOW = 500_000
_down_until = 0.0

TEXT = {"type": "text", "analyzer": "folded", "search_analyzer": "folded_search"}


def index_body() -> dict:
    return {
        "settings": {
            "number_of_shards": 1,
            "number_of_replicas": 0,
            "max_result_window": MAX_RESULT_WINDOW,
            "analysis": {
                "filter": {
                    "ocop_synonyms": {
                        "type": "synonym_graph",
                        "synonyms": synonym_lines(),
                        "lenient": True,
                    },
                    "ocop_edge": {"type": "edge_ngram", "min_gram": 1, "max_gram": 20},
                },
                "analyzer": {
                    "exact": {"tokenizer": "standard", "filter": ["lowercase"]},
                    "folded": {"tokenizer": "standard", "filter": ["lowercase", "asciifolding"]},
                    "folded_search": {
                        "tokenizer": "standard",
                        "filter": ["lowercase", "asciifolding", "ocop_synonyms"],
                    },
                    "edge": {
                        "tokenizer": "standard",
                        "filter": ["lowercase", "asciifolding", "ocop_edge"],
                    },
                },
            },
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "id": {"type": "integer"},
                "name": {
                    "type": "text",
                    "analyzer": "exact",
                    "fields": {
                        "folded": TEXT,
                        "edge": {"type": "text", "analyzer": "edge", "search_analyzer": "folded"},
                        "sort": {"type": "keyword"},
                    },
                },
                "name_en": {**TEXT, "fields": {"folded": TEXT}},
                "description": TEXT,
                "producer": TEXT,
                "origin": TEXT,
                "group": TEXT,
                "product_group": {"type": "short"},
                "province_code": {"type": "keyword"},
                "stars": {"type": "byte"},
                "price": {"type": "long"},
                "in_stock": {"type": "boolean"},
                "is_published": {"type": "boolean"},
                "valid_from": {"type": "date"},
                "valid_until": {"type": "date"},
            },
        },
    }


@cache
def _client(url: str, timeout: float) -> OpenSearch:
    return OpenSearch([url], timeout=timeout, max_retries=0, retry_on_timeout=False)


def client() -> OpenSearch:
    if not settings.OCOP_OPENSEARCH_URL:
        raise OpenSearchException("OCOP_OPENSEARCH_URL is not set")
    return _client(settings.OCOP_OPENSEARCH_URL, settings.OCOP_OPENSEARCH_TIMEOUT_SECONDS)


# Writes and index administration may wait longer than a shopper's search.
ADMIN_TIMEOUT_SECONDS = 60.0


def admin_client() -> OpenSearch:
    client()  # the same configuration check
    return _client(settings.OCOP_OPENSEARCH_URL, ADMIN_TIMEOUT_SECONDS)


def alias() -> str:
    return settings.OCOP_SEARCH_INDEX


# -- the index: creation, writes, rebuild ---------------------------------------------


def create_index() -> str:
    name = f"{alias()}-{timezone.now().strftime('%Y%m%d%H%M%S%f')}"
    admin_client().indices.create(index=name, body=index_body())
    return name


def ensure_index() -> None:
    """The alias and its index, created on first use."""
    es = admin_client()
    if not es.indices.exists_alias(name=alias()):
        name = create_index()
        es.indices.put_alias(index=name, name=alias())


def write_targets() -> list[str]:
    """Every index of this alias's family: the live one and one being rebuilt, so a
    change made during a rebuild reaches both."""
    found = admin_client().indices.get(
        index=f"{alias()}-*", allow_no_indices=True, expand_wildcards="open"
    )
    return sorted(found) or [alias()]


def index_products(product_ids: Iterable[int], targets: list[str] | None = None) -> int:
    """Write the documents of ``product_ids`` (deleting those no longer searchable)."""
    ids = sorted(set(product_ids))
    if not ids:
        return 0
    found = documents(ids)
    targets = targets or write_targets()
    actions = []
    for index in targets:
        for pk in ids:
            if pk in found:
                actions.append(
                    {"_op_type": "index", "_index": index, "_id": pk, "_source": found[pk]}
                )
            else:
                actions.append({"_op_type": "delete", "_index": index, "_id": pk})
    bulk(admin_client(), actions, raise_on_error=False, chunk_size=1000)
    return len(found)


def rebuild(all_ids: Iterable[list[int]], *, refresh: bool = True) -> str:
    """Build a new index from ``all_ids`` (batches of product ids), then move the alias
    to it in one step and drop the old ones: searches never see a half-built index."""
    es = admin_client()
    name = create_index()
    es.indices.put_settings(index=name, body={"index": {"refresh_interval": "-1"}})
    for batch in all_ids:
        index_products(batch, targets=[name])
    es.indices.put_settings(index=name, body={"index": {"refresh_interval": "1s"}})
    if refresh:
        es.indices.refresh(index=name)
    old = (
        sorted(es.indices.get_alias(name=alias())) if es.indices.exists_alias(name=alias()) else []
    )
    if es.indices.exists(index=alias()) and not old:
        es.indices.delete(index=alias())  # a plain index squatting the alias's name
    actions = [{"remove": {"index": index, "alias": alias()}} for index in old]
    es.indices.update_aliases(
        body={"actions": [*actions, {"add": {"index": name, "alias": alias()}}]}
    )
    for index in sorted(es.indices.get(index=f"{alias()}-*")):
        if index != name:
            es.indices.delete(index=index, ignore_unavailable=True)
    return name


# -- search ---------------------------------------------------------------------------


def _tiers(query: str, folded: str) -> Q:
    """The ranking tiers of storefront/search.py, each a constant score."""

    def tier(boost: int, *queries: Q) -> Q:
        return Q("constant_score", filter=Q("bool", should=list(queries)), boost=boost)

    words = {"query": folded, "operator": "and"}
    return Q(
        "dis_max",
        tie_breaker=0,
        queries=[
            tier(6, Q("match_phrase", name=query.lower())),
            tier(
                5,
                Q("match_phrase", **{"name.folded": folded}),
                Q("match_phrase", **{"name_en.folded": folded}),
            ),
            tier(4, Q("match", **{"name.folded": words}), Q("match", **{"name_en.folded": words})),
            tier(
                3,
                Q(
                    "multi_match",
                    query=folded,
                    type="cross_fields",
                    operator="and",
                    fields=["name.folded", "name_en.folded", "producer", "origin", "group"],
                ),
            ),
            tier(2, Q("match", description=words)),
        ],
    )


def _typos(folded: str) -> Q:
    fuzzy = {"query": folded, "operator": "and", "fuzziness": "AUTO", "prefix_length": 1}
    return Q(
        "bool",
        should=[Q("match", **{"name.folded": fuzzy}), Q("match", **{"name_en.folded": fuzzy})],
        minimum_should_match=1,
    )


def _listed(day: datetime.date) -> list[Q]:
    return [
        Q("term", is_published=True),
        Q("range", valid_from={"lte": day.isoformat()}),
        Q("range", valid_until={"gte": day.isoformat()}),
    ]


def _facet_filters(facets: SearchFacets) -> dict[str, Q]:
    filters = {}
    if facets.min_stars is not None:
        filters["stars"] = Q("range", stars={"gte": facets.min_stars})
    if facets.province_code:
        filters["province"] = Q("term", province_code=facets.province_code)
    if facets.product_group is not None:
        filters["group"] = Q("term", product_group=facets.product_group)
    return filters


AGG_FIELDS = {"stars": "stars", "province": "province_code", "group": "product_group"}


def _note_failure(error: OpenSearchException) -> None:
    """Log it; an engine that cannot be reached is left alone for RETRY_AFTER_SECONDS
    (one that answered with an error is asked again next time)."""
    global _down_until
    if isinstance(error, EngineUnreachable):
        _down_until = time.monotonic() + RETRY_AFTER_SECONDS
    logger.warning("Search engine unavailable, answering from PostgreSQL: %r", error)


class OpenSearchProductSearch:
    """The ProductSearch interface on OpenSearch; PostgreSQL answers when it is down."""

    fallback = PostgresProductSearch

    def search(
        self, text, *, limit, offset=0, facets=None, day=None, with_counts=False
    ) -> SearchResult:
        facets = facets or SearchFacets()
        query = clean_query(text)
        day = day or timezone.localdate()
        # Pages past the engine's result window (a hand-typed ?page=) are PostgreSQL's.
        if time.monotonic() >= _down_until and offset + limit <= MAX_RESULT_WINDOW:
            try:
                return self._search(query, limit, offset, facets, day, with_counts)
            except OpenSearchException as error:
                _note_failure(error)
        return self.fallback().search(
            query, limit=limit, offset=offset, facets=facets, day=day, with_counts=with_counts
        )

    def _search(self, query, limit, offset, facets, day, with_counts) -> SearchResult:
        folded = fold(query).strip()
        response = self._run(
            _tiers(query, folded) if folded else None, limit, offset, facets, day, with_counts
        )
        if folded and response.hits.total.value == 0:
            response = self._run(_typos(folded), limit, offset, facets, day, with_counts)
        counts = None
        if with_counts:
            aggs = response.aggregations.to_dict()
            counts = FacetCounts(
                **{
                    name: {
                        bucket["key"]: bucket["doc_count"]
                        for bucket in aggs[name]["values"]["buckets"]
                    }
                    for name in AGG_FIELDS
                }
            )
        return SearchResult(
            [int(hit.meta.id) for hit in response],
            response.hits.total.value,
            query,
            facets,
            counts,
        )

    def _run(self, scored, limit, offset, facets, day, with_counts):
        search = Search(using=client(), index=alias()).extra(
            track_total_hits=True, from_=offset, size=limit
        )
        search = search.source(False)
        search = search.query(Q("bool", must=[scored] if scored else [], filter=_listed(day)))
        filters = _facet_filters(facets)
        if with_counts:
            # Each facet counts under the other facets' filters, so its options stay visible.
            if filters:
                search = search.post_filter(Q("bool", filter=list(filters.values())))
            for name, field in AGG_FIELDS.items():
                others = [q for key, q in filters.items() if key != name]
                agg = search.aggs.bucket(name, "filter", filter=Q("bool", filter=others))
                agg.bucket("values", "terms", field=field, size=100)
        elif filters:
            search = search.filter(Q("bool", filter=list(filters.values())))
        sort = [{"stars": "desc"}, {"name.sort": "asc"}, {"id": "asc"}]
        search = search.sort(*(["_score", *sort] if scored else sort))
        return search.execute()

    def suggest(self, text, *, limit=8, day=None) -> list[int]:
        query = clean_query(text)
        folded = fold(query).strip()
        if not folded:
            return []
        day = day or timezone.localdate()
        if time.monotonic() >= _down_until:
            try:
                search = (
                    Search(using=client(), index=alias())
                    .source(False)
                    .extra(size=limit)
                    .query(
                        Q(
                            "bool",
                            must=[
                                Q("match", **{"name.edge": {"query": folded, "operator": "and"}})
                            ],
                            should=[Q("match_phrase_prefix", **{"name.folded": folded})],
                            filter=_listed(day),
                        )
                    )
                    .sort("_score", {"stars": "desc"}, {"name.sort": "asc"})
                )
                return [int(hit.meta.id) for hit in search.execute()]
            except OpenSearchException as error:
                _note_failure(error)
        return self.fallback().suggest(query, limit=limit, day=day)

    def index_products(self, product_ids: Iterable[int]) -> int:
        ensure_index()
        return index_products(product_ids)


__all__ = ["OpenSearchProductSearch", "index_body", "rebuild"]
