"""Account e-mails, each triggered through Saleor's GraphQL API the way a storefront or
the dashboard does, and each link followed back through the API to prove it works."""

from __future__ import annotations

import re
from html import escape

import pytest
from django.contrib.auth.tokens import default_token_generator
from saleor.account.models import User

from tests.emails.conftest import BUYER, SHOP, assert_complete, html_of
from tests.saleor_fixtures.api import ApiClient, grant

STOREFRONT = "http://localhost:3000"
LINK = re.compile(r"^https?://\S+$", re.MULTILINE)


def link_in(message) -> str:
    """The one link of an account e-mail; the HTML button points to the same place."""
    (link,) = LINK.findall(message.body)
    assert f'href="{escape(link)}"' in html_of(message)
    return link


def token_for(link: str, prefix: str) -> str:
    assert link.startswith(prefix), link
    return link[len(prefix) :]


@pytest.fixture
def lan(db) -> User:
    return User.objects.create_user(email=BUYER, password="mat-khau-cu-1")


REQUEST_PASSWORD_RESET = """
mutation Reset($email: String!, $redirectUrl: String!) {
  requestPasswordReset(email: $email, redirectUrl: $redirectUrl) {
    accountErrors { field code message }
  }
}
"""

SET_PASSWORD = """
mutation SetPassword($email: String!, $token: String!, $password: String!) {
  setPassword(email: $email, token: $token, password: $password) {
    accountErrors { field code message }
  }
}
"""


def test_password_reset_mail_carries_a_working_reset_link(
    api_client, lan, celery_runs_tasks_inline, mailoutbox
):
    # When Lan asks the storefront to reset her password
    requested = api_client.post_graphql(
        REQUEST_PASSWORD_RESET,
        {"email": BUYER, "redirectUrl": f"{STOREFRONT}/dat-lai-mat-khau/"},
    )["requestPasswordReset"]
    assert requested["accountErrors"] == []

    # Then she gets one e-mail, in Vietnamese first, with the storefront's reset link
    (message,) = mailoutbox
    assert message.to == [BUYER]
    assert message.subject == f"[{SHOP}] Đặt lại mật khẩu / Reset your password"
    greeting = (
        f"Chúng tôi nhận được yêu cầu đặt lại mật khẩu cho tài khoản của quý khách tại {SHOP}."
    )
    assert greeting in message.body
    link = link_in(message)
    token = token_for(link, f"{STOREFRONT}/dat-lai-mat-khau/?email=lan.nguyen%40example.vn&token=")
    assert default_token_generator.check_token(lan, token)
    assert "Đặt mật khẩu mới (Choose a new password)</a>" in html_of(message)
    assert_complete(message)

    # And the link's token sets a new password through Saleor's API
    done = api_client.post_graphql(
        SET_PASSWORD, {"email": BUYER, "token": token, "password": "mat-khau-moi-2"}
    )["setPassword"]
    assert done["accountErrors"] == []
    lan.refresh_from_db()
    assert lan.check_password("mat-khau-moi-2")


ACCOUNT_REGISTER = """
mutation Register($input: AccountRegisterInput!) {
  accountRegister(input: $input) {
    requiresConfirmation
    accountErrors { field code message }
  }
}
"""

CONFIRM_ACCOUNT = """
mutation Confirm($email: String!, $token: String!) {
  confirmAccount(email: $email, token: $token) {
    accountErrors { field code message }
  }
}
"""


def test_sign_up_mail_activates_the_account(db, api_client, celery_runs_tasks_inline, mailoutbox):
    # When a buyer signs up on the storefront
    registered = api_client.post_graphql(
        ACCOUNT_REGISTER,
        {
            "input": {
                "email": BUYER,
                "password": "mat-khau-moi-2",
                "redirectUrl": f"{STOREFRONT}/kich-hoat/",
            }
        },
    )["accountRegister"]
    assert (registered["accountErrors"], registered["requiresConfirmation"]) == ([], True)

    # Then an activation e-mail arrives
    (message,) = mailoutbox
    assert message.to == [BUYER]
    assert message.subject == f"[{SHOP}] Kích hoạt tài khoản / Activate your account"
    assert f"Cảm ơn quý khách đã đăng ký tài khoản tại {SHOP}." in message.body
    token = token_for(
        link_in(message), f"{STOREFRONT}/kich-hoat/?email=lan.nguyen%40example.vn&token="
    )
    assert_complete(message)

    # And its link activates the account
    confirmed = api_client.post_graphql(CONFIRM_ACCOUNT, {"email": BUYER, "token": token})
    assert confirmed["confirmAccount"]["accountErrors"] == []
    assert User.objects.get(email=BUYER).is_active


REQUEST_EMAIL_CHANGE = """
mutation Change($password: String!, $newEmail: String!, $redirectUrl: String!) {
  requestEmailChange(password: $password, newEmail: $newEmail, redirectUrl: $redirectUrl) {
    accountErrors { field code message }
  }
}
"""

CONFIRM_EMAIL_CHANGE = """
mutation ConfirmChange($token: String!) {
  confirmEmailChange(token: $token) {
    accountErrors { field code message }
  }
}
"""


def test_changing_the_email_confirms_the_new_address_and_warns_the_old_one(
    lan, celery_runs_tasks_inline, mailoutbox
):
    client = ApiClient(lan)

    # When Lan asks to move her account to a new address
    requested = client.post_graphql(
        REQUEST_EMAIL_CHANGE,
        {
            "password": "mat-khau-cu-1",
            "newEmail": "lan.moi@example.vn",
            "redirectUrl": f"{STOREFRONT}/doi-email/",
        },
    )["requestEmailChange"]
    assert requested["accountErrors"] == []

    # Then the new address gets a confirmation link
    (confirm_mail,) = mailoutbox
    assert confirm_mail.to == ["lan.moi@example.vn"]
    assert confirm_mail.subject == (
        f"[{SHOP}] Xác nhận địa chỉ e-mail mới / Confirm your new e-mail address"
    )
    token = token_for(link_in(confirm_mail), f"{STOREFRONT}/doi-email/?token=")
    assert_complete(confirm_mail)

    # When she follows it
    confirmed = client.post_graphql(CONFIRM_EMAIL_CHANGE, {"token": token})
    assert confirmed["confirmEmailChange"]["accountErrors"] == []

    # Then the old address is told, with where to turn if it was not her
    _, notice = mailoutbox
    assert notice.to == [BUYER]
    assert notice.subject == (
        f"[{SHOP}] Địa chỉ e-mail của tài khoản đã thay đổi / Your account e-mail was changed"
    )
    assert (
        "Nếu không phải quý khách thực hiện thay đổi này, vui lòng liên hệ ngay với cửa hàng "
        "tại http://localhost:8000/." in notice.body
    )
    assert_complete(notice)
    lan.refresh_from_db()
    assert lan.email == "lan.moi@example.vn"


REQUEST_DELETION = """
mutation Delete($redirectUrl: String!) {
  accountRequestDeletion(redirectUrl: $redirectUrl) {
    accountErrors { field code message }
  }
}
"""


def test_account_deletion_is_confirmed_by_mail(lan, celery_runs_tasks_inline, mailoutbox):
    # When Lan asks to delete her account
    requested = ApiClient(lan).post_graphql(
        REQUEST_DELETION, {"redirectUrl": f"{STOREFRONT}/xoa-tai-khoan/"}
    )["accountRequestDeletion"]
    assert requested["accountErrors"] == []

    # Then she must confirm it from her mailbox
    (message,) = mailoutbox
    assert message.to == [BUYER]
    assert message.subject == f"[{SHOP}] Xác nhận xóa tài khoản / Confirm account deletion"
    assert "tài khoản đã xóa không thể khôi phục" in message.body
    token = token_for(link_in(message), f"{STOREFRONT}/xoa-tai-khoan/?token=")
    assert default_token_generator.check_token(lan, token)
    assert_complete(message)


CUSTOMER_CREATE = """
mutation Customer($input: UserCreateInput!) {
  customerCreate(input: $input) { accountErrors { field code message } }
}
"""

STAFF_CREATE = """
mutation Staff($input: StaffCreateInput!) {
  staffCreate(input: $input) { staffErrors { field code message } }
}
"""


@pytest.mark.parametrize(
    ("mutation", "permission", "subject", "text"),
    [
        (
            CUSTOMER_CREATE,
            "manage_users",
            "Đặt mật khẩu cho tài khoản / Set your account password",
            f"{SHOP} đã tạo tài khoản cho quý khách với địa chỉ e-mail này.",
        ),
        (
            STAFF_CREATE,
            "manage_staff",
            "Đặt mật khẩu quản trị / Set your staff password",
            f"Quý vị đã được thêm làm nhân viên quản trị của {SHOP}.",
        ),
    ],
    ids=["customer", "staff"],
)
def test_an_account_created_by_staff_gets_a_set_password_mail(
    mutation, permission, subject, text, staff_api_client, celery_runs_tasks_inline, mailoutbox
):
    # Given staff allowed to create accounts
    grant(staff_api_client.user, permission)

    # When they create one from the dashboard
    (created,) = staff_api_client.post_graphql(
        mutation, {"input": {"email": BUYER, "redirectUrl": f"{STOREFRONT}/dat-mat-khau/"}}
    ).values()
    assert list(created.values()) == [[]]  # no accountErrors / staffErrors

    # Then its owner gets a link to set a password
    (message,) = mailoutbox
    assert message.to == [BUYER]
    assert message.subject == f"[{SHOP}] {subject}"
    assert text in message.body
    token = token_for(
        link_in(message), f"{STOREFRONT}/dat-mat-khau/?email=lan.nguyen%40example.vn&token="
    )
    assert default_token_generator.check_token(User.objects.get(email=BUYER), token)
    assert_complete(message)
