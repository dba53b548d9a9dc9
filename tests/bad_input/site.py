"""The site as an attacker sees it: every URL pattern, the forms its pages carry, and
a request made so that whatever it did is measured and then undone.

``routes()`` walks Django's URL resolver, so a new URL is fuzzed without anyone
listing it: routes without arguments at once, routes with arguments once the test
says what to fill them with (the test fails until it does).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode

from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name" as reverse() takes it
    pattern: str  # the regex, for messages
    arguments: tuple[str, ...]


def _walk(patterns, namespace: str, prefix: str):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            regex = entry.pattern.regex
            yield Route(
                f"{namespace}{entry.name}", prefix + str(entry.pattern), tuple(regex.groupindex)
            )


def routes() -> list[Route]:
    """Every named URL of the site (Saleor's included), in URLconf order."""
    return list(_walk(get_resolver().url_patterns, "", "/"))


# -- forms ------------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    kind: str  # input type, "select" or "textarea"
    value: str = ""
    checked: bool = False
    options: list[str] = field(default_factory=list)

    @property
    def typed(self) -> bool:
        """A box a person types into (where NUL or 10,000 characters must be refused)."""
        return self.kind in {"text", "email", "password", "search", "tel", "url", "number",
                             "date", "textarea"}  # fmt: skip


@dataclass
class Form:
    action: str
    fields: list[Field]

    def baseline(self) -> dict[str, list[str]]:
        """What a browser would send unchanged: values shown, first choice if none."""
        data: dict[str, list[str]] = {}
        for item in self.fields:
            if item.kind in {"submit", "button", "reset"} or item.name == "csrfmiddlewaretoken":
                continue
            if item.kind == "checkbox":
                if item.checked:
                    data.setdefault(item.name, []).append(item.value)
            elif item.kind == "radio":
                if item.checked or item.name not in data:
                    data[item.name] = [item.value]
            elif item.kind == "select":
                data[item.name] = [item.value or next((o for o in item.options if o), "")]
            else:
                data[item.name] = [item.value]
        return data

    def fuzzable(self) -> list[Field]:
        seen, out = set(), []
        for item in self.fields:
            if item.name in seen or item.name == "csrfmiddlewaretoken":
                continue
            if item.kind in {"submit", "button", "reset"}:
                continue
            seen.add(item.name)
            out.append(item)
        return out


class _FormParser(HTMLParser):
    def __init__(self, page_path: str, method: str):
        super().__init__(convert_charrefs=True)
        self.page_path = page_path
        self.method = method
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form" and attrs.get("method", "get").lower() == self.method:
            self._form = Form(attrs.get("action") or self.page_path, [])
            self.forms.append(self._form)
        if self._form is None or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            kind = attrs.get("type", "text").lower()
            self._form.fields.append(
                Field(attrs["name"], kind, attrs.get("value", ""), "checked" in attrs)
            )
        elif tag == "select":
            self._select = Field(attrs["name"], "select")
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(attrs.get("value", ""))
            if "selected" in attrs:
                self._select.value = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = Field(attrs["name"], "textarea")
            self._form.fields.append(self._textarea)
        elif tag == "button" and attrs.get("value"):
            self._form.fields.append(Field(attrs["name"], "submit", attrs["value"]))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def post_forms(html: str, page_path: str) -> list[Form]:
    parser = _FormParser(page_path, "post")
    parser.feed(html)
    return parser.forms


def get_forms(html: str) -> list[Form]:
    parser = _FormParser("", "get")
    parser.feed(html)
    return parser.forms


# -- requests whose effects are measured, then undone ---------------------------------

_WRITES = """
    SELECT relname, n_tup_ins + n_tup_upd + n_tup_del FROM pg_stat_xact_user_tables
    WHERE n_tup_ins + n_tup_upd + n_tup_del > 0
"""


def _writes() -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(_WRITES)
        return dict(cursor.fetchall())


@dataclass
class Outcome:
    status: int
    html: str
    changed: dict[str, int]  # tables whose rows the request changed (for good)
    location: str = ""

    @property
    def shows_an_error(self) -> bool:
        """A page re-rendered with a field or form error (the site's error markup)."""
        return 'class="error' in self.html or 'role="alert"' in self.html

    @property
    def refused(self) -> bool:
        return 400 <= self.status < 500 or (self.status == 200 and self.shows_an_error)


def _fingerprints(tables) -> dict[str, str]:
    """Each table's rows, hashed: equal fingerprints, equal contents."""
    if not tables:
        return {}
    quote = connection.ops.quote_name
    parts = [
        f"SELECT %s, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
        f"FROM {quote(table)} t"
        for table in tables
    ]
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts), list(tables))
        return dict(cursor.fetchall())


def attempt(
    client,
    method: str,
    path: str,
    *,
    query: str = "",
    body: bytes | None = None,
    content_type: str = "application/x-www-form-urlencoded",
    **headers,
) -> Outcome:
    """One request in a savepoint that is rolled back, and what it changed.

    PostgreSQL's per-transaction counters name every table the request wrote to, even
    in a savepoint it rolled back itself; those tables' contents are then compared as
    the request left them and as they were (after the rollback), so ``changed`` lists
    only writes that stood. The client's cookies are put back, so the next request
    meets the same site."""
    cookies = copy.deepcopy(client.cookies)
    try:
        with transaction.atomic():
            before = _writes()
            if method == "GET":
                response = client.get(path, QUERY_STRING=query, **headers)
            else:
                response = client.generic(method, path, body or b"", content_type,
                                          QUERY_STRING=query, **headers)  # fmt: skip
            written = sorted(t for t, n in _writes().items() if n != before.get(t, 0))
            left = _fingerprints(written)
            transaction.set_rollback(True)
        restored = _fingerprints(written)
    finally:
        client.cookies = cookies
    content = b"" if getattr(response, "streaming", False) else response.content
    return Outcome(
        response.status_code,
        content.decode("utf-8", "replace"),
        {table: 1 for table in written if left[table] != restored[table]},
        response.get("Location", ""),
    )


def form_body(data: dict[str, list[str]], raw: dict[str, str] | None = None) -> bytes:
    """A urlencoded body: ``data`` encoded as a browser would, ``raw`` as given
    (already percent-encoded, so it may carry bytes that are not UTF-8)."""
    parts = [urlencode({name: value}) for name, values in data.items() for value in values]
    parts += [f"{name}={value}" for name, value in (raw or {}).items()]
    return "&".join(parts).encode()
