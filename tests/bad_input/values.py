"""Malformed values, as hypothesis strategies.

Every value is kept percent-encoded (``raw``), as it travels in a query string or a
form body, so bytes that are not UTF-8 can be sent too; ``text`` is what Django hands
the view after decoding. ``kind`` says which trap the value sets:

* ``nul`` — contains NUL, which PostgreSQL refuses in text (and CR, LF or tab around it);
* ``long`` — 10,000 characters, none of them spaces (so no strip() makes them short);
* ``digits`` — digits of other scripts ("²", "٣", "１２": ``isdigit()`` is true);
* ``huge`` — numbers no column holds (10**30, 4,301 digits: Python's int() limit);
* ``json`` — JSON nested far deeper than any parser recurses;
* ``utf8`` — percent-encoded bytes that are not UTF-8.

``nul`` and ``long`` values are wrong in every text field of the site; the others may
be fine text (a booth may be called "²") but must never crash a page.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, unquote

from hypothesis import strategies as st

ALWAYS_REFUSED = frozenset({"nul", "long"})


@dataclass(frozen=True)
class Bad:
    kind: str
    raw: str  # percent-encoded

    @property
    def text(self) -> str:
        return unquote(self.raw, errors="replace")

    def __repr__(self) -> str:  # short in hypothesis' reports
        shown = self.raw if len(self.raw) <= 60 else f"{self.raw[:40]}…({len(self.raw)})"
        return f"Bad({self.kind}, {shown!r})"


def _encoded(kind: str, strategy) -> st.SearchStrategy[Bad]:
    return strategy.map(lambda text: Bad(kind, quote(text, safe="")))


_words = st.text(alphabet="abcxyzđạ19 -_/\r\n\t", max_size=12)

nul = _encoded(
    "nul",
    st.one_of(
        st.just("\x00"),
        st.tuples(_words, _words).map(lambda parts: parts[0] + "\x00" + parts[1]),
    ),
)
long = _encoded("long", st.sampled_from("a9đ-Ư中").map(lambda char: char * 10_000))
digits = _encoded("digits", st.text(alphabet="²³¹٣٤۵१२৩๓０１２", min_size=1, max_size=6))
huge = _encoded(
    "huge",
    st.one_of(
        st.sampled_from(
            [str(10**30), "9" * 40, "1" * 4301, str(2**63), str(2**31), "-1", "1e309", "-0"]
        ),
        st.integers(min_value=2**31, max_value=10**40).map(str),
    ),
)
nested_json = _encoded(
    "json",
    st.one_of(
        st.integers(min_value=100, max_value=3000).map(lambda n: "[" * n + "]" * n),
        st.integers(min_value=100, max_value=1500).map(lambda n: '{"a":' * n + "1" + "}" * n),
    ),
)
invalid_utf8 = st.sampled_from(["%ff", "%fe%ff", "%c3%28", "%ed%a0%80", "%e2%82", "%c0%af"]).map(
    lambda raw: Bad("utf8", raw)
)

# The sharpest of each trap, tried on every parameter a page reads (explicit examples).
SHARP = [Bad("nul", "%00"), Bad("digits", quote("²")), Bad("huge", "1" * 4301)]

bad_values = st.one_of(nul, long, digits, huge, nested_json, invalid_utf8)


def query_string(params: list[tuple[str, Bad]]) -> str:
    return "&".join(f"{quote(name, safe='')}={value.raw}" for name, value in params)
