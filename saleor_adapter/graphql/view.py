"""Saleor 2.10's GraphQL view with the request limits of ``saleor_adapter.graphql.limits``.

Checked in this order, each before any resolver runs: the batch size, then per
operation the text (bytes, bracket nesting: before the parser), then the parsed
document (fragment cycles, depth, aliases, fields, cost) and the introspection policy.
A refused operation is answered with one error, ``{"message", "extensions": {"code"}}``,
and HTTP 400; a malformed body (deep JSON, an array of non-objects) is a 400 too.
"""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.http import JsonResponse
from graphql.execution import ExecutionResult
from graphql_jwt.exceptions import JSONWebTokenError
from graphql_jwt.shortcuts import get_user_by_token
from graphql_jwt.utils import get_credentials
from saleor.graphql.views import GraphQLView as SaleorGraphQLView

from saleor_adapter.graphql import limits

UNREADABLE = "Không đọc được yêu cầu / Unable to parse query."
INTROSPECTION_REFUSED = (
    "Chỉ nhân viên đã đăng nhập mới xem được lược đồ API / "
    "Introspection is only for signed-in staff (send a staff JWT)."
)


class NotAGraphQLRequest(ValueError):
    """JSON (or a multipart form) that is not a GraphQL request: answered with
    ``UNREADABLE``. A body that is not JSON at all keeps Saleor's own 400."""


def _is_request(entry) -> bool:
    # A query that is not a string is Saleor's to answer ("Must provide a query string.").
    return (
        isinstance(entry, dict)
        and isinstance(entry.get("variables") or {}, dict | str)
        and isinstance(entry.get("operationName") or "", str)
    )


class RequestCheckingGraphQLView(SaleorGraphQLView):
    """Saleor's view, refusing with 400 a body that is not a GraphQL request (Saleor
    2.10 answers 500 to JSON nested deeper than the parser goes, to JSON that is not an
    object or a list of objects, and to a malformed multipart ``operations``/``map``)."""

    @staticmethod
    def parse_body(request):
        try:
            data = SaleorGraphQLView.parse_body(request)
        except (RecursionError, UnicodeDecodeError):
            raise NotAGraphQLRequest("not a GraphQL request") from None
        if request.content_type != "application/json":
            return data
        if not (_is_request(data) or (isinstance(data, list) and all(map(_is_request, data)))):
            raise NotAGraphQLRequest("not a GraphQL request")
        return data

    @staticmethod
    def get_graphql_params(request, data):
        try:
            query, variables, operation_name = SaleorGraphQLView.get_graphql_params(request, data)
        except (ValueError, RecursionError, AttributeError, TypeError, KeyError, IndexError):
            # A malformed multipart upload: refused as unreadable (400, INVALID_REQUEST).
            raise ValueError("not a GraphQL request") from None
        if variables is not None and not isinstance(variables, dict | str):
            raise ValueError("not a GraphQL request")
        return query, variables, operation_name


def refusal_body(error: limits.QueryRefused) -> dict:
    return {"message": error.message, "extensions": {"code": error.code}}


def may_introspect(request) -> bool:
    """Introspection policy: anyone when ``GRAPHQL_PUBLIC_INTROSPECTION`` (on with
    DEBUG), otherwise only active staff whose JWT is valid (the dashboard's users)."""
    return bool(settings.GRAPHQL_PUBLIC_INTROSPECTION) or is_signed_in_staff(request)


def jwt_user(request):
    """The active user whose valid JWT is on ``request`` (Saleor's API), else None.
    Costs a token check and a user query: read only when needed."""
    token = get_credentials(request) if request is not None else None
    if not token:
        return None
    try:
        user = get_user_by_token(token, request)
    except JSONWebTokenError:
        return None
    return user if user is not None and user.is_active else None


def is_signed_in_staff(request) -> bool:
    """An active staff member's valid JWT is on the request (read only when a query
    needs more than the public limits)."""
    user = jwt_user(request)
    return bool(user and user.is_staff)


class LimitedGraphQLView(RequestCheckingGraphQLView):
    def _handle_query(self, request):
        try:
            data = self.parse_body(request)
        except NotAGraphQLRequest:
            data = None
        except ValueError:
            # Not JSON at all: Saleor's own answer (400 "Unable to parse query.").
            return super()._handle_query(request)
        if isinstance(data, list):
            try:
                limits.check_batch(len(data), limits.Limits.from_settings())
            except limits.QueryRefused as error:
                return JsonResponse({"errors": [refusal_body(error)]}, status=400)
            if all(isinstance(entry, dict) for entry in data):
                return super()._handle_query(request)
        elif hasattr(data, "get"):
            return super()._handle_query(request)
        return JsonResponse({"errors": [{"message": UNREADABLE}]}, status=400)

    def execute_graphql_request(self, request, data):
        try:
            _query, variables, _operation = self.get_graphql_params(request, data)
        except (ValueError, TypeError, AttributeError, RecursionError):
            unreadable = limits.QueryRefused("INVALID_REQUEST", UNREADABLE)
            return ExecutionResult(errors=[unreadable], invalid=True)
        # parse_query (called by Saleor's execute_graphql_request) has no access to the
        # request; one view instance serves one request, one operation at a time.
        self._limited = (request, variables)
        return super().execute_graphql_request(request, data)

    def parse_query(self, query):
        if not query or not isinstance(query, str):
            return super().parse_query(query)
        request, variables = getattr(self, "_limited", (None, None))
        limit = limits.Limits.from_settings()
        try:
            limits.check_text(query, limit)
            document, error = super().parse_query(query)
            if error is None:
                measure = self._check_document(document.document_ast, request, variables, limit)
                if measure.introspection and not may_introspect(request):
                    raise limits.QueryRefused("INTROSPECTION_DISABLED", INTROSPECTION_REFUSED)
        except limits.QueryRefused as refused:
            return None, ExecutionResult(errors=[refused], invalid=True)
        except RecursionError:
            # Unreachable after check_text; kept so no input can make it a 500.
            refused = limits.QueryRefused("QUERY_TOO_DEEP", "Query nested too deeply.")
            return None, ExecutionResult(errors=[refused], invalid=True)
        return document, error

    def _check_document(self, document_ast, request, variables, limit: limits.Limits):
        """The public limits, or for signed-in staff (the dashboard's queries, such as
        100 warehouses with 100 shipping zones each) the larger ``max_cost_staff``."""
        try:
            return limits.check_document(document_ast, self.schema, variables, limit)
        except limits.QueryRefused as refused:
            if refused.code != "QUERY_TOO_COMPLEX" or not is_signed_in_staff(request):
                raise
        staff_limit = dataclasses.replace(limit, max_cost=limit.max_cost_staff)
        return limits.check_document(document_ast, self.schema, variables, staff_limit)

    @classmethod
    def format_error(cls, error):
        if isinstance(error, limits.QueryRefused):
            return refusal_body(error)
        return super().format_error(error)
