"""The shop's URLs plus one view that fails, to see the shop's own 500 page."""

from django.urls import path

from config.urls import *  # noqa: F403  (urlpatterns and the error handlers)
from config.urls import urlpatterns


def failing_view(request):
    raise RuntimeError("the database went away")


urlpatterns = [*urlpatterns, path("loi-thu/", failing_view)]
