"""One staff sign-in opens every back-office area the account may use."""

import pytest
from django.test import Client

from fairs.models import ProvinceStaff
from tests.saleor_fixtures.api import grant

PASSWORD = "mat-khau-htx-1"  # tests.routing.marketplace.member_of


@pytest.fixture
def many_hats(tai_hoan_staff):
    """A cooperative's manager who also runs Bắc Kạn's fairs and edits the shop."""
    tai_hoan_staff.is_staff = True
    tai_hoan_staff.save(update_fields=["is_staff"])
    ProvinceStaff.objects.create(user=tai_hoan_staff, province_code="19")
    return grant(tai_hoan_staff, "manage_settings")


def test_one_sign_in_opens_the_portal_the_fairs_and_the_shop_settings(many_hats):
    # Given an account with three roles, when it signs in once
    client = Client()
    signed_in = client.post("/dang-nhap/", {"username": many_hats.email, "password": PASSWORD})
    # then it is shown the areas it may use
    assert (signed_in.status_code, signed_in["Location"]) == (302, "/quan-tri/")
    areas = client.get("/quan-tri/").content.decode()
    assert areas.count('data-testid="area"') == 3
    # and every area opens without another sign-in
    assert client.get("/htx/don-hang/").status_code == 200
    assert client.get("/tinh/hoi-cho/").status_code == 200
    assert client.get("/cau-hinh-cua-hang/").status_code == 200
    # and one sign-out closes them all
    assert client.post("/dang-xuat/").status_code == 302
    assert client.get("/htx/don-hang/")["Location"] == "/dang-nhap/?next=/htx/don-hang/"
    assert client.get("/tinh/hoi-cho/")["Location"] == "/dang-nhap/?next=/tinh/hoi-cho/"


def test_an_account_with_one_area_goes_straight_in(tai_hoan_staff):
    client = Client()
    signed_in = client.post("/dang-nhap/", {"username": tai_hoan_staff.email, "password": PASSWORD})
    assert signed_in["Location"] == "/htx/don-hang/"
    # the other areas refuse it, with their reason, in both languages
    refused = client.get("/tinh/hoi-cho/")
    assert refused.status_code == 403
    assert client.get("/cau-hinh-cua-hang/").status_code == 403


@pytest.mark.parametrize(
    "old_url", ["/htx/dang-nhap/", "/tinh/dang-nhap/", "/cau-hinh-cua-hang/dang-nhap/"]
)
def test_the_old_login_pages_send_to_the_one_sign_in(client, db, old_url):
    response = client.get(f"{old_url}?next=/htx/")
    assert (response.status_code, response["Location"]) == (302, "/dang-nhap/?next=%2Fhtx%2F")
