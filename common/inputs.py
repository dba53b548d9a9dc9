"""Reading what anyone can type or forge: page numbers and ids from query strings, forms
and GraphQL ids, and free text on its way to PostgreSQL.

Two traps make these worth one place. ``str.isdigit()`` is true for "²" and "٣", and
``int()`` then raises (superscripts) or quietly reads another script's digits; only
ASCII digits are numbers here. And PostgreSQL refuses the NUL character in text (psycopg2
raises before the query is sent), so text that reaches the database without going
through a Django form field (which refuses NUL itself) must be checked here.
"""

from __future__ import annotations

from common.errors import DomainError, bilingual

# A bigint holds 18 digits whatever they are; longer is no id of ours.
MAX_ID_DIGITS = 18
NUL = "\x00"
NUL_MESSAGE = "Không được chứa ký tự NUL (\\x00) / Must not contain the NUL character (\\x00)."


def whole_number(raw: object, *, max_digits: int = MAX_ID_DIGITS) -> int | None:
    """The number written in ASCII digits (surrounding spaces forgiven), else None:
    no sign, no other script's digits, at most ``max_digits`` of them."""
    if raw is None:
        return None
    text = str(raw).strip()
    if not text or len(text) > max_digits or not text.isascii() or not text.isdigit():
        return None
    return int(text)


def has_nul(*texts: object) -> bool:
    """Whether any of the texts carries NUL (None and non-text values do not)."""
    return any(isinstance(text, str) and NUL in text for text in texts)


def fields_with_nul(data: dict) -> list[str]:
    """The keys of ``data`` whose value carries NUL anywhere (in nested lists and dicts
    too: JSON input ends in a jsonb column, which refuses \\u0000 as well)."""

    def carries(value) -> bool:
        if isinstance(value, dict):
            return any(carries(key) or carries(item) for key, item in value.items())
        if isinstance(value, list | tuple):
            return any(carries(item) for item in value)
        return has_nul(value)

    return [key for key, value in data.items() if carries(value)]


def without_control_characters(text: str) -> str:
    """``text`` with NUL and the other C0 control characters (tabs and newlines
    included) made spaces: for search words, where they cannot mean anything."""
    return "".join(" " if ord(char) < 32 or char == "\x7f" else char for char in text)


def required_text(
    raw: object,
    *,
    field: str,
    max_length: int,
    missing: tuple[str, str],
    error: type[DomainError] = DomainError,
) -> str:
    """A staff member's required note, reason or number, stripped: refused (DomainError
    with ``field``) when it carries NUL (``null_character``), is empty (``required``,
    with the ``missing`` message, Vietnamese and English) or is longer than
    ``max_length`` (``too_long``); ``error`` is the caller's DomainError subclass. The
    one check behind every reason a staff write asks for."""
    text = (raw if isinstance(raw, str) else "").strip()
    if has_nul(text):
        raise error("null_character", NUL_MESSAGE, field)
    if not text:
        raise error("required", bilingual(*missing), field)
    if len(text) > max_length:
        raise error(
            "too_long",
            bilingual(f"Tối đa {max_length} ký tự", f"At most {max_length} characters"),
            field,
        )
    return text
