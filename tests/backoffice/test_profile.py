"""A cooperative tells its own story: its managers (and platform staff) edit the profile
in the portal (/htx/ho-so/), and the storefront shows it beside its products."""

import io

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from marketplace.models import CooperativeSettings
from tests.routing.marketplace import client_for, member_of

STORY = "HTX Tài Hoan làm miến dong từ năm 1998.\n\nCủ dong trồng ở Côn Minh."


def logo(kind="PNG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 200), (20, 120, 60)).save(buffer, kind)
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


def profile_form(producer, **fields) -> dict:
    return {
        "htx": producer.pk,
        "story": STORY,
        "address": " Thôn Tài Hoan,  xã Côn Minh ",
        "contact_name": "Nguyễn Văn An",
        "contact_phone": "0912 345 678",
        "contact_email": " An@TaiHoan.test ",
        **fields,
    }


def test_a_manager_tells_the_story_and_the_storefront_shows_it(catalog, tai_hoan_staff):
    # Given Tài Hoan's manager on the profile page
    manager = client_for(tai_hoan_staff)
    assert manager.get(reverse("portal:profile")).status_code == 200

    # When they save a story, a logo, the address and contacts
    saved = manager.post(
        reverse("portal:profile_save"), profile_form(catalog.tai_hoan, logo=logo())
    )

    # Then each is stored as typed, the phone in E.164 and the e-mail in lower case
    assert (saved.status_code, saved["Location"]) == (
        302,
        f"{reverse('portal:profile')}?htx={catalog.tai_hoan.pk}",
    )
    profile = CooperativeSettings.objects.get(producer=catalog.tai_hoan)
    assert (profile.story, profile.address, profile.contact_name) == (
        "HTX Tài Hoan làm miến dong từ năm 1998.\n\nCủ dong trồng ở Côn Minh.",
        "Thôn Tài Hoan, xã Côn Minh",
        "Nguyễn Văn An",
    )
    assert (profile.contact_phone, profile.contact_email) == ("+84912345678", "an@taihoan.test")
    assert profile.logo.name == f"cooperative-logos/{catalog.tai_hoan.pk}.png"
    # and the change is in the audit log with the manager as its actor
    entry = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(CooperativeSettings),
        object_pk=str(profile.pk),
    ).latest("timestamp")
    assert entry.actor == tai_hoan_staff

    # Then the storefront's product page shows both paragraphs, the logo and the address
    page = (
        Client()
        .get(reverse("storefront-product", args=[catalog.mien_dong.product.slug]))
        .content.decode()
    )
    block = page[page.index('data-testid="producer"') :]
    assert "<p>HTX Tài Hoan làm miến dong từ năm 1998.</p>" in block
    assert "<p>Củ dong trồng ở Côn Minh.</p>" in block
    assert f'src="/media/cooperative-logos/{catalog.tai_hoan.pk}.png"' in block
    assert "Thôn Tài Hoan, xã Côn Minh" in block


def test_bad_fields_are_field_errors_and_nothing_is_saved(catalog, tai_hoan_staff):
    manager = client_for(tai_hoan_staff)
    cases = [
        ({"contact_phone": "12"}, "contact_phone", "Not a valid phone number"),
        ({"contact_email": "an@"}, "contact_email", "Not a valid e-mail address"),
        ({"story": "x" * 5001}, "story", "A story has at most 5000 characters"),
        ({"address": "a\x00b"}, "address", "Must not contain NUL"),
        ({"contact_name": "n" * 101}, "contact_name", "At most 100 characters"),
        (
            {"logo": SimpleUploadedFile("logo.jpg", b"not an image", content_type="image/jpeg")},
            "logo",
            "The file is not a JPEG, PNG or WebP image",
        ),
    ]
    for fields, field, message in cases:
        refused = manager.post(
            reverse("portal:profile_save"), profile_form(catalog.tai_hoan, **fields)
        )
        assert refused.status_code == 400, field
        assert message in refused.content.decode(), field
        assert refused.context["error"].field == field
    assert not CooperativeSettings.objects.filter(producer=catalog.tai_hoan).exists()


def test_only_a_manager_or_platform_staff_edit_and_another_cooperative_is_404(
    catalog, tan_cuong_staff, platform_staff
):
    # Given a member of Tài Hoan who is not a manager, and Tân Cương's member
    clerk = member_of(catalog.tai_hoan, "kho@taihoan.test")
    form = profile_form(catalog.tai_hoan)

    # Then the clerk sees the profile but may not change it, Tân Cương cannot see it
    assert client_for(clerk).post(reverse("portal:profile_save"), form).status_code == 403
    assert client_for(tan_cuong_staff).post(reverse("portal:profile_save"), form).status_code == 404
    page = client_for(tan_cuong_staff).get(reverse("portal:profile"), {"htx": catalog.tai_hoan.pk})
    assert page.status_code == 404
    assert not CooperativeSettings.objects.filter(producer=catalog.tai_hoan).exists()

    # and platform staff may, from the cooperative's back-office page
    staff = client_for(platform_staff)
    detail = staff.get(reverse("backoffice-cooperative", args=[catalog.tai_hoan.pk]))
    assert f"{reverse('portal:profile')}?htx={catalog.tai_hoan.pk}" in detail.content.decode()
    assert staff.post(reverse("portal:profile_save"), form).status_code == 302
    assert (
        CooperativeSettings.objects.get(producer=catalog.tai_hoan).contact_name == "Nguyễn Văn An"
    )


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    fields=st.fixed_dictionaries(
        {
            name: st.text(max_size=300)
            for name in ("story", "address", "contact_name", "contact_phone", "contact_email")
        }
    )
)
def test_any_text_in_the_profile_form_is_saved_or_a_field_error(catalog, tai_hoan_staff, fields):
    response = client_for(tai_hoan_staff).post(
        reverse("portal:profile_save"), {"htx": catalog.tai_hoan.pk, **fields}
    )
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert response.context["error"].field in fields
