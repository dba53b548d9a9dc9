"""Vietnamese text normalisation shared by the registry readers and validators.

Registry files come from many provincial offices: some are saved as NFD (decomposed
diacritics), some carry non-breaking spaces copied from Word, and clerks type names with
or without diacritics. Everything is compared in NFC, and matched on a folded key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Zero-width characters and the BOM are invisible in a spreadsheet but break equality.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
# All combining marks Vietnamese uses (tone marks, horn, breve, circumflex, dot below)
# are in U+0300–U+036F; the other ranges cover stray marks from unusual input methods.
_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# đ/Đ are separate letters, not d plus a mark: NFD leaves them alone.
_STROKE_D = str.maketrans({"đ": "d", "Đ": "D"})
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def normalize_text(value: object) -> str:
    """NFC, trimmed, with every run of whitespace (NBSP, tabs, newlines) made one space."""
    if value is None:
        return ""
    if isinstance(value, str):
        return _normalize_str(value)
    return _normalize_str(str(value))


# Registry columns repeat a lot (provinces, authorities, dates, groups): memoising pays
# for the misses on unique names several times over on a 15,000-row file.
@lru_cache(maxsize=1 << 16)
def _normalize_str(text: str) -> str:
    if not text.isascii():
        text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    # str.split() splits on every Unicode space, NBSP included, and is much faster than re.
    return " ".join(text.split())


def normalize_multiline(value: object) -> str:
    """Like normalize_text, but keeps paragraph breaks (product stories have them)."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    lines = [normalize_text(line) for line in text.split("\n")]
    # Collapse runs of blank lines to one paragraph break.
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def fold(value: object) -> str:
    """Lowercase, diacritics removed, đ→d: the form for header matching and keys."""
    if value is None:
        return ""
    return _fold_str(value if isinstance(value, str) else str(value))


@lru_cache(maxsize=1 << 16)
def _fold_str(value: str) -> str:
    text = value.lower()  # "Đ".lower() is "đ"; case folding first halves the work
    if not text.isascii():
        text = _COMBINING.sub("", unicodedata.normalize("NFD", text)).translate(_STROKE_D)
        text = _INVISIBLE.sub("", unicodedata.normalize("NFC", text))
    return " ".join(text.split())


def compact_key(value: object) -> str:
    """fold() with everything but ASCII letters and digits removed ("Giá_bán" → "giaban")."""
    return _NON_ALNUM.sub("", fold(value))


def word_key(value: object) -> str:
    """fold() with punctuation as single spaces: "Lưu niệm – nội thất" → "luu niem noi that"."""
    return _NON_ALNUM.sub(" ", fold(value)).strip()


def slug_for(text: str, max_length: int = 200) -> str:
    """A URL slug for Vietnamese text: diacritics and đ folded, not dropped."""
    from django.utils.text import slugify

    return slugify(fold(text))[:max_length].strip("-")
