"""With DEBUG off (the default), errors are the shop's own bilingual pages: no
traceback, no settings, no list of URL patterns."""

import pytest
from django.test import Client
from django.urls import reverse


@pytest.mark.django_db
def test_an_unknown_url_is_the_storefronts_not_found_page(client):
    response = client.get("/khong-co-trang-nay/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'data-testid="message">Không tìm thấy trang bạn cần.</p>' in page
    assert "URLconf" not in page  # Django's debug page lists every URL pattern


@pytest.mark.django_db
def test_a_failing_view_answers_the_bilingual_500_page(settings):
    # Given a view that fails
    settings.ROOT_URLCONF = "tests.security.failing_urls"
    client = Client(raise_request_exception=False)

    # When it is requested
    response = client.get("/loi-thu/")

    # Then the shopper sees the shop's page in both languages, and nothing of the error
    page = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Xin lỗi, đã có lỗi</h1>" in page
    assert '<h2 lang="en">Sorry, something went wrong</h2>' in page
    assert "/static/storefront/storefront.css" in page
    assert "database went away" not in page
    assert "Traceback" not in page


@pytest.mark.django_db
def test_the_graphql_address_opened_in_a_browser_says_how_to_call_it(client):
    # When someone opens /graphql/ in a browser
    response = client.get(reverse("api"), HTTP_ACCEPT="text/html")

    # Then a short page explains the API (no in-browser IDE loading scripts from a CDN)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1>GraphQL API</h1>" in page
    assert "<script" not in page
    assert response["Content-Security-Policy"].startswith("default-src 'self'")
