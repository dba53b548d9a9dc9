"""The error type of refused domain actions, and the one style of bilingual message.

A refusal carries a stable ``code`` (for APIs and tests), a message people read and,
when a form field is at fault, that ``field``. Messages people read are Vietnamese
first, then English, joined by " / " (``bilingual``).
"""

from __future__ import annotations


def bilingual(vietnamese: str, english: str) -> str:
    """ "Không tìm thấy / Not found": the shop's one way of saying a thing twice."""
    return f"{vietnamese} / {english}"


class DomainError(Exception):
    """A refused action: ``code`` is stable, ``message`` is for people, ``field`` names
    the form field at fault (None: the whole request)."""

    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
