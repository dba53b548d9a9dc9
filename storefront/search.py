"""Product search for the storefront, behind a small interface.

``ProductSearch.search(text, limit=, offset=, facets=, with_counts=)`` returns the ids
of listed products (published, certificate in force) in display order, how many there
are and, when asked, the facet counts; ``suggest(text)`` the names to offer as the
shopper types; ``index_products(ids)`` brings the engine's copy up to date (nothing
to do for PostgreSQL, whose folded text is rewritten with each change). Two engines
implement it: this module's PostgreSQL one (the default) and
``storefront.opensearch_engine`` (scale-out),
chosen with ``OCOP_SEARCH_ENGINE`` (postgres | opensearch) or the dotted path
``STOREFRONT_SEARCH_ENGINE``. Both pass the same relevance tests
(tests/storefront/test_relevance.py).

Ranking, for a query like "mien dong" or "Miến dong" (and its synonyms from
search_synonyms.txt: "tra" also finds "chè" and "tea"):
0. the name contains the query exactly as typed, accents included (case aside);
1. the folded name or English name (no diacritics, đ→d) contains the folded query;
2. the folded name or English name contains every word, in any order;
3. every word is in the name, English name, producer, origin (commune, province,
   pre-2025 names) or product group;
4. the folded description contains every word;
5. only when nothing matched: names close to the query (small typos).
Within a tier: more stars, then the name.
The folding happens in PostgreSQL (``ocop_fold``, migration 0002) behind trigram
indexes, so it stays in sync with every product write.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache as memoize
from typing import Protocol

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from common.groups import product_set_by_code
from common.inputs import without_control_characters
from common.text import fold, normalize_text
from marketplace.catalogue import listed_product_ids

# Longer input is cut: nobody types a 100-character product name, and a 10,000
# character "query" must cost what a normal one does.
MAX_QUERY_LENGTH = 100
MAX_QUERY_WORDS = 8
# pg_trgm's default word-similarity threshold (0.6) misses "mein dong" for "miến dong".
TYPO_THRESHOLD = 0.5


@dataclass(frozen=True)
class SearchFacets:
    min_stars: int | None = None
    province_code: str | None = None
    product_group: int | None = None


@dataclass(frozen=True)
class FacetCounts:
    """Products per facet value, each counted under the other facets' filters (so a
    chosen province still shows how many the others have)."""

    stars: dict[int, int] = field(default_factory=dict)
    province: dict[str, int] = field(default_factory=dict)
    group: dict[int, int] = field(default_factory=dict)

    def at_least(self, stars: int) -> int:
        return sum(n for level, n in self.stars.items() if level >= stars)


@dataclass(frozen=True)
class SearchResult:
    product_ids: list[int]
    total: int
    query: str = ""
    facets: SearchFacets = field(default_factory=SearchFacets)
    counts: FacetCounts | None = None


class ProductSearch(Protocol):
    def search(
        self,
        text: str,
        *,
        limit: int,
        offset: int = 0,
        facets: SearchFacets | None = None,
        day: datetime.date | None = None,
        with_counts: bool = False,
    ) -> SearchResult: ...

    def suggest(
        self, text: str, *, limit: int = 8, day: datetime.date | None = None
    ) -> list[int]: ...

    def index_products(self, product_ids: Iterable[int]) -> int: ...


def groups_of_sets() -> dict[int, int]:
    """OCOP product set code → product group code."""
    return {
        code: product_set.group_code
        for code in range(1, 27)
        if (product_set := product_set_by_code(code)) is not None
    }


def clean_query(text: object) -> str:
    """NFC, single spaces, at most MAX_QUERY_LENGTH characters and MAX_QUERY_WORDS words."""
    # Control characters mean nothing in a search, and PostgreSQL refuses NUL in text.
    words = without_control_characters(normalize_text(text))[:MAX_QUERY_LENGTH].split()
    return " ".join(words[:MAX_QUERY_WORDS])


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class PostgresProductSearch:
    """Accent-insensitive, typo-tolerant search with PostgreSQL unaccent and pg_trgm.

    A search page is one ordered query with LIMIT/OFFSET over the candidates the trigram
    index gives, and one count, so the total is exact however large the catalogue; only
    when nothing matches the words does a second pair look for names close to the
    query (typos). Browsing walks the (name, id) index per star level (``_browse``).
    """

    # The listed products (published, certificate in force) with their stars and facet
    # values, as a derived table: joined once, not probed product by product; a search
    # also joins each product's folded text (storefront.models.SearchText), whose
    # trigram indexes pick the candidates before any tier is computed.
    _LISTED_COLUMNS = "product_id, stars, province_code, set_code"
    _FROM = """
        FROM product_product p
        JOIN ({listed}) AS l ({columns}) ON l.product_id = p.id{text}
        WHERE true"""
    _TEXT_JOIN = "\n        JOIN storefront_config_searchtext d ON d.product_id = p.id"

    def search(
        self, text, *, limit, offset=0, facets=None, day=None, with_counts=False
    ) -> SearchResult:
        facets = facets or SearchFacets()
        query = clean_query(text)
        day = day or timezone.localdate()
        folded = fold(query).strip()
        if not folded:
            return self._browse(self._frame(day), query, facets, limit, offset, with_counts)
        frame = self._frame(day, text=True)
        match, rank = self._words(query, folded)
        total = self._count(frame, match, facets)
        if folded and not total:
            match, rank = self._typos(folded)
            total = self._count(frame, match, facets)
        ids = self._page(frame, match, facets, rank, limit, offset) if total > offset else []
        counts = self._counts(frame, match, facets) if with_counts else None
        return SearchResult(ids, total, query, facets, counts)

    def _browse(self, frame, query, facets, limit, offset, with_counts) -> SearchResult:
        """Browsing: best stars first, then by name. One grouped count per star level,
        then each star level needed for the page walked in name order (the
        ``(name, id)`` index) until the page is full: no sort of the whole catalogue."""
        where, params = self._where(frame, ("true", []), facets)
        counts = self._counts(frame, ("true", []), facets) if with_counts else None
        if counts is not None:  # the stars facet is counted under the other facets
            floor = facets.min_stars or 0
            by_stars = {stars: n for stars, n in counts.stars.items() if stars >= floor}
        else:
            sql = f"SELECT l.stars, count(*) {where} GROUP BY l.stars"
            by_stars = dict(self._execute(sql, params, many=True))
        total = sum(by_stars.values())
        parts, part_params, skip, wanted = [], [], offset, limit
        for stars in sorted(by_stars, reverse=True):
            if wanted <= 0:
                break
            if skip >= by_stars[stars]:
                skip -= by_stars[stars]
                continue
            take = min(wanted, by_stars[stars] - skip)
            parts.append(
                f"(SELECT p.id, l.stars, p.name {where} AND l.stars = %s"
                " ORDER BY p.name, p.id LIMIT %s OFFSET %s)"
            )
            part_params += [*params, stars, take, skip]
            wanted, skip = wanted - take, 0
        ids = []
        if parts:
            union = " UNION ALL ".join(parts)
            sql = f"SELECT id FROM ({union}) AS page ORDER BY stars DESC, name, id"
            ids = [row[0] for row in self._execute(sql, part_params, many=True)]
        return SearchResult(ids, total, query, facets, counts)

    def suggest(self, text, *, limit=8, day=None) -> list[int]:
        """Names with a word starting with what was typed; names starting with it first."""
        folded = fold(clean_query(text)).strip()
        if not folded:
            return []
        frame = self._frame(day or timezone.localdate(), text=True)
        sql = (
            f"SELECT p.id {frame[0]} AND d.name ~ %s"
            " ORDER BY d.name LIKE %s DESC, l.stars DESC, p.name, p.id LIMIT %s"
        )
        params = [*frame[1], _WORD_START + _regex_escape(folded), _like_escape(folded) + "%", limit]
        rows = self._execute(sql, params, many=True)
        return [row[0] for row in rows]

    def index_products(self, product_ids: Iterable[int]) -> int:
        """Nothing to do: the folded text is rewritten in the writers' transactions
        (storefront.search_text), the rest is read from the live tables."""
        return 0

    # -- the statement's parts: (sql, params) -------------------------------------------

    def _frame(self, day: datetime.date, *, text: bool = False) -> tuple[str, list]:
        listed_sql, listed_params = (
            listed_product_ids(day=day)
            .values_list(
                "product_id",
                "current_certificate__stars",
                "producer__province_code",
                "product_set_code",
            )
            .query.sql_with_params()
        )
        sql = self._FROM.format(
            listed=listed_sql,
            columns=self._LISTED_COLUMNS,
            text=self._TEXT_JOIN if text else "",
        )
        return sql, list(listed_params)

    @staticmethod
    def _facet_conditions(facets: SearchFacets) -> dict[str, tuple[str, list]]:
        conditions = {}
        if facets.min_stars is not None:
            conditions["stars"] = ("l.stars >= %s", [facets.min_stars])
        if facets.province_code:
            conditions["province"] = ("l.province_code = %s", [facets.province_code])
        if facets.product_group is not None:
            codes = [c for c, g in groups_of_sets().items() if g == facets.product_group]
            conditions["group"] = ("l.set_code = ANY(%s)", [codes])
        return conditions

    def _where(self, frame, match, facets) -> tuple[str, list]:
        sql, params = frame[0] + f" AND ({match[0]})", [*frame[1], *match[1]]
        for condition, values in self._facet_conditions(facets).values():
            sql += f" AND {condition}"
            params += values
        return sql, params

    def _words(self, query: str, folded: str):
        """(match, rank) for the query and its synonyms (search_synonyms.txt).

        A word matches where a word of the text starts with it ("mi" finds "miến", "che"
        does not find "lychee"); the match is on ``d.every`` alone, so the trigram index
        picks the candidates, and the tiers are computed on those only."""
        from storefront.search_terms import alternatives

        tiers: dict[str, list[str]] = {"every": [], "names": [], "known": [], "phrase": []}
        values: dict[str, list] = {key: [] for key in tiers}
        for alternative in alternatives(folded):
            patterns = [_WORD_START + _regex_escape(word) for word in alternative.split()]
            for column in ("every", "names", "known"):
                tiers[column].append("(" + " AND ".join([f"d.{column} ~ %s"] * len(patterns)) + ")")
                values[column] += patterns
            regex = _WORD_START + _regex_escape(alternative) + _WORD_END
            tiers["phrase"].append("(d.name ~ %s OR d.name_en ~ %s)")
            values["phrase"] += [regex, regex]
        match = (" OR ".join(tiers["every"]), values["every"])
        rank = (
            f"""CASE WHEN lower(p.name) ~ %s THEN 0
                     WHEN {" OR ".join(tiers["phrase"])} THEN 1
                     WHEN {" OR ".join(tiers["names"])} THEN 2
                     WHEN {" OR ".join(tiers["known"])} THEN 3
                     ELSE 4 END, l.stars DESC""",
            [
                _WORD_START + _regex_escape(query.lower()) + _WORD_END,
                *values["phrase"],
                *values["names"],
                *values["known"],
            ],
        )
        return match, rank

    def _typos(self, folded: str):
        match = ("%s <%% d.names", [folded])
        rank = ("word_similarity(%s, d.names) DESC, l.stars DESC", [folded])
        return match, rank

    # -- the statements -------------------------------------------------------------

    def _count(self, frame, match, facets) -> int:
        where, params = self._where(frame, match, facets)
        return self._execute(f"SELECT count(*) {where}", params, many=False)[0]

    def _page(self, frame, match, facets, rank, limit, offset) -> list[int]:
        where, params = self._where(frame, match, facets)
        sql = f"SELECT p.id {where} ORDER BY {rank[0]}, p.name, p.id LIMIT %s OFFSET %s"
        rows = self._execute(sql, [*params, *rank[1], limit, offset], many=True)
        return [row[0] for row in rows]

    def _counts(self, frame, match, facets) -> FacetCounts:
        """One grouped query: each facet counted under the other facets' filters."""
        conditions = self._facet_conditions(facets)

        def others(name: str) -> tuple[str, list]:
            parts = [c for key, c in conditions.items() if key != name]
            if not parts:
                return "true", []
            return " AND ".join(sql for sql, _ in parts), [v for _, values in parts for v in values]

        counted, counted_params = [], []
        for name in ("stars", "province", "group"):
            sql, params = others(name)
            counted.append(f"count(*) FILTER (WHERE {sql})")
            counted_params += params
        where, params = frame[0] + f" AND ({match[0]})", [*frame[1], *match[1]]
        sql = (
            "SELECT GROUPING(l.stars, l.province_code, l.set_code), l.stars, l.province_code,"
            f" l.set_code, {', '.join(counted)} {where}"
            " GROUP BY GROUPING SETS ((l.stars), (l.province_code), (l.set_code))"
        )
        stars, provinces, groups = {}, {}, {}
        set_groups = groups_of_sets()
        for grouping, star, province, set_code, by_stars, by_province, by_group in self._execute(
            sql, [*counted_params, *params], many=True
        ):
            if grouping == 3 and by_stars:
                stars[star] = by_stars
            elif grouping == 5 and by_province:
                provinces[province] = by_province
            elif grouping == 6 and by_group and set_code in set_groups:
                group = set_groups[set_code]
                groups[group] = groups.get(group, 0) + by_group
        return FacetCounts(stars=stars, province=provinces, group=groups)

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
