"""The cooperative portal: each cooperative sees and changes only its own data."""

import csv
import io

import pytest
from django.test import Client
from saleor.account.models import User

from marketplace import lifecycle
from marketplace.models import CooperativeOrder
from tests.routing.marketplace import client_for


def test_cooperative_staff_log_in_with_email_and_password(tai_hoan_staff):
    client = Client()
    # The portal's old login page sends to the one back-office sign-in, keeping "next".
    old = client.get("/htx/dang-nhap/?next=/htx/san-pham/")
    assert (old.status_code, old["Location"]) == (302, "/dang-nhap/?next=%2Fhtx%2Fsan-pham%2F")
    page = client.get("/dang-nhap/")
    assert page.status_code == 200
    assert "Đăng nhập khu quản trị" in page.content.decode()

    wrong = client.post("/dang-nhap/", {"username": tai_hoan_staff.email, "password": "sai"})
    assert wrong.status_code == 200
    assert "Email hoặc mật khẩu không đúng / Wrong e-mail or password." in wrong.content.decode()

    right = client.post(
        "/dang-nhap/?next=/htx/san-pham/",
        {"username": tai_hoan_staff.email, "password": "mat-khau-htx-1", "next": "/htx/san-pham/"},
    )
    assert (right.status_code, right["Location"]) == (302, "/htx/san-pham/")
    assert client.get("/htx/san-pham/").status_code == 200


def test_anonymous_users_get_nothing(orders):
    client = Client()
    part = orders["tai_hoan"][0]
    for url in [
        "/htx/", "/htx/don-hang/", "/htx/don-hang/xuat-csv/", f"/htx/don-hang/{part.pk}/",
        f"/htx/don-hang/{part.pk}/phieu-dong-goi.pdf", "/htx/san-pham/", "/htx/doi-soat/",
        "/htx/doi-soat/xuat-csv/",
    ]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/dang-nhap/?next="), url
    response = client.post(f"/htx/don-hang/{part.pk}/nhan/")
    assert response.status_code == 302
    assert CooperativeOrder.objects.get(pk=part.pk).status == "new"


def test_a_customer_account_without_cooperative_is_refused(orders):
    shopper = User.objects.create_user(email="khach@example.vn", password="x-y-z-1")
    response = client_for(shopper).get("/htx/don-hang/")
    assert response.status_code == 403
    assert "không thuộc hợp tác xã nào" in response.content.decode()


def test_the_order_list_shows_only_the_cooperatives_own_orders(orders, tai_hoan_staff):
    page = client_for(tai_hoan_staff).get("/htx/don-hang/")
    html = page.content.decode()
    assert page.status_code == 200
    for part in orders["tai_hoan"]:
        assert part.number in html
    for part in orders["tan_cuong"]:
        assert part.number not in html
    assert "2 đơn" in html


def test_platform_staff_see_every_cooperative(orders, platform_staff):
    html = client_for(platform_staff).get("/htx/don-hang/").content.decode()
    for part in orders["tai_hoan"] + orders["tan_cuong"]:
        assert part.number in html
    assert "4 đơn" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?q=hoa@example", [1]),
        ("?q=Miến dong", [0, 1]),
        ("?q=Trà", []),  # the other cooperative's product finds nothing here
        # a whole phone number, however typed (both customers gave +84 912 345 678)
        ("?q=0912 345 678", [0, 1]),
        ("?q=%2B84 912.345.678", [0, 1]),
        ("?q=0987 654 321", []),
        ("?trang_thai=accepted", [0]),
        ("?trang_thai=new", [1]),
        ("?tu_ngay=2000-01-01&den_ngay=2100-01-01", [0, 1]),
        ("?tu_ngay=2100-01-01", []),
    ],
)
def test_filters_and_search(orders, tai_hoan_staff, query, expected):
    lifecycle.accept(tai_hoan_staff, orders["tai_hoan"][0].pk)
    html = client_for(tai_hoan_staff).get("/htx/don-hang/" + query).content.decode()
    shown = [i for i, part in enumerate(orders["tai_hoan"]) if f">{part.number}<" in html]
    assert shown == expected


@pytest.mark.parametrize(
    "query",
    ["?trang_thai=paid", "?tu_ngay=2026-13-01", "?trang=abc", "?trang=0", "?htx=abc",
     "?q=" + "x" * 101],
)  # fmt: skip
def test_malformed_parameters_are_a_400_page(orders, tai_hoan_staff, query):
    client = client_for(tai_hoan_staff)
    bases = ["/htx/don-hang/"] + ([] if "trang=" in query else ["/htx/don-hang/xuat-csv/"])
    for base in bases:
        response = client.get(base + query)
        assert response.status_code == 400, base + query
        assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_another_cooperatives_ids_are_404_everywhere(orders, catalog, tai_hoan_staff):
    client = client_for(tai_hoan_staff)
    theirs = orders["tan_cuong"][0]
    their_listing = catalog.tra.product.ocop
    for url in [
        f"/htx/don-hang/{theirs.pk}/", f"/htx/don-hang/{theirs.pk}/phieu-dong-goi.pdf",
        "/htx/don-hang/999999/", f"/htx/don-hang/?htx={catalog.tan_cuong.pk}",
        f"/htx/san-pham/?htx={catalog.tan_cuong.pk}", f"/htx/doi-soat/?htx={catalog.tan_cuong.pk}",
        "/htx/don-hang/?trang=99",
    ]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Không tìm thấy" in response.content.decode(), url
    for action in ("nhan", "tu-choi", "dong-goi", "giao-van-chuyen", "khong-co"):
        response = client.post(f"/htx/don-hang/{theirs.pk}/{action}/", {"reason": "x"})
        assert response.status_code == 404, action
    response = client.post(f"/htx/san-pham/{their_listing.pk}/", {"gia": "1000"})
    assert response.status_code == 404
    # and nothing changed
    theirs.refresh_from_db()
    assert theirs.status == "new"
    catalog.tra.product.refresh_from_db()
    assert catalog.tra.product.price_amount == 350000


def test_the_csv_export_holds_only_own_orders_and_no_formulas(orders, tai_hoan_staff):
    response = client_for(tai_hoan_staff).get("/htx/don-hang/xuat-csv/")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:3] == ["Mã đơn HTX", "Đơn gốc", "Ngày đặt"]
    assert sorted(row[0] for row in rows[1:]) == sorted(p.number for p in orders["tai_hoan"])
    by_number = {row[0]: row for row in rows[1:]}
    formula_row = by_number[orders["tai_hoan"][1].number]
    assert formula_row[5] == '\'=HYPERLINK("http://x.test")'
    assert formula_row[9] == "Miến dong Tài Hoan x 1"
    # 30.000 ₫ shipping split 125.000 : 700.000 → 4.545 ₫ (largest remainder to Tân Cương)
    assert formula_row[10:13] == ["125000", "4545", "129545"]
    assert "Trà xanh" not in text


def test_a_cooperative_works_an_order_through_the_portal(orders, tai_hoan_staff):
    client = client_for(tai_hoan_staff)
    part = orders["tai_hoan"][0]

    # Accept, pack, then ship with a carrier and tracking number
    assert client.post(f"/htx/don-hang/{part.pk}/nhan/").status_code == 302
    assert client.post(f"/htx/don-hang/{part.pk}/dong-goi/").status_code == 302
    missing = client.post(f"/htx/don-hang/{part.pk}/giao-van-chuyen/", {"carrier": "VNPost"})
    assert missing.status_code == 400
    assert "Vui lòng nhập mã vận đơn." in missing.content.decode()
    shipped = client.post(
        f"/htx/don-hang/{part.pk}/giao-van-chuyen/",
        {"carrier": "VNPost", "tracking_number": "EB987654321VN"},
    )
    assert (shipped.status_code, shipped["Location"]) == (302, f"/htx/don-hang/{part.pk}/")
    part.refresh_from_db()
    assert (part.status, part.tracking_number) == ("shipped", "EB987654321VN")

    # The detail page shows it; a second ship is refused with a 400, not a crash
    html = client.get(f"/htx/don-hang/{part.pk}/").content.decode()
    assert "EB987654321VN" in html
    assert "Đang giao" in html
    again = client.post(
        f"/htx/don-hang/{part.pk}/giao-van-chuyen/", {"carrier": "X", "tracking_number": "Y"}
    )
    assert again.status_code == 400
    # GET on an action is not allowed
    assert client.get(f"/htx/don-hang/{part.pk}/nhan/").status_code == 405


def test_the_packing_slip_is_a_pdf(orders, tai_hoan_staff):
    part = orders["tai_hoan"][0]
    response = client_for(tai_hoan_staff).get(f"/htx/don-hang/{part.pk}/phieu-dong-goi.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f"phieu-dong-goi-{part.number}.pdf" in response["Content-Disposition"]


def test_a_cooperative_changes_price_and_stock_and_pauses_a_product(
    orders, catalog, tai_hoan_staff
):
    client = client_for(tai_hoan_staff)
    listing = catalog.mien_dong.product.ocop
    url = f"/htx/san-pham/{listing.pk}/"

    assert client.post(url, {"gia": "130.000", "ton_kho": "50"}).status_code == 302
    catalog.mien_dong.product.refresh_from_db()
    assert catalog.mien_dong.product.price_amount == 130000
    assert catalog.mien_dong.product.minimal_variant_price_amount == 130000
    assert catalog.mien_dong.stocks.get().quantity == 50

    # 3 packs are held for the two orders: stock cannot go below that
    below = client.post(url, {"ton_kho": "2"})
    assert below.status_code == 400
    assert "không thể ít hơn 3" in below.content.decode()
    assert client.post(url, {"gia": "12abc"}).status_code == 400

    assert client.post(url, {"hien_thi": "tam-dung"}).status_code == 302
    catalog.mien_dong.product.refresh_from_db()
    assert catalog.mien_dong.product.is_published is False
    html = client.get("/htx/san-pham/").content.decode()
    assert "Tạm dừng" in html
    assert "Trà xanh" not in html
