"""Platform staff run a cooperative without a shell: its team, its payout account (four
eyes), its terms and its suspension. Each write is in the audit log with its actor."""

import re

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from saleor.account.models import User

from fairs.models import ProvinceStaff
from marketplace.certification import certified_product_ids
from marketplace.models import (
    CooperativeMembership,
    CooperativeSettings,
    PayoutAccountChange,
    Producer,
)
from tests.routing.marketplace import client_for
from tests.saleor_fixtures.api import grant


@pytest.fixture
def second_staff(db) -> User:
    user = User.objects.create_user(
        email="ke.toan@ocop.test", password="mat-khau-staff-2", is_staff=True
    )
    return grant(user, "manage_orders")


def action(producer: Producer, name: str) -> str:
    return reverse("backoffice-cooperative-action", args=[producer.pk, name])


def test_an_invited_member_sets_a_password_and_signs_in_to_the_portal(
    catalog, platform_staff, run_on_commit, celery_runs_tasks_inline
):
    # Given platform staff invite a new person to Tài Hoan's team
    staff = client_for(platform_staff)
    with run_on_commit():
        invited = staff.post(
            action(catalog.tai_hoan, "moi-thanh-vien"),
            {"email": " Moi.Nguoi@TaiHoan.test ", "role": "staff"},
        )

    # Then the account exists without a password, and one bilingual e-mail carries the link
    assert invited.status_code == 302
    user = User.objects.get(email="moi.nguoi@taihoan.test")
    assert not user.has_usable_password()
    assert CooperativeMembership.objects.get(user=user).producer == catalog.tai_hoan
    [message] = mail.outbox
    assert message.to == ["moi.nguoi@taihoan.test"]
    assert "Invitation to the cooperative portal" in message.subject
    link = re.search(r"https?://[^/]+(/dang-nhap/dat-mat-khau/\S+/)", message.body).group(1)

    # When they open the link and choose a password
    newcomer = Client()
    form = newcomer.get(link, follow=True)
    assert form.status_code == 200
    chosen = newcomer.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"new_password1": "Mien-dong-2026!", "new_password2": "Mien-dong-2026!"},
    )

    # Then they are sent to the one sign-in, where the portal opens for them
    assert (chosen.status_code, chosen["Location"]) == (302, "/dang-nhap/")
    signed_in = newcomer.post(
        "/dang-nhap/", {"username": "moi.nguoi@taihoan.test", "password": "Mien-dong-2026!"}
    )
    assert signed_in["Location"] == "/htx/don-hang/"
    # and the link does not work twice
    again = Client().get(link, follow=True)
    assert 'data-testid="invalid-link"' in again.content.decode()


def test_inviting_a_member_twice_is_a_field_error(catalog, platform_staff, tai_hoan_staff):
    response = client_for(platform_staff).post(
        action(catalog.tai_hoan, "moi-thanh-vien"),
        {"email": "ban.hang@taihoan.test", "role": "staff"},
    )
    assert response.status_code == 400
    assert "ban.hang@taihoan.test is already a member of" in response.content.decode()
    assert CooperativeMembership.objects.filter(producer=catalog.tai_hoan).count() == 1


def test_removing_a_member_closes_the_portal_to_them(catalog, platform_staff, tai_hoan_staff):
    membership = CooperativeMembership.objects.get(user=tai_hoan_staff)
    response = client_for(platform_staff).post(
        action(catalog.tai_hoan, "xoa-thanh-vien"), {"member": membership.pk}
    )
    assert response.status_code == 302
    assert client_for(tai_hoan_staff).get("/htx/don-hang/").status_code == 403


def test_a_payout_account_change_needs_a_second_staff_member(catalog, platform_staff, second_staff):
    # Given one staff member asks for a new account, typing the holder as people write it
    first, second = client_for(platform_staff), client_for(second_staff)
    asked = first.post(
        action(catalog.tai_hoan, "tai-khoan-nhan-tien"),
        {"bank_bin": "970405", "account_number": "1500 2050 12345", "holder": "HTX Tài Hoan"},
    )
    change = PayoutAccountChange.objects.get(producer=catalog.tai_hoan)
    assert asked.status_code == 302
    assert (change.bank_account_number, change.bank_account_holder) == (
        "15002050" "12345", "HTX TAI HOAN",
    )  # fmt: skip

    # When the same person tries to approve it, then it is refused and nothing applies
    refused = first.post(action(catalog.tai_hoan, "duyet-tai-khoan"), {"change": change.pk})
    assert refused.status_code == 400
    assert "Another staff member must approve a change you asked for" in refused.content.decode()
    assert not CooperativeSettings.objects.filter(producer=catalog.tai_hoan).exists()

    # When a second staff member approves it
    approved = second.post(
        action(catalog.tai_hoan, "duyet-tai-khoan"),
        {"change": change.pk, "note": "Đã gọi xác minh"},
    )

    # Then the payout account is the new one, and the log names both people
    assert approved.status_code == 302
    settings = CooperativeSettings.objects.get(producer=catalog.tai_hoan)
    assert (settings.bank_bin, settings.bank_name, settings.bank_account_number) == (
        "970405", "Agribank", "1500205012345",
    )  # fmt: skip
    kind = ContentType.objects.get_for_model(PayoutAccountChange)
    actors = list(
        LogEntry.objects.filter(content_type=kind, object_pk=str(change.pk))
        .order_by("pk")
        .values_list("actor__email", flat=True)
    )
    assert actors == ["dieu.phoi@ocop.test", "ke.toan@ocop.test"]
    settings_log = LogEntry.objects.get_for_object(settings)
    assert {entry.actor for entry in settings_log} == {second_staff}


def test_a_new_request_supersedes_the_waiting_one(catalog, platform_staff):
    staff = client_for(platform_staff)
    for number in ("111111111", "222222222"):
        staff.post(
            action(catalog.tai_hoan, "tai-khoan-nhan-tien"),
            {"bank_bin": "970436", "account_number": number, "holder": "HTX TAI HOAN"},
        )
    statuses = dict(PayoutAccountChange.objects.values_list("bank_account_number", "status"))
    assert statuses == {"111111111": "superseded", "222222222": "pending"}


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("bank_bin", "999999", "Please choose the bank"),
        ("account_number", "12ab567", "The account number is 6 to 19 digits"),
        ("account_number", "12345", "The account number is 6 to 19 digits"),
        ("holder", "😀😀", "is letters and spaces, at most 100 characters"),
        ("holder", "A\x00B", "is letters and spaces, at most 100 characters"),
    ],
)
def test_a_bad_payout_account_is_a_field_error(catalog, platform_staff, field, value, message):
    post = {"bank_bin": "970436", "account_number": "0011002233445", "holder": "HTX TAI HOAN"}
    response = client_for(platform_staff).post(
        action(catalog.tai_hoan, "tai-khoan-nhan-tien"), {**post, field: value}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PayoutAccountChange.objects.exists()


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(number=st.text(max_size=30), holder=st.text(max_size=120))
def test_any_typed_account_is_accepted_or_refused_never_a_crash(
    catalog, platform_staff, number, holder
):
    response = client_for(platform_staff).post(
        action(catalog.tai_hoan, "tai-khoan-nhan-tien"),
        {"bank_bin": "970436", "account_number": number, "holder": holder},
    )
    assert response.status_code in (302, 400)
    if response.status_code == 302:
        change = PayoutAccountChange.objects.filter(status="pending").get()
        assert change.bank_account_number.isdigit()
        assert change.bank_account_holder.isascii()
        assert change.bank_account_holder == change.bank_account_holder.upper()


def test_terms_are_saved_and_checked(catalog, platform_staff):
    staff = client_for(platform_staff)
    saved = staff.post(
        action(catalog.tai_hoan, "dieu-khoan"),
        {"commission": "12,5", "notification_email": "don@taihoan.test", "webhook_url": ""},
    )
    assert saved.status_code == 302
    settings = CooperativeSettings.objects.get(producer=catalog.tai_hoan)
    assert (str(settings.commission_rate_percent), settings.notification_email) == (
        "12.50", "don@taihoan.test",
    )  # fmt: skip
    for post, message in [
        ({"commission": "51"}, "Commission is a number from 0 to 50 (%)"),
        ({"commission": "NaN"}, "Commission is a number from 0 to 50 (%)"),
        ({"commission": "1.234"}, "At most 2 decimal places"),
        ({"webhook_url": "http://hook.test/x"}, "A webhook must be an https:// URL"),
        ({"notification_email": "khong-phai-email"}, "Not a valid e-mail address"),
    ]:
        refused = staff.post(action(catalog.tai_hoan, "dieu-khoan"), post)
        assert refused.status_code == 400, post
        alert = re.search(r'data-testid="error">([^<]*)<', refused.content.decode()).group(1)
        assert message in alert, (post, alert)


def test_a_suspended_cooperative_sells_nothing_until_reinstated(catalog, platform_staff):
    # Given Tài Hoan's published miến dong
    product = catalog.mien_dong.product
    staff = client_for(platform_staff)
    assert product.is_published

    # When staff suspend the cooperative
    suspended = staff.post(action(catalog.tai_hoan, "tam-ngung"), {"reason": "Kiểm tra chất lượng"})

    # Then the product leaves the shop at once and cannot be published again
    assert suspended.status_code == 302
    product.refresh_from_db()
    assert not product.is_published
    assert client_for(platform_staff).get(f"/san-pham/{product.slug}/").status_code == 404
    assert certified_product_ids([product.pk], timezone.localdate()) == set()
    # and Tân Cương is not touched
    catalog.tra.product.refresh_from_db()
    assert catalog.tra.product.is_published

    # When the suspension is lifted, the product is back
    assert staff.post(action(catalog.tai_hoan, "mo-lai")).status_code == 302
    product.refresh_from_db()
    assert product.is_published


def test_a_suspension_needs_a_reason(catalog, platform_staff):
    response = client_for(platform_staff).post(
        action(catalog.tai_hoan, "tam-ngung"), {"reason": " "}
    )
    assert response.status_code == 400
    assert "Give the reason for the suspension" in response.content.decode()
    assert Producer.objects.get(pk=catalog.tai_hoan.pk).suspended_at is None


@pytest.fixture
def province_staff(db) -> User:
    user = User.objects.create_user(email="tinh@backan.test", password="x", is_staff=True)
    ProvinceStaff.objects.create(user=user, province_code="19")
    return user


@pytest.mark.parametrize("role", ["anonymous", "cooperative", "province", "platform"])
def test_only_platform_staff_reach_the_cooperative_pages(
    catalog, tai_hoan_staff, platform_staff, province_staff, role
):
    client = {
        "anonymous": Client(),
        "cooperative": client_for(tai_hoan_staff),
        "province": client_for(province_staff),
        "platform": client_for(platform_staff),
    }[role]
    pages = [
        ("get", reverse("backoffice-cooperatives")),
        ("get", reverse("backoffice-cooperative", args=[catalog.tai_hoan.pk])),
        ("post", action(catalog.tai_hoan, "tam-ngung")),
    ]
    expected = {"anonymous": 302, "cooperative": 403, "province": 403, "platform": None}[role]
    for method, url in pages:
        response = getattr(client, method)(url, {"reason": "x"} if method == "post" else {})
        if expected is None:
            assert response.status_code in (200, 302), url
        else:
            assert response.status_code == expected, (role, url)
    suspended = Producer.objects.get(pk=catalog.tai_hoan.pk).suspended_at is not None
    assert suspended == (role == "platform")


def test_unknown_cooperatives_pages_and_actions_are_404(catalog, platform_staff):
    staff = client_for(platform_staff)
    assert staff.get(reverse("backoffice-cooperative", args=[987654])).status_code == 404
    assert staff.post(action(catalog.tai_hoan, "khong-co")).status_code == 404
    assert staff.get(reverse("backoffice-cooperatives"), {"tinh": "99"}).status_code == 400
    assert staff.get(reverse("backoffice-cooperatives"), {"trang": "50"}).status_code == 404


def test_staff_reach_one_cooperatives_portal_lists_from_its_page_not_a_list_of_all(
    catalog, platform_staff, orders
):
    # Given platform staff on Tài Hoan's page
    staff = client_for(platform_staff)
    page = staff.get(reverse("backoffice-cooperative", args=[catalog.tai_hoan.pk]))
    orders_link = f"{reverse('portal:order_list')}?htx={catalog.tai_hoan.pk}"
    assert orders_link in page.content.decode()

    # When they follow its orders link
    listed = staff.get(orders_link).content.decode()

    # Then only Tài Hoan's two parts are listed, and no menu of every producer is built
    numbers = re.findall(r'data-label="Mã đơn"[^>]*>\s*<a[^>]*>([^<]+)</a>', listed)
    assert sorted(numbers) == sorted(co.number for co in orders["tai_hoan"])
    assert '<select id="htx"' not in listed
    assert "Hợp tác xã / Cooperative: <strong>Hợp tác xã Tài Hoan</strong>" in listed
