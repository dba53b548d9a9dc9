"""Saleor 2.10's own HTTP endpoints, without its DEBUG catch-all home view."""

from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from saleor.data_feeds.urls import urlpatterns as feed_urls
from saleor.product.views import digital_product

from saleor_adapter.graphql.schema import schema
from saleor_adapter.graphql.view import LimitedGraphQLView

saleor_urlpatterns = [
    re_path(r"^graphql/", csrf_exempt(LimitedGraphQLView.as_view(schema=schema)), name="api"),
    re_path(r"^feeds/", include((feed_urls, "data_feeds"), namespace="data_feeds")),
    # Saleor's own pattern takes any word as the token and its view then fails (500) on
    # what is not a UUID, the token column's type: only a UUID reaches the view here.
    path("digital-download/<uuid:token>/", digital_product, name="digital-product"),
]
