"""Every e-mail Saleor 2.10 can send has our template, and a sender from the environment."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import saleor
from django.template.loader import get_template
from django.template.loader_tags import BlockNode

from config.environment import default_from_email
from saleor_adapter.payments import cod, vietqr
from saleor_adapter.templatetags import email_format

SALEOR = Path(saleor.__file__).parent
TEMPLATES = {
    "order/confirm_order",
    "order/staff_confirm_order",
    "order/confirm_fulfillment",
    "order/update_fulfillment",
    "order/payment/confirm_payment",
    "account/confirm",
    "account/password_reset",
    "account/request_email_change",
    "account/email_changed_notification",
    "account/account_delete",
    "dashboard/staff/set_password",
    "dashboard/customer/set_password",
}


def saleor_senders() -> dict[str, set[str]]:
    """Saleor's modules that send templated mail, with the template names they use."""
    senders = {}
    for path in SALEOR.rglob("*.py"):
        if "tests" in path.parts:
            continue
        text = path.read_text()
        if "send_templated_mail" not in text:
            continue
        names = set(re.findall(r'_TEMPLATE = "([^"]+)"', text))
        names |= set(re.findall(r'template_name="([^"]+)"', text))
        if 'f"dashboard/{template_type}/set_password"' in text:
            names |= {"dashboard/staff/set_password", "dashboard/customer/set_password"}
        senders[str(path.relative_to(SALEOR))] = names
    return senders


def test_every_template_saleor_sends_is_one_we_ship():
    # Given the e-mails the installed Saleor sends
    senders = saleor_senders()

    # Then they come from the two modules we read, and name exactly our templates
    assert set(senders) == {"order/emails.py", "account/emails.py"}
    assert set().union(*senders.values()) == TEMPLATES


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_each_template_has_a_subject_a_plain_and_an_html_part(name):
    template = get_template(f"templated_email/{name}.email")
    blocks = {node.name for node in template.template.nodelist.get_nodes_by_type(BlockNode)}
    assert {"subject", "plain", "html"} <= blocks


def test_the_payment_labels_name_our_gateways():
    # email_format spells the ids out so that it never imports payment code at start-up
    assert (email_format.COD, email_format.VIETQR) == (cod.GATEWAY_ID, vietqr.GATEWAY_ID)


@pytest.mark.parametrize(
    ("environ", "email_host_user", "sender"),
    [
        # nothing set: the console backend, under the shop's name
        ({}, "demo@example.com", "Chợ OCOP Việt Nam <no-reply@localhost>"),
        # an SMTP relay whose login is an address sends as that address
        (
            {"EMAIL_URL": "smtp://don-hang%40cho-ocop.vn:secret@smtp.example.vn:587/?tls=True"},
            "don-hang@cho-ocop.vn",
            "Chợ OCOP Việt Nam <don-hang@cho-ocop.vn>",
        ),
        # a relay whose login is an API user name does not make it the sender
        (
            {"EMAIL_URL": "smtp://apikey:secret@smtp.sendgrid.net:587/?tls=True"},
            "apikey",
            "Chợ OCOP Việt Nam <no-reply@localhost>",
        ),
        # the operator's choice wins
        (
            {"DEFAULT_FROM_EMAIL": "OCOP Thái Nguyên <ban-hang@ocop-tn.vn>", "EMAIL_URL": "x"},
            "apikey",
            "OCOP Thái Nguyên <ban-hang@ocop-tn.vn>",
        ),
        ({"OCOP_SHOP_NAME": "Chợ OCOP Hà Giang"}, "", "Chợ OCOP Hà Giang <no-reply@localhost>"),
    ],
)
def test_the_sender_comes_from_the_environment(environ, email_host_user, sender):
    assert default_from_email(environ, email_host_user) == sender
