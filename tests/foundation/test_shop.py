from django.conf import settings
from saleor.account.models import User

SHOP_QUERY = "{ shop { name defaultCountry { code } defaultCurrency } }"

TOKEN_CREATE = """
mutation Login($email: String!, $password: String!) {
  tokenCreate(email: $email, password: $password) {
    token
    user { email isStaff }
    accountErrors { field code }
  }
}
"""


def test_shop_is_set_up_for_vietnam(api_client, db):
    # Given the shop's settings
    # When anyone asks the API about the shop
    shop = api_client.post_graphql(SHOP_QUERY)["shop"]

    # Then it sells in Vietnam, in dong
    assert shop["defaultCountry"] == {"code": "VN"}
    assert shop["defaultCurrency"] == "VND"


def test_locale_is_vietnamese_with_english_available():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.DEFAULT_CURRENCY == "VND"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert [code for code, _ in settings.STOREFRONT_LANGUAGES] == ["vi", "en"]


def test_staff_member_logs_in_through_the_api(api_client, db):
    # Given a staff account
    User.objects.create_user("htx@ocop.test", "mat-khau-dai-1", is_staff=True)

    # When it asks for a token with its password
    result = api_client.post_graphql(
        TOKEN_CREATE, {"email": "htx@ocop.test", "password": "mat-khau-dai-1"}
    )["tokenCreate"]

    # Then it gets a JWT (PyJWT 1.x: with 2.x this mutation fails)
    assert result["accountErrors"] == []
    assert result["user"] == {"email": "htx@ocop.test", "isStaff": True}
    assert result["token"].count(".") == 2


def test_unknown_url_is_a_404_not_a_500(client):
    assert client.get("/khong-co-trang-nay/").status_code == 404


def test_health_reports_database_and_locale(client, db):
    body = client.get("/healthz/").json()
    assert body["database"] == "ok"
    assert (body["currency"], body["country"]) == ("VND", "VN")
