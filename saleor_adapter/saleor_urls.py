"""Saleor 2.10's own HTTP endpoints, without its DEBUG catch-all home view."""

import uuid

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import include, re_path
from django.views.decorators.csrf import csrf_exempt
from saleor.data_feeds.urls import urlpatterns as feed_urls
from saleor.product.views import digital_product

from saleor_adapter.graphql.schema import schema
from saleor_adapter.graphql.view import LimitedGraphQLView


def digital_download(request: HttpRequest, token: str) -> HttpResponse:
    """Saleor's digital download, for a token that is a UUID (Saleor writes it as 32 hex
    digits); anything else is a 404, where Saleor's own view fails (500) on it."""
    try:
        uuid.UUID(token)
    except ValueError:
        raise Http404("not a download token") from None
    return digital_product(request, token)


saleor_urlpatterns = [
    re_path(r"^graphql/", csrf_exempt(LimitedGraphQLView.as_view(schema=schema)), name="api"),
    re_path(r"^feeds/", include((feed_urls, "data_feeds"), namespace="data_feeds")),
    # Saleor's own pattern (Saleor reverses it with the token's 32 hex digits).
    re_path(
        r"^digital-download/(?P<token>[0-9A-Za-z_\-]+)/$", digital_download, name="digital-product"
    ),
]
