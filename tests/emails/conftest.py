"""Saleor's e-mails as the buyer (or staff) receives them: rendered from our templates
(storefront/templates/templated_email/) by Saleor's own tasks, caught in
pytest-django's ``mailoutbox``."""

from __future__ import annotations

import re

import pytest
from django.template import engines
from saleor.account.models import StaffNotificationRecipient
from saleor.order.models import Order

from tests.saleor_fixtures.checkout import buy

SHOP = "Chợ OCOP Việt Nam"
BUYER = "lan.nguyen@example.vn"
# A variable a template names but its context lacks renders as this marker (not as ""),
# so a missing value cannot hide behind an empty string.
MISSING = "«MISSING:%s»"


@pytest.fixture(autouse=True)
def missing_variables_show():
    engine = engines["django"].engine
    previous = engine.string_if_invalid
    engine.string_if_invalid = MISSING
    yield
    engine.string_if_invalid = previous


@pytest.fixture
def place_order(api_client, ocop_product):
    """Lan buys two packs of miến dong (2 × 125.000 ₫ + 30.000 ₫ shipping = 280.000 ₫)
    through Saleor's GraphQL checkout, paying with ``gateway``."""

    def place(gateway: str, token: str = "charged") -> Order:
        result = buy(api_client, ocop_product.variants.get(), 2, gateway, token=token)
        assert result["checkoutErrors"] == []
        return Order.objects.get()

    return place


@pytest.fixture
def staff_recipient(staff_user):
    """Staff who get Saleor's "new order" e-mail."""
    return StaffNotificationRecipient.objects.create(user=staff_user, active=True)


def html_of(message) -> str:
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


EMPTY_ELEMENT = re.compile(r"<(strong|a|p|td|th|li|h1|title|span)\b[^>]*>\s*</\1>")
DANGLING_PUNCTUATION = re.compile(r"\s[,.;:](\s|$)")
EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]")


def assert_complete(message) -> None:
    """Both parts exist, and nothing renders as None, a missing variable or an empty
    slot ("Xin chào ,", "()", "<strong></strong>", a label with no value)."""
    html = html_of(message)
    assert message.body.strip()
    assert html.lstrip().startswith("<!doctype html>")
    assert '<html lang="vi">' in html
    assert "<p" not in message.body
    for part in (message.subject, message.body, html):
        assert "None" not in part
        assert "«MISSING" not in part
        assert "{{" not in part
        assert "{%" not in part
        assert not EMPTY_BRACKETS.search(part)
        assert not DANGLING_PUNCTUATION.search(part.replace("&nbsp;", " "))
    assert not EMPTY_ELEMENT.search(html)
    assert 'href=""' not in html
    assert 'src=""' not in html
    for line in message.body.splitlines():
        assert not line.rstrip().endswith((":", "–")), line
    assert "\n" not in message.subject
