"""A cooperative runs its own people and payout account from the portal: its managers
invite (the one set-password link) and remove members and ask for a new payout account,
which a platform staff member approves; its other staff see both and change neither."""

import re

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from saleor.account.models import User

from marketplace.models import CooperativeMembership, CooperativeSettings, PayoutAccountChange
from tests.routing.marketplace import client_for, member_of

TEAM, INVITE = reverse("portal:team"), reverse("portal:team_invite")
ACCOUNT, ASK = reverse("portal:payout_account"), reverse("portal:payout_account_request")


@pytest.fixture
def manager(catalog):
    return member_of(catalog.tai_hoan, "chu.nhiem@taihoan.test", role="manager")


@pytest.fixture
def clerk(catalog):
    return member_of(catalog.tai_hoan, "nhan.vien@taihoan.test")


def test_a_manager_invites_a_member_who_sets_a_password_and_signs_in(
    catalog, manager, run_on_commit, celery_runs_tasks_inline
):
    # Given Tài Hoan's manager in the portal
    portal = client_for(manager)
    page = portal.get(TEAM).content.decode()
    assert "chu.nhiem@taihoan.test" in page
    assert 'action="/htx/nhom/moi/"' in page

    # When they invite a new person as staff
    with run_on_commit():
        invited = portal.post(
            INVITE, {"htx": catalog.tai_hoan.pk, "email": " Dong.Goi@TaiHoan.test", "role": "staff"}
        )

    # Then the person is on the team, without a password, and gets the one-time link
    assert (invited.status_code, invited["Location"]) == (302, f"{TEAM}?htx={catalog.tai_hoan.pk}")
    user = User.objects.get(email="dong.goi@taihoan.test")
    membership = CooperativeMembership.objects.get(user=user)
    assert (membership.producer, membership.role) == (catalog.tai_hoan, "staff")
    assert not user.has_usable_password()
    [message] = mail.outbox
    link = re.search(r"https?://[^/]+(/dang-nhap/dat-mat-khau/\S+/)", message.body).group(1)
    newcomer = Client()
    form = newcomer.get(link, follow=True)
    chosen = newcomer.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Dong-goi-2026!", "new_password2": "Dong-goi-2026!"},
    )
    assert chosen["Location"] == "/dang-nhap/"
    signed_in = newcomer.post(
        "/dang-nhap/", {"username": "dong.goi@taihoan.test", "password": "Dong-goi-2026!"}
    )
    assert signed_in["Location"] == "/htx/don-hang/"
    # and the log names the manager as who added them
    [entry] = LogEntry.objects.get_for_object(membership)
    assert (entry.action, entry.actor) == (LogEntry.Action.CREATE, manager)


def test_staff_see_the_team_but_cannot_invite_or_remove(catalog, manager, clerk):
    portal = client_for(clerk)
    page = portal.get(TEAM).content.decode()
    assert "chu.nhiem@taihoan.test" in page
    assert "Gửi lời mời" not in page
    assert "Gỡ / Remove" not in page
    refused = portal.post(
        INVITE, {"htx": catalog.tai_hoan.pk, "email": "x@y.test", "role": "staff"}
    )
    assert refused.status_code == 403
    target = CooperativeMembership.objects.get(user=manager)
    assert portal.post(reverse("portal:team_remove", args=[target.pk])).status_code == 403
    assert CooperativeMembership.objects.filter(producer=catalog.tai_hoan).count() == 2
    assert not User.objects.filter(email="x@y.test").exists()


def test_a_manager_removes_a_member_and_the_portal_closes_to_them(catalog, manager, clerk):
    membership = CooperativeMembership.objects.get(user=clerk)
    removed = client_for(manager).post(reverse("portal:team_remove", args=[membership.pk]))
    assert removed.status_code == 302
    assert not CooperativeMembership.objects.filter(pk=membership.pk).exists()
    assert client_for(clerk).get("/htx/don-hang/").status_code == 403
    entry = LogEntry.objects.filter(action=LogEntry.Action.DELETE, object_pk=str(membership.pk))
    assert [e.actor for e in entry] == [manager]


def test_the_last_manager_cannot_leave(catalog, manager, clerk):
    # Given Tài Hoan's only manager
    mine = CooperativeMembership.objects.get(user=manager)
    portal = client_for(manager)

    # When they remove themselves, then they are told to invite another manager first
    refused = portal.post(reverse("portal:team_remove", args=[mine.pk]))
    assert refused.status_code == 400
    assert "You are the only manager: invite another manager before leaving" in (
        refused.content.decode()
    )
    assert CooperativeMembership.objects.filter(pk=mine.pk).exists()

    # When there is a second manager, they may leave
    member_of(catalog.tai_hoan, "pho.chu.nhiem@taihoan.test", role="manager")
    left = portal.post(reverse("portal:team_remove", args=[mine.pk]))
    assert (left.status_code, left["Location"]) == (302, reverse("backoffice-areas"))
    assert not CooperativeMembership.objects.filter(pk=mine.pk).exists()


def test_another_cooperatives_member_is_not_found(catalog, manager):
    other = member_of(catalog.tan_cuong, "ban.hang@tancuong.test", role="manager")
    theirs = CooperativeMembership.objects.get(user=other)
    portal = client_for(manager)
    assert portal.post(reverse("portal:team_remove", args=[theirs.pk])).status_code == 404
    assert portal.get(TEAM, {"htx": catalog.tan_cuong.pk}).status_code == 404
    invite = {"htx": catalog.tan_cuong.pk, "email": "x@y.test", "role": "staff"}
    assert portal.post(INVITE, invite).status_code == 404
    assert CooperativeMembership.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(
    ("query", "status"),
    [({"htx": "abc"}, 400), ({"htx": "9" * 10_000}, 400), ({"htx": "987654"}, 404)],
)
def test_a_bad_cooperative_choice_is_refused(catalog, manager, query, status):
    assert client_for(manager).get(TEAM, query).status_code == status
    assert client_for(manager).get(ACCOUNT, query).status_code == status


def test_platform_staff_choose_the_cooperative(catalog, platform_staff, manager):
    staff = client_for(platform_staff)
    assert "Chọn một hợp tác xã" in staff.get(TEAM).content.decode()
    page = staff.get(TEAM, {"htx": catalog.tai_hoan.pk}).content.decode()
    assert "chu.nhiem@taihoan.test" in page
    assert "Gửi lời mời" in page


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(email=st.text(max_size=300), role=st.sampled_from(["staff", "manager", "", "owner", "\x00"]))
def test_any_typed_invitation_is_accepted_or_a_field_error(catalog, manager, email, role):
    response = client_for(manager).post(
        INVITE, {"htx": catalog.tai_hoan.pk, "email": email, "role": role}
    )
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        alert = re.search(r'data-testid="error">([^<]*)<', response.content.decode()).group(1)
        assert " / " in alert  # Vietnamese / English
    else:
        assert role in ("staff", "manager")


# -- the payout account ---------------------------------------------------------------


def test_staff_see_the_payout_account_partly_masked(catalog, cooperative_settings, clerk):
    page = client_for(clerk).get(ACCOUNT).content.decode()
    shown = re.search(r'data-testid="payout-account">([^<]*)<', page).group(1)
    assert shown == "Agribank · •••• 0123 · HTX TAI HOAN"
    assert "1234567890123" not in page
    assert "Gửi đề nghị" not in page
    refused = client_for(clerk).post(
        ASK, {"htx": catalog.tai_hoan.pk, "bank_bin": "970436", "account_number": "0011002233445",
              "holder": "HTX TAI HOAN"},
    )  # fmt: skip
    assert refused.status_code == 403
    assert not PayoutAccountChange.objects.exists()


def test_a_managers_request_waits_for_platform_staff(
    catalog, cooperative_settings, manager, platform_staff
):
    # Given Tài Hoan's manager asks for a new account in the portal
    portal = client_for(manager)
    asked = portal.post(
        ASK, {"htx": catalog.tai_hoan.pk, "bank_bin": "970436",
              "account_number": "0011 0022 33999", "holder": "HTX Tài Hoan"},
    )  # fmt: skip
    assert asked.status_code == 302
    change = PayoutAccountChange.objects.get(producer=catalog.tai_hoan)
    assert (change.status, change.bank_account_number, change.requested_by) == (
        "pending", "00110022" "33999", manager,
    )  # fmt: skip

    # Then the portal shows it waiting, and the account in force is still the old one
    page = portal.get(ACCOUNT).content.decode()
    waiting = re.search(r'data-testid="pending-change">(.*?)</div>', page, re.S).group(1)
    assert "Vietcombank · •••• 3999 · HTX TAI HOAN" in waiting
    assert "•••• 0123" in re.search(r'data-testid="payout-account">([^<]*)<', page).group(1)

    # When platform staff approve it in the cooperatives section
    approved = client_for(platform_staff).post(
        reverse("backoffice-cooperative-action", args=[catalog.tai_hoan.pk, "duyet-tai-khoan"]),
        {"change": change.pk},
    )

    # Then it applies, and the log names who asked and who approved
    assert approved.status_code == 302
    settings_row = CooperativeSettings.objects.get(producer=catalog.tai_hoan)
    assert (settings_row.bank_bin, settings_row.bank_account_number) == ("970436", "0011002233999")
    actors = [e.actor for e in LogEntry.objects.get_for_object(change).order_by("pk")]
    assert actors == [manager, platform_staff]
    assert "pending-change" not in portal.get(ACCOUNT).content.decode()


def test_a_manager_cannot_approve_their_own_request(catalog, manager):
    client_for(manager).post(
        ASK, {"htx": catalog.tai_hoan.pk, "bank_bin": "970436", "account_number": "0011002233999",
              "holder": "HTX TAI HOAN"},
    )  # fmt: skip
    change = PayoutAccountChange.objects.get()
    response = client_for(manager).post(
        reverse("backoffice-cooperative-action", args=[catalog.tai_hoan.pk, "duyet-tai-khoan"]),
        {"change": change.pk},
    )
    assert response.status_code == 403
    assert PayoutAccountChange.objects.get().status == "pending"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("bank_bin", "999999", "Please choose the bank"),
        ("account_number", "12345", "The account number is 6 to 19 digits"),
        ("holder", "A\x00B", "is letters and spaces, at most 100 characters"),
    ],
)
def test_a_bad_account_is_a_field_error(catalog, manager, field, value, message):
    post = {"htx": catalog.tai_hoan.pk, "bank_bin": "970436", "account_number": "0011002233445",
            "holder": "HTX TAI HOAN"}  # fmt: skip
    response = client_for(manager).post(ASK, {**post, field: value})
    assert response.status_code == 400
    assert message in re.search(r'class="field-error">([^<]*)<', response.content.decode()).group(1)
    assert not PayoutAccountChange.objects.exists()


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(bank=st.text(max_size=10), number=st.text(max_size=30), holder=st.text(max_size=120))
def test_any_typed_request_is_accepted_or_refused_never_a_crash(
    catalog, manager, bank, number, holder
):
    response = client_for(manager).post(
        ASK,
        {"htx": catalog.tai_hoan.pk, "bank_bin": bank, "account_number": number, "holder": holder},
    )
    assert response.status_code in (302, 400)
