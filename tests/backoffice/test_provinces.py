"""Platform staff run the provinces' staff accounts without a shell: invite a person for
one of the 34 provinces (the same set-password link as a cooperative's team), revoke; the
``ocop_province_staff`` command does the same through the same service."""

import re
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from saleor.account.models import User

from fairs.models import ProvinceStaff
from marketplace.models import CooperativeMembership
from tests.routing.marketplace import client_for

LIST, INVITE = reverse("backoffice-provinces"), reverse("backoffice-province-staff-invite")


def revoke_url(row) -> str:
    return reverse("backoffice-province-staff-revoke", args=[row.pk])


def test_an_invited_person_sets_a_password_and_opens_the_province_fairs(
    db, platform_staff, run_on_commit, celery_runs_tasks_inline
):
    # Given platform staff invite a new person for Thái Nguyên
    staff = client_for(platform_staff)
    with run_on_commit():
        invited = staff.post(INVITE, {"email": " So.NN@ThaiNguyen.test ", "province": "19"})

    # Then the person runs Thái Nguyên's fairs, has no password yet, and gets the link
    assert (invited.status_code, invited["Location"]) == (302, f"{LIST}?tinh=19")
    row = ProvinceStaff.objects.get(user__email="so.nn@thainguyen.test")
    assert row.province_code == "19"
    assert not row.user.has_usable_password()
    [message] = mail.outbox
    assert message.to == ["so.nn@thainguyen.test"]
    assert "Invitation to run Thái Nguyên's fairs" in message.subject
    link = re.search(r"https?://[^/]+(/dang-nhap/dat-mat-khau/\S+/)", message.body).group(1)
    person = Client()
    form = person.get(link, follow=True)
    person.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Hoi-cho-2026!", "new_password2": "Hoi-cho-2026!"},
    )
    signed_in = person.post(
        "/dang-nhap/", {"username": "so.nn@thainguyen.test", "password": "Hoi-cho-2026!"}
    )
    assert signed_in["Location"] == reverse("fairs:fair_list")
    # and the list shows them under the province; the log names who invited them
    page = staff.get(LIST, {"tinh": "19"}).content.decode()
    assert "so.nn@thainguyen.test" in page
    [entry] = LogEntry.objects.get_for_object(row)
    assert (entry.action, entry.actor) == (LogEntry.Action.CREATE, platform_staff)


def test_revoking_the_only_role_deactivates_the_account(db, platform_staff):
    # Given a provincial account with no other role
    user = User.objects.create_user(email="tinh@backan.test", password="x")
    row = ProvinceStaff.objects.create(user=user, province_code="19")

    # When platform staff revoke it
    response = client_for(platform_staff).post(revoke_url(row))

    # Then the province is gone and the account cannot sign in; both are logged
    assert response.status_code == 302
    assert not ProvinceStaff.objects.filter(pk=row.pk).exists()
    user.refresh_from_db()
    assert not user.is_active
    deleted = LogEntry.objects.get(object_pk=str(row.pk), action=LogEntry.Action.DELETE)
    assert deleted.actor == platform_staff
    [changed] = LogEntry.objects.get_for_object(user).filter(action=LogEntry.Action.UPDATE)
    assert (changed.changes_dict["is_active"], changed.actor) == (["True", "False"], platform_staff)


def test_an_account_with_another_role_stays_active(catalog, platform_staff):
    user = User.objects.create_user(email="tinh@thainguyen.test", password="x")
    CooperativeMembership.objects.create(user=user, producer=catalog.tai_hoan)
    first = ProvinceStaff.objects.create(user=user, province_code="19")
    second = ProvinceStaff.objects.create(user=user, province_code="01")
    staff = client_for(platform_staff)
    assert staff.post(revoke_url(first)).status_code == 302
    assert staff.post(revoke_url(second)).status_code == 302
    user.refresh_from_db()
    assert user.is_active  # still a member of Tài Hoan's team
    assert not ProvinceStaff.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    ("post", "field", "message"),
    [
        ({"email": "khong-phai-email", "province": "19"}, "email", "Not a valid e-mail address"),
        ({"email": "a@b.test", "province": "99"}, "province", "Choose one of the 34 provinces"),
        ({"email": "a@b.test", "province": ""}, "province", "Choose one of the 34 provinces"),
        ({"email": "a\x00@b.test", "province": "19"}, "email", "Must not contain NUL"),
        ({"email": "a@b.test", "province": "1" * 10_000}, "province", "Choose one of the 34"),
    ],
)
def test_a_bad_invitation_is_a_field_error(db, platform_staff, post, field, message):
    response = client_for(platform_staff).post(INVITE, post)
    assert response.status_code == 400
    body = response.content.decode()
    assert message in re.search(r'class="field-error">([^<]*)<', body).group(1)
    assert not ProvinceStaff.objects.exists()


def test_inviting_twice_is_a_field_error(db, platform_staff):
    staff = client_for(platform_staff)
    assert staff.post(INVITE, {"email": "a@b.test", "province": "19"}).status_code == 302
    again = staff.post(INVITE, {"email": "A@B.test", "province": "19"})
    assert again.status_code == 400
    assert "a@b.test already works for Thái Nguyên" in again.content.decode()
    assert ProvinceStaff.objects.count() == 1


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(email=st.text(max_size=300), province=st.text(max_size=5))
def test_any_typed_invitation_is_accepted_or_a_field_error(db, platform_staff, email, province):
    response = client_for(platform_staff).post(INVITE, {"email": email, "province": province})
    assert response.status_code in (302, 400)


def test_bad_filters_and_ids(db, platform_staff):
    staff = client_for(platform_staff)
    assert staff.get(LIST, {"tinh": "99"}).status_code == 400
    assert staff.get(LIST, {"trang": "9" * 10_000}).status_code == 400
    assert staff.get(LIST, {"trang": "50"}).status_code == 404
    missing = reverse("backoffice-province-staff-revoke", args=[987654])
    assert staff.post(missing).status_code == 404
    assert staff.get(missing).status_code == 405


def test_the_list_costs_the_same_queries_for_one_row_or_fifty(db, platform_staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    staff = client_for(platform_staff)
    User.objects.create_user(email="p0@tinh.test").fair_provinces.create(province_code="19")
    staff.get(LIST)  # the session's first request reads the permissions once
    with CaptureQueriesContext(connection) as one:
        assert staff.get(LIST).status_code == 200
    for n in range(1, 50):
        User.objects.create_user(email=f"p{n}@tinh.test").fair_provinces.create(province_code="01")
    with CaptureQueriesContext(connection) as many:
        assert staff.get(LIST).status_code == 200
    assert len(many) == len(one)


def test_the_command_uses_the_same_service(db, run_on_commit, celery_runs_tasks_inline):
    # Given an existing account, the script grants it a province and it is told so
    user = User.objects.create_user(email="tinh@ocop.test", password="Mat-khau-1")
    out = StringIO()
    with run_on_commit():
        call_command("ocop_province_staff", "grant", "TINH@ocop.test", "19", stdout=out)
    assert out.getvalue() == "tinh@ocop.test: 19 Thái Nguyên\n"
    assert ProvinceStaff.objects.filter(user=user, province_code="19").exists()
    [message] = mail.outbox
    assert "/dang-nhap/" in message.body
    # a second grant changes nothing
    call_command("ocop_province_staff", "grant", "tinh@ocop.test", "19", stdout=StringIO())
    assert ProvinceStaff.objects.count() == 1
    out = StringIO()
    call_command("ocop_province_staff", "list", stdout=out)
    assert out.getvalue() == "19 Thái Nguyên\ttinh@ocop.test\n"
    # unknown accounts and provinces are refused
    with pytest.raises(CommandError, match=r"No account nobody@ocop\.test"):
        call_command("ocop_province_staff", "grant", "nobody@ocop.test", "19")
    with pytest.raises(CommandError, match="No province with code 99"):
        call_command("ocop_province_staff", "grant", "tinh@ocop.test", "99")
    # revoking the only role deactivates the account, as the page does
    out = StringIO()
    call_command("ocop_province_staff", "revoke", "tinh@ocop.test", "19", stdout=out)
    assert out.getvalue() == "tinh@ocop.test: removed 19 (account deactivated)\n"
    user.refresh_from_db()
    assert not user.is_active
