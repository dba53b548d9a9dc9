"""Staff change the storefront's configuration without code; nobody else can."""

import re

import pytest

from storefront.models import StorefrontConfiguration
from tests.saleor_fixtures.api import grant

PASSWORD = "mat-khau-staff-1"  # tests.saleor_fixtures.api.staff_user


def sign_in(client, email, password=PASSWORD):
    return client.post("/dang-nhap/", {"username": email, "password": password})


def card_names(response) -> list[str]:
    return re.findall(r'class="card-name">([^<]*)<', response.content.decode())


def test_anonymous_visitors_are_sent_to_the_staff_sign_in(client, db):
    response = client.get("/cau-hinh-cua-hang/")
    assert (response.status_code, response["Location"]) == (
        302,
        "/dang-nhap/?next=/cau-hinh-cua-hang/",
    )
    assert client.post("/cau-hinh-cua-hang/", {"shop_name": "Hacked"}).status_code == 302
    assert not StorefrontConfiguration.objects.exists()


def test_a_wrong_password_or_a_customer_account_does_not_sign_in(client, staff_user):
    from saleor.account.models import User

    wrong = sign_in(client, staff_user.email, "sai-mat-khau")
    assert (wrong.status_code, "Wrong e-mail or password" in wrong.content.decode()) == (200, True)
    User.objects.create_user(email="khach@example.vn", password=PASSWORD)
    # A customer's password is right, but no back-office area is theirs.
    assert sign_in(client, "khach@example.vn")["Location"] == "/quan-tri/"
    refused = client.get("/quan-tri/")
    assert refused.status_code == 403
    assert "Your account has no back-office area." in refused.content.decode()
    assert client.get("/cau-hinh-cua-hang/").status_code == 403


def test_staff_without_the_settings_permission_may_not_configure(client, staff_user):
    assert sign_in(client, staff_user.email).status_code == 302
    response = client.get("/cau-hinh-cua-hang/")
    assert response.status_code == 403
    assert client.post("/cau-hinh-cua-hang/", {"shop_name": "X"}).status_code == 403
    assert not StorefrontConfiguration.objects.exists()


@pytest.fixture
def manager(client, staff_user):
    grant(staff_user, "manage_settings")
    assert sign_in(client, staff_user.email)["Location"] == "/cau-hinh-cua-hang/"
    return staff_user


def form(**changes) -> dict:
    return {
        "shop_name": "Chợ OCOP Bắc Kạn",
        "tagline": "Đặc sản vùng cao",
        "badge_style": "flat",
        "default_language": "vi",
        "products_per_page": "12",
        "featured_slugs": "",
        "featured_provinces": ["19", "01"],
        **changes,
    }


def test_a_settings_manager_changes_the_shop_and_it_shows_on_the_next_page(
    client, catalogue, manager
):
    # Given a manager who features the trà hoa vàng and two provinces
    tea = catalogue["Trà hoa vàng Nam Mẫu"]
    saved = client.post("/cau-hinh-cua-hang/", form(featured_slugs=tea.slug))
    assert (saved.status_code, saved["Location"]) == (302, "/cau-hinh-cua-hang/?da-luu=1")

    # When a shopper opens the home page
    home = client.get("/")
    page = home.content.decode()

    # Then it carries the new name, the chosen product and provinces, in the new badge style
    assert "<h1>Chợ OCOP Bắc Kạn</h1>" in page
    assert card_names(home) == ["Trà hoa vàng Nam Mẫu"]
    assert 'src="/badges/flat/ocop-4-sao.svg"' in page
    assert re.findall(r'href="/san-pham/\?province=(\d+)">([^<]*)<', page) == [
        ("19", "Thái Nguyên"),
        ("01", "Thành phố Hà Nội"),
    ]
    config = StorefrontConfiguration.objects.get()
    assert (config.products_per_page, config.featured_province_codes) == (12, ["19", "01"])
    # and the form shows what was saved
    assert tea.slug in client.get("/cau-hinh-cua-hang/").content.decode()


def test_unknown_products_and_absurd_values_are_refused_field_by_field(client, catalogue, manager):
    response = client.post(
        "/cau-hinh-cua-hang/",
        form(featured_slugs="khong-co-that", products_per_page="100000",
             badge_style="<b>", featured_provinces=["99"]),
    )  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "Không có sản phẩm với mã: khong-co-that" in page
    assert page.count('class="field-error"') == 4
    assert not StorefrontConfiguration.objects.exists()


def test_changing_the_password_signs_staff_out(client, catalogue, manager):
    manager.set_password("mat-khau-moi-2")
    manager.save()
    assert client.get("/cau-hinh-cua-hang/")["Location"] == "/dang-nhap/?next=/cau-hinh-cua-hang/"


def test_the_configuration_is_read_once_per_request_not_cached_forever(client, catalogue):
    StorefrontConfiguration(shop_name="Tên cũ").save()
    assert "<h1>Tên cũ</h1>" in client.get("/").content.decode()
    StorefrontConfiguration(shop_name="Tên mới").save()
    assert "<h1>Tên mới</h1>" in client.get("/").content.decode()
