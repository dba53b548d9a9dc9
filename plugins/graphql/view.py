"""Saleor's GraphQL view, refusing with 400 a body that is not a GraphQL request.

Saleor 2.10's view answers 500 to JSON nested deeper than the parser goes
(RecursionError), to JSON that is not an object or a list of objects ("1", "[[]]":
AttributeError) and to a multipart upload whose ``operations`` or ``map`` is malformed.
"""

from __future__ import annotations

from saleor.graphql.views import GraphQLView as SaleorGraphQLView


def _is_request(entry) -> bool:
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("query", ""), str)
        and isinstance(entry.get("variables") or {}, dict | str)
        and isinstance(entry.get("operationName") or "", str)
    )


class GraphQLView(SaleorGraphQLView):
    @staticmethod
    def parse_body(request):
        try:
            data = SaleorGraphQLView.parse_body(request)
        except (RecursionError, UnicodeDecodeError):
            raise ValueError("not a GraphQL request") from None
        if request.content_type != "application/json":
            return data
        if not (_is_request(data) or (isinstance(data, list) and all(map(_is_request, data)))):
            # The view answers 400 "Unable to parse query." to a ValueError here.
            raise ValueError("not a GraphQL request")
        return data

    @staticmethod
    def get_graphql_params(request, data):
        try:
            query, variables, operation_name = SaleorGraphQLView.get_graphql_params(request, data)
        except (ValueError, RecursionError, AttributeError, TypeError, KeyError, IndexError):
            # A malformed multipart upload: answered as a request without a query (400).
            return None, None, None
        if variables is not None and not isinstance(variables, dict | str):
            return None, None, None
        return query, variables, operation_name
