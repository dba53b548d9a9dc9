"""The shop's URLs with /graphql/ answered by Saleor 2.10's own schema (no OCOP
mutations): the plain Saleor a comparison with the extension is measured against."""

from django.urls import re_path
from django.views.decorators.csrf import csrf_exempt
from saleor.graphql.api import schema
from saleor.graphql.views import GraphQLView

from config.urls import urlpatterns as shop_urlpatterns

urlpatterns = [
    re_path(r"^graphql/", csrf_exempt(GraphQLView.as_view(schema=schema)), name="api"),
    *shop_urlpatterns,
]
