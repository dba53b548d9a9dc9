"""Product search for the storefront, behind a small interface.

``ProductSearch.search(text, limit=, offset=, facets=)`` returns the ids of listed
products (published, certificate in force) in display order, and how many there are.
The PostgreSQL engine is built in; a scale-out engine (Elasticsearch/OpenSearch with
``asciifolding``, say) implements the same method and is chosen with the setting
``STOREFRONT_SEARCH_ENGINE`` (a dotted path).

Ranking, for a query like "mien dong" or "Miến dong":
0. the name contains the query exactly as typed, accents included (case aside);
1. the folded name (no diacritics, đ→d) contains the folded query;
2. the folded name contains every word of the query, in any order;
3. the folded description contains every word;
4. the name is close to the query (pg_trgm word similarity): small typos.
Within a tier: closer names first, then more stars, then the name.
The folding happens in PostgreSQL (``ocop_fold``, migration 0002) behind trigram
indexes, so it stays in sync with every product write.
"""

from __future__ import annotations

import datetime
import hashlib
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache as memoize
from typing import Protocol

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from common.inputs import without_control_characters
from common.text import fold, normalize_text
from marketplace.catalogue import listed_product_ids

# Longer input is cut: nobody types a 100-character product name, and a 10,000
# character "query" must cost what a normal one does.
MAX_QUERY_LENGTH = 100
MAX_QUERY_WORDS = 8
# pg_trgm's default word-similarity threshold (0.6) misses "mein dong" for "miến dong".
TYPO_THRESHOLD = 0.5
# A shopper pages through at most this many results (the whole national catalogue).
MAX_RESULTS = 50_000


@dataclass(frozen=True)
class SearchFacets:
    min_stars: int | None = None
    province_code: str | None = None
    product_group: int | None = None


@dataclass(frozen=True)
class SearchResult:
    product_ids: list[int]
    total: int
    query: str = ""
    facets: SearchFacets = field(default_factory=SearchFacets)


class ProductSearch(Protocol):
    def search(
        self,
        text: str,
        *,
        limit: int,
        offset: int = 0,
        facets: SearchFacets | None = None,
        day: datetime.date | None = None,
    ) -> SearchResult: ...


def clean_query(text: object) -> str:
    """NFC, single spaces, at most MAX_QUERY_LENGTH characters and MAX_QUERY_WORDS words."""
    # Control characters mean nothing in a search, and PostgreSQL refuses NUL in text.
    words = without_control_characters(normalize_text(text))[:MAX_QUERY_LENGTH].split()
    return " ".join(words[:MAX_QUERY_WORDS])


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _contains(text: str) -> str:
    return f"%{_like_escape(text)}%"


class PostgresProductSearch:
    """Accent-insensitive, typo-tolerant search with PostgreSQL unaccent and pg_trgm.

    One query returns every matching id in order (the page and the total come from it);
    only when nothing matches the words does a second query look for names close to the
    query (typos).
    """

    def search(self, text, *, limit, offset=0, facets=None, day=None) -> SearchResult:
        facets = facets or SearchFacets()
        query = clean_query(text)
        ids = self.ordered_ids(query, facets, day or timezone.localdate())
        return SearchResult(list(ids[offset : offset + limit]), len(ids), query, facets)

    def ordered_ids(self, query: str, facets: SearchFacets, day: datetime.date) -> Sequence[int]:
        """Every matching id in display order, kept for STOREFRONT_SEARCH_CACHE_SECONDS.

        Sorting the whole listed catalogue costs tens of milliseconds at 15,000 products;
        shoppers page through the same lists, so each worker keeps the order (as an
        array of ints) for a short while. Names, prices and facts are always read fresh.
        """
        seconds = settings.STOREFRONT_SEARCH_CACHE_SECONDS
        key = (
            "storefront:search:v1:"
            + hashlib.sha1(repr((query, facets, day.isoformat())).encode()).hexdigest()
        )
        if seconds:
            cached = cache.get(key)
            if cached is not None:
                return cached
        ids = array("i", self._query_ids(query, facets, day))
        if seconds:
            cache.set(key, ids, seconds)
        return ids

    def _query_ids(self, query: str, facets: SearchFacets, day: datetime.date) -> list[int]:
        folded = fold(query)
        # The listed products (published, certificate in force, facets) with their stars,
        # as a derived table: joined once, not probed product by product.
        listed = (
            listed_product_ids(
                min_stars=facets.min_stars,
                province_code=facets.province_code,
                product_group=facets.product_group,
                day=day,
            )
            .values("product_id", "current_certificate__stars")
            .query.sql_with_params()
        )
        if not folded.strip():
            return self._run(self._browse(listed))
        ids = self._run(self._words(query, folded, listed))
        return ids or self._run(self._typos(folded, listed))

    # Each statement is (FROM/WHERE sql, its params, ORDER BY sql, its params).
    _FROM = """
        FROM product_product p
        JOIN ({listed}) AS l (product_id, stars) ON l.product_id = p.id
        WHERE true"""

    def _browse(self, listed):
        listed_sql, listed_params = listed
        return self._FROM.format(listed=listed_sql), list(listed_params), "l.stars DESC", []

    def _words(self, query: str, folded: str, listed):
        listed_sql, listed_params = listed
        words = folded.split()
        patterns = [_contains(word) for word in words]
        name_all = " AND ".join(["ocop_fold(p.name) LIKE %s"] * len(words))
        description_all = " AND ".join(["ocop_fold(left(p.description, 400)) LIKE %s"] * len(words))
        where = self._FROM.format(listed=listed_sql) + f" AND (({name_all}) OR ({description_all}))"
        starts = " AND ".join(["ocop_fold(p.name) ~ %s"] * len(words))
        rank = f"""CASE WHEN lower(p.name) ~ %s THEN 0
                        WHEN ocop_fold(p.name) ~ %s THEN 1
                        WHEN ocop_fold(p.name) ~ %s THEN 2
                        WHEN {starts} THEN 3
                        WHEN {name_all} THEN 4
                        ELSE 5 END, l.stars DESC"""
        rank_params = [
            _WORD_START + _regex_escape(query.lower()) + _WORD_END,
            _WORD_START + _regex_escape(folded) + _WORD_END,
            _WORD_START + _regex_escape(folded),
            *[_WORD_START + _regex_escape(word) for word in words],
            *patterns,
        ]
        return where, [*listed_params, *patterns, *patterns], rank, rank_params

    def _typos(self, folded: str, listed):
        listed_sql, listed_params = listed
        where = self._FROM.format(listed=listed_sql) + " AND %s <%% ocop_fold(p.name)"
        rank = "word_similarity(%s, ocop_fold(p.name)) DESC, l.stars DESC"
        return where, [*listed_params, folded], rank, [folded]

    def _run(self, statement) -> list[int]:
        where, where_params, rank, rank_params = statement
        sql = f"SELECT p.id {where} ORDER BY {rank}, p.name, p.id LIMIT %s"
        rows = self._execute(sql, [*where_params, *rank_params, MAX_RESULTS], many=True)
        return [row[0] for row in rows]

    @staticmethod
    def _execute(sql: str, params: list, *, many: bool):
        if "<%" not in sql:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall() if many else cursor.fetchone()
        with transaction.atomic(), connection.cursor() as cursor:
            # Only in this transaction: how close a name must be to count as a typo.
            cursor.execute(
                "SELECT set_config('pg_trgm.word_similarity_threshold', %s, true)",
                [str(TYPO_THRESHOLD)],
            )
            cursor.execute(sql, params)
            return cursor.fetchall() if many else cursor.fetchone()


_WORD_START = "(^|[^[:alnum:]])"
_WORD_END = "([^[:alnum:]]|$)"


def _regex_escape(text: str) -> str:
    """Escape for PostgreSQL regular expressions (a backslash before any non-word char)."""
    return "".join(ch if ch.isalnum() or ch == " " else "\\" + ch for ch in text)


@memoize
def _engine_class(path: str):
    return import_string(path)


def get_search_engine() -> ProductSearch:
    """The engine named by ``STOREFRONT_SEARCH_ENGINE``."""
    return _engine_class(settings.STOREFRONT_SEARCH_ENGINE)()
