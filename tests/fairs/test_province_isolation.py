"""Provincial staff see and manage only their own province's fairs; platform staff see
all; everyone else sees nothing."""

import pytest

from fairs.models import Booth, Fair, FairProduct
from tests.fairs.conftest import HA_NOI, THAI_NGUYEN, client_of, make_fair, province_user


@pytest.fixture
def ha_noi_fair(ha_noi_staff):
    return make_fair(ha_noi_staff, "Tuần lễ OCOP Hà Nội 2026", HA_NOI, slug="ocop-ha-noi-2026")


def fair_urls(fair: Fair) -> list[str]:
    base = f"/tinh/hoi-cho/{fair.pk}"
    return [
        f"{base}/", f"{base}/sua/", f"{base}/bao-cao/", f"{base}/bao-cao.csv",
        f"{base}/don-hang.csv", f"{base}/in-an.pdf", f"{base}/ma-qr/fair-{fair.pk}.png",
        f"{base}/ma-qr/fair-{fair.pk}.svg",
    ]  # fmt: skip


def test_provincial_staff_list_only_their_provinces_fairs(fair, ha_noi_fair, thai_nguyen_staff):
    # Given a Thái Nguyên fair and a Hà Nội fair
    # When Thái Nguyên's staff open the fair list
    page = client_of(thai_nguyen_staff).get("/tinh/hoi-cho/")

    # Then only their own fair is listed
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-testid="fair-row"') == 1
    assert "Hội chợ OCOP Bắc Kạn 2026" in html
    assert "Tuần lễ OCOP Hà Nội 2026" not in html


def test_another_provinces_fair_is_404_everywhere(fair, ha_noi_fair, thai_nguyen_staff):
    client = client_of(thai_nguyen_staff)
    # Every page of the Hà Nội fair answers like a missing fair
    for url in fair_urls(ha_noi_fair):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Không tìm thấy hội chợ / Fair not found." in response.content.decode(), url
    # and so does every change, which changes nothing
    base = f"/tinh/hoi-cho/{ha_noi_fair.pk}"
    posts = {
        f"{base}/sua/": {"name": "Đổi tên", "venue": "X", "starts_on": "2026-12-01",
                         "ends_on": "2026-12-02"},
        f"{base}/gian-hang/": {"name": "Gian lạ"},
        f"{base}/san-pham/": {"ocop_product": "1"},
        f"{base}/hop-tac-xa/": {},
    }  # fmt: skip
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    ha_noi_fair.refresh_from_db()
    assert ha_noi_fair.name == "Tuần lễ OCOP Hà Nội 2026"
    assert not Booth.objects.filter(fair=ha_noi_fair).exists()
    # while the same pages of their own fair work
    for url in fair_urls(fair):
        assert client.get(url).status_code == 200, url


def test_a_booth_or_product_of_another_fair_is_404(fair, ha_noi_fair, ha_noi_staff):
    booth = fair.booths.first()
    featured = fair.featured.first()
    client = client_of(ha_noi_staff)
    base = f"/tinh/hoi-cho/{ha_noi_fair.pk}"
    # Ids of the Thái Nguyên fair's booth and product, asked under Hà Nội's own fair
    assert client.get(f"{base}/gian-hang/{booth.pk}/").status_code == 404
    assert client.post(f"{base}/gian-hang/{booth.pk}/xoa/").status_code == 404
    assert client.get(f"{base}/san-pham/{featured.pk}/").status_code == 404
    assert client.post(f"{base}/san-pham/{featured.pk}/xoa/").status_code == 404
    assert client.get(f"{base}/ma-qr/booth-{booth.pk}.png").status_code == 404
    assert Booth.objects.filter(pk=booth.pk).exists()
    assert FairProduct.objects.filter(pk=featured.pk).exists()


def test_staff_cannot_create_a_fair_in_another_province(thai_nguyen_staff):
    # When Thái Nguyên's staff post a fair for Hà Nội
    response = client_of(thai_nguyen_staff).post(
        "/tinh/hoi-cho/tao/",
        {"name": "Hội chợ lạ", "province": HA_NOI, "venue": "Hồ Gươm",
         "starts_on": "2026-12-01", "ends_on": "2026-12-03"},
    )  # fmt: skip

    # Then it is refused on the province field, in Vietnamese and English
    assert response.status_code == 400
    assert "Lựa chọn không hợp lệ / Not a valid choice." in response.content.decode()
    assert not Fair.objects.exists()


def test_staff_of_two_provinces_see_both(fair, ha_noi_fair):
    both = province_user("vung@ocop.test", THAI_NGUYEN, HA_NOI)
    html = client_of(both).get("/tinh/hoi-cho/").content.decode()
    assert html.count('data-testid="fair-row"') == 2


def test_platform_staff_see_every_fair(fair, ha_noi_fair, platform_staff):
    client = client_of(platform_staff)
    html = client.get("/tinh/hoi-cho/").content.decode()
    assert html.count('data-testid="fair-row"') == 2
    for url in fair_urls(ha_noi_fair) + fair_urls(fair):
        assert client.get(url).status_code == 200, url


def test_anonymous_users_go_to_the_login_page(fair):
    response = client_of(None).get(f"/tinh/hoi-cho/{fair.pk}/bao-cao/")
    assert response.status_code == 302
    assert response["Location"] == f"/dang-nhap/?next=/tinh/hoi-cho/{fair.pk}/bao-cao/"


def test_an_account_without_a_province_is_refused(fair, db):
    shopper = province_user("khach@example.vn")
    response = client_of(shopper).get("/tinh/hoi-cho/")
    assert response.status_code == 403
    assert "Your account does not run fairs for any province." in response.content.decode()


def test_provincial_staff_log_in_with_email_and_password(thai_nguyen_staff):
    from django.test import Client

    client = Client()
    assert client.get("/tinh/dang-nhap/")["Location"] == "/dang-nhap/"
    wrong = client.post("/dang-nhap/", {"username": thai_nguyen_staff.email, "password": "x"})
    assert "Email hoặc mật khẩu không đúng / Wrong e-mail or password." in wrong.content.decode()
    right = client.post(
        "/dang-nhap/", {"username": thai_nguyen_staff.email, "password": "mat-khau-tinh-1"}
    )
    assert (right.status_code, right["Location"]) == (302, "/tinh/hoi-cho/")
    assert client.get("/tinh/hoi-cho/").status_code == 200
