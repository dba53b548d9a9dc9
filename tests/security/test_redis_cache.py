"""REDIS_URL (or CACHE_URL=redis://…) is the shop's cache, through django-redis: Saleor's
own reading of it named a Django 4 backend and every cached page answered 500."""

import pytest
import redis

from config import environment
from tests.security.conftest import free_port

PAGES = ["/", "/san-pham/", "/tim-kiem/?q=mien+dong"]


@pytest.fixture
def redis_cache(settings, redis_url):
    """The shop's cache on the test Redis, emptied first; the list pages are cached."""
    redis.Redis.from_url(redis_url).flushdb()
    settings.CACHES = {"default": environment.cache_config({"REDIS_URL": redis_url})}
    settings.STOREFRONT_SEARCH_CACHE_SECONDS = 60
    return redis.Redis.from_url(redis_url)


def test_a_redis_url_names_django_redis():
    assert environment.cache_config({"REDIS_URL": "redis://cache:6379/1"}) == {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://cache:6379/1",
        "KEY_PREFIX": "ocop",
        "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1, "IGNORE_EXCEPTIONS": True},
    }
    # CACHE_URL wins; other schemes keep django-cache-url's reading; nothing is memory
    assert (
        environment.cache_config(
            {"CACHE_URL": "rediss://c:6380/2", "REDIS_URL": "redis://b:6379/0"}
        )["LOCATION"]
        == "rediss://c:6380/2"
    )
    assert environment.cache_config({"CACHE_URL": "dummy://"})["BACKEND"] == (
        "django.core.cache.backends.dummy.DummyCache"
    )
    assert environment.cache_config({}) == {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache"
    }


@pytest.mark.django_db
def test_with_redis_the_storefront_pages_answer_and_are_cached_there(
    client, catalogue, redis_cache
):
    # When the home, list and search pages are requested twice with the cache on Redis
    first = [client.get(url) for url in PAGES]
    second = [client.get(url) for url in PAGES]

    # Then they answer, the second time from what Redis keeps
    assert [r.status_code for r in first + second] == [200] * 6
    assert [r.content for r in second[1:]] == [r.content for r in first[1:]]
    kinds = {key.decode().rsplit(":", 1)[0] for key in redis_cache.keys("*")}
    # (the rendered pages only: no per-request id list is kept since the search engines
    # page by themselves, storefront/search.py)
    assert kinds == {"ocop:1:storefront:page:v1"}


@pytest.mark.django_db
def test_a_redis_that_is_down_costs_the_cache_not_the_pages(client, catalogue, settings):
    # Given a cache URL where nothing listens
    settings.CACHES = {
        "default": environment.cache_config({"REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"})
    }
    settings.STOREFRONT_SEARCH_CACHE_SECONDS = 60

    # Then the pages still answer
    assert [client.get(url).status_code for url in PAGES] == [200, 200, 200]
