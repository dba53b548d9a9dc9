import pytest
from django.test import Client

from tests.storefront.catalogue import import_catalogue


@pytest.fixture
def catalogue(db, tmp_path):
    """Six listed products (see catalogue.ROWS), keyed by name, and a shipping method."""
    return import_catalogue(tmp_path / "registry.csv")


@pytest.fixture
def client() -> Client:
    return Client()


@pytest.fixture(autouse=True)
def _fresh_search_results(settings):
    """Each test builds its own catalogue: no list order kept from another test."""
    settings.STOREFRONT_SEARCH_CACHE_SECONDS = 0
