"""What one GraphQL operation may ask for, measured before anything runs.

Saleor 2.10 executes any query it can parse: five levels of ``categories → products →
category → products`` multiply to 10^10 rows, a 2,000-level selection overflows
graphql-core's recursive parser, and cyclic fragments recurse in its validators. The
view (``saleor_adapter.graphql.view``) calls ``check_text`` before the parser runs (length in
bytes, and bracket nesting counted by a flat scan, so no recursion can happen) and
``check_document`` on the parsed document before validation and execution (depth with
fragments resolved, aliases, fields, a cost estimate). Limits come from settings
(``GRAPHQL_LIMITS`` in config/settings.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from graphql.language import ast
from graphql.type import (
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
)

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})
PAGE_ARGUMENTS = ("first", "last")


@dataclass(frozen=True)
class Limits:
    max_query_bytes: int
    max_nesting: int
    max_depth: int
    max_aliases: int
    max_fields: int
    max_cost: int
    max_cost_staff: int
    page_size: int
    list_size: int
    max_batch: int

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(**settings.GRAPHQL_LIMITS)


class QueryRefused(Exception):
    """A request over a limit: answered with one error carrying ``code``, HTTP 400."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Measure:
    """What an operation asks for; ``cost`` estimates the objects it may load."""

    depth: int
    fields: int
    cost: int


@dataclass(frozen=True)
class DocumentMeasure:
    depth: int
    aliases: int
    fields: int
    cost: int
    introspection: bool


# The characters the nesting scan stops at; everything else is skipped in one search.
_INTERESTING = re.compile(r'[{}()\[\]"#]')
_OPENING = frozenset("{([")
_LINE_END = re.compile(r"[\n\r]")


def _string_end(query: str, start: int) -> int:
    """Index after the string opening at ``start``: a block string up to an unescaped
    triple quote, else a string up to its closing quote or the end of its line (an
    unterminated one is the parser's to refuse). Each character is read once."""
    if query.startswith('"""', start):
        position = start + 3
        while True:
            close = query.find('"""', position)
            if close == -1:
                return len(query)
            if query[close - 1] != "\\":
                return close + 3
            position = close + 3
    position = start + 1
    while position < len(query):
        char = query[position]
        if char == "\\":
            position += 2
        elif char == '"':
            return position + 1
        elif char in "\n\r":
            return position
        else:
            position += 1
    return len(query)


def nesting(query: str, stop_above: int | None = None) -> int:
    """The deepest nesting of ``{ ( [`` outside strings and comments (or the first depth
    over ``stop_above``): one pass, no recursion and no backtracking, so its time grows
    with the length only."""
    depth = deepest = position = 0
    while True:
        match = _INTERESTING.search(query, position)
        if match is None:
            return deepest
        char, position = match.group(), match.start()
        if char == "#":
            line_end = _LINE_END.search(query, position)
            position = line_end.start() if line_end else len(query)
        elif char == '"':
            position = _string_end(query, position)
        else:
            if char in _OPENING:
                depth += 1
                deepest = max(deepest, depth)
                if stop_above is not None and deepest > stop_above:
                    return deepest
            else:
                depth = max(depth - 1, 0)
            position += 1


def check_text(query: str, limits: Limits) -> None:
    """Refuse a query too long or too deeply nested to hand to the parser."""
    size = len(query.encode("utf-8", errors="surrogatepass"))
    if size > limits.max_query_bytes:
        raise QueryRefused(
            "QUERY_TOO_LONG",
            f"Truy vấn quá dài ({size} byte, tối đa {limits.max_query_bytes}) / "
            f"Query too long ({size} bytes, limit {limits.max_query_bytes}).",
        )
    if nesting(query, stop_above=limits.max_nesting) > limits.max_nesting:
        raise QueryRefused(
            "QUERY_TOO_DEEP",
            f"Truy vấn lồng quá sâu (hơn {limits.max_nesting} cấp ngoặc) / "
            f"Query nested too deeply (more than {limits.max_nesting} levels of brackets).",
        )


def _too_deep(depth: int, limit: int) -> QueryRefused:
    return QueryRefused(
        "QUERY_TOO_DEEP",
        f"Truy vấn lồng quá sâu ({depth} cấp, tối đa {limit}) / "
        f"Query too deep (depth {depth}, limit {limit}).",
    )


def _named(type_):
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        type_ = type_.of_type
    return type_


def _is_list(type_) -> bool:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


def _is_connection(type_) -> bool:
    fields = getattr(type_, "fields", None) or {}
    return "edges" in fields and "pageInfo" in fields


class _Measurer:
    """Measures selection sets; each fragment is measured once (fragments spread many
    times would otherwise be walked an exponential number of times)."""

    def __init__(self, schema: GraphQLSchema, variables: dict, limits: Limits):
        self.schema = schema
        self.variables = variables if isinstance(variables, dict) else {}
        self.limits = limits
        self.fragments: dict[str, Measure] = {}

    def _page_size(self, definition, field: ast.Field) -> int:
        """``first``/``last`` as sent (literal or variable), else the argument's default
        (our own lists default to 20 or 50), else ``page_size`` (Saleor's maximum)."""
        given = {argument.name.value: argument.value for argument in field.arguments or []}
        sizes = []
        for name in PAGE_ARGUMENTS:
            if name not in definition.args:
                continue
            value = given.get(name, definition.args[name].default_value)
            if isinstance(value, ast.Variable):
                value = self.variables.get(value.name.value, definition.args[name].default_value)
            elif isinstance(value, ast.IntValue):
                value = int(value.value)
            if isinstance(value, int) and not isinstance(value, bool):
                sizes.append(max(value, 0))
        return max(sizes) if sizes else self.limits.page_size

    def _multiplier(self, parent, definition, field: ast.Field) -> int:
        if definition is None:
            return 1
        if any(name in definition.args for name in PAGE_ARGUMENTS):
            return self._page_size(definition, field)
        if _is_list(definition.type):
            # A connection's edges are already counted by its first/last.
            return 1 if _is_connection(parent) else self.limits.list_size
        return 1

    def selection_set(self, selection_set, parent) -> Measure:
        depth = fields = cost = 0
        for selection in selection_set.selections if selection_set else []:
            if isinstance(selection, ast.Field):
                measure = self.field(selection, parent)
            elif isinstance(selection, ast.InlineFragment):
                condition = selection.type_condition
                type_ = self.schema.get_type(condition.name.value) if condition else parent
                measure = self.selection_set(selection.selection_set, type_)
            else:
                measure = self.fragments.get(selection.name.value, Measure(0, 0, 0))
            depth = max(depth, measure.depth)
            fields += measure.fields
            cost += measure.cost
        return Measure(depth, fields, cost)

    def field(self, field: ast.Field, parent) -> Measure:
        definition = None
        if isinstance(parent, (GraphQLObjectType, GraphQLInterfaceType)):
            definition = parent.fields.get(field.name.value)
        child_type = _named(definition.type) if definition is not None else None
        inner = self.selection_set(field.selection_set, child_type)
        if field.name.value in INTROSPECTION_FIELDS:
            # The schema's size bounds introspection, not the data: it costs 1.
            return Measure(1 + inner.depth, 1 + inner.fields, 1)
        multiplier = self._multiplier(parent, definition, field)
        return Measure(1 + inner.depth, 1 + inner.fields, 1 + multiplier * inner.cost)


def _spreads(selection_set, found: set[str]) -> set[str]:
    for selection in selection_set.selections if selection_set else []:
        if isinstance(selection, ast.FragmentSpread):
            found.add(selection.name.value)
        else:
            _spreads(selection.selection_set, found)
    return found


def _fragment_order(fragments: dict[str, ast.FragmentDefinition], max_chain: int) -> list[str]:
    """Fragments with those they spread first; refuses cycles and chains longer than
    ``max_chain`` (spreads do not add depth, but each is a level of recursion for
    graphql-core). Iterative, so a long chain cannot overflow the stack here."""
    uses = {
        name: _spreads(fragment.selection_set, set()) & fragments.keys()
        for name, fragment in fragments.items()
    }
    order: list[str] = []
    chain: dict[str, int] = {}
    in_progress: set[str] = set()
    for root in fragments:
        if root in chain:
            continue
        stack = [(root, iter(sorted(uses[root])))]
        in_progress.add(root)
        while stack:
            name, pending = stack[-1]
            used = next(pending, None)
            if used is None:
                stack.pop()
                in_progress.discard(name)
                chain[name] = 1 + max((chain[u] for u in uses[name]), default=0)
                if chain[name] > max_chain:
                    raise QueryRefused(
                        "QUERY_TOO_DEEP",
                        f"Các fragment lồng nhau quá sâu ({chain[name]} cấp, tối đa "
                        f"{max_chain}) / Fragments spread too deeply ({chain[name]} levels, "
                        f"limit {max_chain}).",
                    )
                order.append(name)
            elif used in in_progress:
                raise QueryRefused(
                    "QUERY_FRAGMENT_CYCLE",
                    f"Fragment «{used}» tự gọi lại chính nó / "
                    f"Fragment «{used}» spreads itself (a cycle).",
                )
            elif used not in chain:
                in_progress.add(used)
                stack.append((used, iter(sorted(uses[used]))))
    return order


def _count_aliases(selection_set) -> int:
    count = 0
    for selection in selection_set.selections if selection_set else []:
        if isinstance(selection, ast.Field) and selection.alias is not None:
            count += 1
        if not isinstance(selection, ast.FragmentSpread):
            count += _count_aliases(selection.selection_set)
    return count


def _root_type(schema: GraphQLSchema, operation: ast.OperationDefinition):
    if operation.operation == "mutation":
        return schema.get_mutation_type()
    if operation.operation == "subscription":
        return schema.get_subscription_type()
    return schema.get_query_type()


def measure_document(
    document: ast.Document, schema: GraphQLSchema, variables: dict | None, limits: Limits
) -> DocumentMeasure:
    """Measure every operation of ``document`` (text already passed ``check_text``, so
    the recursion below is bounded by ``max_nesting``). Depth and cost are the largest
    of any operation, fields and aliases the document's total (validation walks all)."""
    fragments: dict[str, ast.FragmentDefinition] = {}
    operations: list[ast.OperationDefinition] = []
    for definition in document.definitions:
        if isinstance(definition, ast.FragmentDefinition):
            fragments.setdefault(definition.name.value, definition)
        elif isinstance(definition, ast.OperationDefinition):
            operations.append(definition)
    measurer = _Measurer(schema, variables or {}, limits)
    for name in _fragment_order(fragments, limits.max_depth):
        fragment = fragments[name]
        measurer.fragments[name] = measurer.selection_set(
            fragment.selection_set, schema.get_type(fragment.type_condition.name.value)
        )
    depth = fields = cost = 0
    for operation in operations:
        measure = measurer.selection_set(operation.selection_set, _root_type(schema, operation))
        depth, cost = max(depth, measure.depth), max(cost, measure.cost)
        fields += measure.fields
    aliases = sum(_count_aliases(d.selection_set) for d in [*operations, *fragments.values()])
    introspection = any(
        _mentions(d.selection_set, INTROSPECTION_FIELDS) for d in [*operations, *fragments.values()]
    )
    return DocumentMeasure(depth, aliases, fields, cost, introspection)


def _mentions(selection_set, names: frozenset[str]) -> bool:
    for selection in selection_set.selections if selection_set else []:
        if isinstance(selection, ast.Field) and selection.name.value in names:
            return True
        if not isinstance(selection, ast.FragmentSpread) and _mentions(
            selection.selection_set, names
        ):
            return True
    return False


def check_document(
    document: ast.Document, schema: GraphQLSchema, variables: dict | None, limits: Limits
) -> DocumentMeasure:
    """Refuse a parsed document over a limit; returns its measure otherwise."""
    measure = measure_document(document, schema, variables, limits)
    if measure.depth > limits.max_depth:
        raise _too_deep(measure.depth, limits.max_depth)
    if measure.aliases > limits.max_aliases:
        raise QueryRefused(
            "QUERY_TOO_MANY_ALIASES",
            f"Truy vấn có quá nhiều bí danh ({measure.aliases}, tối đa {limits.max_aliases}) / "
            f"Too many aliases ({measure.aliases}, limit {limits.max_aliases}).",
        )
    if measure.fields > limits.max_fields:
        raise QueryRefused(
            "QUERY_TOO_MANY_FIELDS",
            f"Truy vấn có quá nhiều trường ({measure.fields}, tối đa {limits.max_fields}) / "
            f"Too many fields ({measure.fields}, limit {limits.max_fields}).",
        )
    if measure.cost > limits.max_cost:
        raise QueryRefused(
            "QUERY_TOO_COMPLEX",
            f"Truy vấn quá nặng (ước tính {measure.cost}, tối đa {limits.max_cost}); hãy "
            f"giảm first/last hoặc số cấp lồng / Query too complex (estimated cost "
            f"{measure.cost}, limit {limits.max_cost}): ask for fewer items (first/last) "
            f"or fewer nested lists.",
        )
    return measure


def check_batch(size: int, limits: Limits) -> None:
    if size > limits.max_batch:
        raise QueryRefused(
            "BATCH_TOO_LARGE",
            f"Quá nhiều thao tác trong một yêu cầu ({size}, tối đa {limits.max_batch}) / "
            f"Too many operations in one batched request ({size}, limit {limits.max_batch}).",
        )
