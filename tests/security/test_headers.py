"""Headers every page gets (config.middleware, settings "Security")."""

import uuid

import pytest
from django.urls import reverse

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)


@pytest.mark.django_db
def test_a_storefront_page_may_not_be_framed_and_runs_only_our_scripts(client, catalogue):
    response = client.get(reverse("storefront-products"))
    assert response.status_code == 200
    assert {
        name: response[name]
        for name in (
            "Content-Security-Policy",
            "X-Frame-Options",
            "Referrer-Policy",
            "X-Content-Type-Options",
        )
    } == {
        "Content-Security-Policy": POLICY,
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "same-origin",
        "X-Content-Type-Options": "nosniff",
    }
    # The filters' script is a static file: the page has no inline script to allow
    assert "<script>" not in response.content.decode()
    assert '<script src="/static/storefront/facets.js" defer></script>' in (
        response.content.decode()
    )


ORDER_TOKEN = str(uuid.UUID(int=7))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", reverse("storefront-cart")),
        ("get", reverse("storefront-checkout")),
        ("get", reverse("storefront-checkout-delivery")),
        ("get", reverse("storefront-order", kwargs={"token": ORDER_TOKEN})),
        ("get", reverse("storefront-order-vietqr", kwargs={"token": ORDER_TOKEN, "kind": "png"})),
        ("get", reverse("storefront-configuration")),
        ("get", reverse("backoffice-login")),
        ("get", reverse("backoffice-areas")),
        ("get", reverse("portal:home")),
        ("get", reverse("portal:order_list")),
        ("get", reverse("fairs:fair_list")),
        ("post", reverse("api")),
    ],
)
def test_pages_with_personal_data_are_never_cached(client, method, url):
    # When any page of a private area is answered (a page, a redirect to sign in, a 404)
    response = getattr(client, method)(url)
    # Then neither the browser nor a proxy keeps it
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_public_pages_keep_their_own_caching(client, catalogue):
    assert not client.get(reverse("storefront-products")).has_header("Cache-Control")
    badge = client.get(reverse("ocop-badge", kwargs={"style": "classic", "stars": 5}))
    assert badge["Cache-Control"] == "public, max-age=31536000, immutable"
    assert not badge.has_header("Content-Security-Policy")  # an image, not a page


@pytest.mark.django_db
def test_with_https_every_cookie_is_secure(client, settings):
    # Given the production switch behind HTTPS
    settings.OCOP_HTTPS = True

    # When a page sets one of our own cookies (the language)
    response = client.get(reverse("storefront-language", kwargs={"code": "en"}))

    # Then it is sent only over HTTPS
    assert response.cookies["ocop_lang"]["secure"] is True


@pytest.mark.django_db
def test_without_https_cookies_work_over_plain_http(client):
    response = client.get(reverse("storefront-language", kwargs={"code": "en"}))
    assert response.cookies["ocop_lang"]["secure"] == ""
