"""Dates as Vietnamese files and people write them (day first)."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T][\d:.]+)?$")
_DMY_DATE = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$")


@lru_cache(maxsize=8192)
def parse_date(text: str) -> dt.date | None:
    """YYYY-MM-DD, DD/MM/YYYY, D/M/YYYY, DD-MM-YYYY or DD.MM.YYYY (day first, as in Vietnam)."""
    text = text.strip()
    match = _ISO_DATE.match(text)
    try:
        if match:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        match = _DMY_DATE.match(text)
        if match:
            return dt.date(int(match.group(4)), int(match.group(3)), int(match.group(1)))
    except ValueError:  # 31/02/2024
        return None
    return None
