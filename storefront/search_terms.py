"""What both search engines share: the synonyms file and the searchable document.

``synonym_groups()`` reads ``search_synonyms.txt`` (one group per line: chè, trà, tea);
``alternatives(folded)`` gives the query with each group's other words in place of a
word it contains (PostgreSQL ORs them; OpenSearch's synonym_graph filter does the same
at query time). ``documents(ids)`` is what either engine knows of a product.
"""

from __future__ import annotations

import datetime
import itertools
import re
from functools import cache
from pathlib import Path

from common.groups import product_set_by_code
from common.text import fold
from marketplace.catalogue import ocop_facts
from saleor_adapter import storefront_data

SYNONYMS_FILE = Path(__file__).with_name("search_synonyms.txt")
MAX_ALTERNATIVES = 8


@cache
def synonym_groups() -> tuple[tuple[str, ...], ...]:
    """Each group's folded phrases, longest first (so "fish sauce" wins over "fish")."""
    groups = []
    for line in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        phrases = tuple(p for p in (fold(part).strip() for part in line.split(",")) if p)
        if len(phrases) > 1:
            groups.append(tuple(sorted(phrases, key=len, reverse=True)))
    return tuple(groups)


def synonym_lines() -> list[str]:
    """The groups as Solr synonym lines (folded), for OpenSearch's synonym_graph."""
    return [", ".join(group) for group in synonym_groups()]


def alternatives(folded: str) -> list[str]:
    """``folded`` first, then the query with synonyms in place of the words they match."""
    choices: list[list[str]] = []
    rest = f" {folded} "
    for group in synonym_groups():
        for phrase in group:
            if f" {phrase} " in rest:
                choices.append(list(group))
                rest = rest.replace(f" {phrase} ", f" \0{len(choices) - 1} ", 1)
                break
    if not choices:
        return [folded]
    found = []
    for picks in itertools.product(*choices):
        text = rest
        for index, pick in enumerate(picks):
            text = text.replace(f"\0{index}", pick)
        found.append(" ".join(text.split()))
    original = " ".join(folded.split())
    ordered = [original] + [text for text in found if text != original]
    return ordered[:MAX_ALTERNATIVES]


_TAGS = re.compile(r"\s+")


def documents(product_ids: list[int], day: datetime.date | None = None) -> dict[int, dict]:
    """The searchable document of each OCOP product of ``product_ids`` (others are absent:
    not an OCOP product, or no certificate). Validity is a window, not a flag, so an
    expiry needs no reindex; publication and stock are flags."""
    facts = ocop_facts(product_ids, day)
    fields = storefront_data.search_fields(list(facts))
    found = {}
    for pk, fact in facts.items():
        row = fields.get(pk)
        if row is None:
            continue
        product_set = product_set_by_code(fact.product_set_code)
        origin = fact.origin
        found[pk] = {
            "id": pk,
            "name": row["name"],
            "name_en": row["name_en"],
            "description": _TAGS.sub(" ", row["description"] or "")[:2000],
            "producer": fact.producer.name,
            "origin": " ".join(
                part
                for part in (
                    origin.commune,
                    origin.province,
                    origin.legacy_commune,
                    origin.legacy_district,
                    origin.legacy_province,
                )
                if part
            ),
            "group": f"{product_set.group_name_vi} {product_set.group_name_en}"
            if product_set
            else "",
            "product_group": product_set.group_code if product_set else None,
            "province_code": origin.province_code,
            "stars": fact.stars,
            "price": int(row["minimal_variant_price_amount"] or 0),
            "in_stock": row["in_stock"],
            "is_published": row["is_published"],
            "valid_from": fact.certificate.decision_date.isoformat(),
            "valid_until": fact.certificate.expiry_date.isoformat(),
        }  # fmt: skip
    return found
