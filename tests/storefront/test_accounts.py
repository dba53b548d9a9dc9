"""Shopper accounts on the storefront, through Saleor's own accounts and mutations:
sign-up with activation, guest orders attached, sign-in (throttled like every sign-in),
sign-out, password reset, order history, saved addresses, and a guest finding an order
by its number and phone."""

from __future__ import annotations

import re
from urllib.parse import unquote

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from saleor.account.models import Address, User
from saleor.order.models import Order

from tests.storefront.shopping import ADDRESS, add_to_cart, buy, place_order
from tests.storefront.shopping import page as text

EMAIL = "lan.nguyen@example.vn"
PASSWORD = "mat-khau-cua-lan-1"
LINK = re.compile(r"^https?://\S+$", re.MULTILINE)


def link_of(message) -> tuple[str, dict]:
    (link,) = LINK.findall(message.body)
    path, _, query = link.partition("?")
    values = dict(part.split("=", 1) for part in query.split("&"))
    return path, {key: unquote(value) for key, value in values.items()}


def field_errors(html: str) -> list[str]:
    return re.findall(r'data-testid="field-error">([^<]*)<', html)


@pytest.fixture
def lan(db) -> User:
    return User.objects.create_user(email=EMAIL, password=PASSWORD)


def sign_in(client, email=EMAIL, password=PASSWORD):
    return client.post("/tai-khoan/dang-nhap/", {"email": email, "password": password})


def test_sign_up_activates_by_e_mail_and_attaches_the_guest_orders(
    client, catalogue, celery_runs_tasks_inline, mailoutbox
):
    # Given Lan bought as a guest, typing her e-mail in capitals
    add_to_cart(client, catalogue["Miến dong Tài Hoan"], 1)
    client.post("/thanh-toan/", {**ADDRESS, "email": "Lan.Nguyen@Example.vn"})
    guest_order = place_order_from_delivery(client)
    assert guest_order.user is None
    mailoutbox.clear()

    # When she signs up on the storefront
    shopper = Client()
    signed_up = shopper.post(
        "/tai-khoan/dang-ky/",
        {"email": EMAIL, "password": PASSWORD, "password_again": PASSWORD},
    )

    # Then Saleor created an inactive account and sent its activation e-mail
    assert signed_up.status_code == 200
    assert "Kiểm tra email của bạn / Check your e-mail" in text(signed_up)
    assert User.objects.get(email=EMAIL).is_active is False
    (message,) = mailoutbox
    assert message.subject.endswith("Kích hoạt tài khoản / Activate your account")
    path, query = link_of(message)
    assert path.endswith("/tai-khoan/kich-hoat/")
    # and she cannot sign in before activating
    assert sign_in(shopper).status_code == 400

    # When she opens the link
    activated = shopper.get("/tai-khoan/kich-hoat/", query)

    # Then the account is active and the guest order is hers
    assert "Tài khoản đã được kích hoạt / Your account is active" in text(activated)
    assert User.objects.get(email=EMAIL).is_active is True
    guest_order.refresh_from_db()
    assert guest_order.user == User.objects.get(email=EMAIL)

    # and after signing in, her order history links to the order's page
    signed_in = sign_in(shopper)
    assert (signed_in.status_code, signed_in["Location"]) == (302, "/tai-khoan/")
    account = text(shopper.get("/tai-khoan/"))
    assert f'href="/don-hang/{guest_order.token}/">#{guest_order.pk}</a>' in account


def place_order_from_delivery(client) -> Order:
    delivery = text(client.get("/thanh-toan/giao-hang/"))
    method = re.search(r'name="shipping_method" value="([^"]+)"', delivery).group(1)
    placed = client.post(
        "/thanh-toan/giao-hang/", {"shipping_method": method, "gateway": "mirumee.payments.dummy"}
    )
    assert placed.status_code == 302, text(placed)
    return Order.objects.get(token=placed["Location"].split("/")[2])


def test_a_signed_in_shopper_orders_into_the_account_and_signs_out(client, catalogue, lan):
    # Given Lan filled her cart before signing in
    add_to_cart(client, catalogue["Miến dong Tài Hoan"], 1)
    assert sign_in(client).status_code == 302

    # When she places the order
    order = place_order(client)

    # Then it is her account's order, listed on her account page
    assert order.user == lan
    page = text(client.get("/tai-khoan/"))
    assert 'data-testid="signed-in-as">lan.nguyen@example.vn<' in page
    assert page.count('data-testid="order-history-row"') == 1
    # and the account pages are never cached
    assert client.get("/tai-khoan/")["Cache-Control"] == "private, no-store"

    # When she signs out
    out = client.post("/tai-khoan/dang-xuat/")

    # Then the account page asks her to sign in again
    assert out.status_code == 302
    assert client.get("/tai-khoan/")["Location"] == "/tai-khoan/dang-nhap/"


def test_a_staff_member_signing_in_on_the_storefront_is_only_a_customer(db, catalogue):
    # Given a member of staff with a back-office area
    User.objects.create_user(email="dieu.phoi@ocop.test", password=PASSWORD, is_staff=True)
    client = Client()

    # When they sign in on the storefront
    assert sign_in(client, "dieu.phoi@ocop.test").status_code == 302

    # Then the shop knows them, and the back office still asks for its own sign-in
    assert "dieu.phoi@ocop.test" in text(client.get("/tai-khoan/"))
    portal = client.get("/htx/")
    assert portal.status_code == 302
    assert portal["Location"].startswith("/dang-nhap/")


def test_a_wrong_password_is_a_field_error_and_the_sign_in_is_throttled(lan, catalogue):
    client = Client()
    # When a wrong password is given
    refused = sign_in(client, password="sai-mat-khau")
    # Then the form says so in both languages
    assert refused.status_code == 400
    assert "Email hoặc mật khẩu không đúng" in text(refused)
    assert "Wrong e-mail or password" in text(refused)

    # When four more wrong passwords follow (5 lock the account from this address)
    for _ in range(4):
        sign_in(client, password="sai-mat-khau")

    # Then even the right password is refused, with django-axes' lock, on the page
    locked = sign_in(client)
    assert locked.status_code == 429
    assert locked["Retry-After"] == "900"
    assert "Đăng nhập tạm bị khoá" in text(locked)
    assert 'data-testid="locked-out"' in text(locked)
    # and the back office's sign-in shares the count
    back_office = Client().post("/dang-nhap/", {"username": EMAIL, "password": PASSWORD})
    assert back_office.status_code == 429


def test_password_reset_sets_a_new_password_and_signs_in(
    client, lan, catalogue, celery_runs_tasks_inline, mailoutbox
):
    # When Lan asks for a reset (and someone asks for an unknown e-mail: same answer)
    asked = client.post("/tai-khoan/quen-mat-khau/", {"email": EMAIL})
    unknown = Client().post("/tai-khoan/quen-mat-khau/", {"email": "ai.do@example.vn"})
    assert text(asked).count("Nếu email này có tài khoản") == 1
    assert "Nếu email này có tài khoản" in text(unknown)

    # Then one e-mail links to the storefront's reset page
    (message,) = mailoutbox
    path, query = link_of(message)
    assert path.endswith("/tai-khoan/dat-lai-mat-khau/")
    page = text(client.get("/tai-khoan/dat-lai-mat-khau/", query))
    assert f'name="token" value="{query["token"]}"' in page

    # When a bad token is posted, the form refuses it
    bad = client.post(
        "/tai-khoan/dat-lai-mat-khau/",
        {**query, "token": "khong-hop-le", "password": "moi-moi-moi-1",
         "password_again": "moi-moi-moi-1"},
    )  # fmt: skip
    assert bad.status_code == 400
    assert "Liên kết không hợp lệ hoặc đã hết hạn. / The link is invalid" in text(bad)

    # When she chooses a new password with the e-mail's token
    done = client.post(
        "/tai-khoan/dat-lai-mat-khau/",
        {**query, "password": "moi-moi-moi-1", "password_again": "moi-moi-moi-1"},
    )

    # Then it is set, and she is signed in
    assert (done.status_code, done["Location"]) == (302, "/tai-khoan/")
    lan.refresh_from_db()
    assert lan.check_password("moi-moi-moi-1")


def test_saved_addresses_are_on_the_34_provinces(client, lan, catalogue):
    sign_in(client)
    # When Lan saves an address in Hà Nội
    form = {key: value for key, value in ADDRESS.items() if key != "email"}
    saved = client.post("/tai-khoan/dia-chi/them/", form)
    assert saved.status_code == 302
    (address,) = lan.addresses.all()
    assert (address.country_area, address.phone) == ("Hà Nội", "+84912345678")

    # Then it is listed
    assert text(client.get("/tai-khoan/")).count('data-testid="saved-address"') == 1
    # and, her first, it is the default: a new cart starts from it at the checkout
    add_to_cart(client, catalogue["Miến dong Tài Hoan"], 1)
    checkout = text(client.get("/thanh-toan/"))
    assert 'name="street" value="12 Phố Huế"' in checkout
    assert '<option value="01" selected>' in checkout

    # When she names a province that is not one of the 34 (a pre-2025 code: Hà Tây)
    refused = client.post("/tai-khoan/dia-chi/them/", {**form, "province": "28"})
    assert refused.status_code == 400
    assert field_errors(text(refused)) == [
        "Vui lòng chọn một trong 34 tỉnh/thành phố. / Choose one of the 34 provinces."
    ]
    # and another's address cannot be deleted
    other = User.objects.create_user(email="khac@example.vn", password=PASSWORD)
    theirs = Address.objects.create(first_name="A", country="VN", country_area="Hà Nội")
    other.addresses.add(theirs)
    import graphene

    client.post(
        "/tai-khoan/dia-chi/xoa/", {"address": graphene.Node.to_global_id("Address", theirs.pk)}
    )
    assert Address.objects.filter(pk=theirs.pk).exists()
    # while her own can
    client.post(
        "/tai-khoan/dia-chi/xoa/", {"address": graphene.Node.to_global_id("Address", address.pk)}
    )
    assert not lan.addresses.exists()


@pytest.mark.parametrize(
    ("form", "errors"),
    [
        ({"email": "", "password": "", "password_again": ""},
         ["Thông tin này là bắt buộc. / This field is required."] * 3),
        ({"email": "khong-phai-email", "password": "ngan", "password_again": "ngan"},
         ["Email không hợp lệ. / Enter a valid e-mail address.",
          "Mật khẩu cần ít nhất 8 ký tự. / The password needs at least 8 characters."]),
        ({"email": EMAIL, "password": "mat-khau-1-2-3", "password_again": "khac-han-1"},
         ["Hai mật khẩu không khớp. / The two passwords do not match."]),
        ({"email": "a\x00@example.vn", "password": "x" * 200, "password_again": "x"},
         ["Email không hợp lệ. / Enter a valid e-mail address.",
          "Không được chứa ký tự NUL. / Must not contain the NUL character.",
          "Quá dài (tối đa 128 ký tự). / Too long (at most 128 characters)."]),
    ],
)  # fmt: skip
def test_bad_sign_up_input_gets_bilingual_field_errors(db, catalogue, form, errors):
    answer = Client().post("/tai-khoan/dang-ky/", form)
    assert answer.status_code == 400
    assert field_errors(text(answer)) == errors
    assert not User.objects.exists()


def test_an_existing_e_mail_cannot_sign_up_twice(lan, catalogue):
    answer = Client().post(
        "/tai-khoan/dang-ky/", {"email": EMAIL, "password": PASSWORD, "password_again": PASSWORD}
    )
    assert answer.status_code == 400
    assert "Email này đã có tài khoản" in text(answer)
    assert User.objects.count() == 1


def test_a_bad_activation_link_is_refused(db, catalogue):
    for query in ({}, {"email": EMAIL, "token": "abc"}, {"email": "x\x00", "token": "a" * 500}):
        answer = Client().get("/tai-khoan/kich-hoat/", query)
        assert answer.status_code == 400
        assert "Liên kết không hợp lệ hoặc đã hết hạn" in text(answer)


# -- a guest finds an order -------------------------------------------------------------


@pytest.fixture
def guest_order(client, catalogue) -> Order:
    return buy(client, catalogue["Miến dong Tài Hoan"], 1)


def test_a_guest_finds_an_order_by_its_number_and_phone(guest_order):
    client = Client()
    # When the number and the phone as she wrote it (or in another form) are given
    for phone in ("0912345678", "+84 912 345 678", "091.234.5678"):
        found = client.post("/tra-cuu-don-hang/", {"number": f"#{guest_order.pk}", "phone": phone})
        # Then she is taken to the order's page
        assert (found.status_code, found["Location"]) == (302, f"/don-hang/{guest_order.token}/")

    # When the phone is another one, the order is not shown
    wrong = client.post("/tra-cuu-don-hang/", {"number": guest_order.pk, "phone": "0987654321"})
    assert wrong.status_code == 400
    assert "Không tìm thấy đơn hàng với mã và số điện thoại này." in text(wrong)


def test_the_lookup_is_throttled(guest_order):
    client = Client()
    for _ in range(10):
        client.post("/tra-cuu-don-hang/", {"number": guest_order.pk, "phone": "0987654321"})
    # Then even the right pair is refused for a while
    locked = client.post("/tra-cuu-don-hang/", {"number": guest_order.pk, "phone": "0912345678"})
    assert locked.status_code == 429
    assert "Tra cứu tạm bị khoá" in text(locked)


@pytest.fixture(autouse=True)
def _empty_cache():
    from django.core.cache import cache

    cache.clear()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(number=st.text(max_size=30), phone=st.text(max_size=30))
@example(number="²", phone="٠٩١٢٣٤٥٦٧٨")
@example(number="9" * 19, phone="0912345678")
@example(number="1\x00", phone="\x00")
@example(number="-1", phone="+84")
def test_any_lookup_input_is_a_field_error_or_not_found_never_a_500(db, catalogue, number, phone):
    from django.core.cache import cache

    cache.clear()
    answer = Client().post("/tra-cuu-don-hang/", {"number": number, "phone": phone})
    assert answer.status_code == 400
    page = text(answer)
    assert " / " in page
    assert field_errors(page) or "Không tìm thấy đơn hàng" in page


def test_signing_in_goes_back_only_to_a_page_of_this_shop(lan, catalogue):
    # When the sign-in form carries a page of the shop, or another site, to go back to
    home = Client().post(
        "/tai-khoan/dang-nhap/", {"email": EMAIL, "password": PASSWORD, "next": "/gio-hang/"}
    )
    away = Client().post(
        "/tai-khoan/dang-nhap/",
        {"email": EMAIL, "password": PASSWORD, "next": "https://ke-gian.example/"},
    )
    # Then only the shop's own page is followed
    assert home["Location"] == "/gio-hang/"
    assert away["Location"] == "/tai-khoan/"
