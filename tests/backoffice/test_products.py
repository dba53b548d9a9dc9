"""Products in the back office: platform staff find and edit any product, a cooperative
its own; the story and the photos (Saleor's ProductImage, sizes by its thumbnails) show
on the storefront; bad files are field errors; publishing keeps the guard; every write
is in the audit log with its actor."""

import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from saleor.product.models import Product, ProductImage

from marketplace import cooperatives, product_pages
from marketplace.models import OcopProduct
from tests.routing.marketplace import client_for


@pytest.fixture
def media(settings, tmp_path) -> Path:
    """Uploaded photos and their renditions go to a folder of this test only."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return Path(settings.MEDIA_ROOT)


def image_bytes(kind="JPEG", size=(800, 600), color=(200, 120, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, kind)
    return buffer.getvalue()


def upload(content: bytes, name="anh.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def listing(catalog, variant=None) -> OcopProduct:
    return OcopProduct.objects.get(product=(variant or catalog.mien_dong).product)


def portal_action(item: OcopProduct, name: str) -> str:
    return reverse("portal:listing_action", args=[item.pk, name])


def staff_action(item: OcopProduct, name: str) -> str:
    return reverse("backoffice-product-action", args=[item.pk, name])


def actors(model, pk) -> list[tuple[str, str]]:
    kind = ContentType.objects.get_for_model(model)
    return list(
        LogEntry.objects.filter(content_type=kind, object_pk=str(pk))
        .order_by("pk")
        .values_list("action", "actor__email")
    )


def test_a_cooperative_adds_two_photos_and_a_story_that_show_on_the_storefront(
    catalog, tai_hoan_staff, media, run_on_commit
):
    # Given Tài Hoan's member on their miến dong's page
    item, client = listing(catalog), client_for(tai_hoan_staff)
    page = client.get(reverse("portal:listing_update", args=[item.pk]))
    assert page.status_code == 200
    assert "Bộ Nông nghiệp và Phát triển nông thôn" in page.content.decode()

    # When they add a JPEG and a PNG with alt text, and write a story with markup in it
    with run_on_commit():
        first = client.post(
            portal_action(item, "them-anh"),
            {"photo": upload(image_bytes()), "alt": "  Bó miến   dong khô "},
        )
        second = client.post(
            portal_action(item, "them-anh"),
            {"photo": upload(image_bytes("PNG"), "x.png", "image/png"), "alt": "Bát miến"},
        )
    story = client.post(
        portal_action(item, "cau-chuyen"),
        {"story": "Làm từ củ dong Na Rì.\r\n\r\n<script>alert(1)</script> phơi nắng"},
    )

    # Then the photos are Saleor's images in that order, with renditions on disk
    assert [first.status_code, second.status_code, story.status_code] == [302, 302, 302]
    assert first["Location"] == reverse("portal:listing_update", args=[item.pk]) + "#anh"
    images = list(ProductImage.objects.filter(product=item.product).order_by("sort_order"))
    assert [(image.alt, image.sort_order) for image in images] == [
        ("Bó miến dong khô", 0),
        ("Bát miến", 1),
    ]
    assert re.fullmatch(r"products/mien-dong-tai-hoan-[0-9a-f-]+\.jpg", images[0].image.name)
    assert images[1].image.name.endswith(".png")
    renditions = sorted(p.name for p in (media / "__sized__" / "products").iterdir())
    assert len(renditions) == 12  # six sizes of Saleor's "products" set, two photos
    product = Product.objects.get(pk=item.product_id)
    assert product.description == "Làm từ củ dong Na Rì.\n\n<script>alert(1)</script> phơi nắng"
    assert [b["text"] for b in product.description_json["blocks"]] == [
        "Làm từ củ dong Na Rì.",
        "<script>alert(1)</script> phơi nắng",
    ]

    # And the storefront's page shows both photos (540 px, 1080 px for 2x) and the story,
    # escaped
    shop = client.get(reverse("storefront-product", args=[product.slug])).content.decode()
    assert "Chưa có ảnh" not in shop
    shown = re.findall(r'<img src="([^"]+)" srcset="[^"]+" sizes="[^"]+" alt="([^"]+)"', shop)
    assert [alt for _, alt in shown] == ["Bó miến dong khô", "Bát miến"]
    assert all("-thumbnail-540x540" in src for src, _ in shown)
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt; phơi nắng</p>" in shop
    assert "<script>alert(1)" not in shop
    # And the product's card, on the list, shows the first photo at card size
    cards = client.get(reverse("storefront-products")).content.decode()
    assert re.search(r'class="card-image" src="[^"]+-thumbnail-255x255[^"]*" srcset', cards)

    # And every write is in the audit log with the member as actor
    assert actors(ProductImage, images[0].pk) == [(0, "ban.hang@taihoan.test")]
    assert (1, "ban.hang@taihoan.test") in actors(Product, product.pk)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"Day la van ban, khong phai anh", "anh.jpg", "Tệp không phải ảnh JPEG, PNG hay WebP"),
        (b"", "rong.jpg", "Tệp ảnh rỗng / The file is empty"),
        (image_bytes("GIF"), "dong.gif", "Tệp không phải ảnh JPEG, PNG hay WebP"),
        (image_bytes()[:400], "cat-do.jpg", "Tệp không phải ảnh JPEG, PNG hay WebP"),
    ],
    ids=["text-named-jpg", "empty", "gif", "truncated"],
)
def test_a_file_that_is_not_a_photo_is_a_field_error(
    catalog, tai_hoan_staff, media, content, name, message
):
    # Given Tài Hoan's member
    item, client = listing(catalog), client_for(tai_hoan_staff)
    # When they upload a file that is no JPEG, PNG or WebP photo
    answer = client.post(
        portal_action(item, "them-anh"), {"photo": upload(content, name), "alt": "Ảnh"}
    )
    # Then the page answers 400 with the field's bilingual error, and nothing is stored
    assert answer.status_code == 400
    assert answer.context["error"].field == "photo"
    assert message in answer.context["error"].message
    assert " / " in answer.context["error"].message
    assert not ProductImage.objects.exists()


def test_a_decompression_bomb_is_refused_before_it_is_decoded(catalog, tai_hoan_staff, media):
    # Given a PNG of 1 × 1 pixel whose header claims 20,000 × 20,000 (400 megapixels)
    png = bytearray(image_bytes("PNG", size=(1, 1)))
    png[16:24] = struct.pack(">II", 20000, 20000)
    png[29:33] = struct.pack(">I", zlib.crc32(bytes(png[12:29])))
    bomb = bytes(png)
    assert len(bomb) < 100
    # When it is uploaded
    answer = client_for(tai_hoan_staff).post(
        portal_action(listing(catalog), "them-anh"),
        {"photo": upload(bomb, "bom.png", "image/png"), "alt": "Bom"},
    )
    # Then it is refused on the field, as too many pixels
    assert answer.status_code == 400
    assert answer.context["error"].message == (
        "Ảnh tối đa 50 triệu điểm ảnh / A photo has at most 50 megapixels"
    )


def test_a_file_over_10_mb_is_refused(catalog):
    big = upload(b"\xff" * (product_pages.MAX_PHOTO_BYTES + 1))
    with pytest.raises(product_pages.ProductPageError) as refused:
        product_pages.check_photo(big)
    assert (refused.value.code, refused.value.field) == ("too_large", "photo")
    assert refused.value.message == "Ảnh tối đa 10 MB / A photo is at most 10 MB"


def test_webp_is_accepted_and_alt_text_is_required(catalog, tai_hoan_staff, media):
    item, client = listing(catalog), client_for(tai_hoan_staff)
    # When the alt text is missing
    missing = client.post(
        portal_action(item, "them-anh"), {"photo": upload(image_bytes("WEBP")), "alt": " "}
    )
    # Then it is the alt field's error
    assert missing.status_code == 400
    assert missing.context["error"].field == "alt"
    assert missing.context["error"].message == (
        "Nhập mô tả ảnh cho người không xem được ảnh / Enter the photo's alt text"
    )
    # And with it, a WebP photo is stored under .webp
    added = client.post(
        portal_action(item, "them-anh"),
        {"photo": upload(image_bytes("WEBP"), "a.bin"), "alt": "Miến"},
    )
    assert added.status_code == 302
    assert ProductImage.objects.get().image.name.endswith(".webp")


def test_photos_are_reordered_captioned_and_deleted(catalog, platform_staff, media):
    # Given three photos of the miến dong, added by platform staff
    item, staff = listing(catalog), client_for(platform_staff)
    for alt in ("Một", "Hai", "Ba"):
        assert (
            staff.post(
                staff_action(item, "them-anh"), {"photo": upload(image_bytes()), "alt": alt}
            ).status_code
            == 302
        )
    one, two, three = ProductImage.objects.order_by("sort_order")

    def order():
        return list(
            ProductImage.objects.filter(product=item.product)
            .order_by("sort_order")
            .values_list("alt", flat=True)
        )

    # When the third moves up, the first moves up (already first), the second down
    staff.post(staff_action(item, "len"), {"photo_id": three.pk})
    assert order() == ["Một", "Ba", "Hai"]
    staff.post(staff_action(item, "len"), {"photo_id": one.pk})
    assert order() == ["Một", "Ba", "Hai"]
    staff.post(staff_action(item, "xuong"), {"photo_id": one.pk})
    assert order() == ["Ba", "Một", "Hai"]
    # And a caption changes, and a photo is deleted (its file too)
    assert (
        staff.post(
            staff_action(item, "chu-thich-anh"), {"photo_id": two.pk, "alt": "Hai bó"}
        ).status_code
        == 302
    )
    path = Path(one.image.path)
    assert path.exists()
    assert staff.post(staff_action(item, "xoa-anh"), {"photo_id": one.pk}).status_code == 302
    # Then
    assert order() == ["Ba", "Hai bó"]
    assert not path.exists()
    assert list(
        ProductImage.objects.order_by("sort_order").values_list("sort_order", flat=True)
    ) == [0, 1]
    assert actors(ProductImage, one.pk)[-1] == (2, "dieu.phoi@ocop.test")
    assert actors(ProductImage, two.pk)[-1] == (1, "dieu.phoi@ocop.test")
    # And a photo id that is not this product's is the field's error
    for bad in ("", "x", "9" * 30, str(three.pk + 1000)):
        answer = staff.post(staff_action(item, "xoa-anh"), {"photo_id": bad})
        assert answer.status_code == 400
        assert answer.context["error"].field == "photo_id"


def test_another_cooperatives_product_is_a_404(catalog, tan_cuong_staff, media):
    # Given Tân Cương's member and Tài Hoan's miến dong
    item, client = listing(catalog), client_for(tan_cuong_staff)
    # Then its page and every action are 404, and nothing changed
    assert client.get(reverse("portal:listing_update", args=[item.pk])).status_code == 404
    for action, data in [
        ("cau-chuyen", {"story": "Của tôi"}),
        ("them-anh", {"photo": upload(image_bytes()), "alt": "Ảnh"}),
        ("ban-hang", {"gia": "1000"}),
    ]:
        assert client.post(portal_action(item, action), data).status_code == 404
    assert not ProductImage.objects.exists()
    product = Product.objects.get(pk=item.product_id)
    assert (product.description, product.price_amount) == (
        "Miến dong làm từ củ dong riềng Na Rì.",
        125000,
    )
    # And an unknown action, a GET of an action, a 30-digit id
    own = client_for(tan_cuong_staff)
    tra = listing(catalog, catalog.tra)
    assert own.post(portal_action(tra, "khong-co")).status_code == 404
    assert own.get(portal_action(tra, "cau-chuyen")).status_code == 405
    assert own.get("/htx/san-pham/" + "9" * 30 + "/").status_code == 404


def test_publishing_keeps_the_guard(catalog, platform_staff, media):
    # Given the miến dong paused, and its cooperative then suspended
    item, staff = listing(catalog), client_for(platform_staff)
    assert staff.post(staff_action(item, "ban-hang"), {"hien_thi": "tam-dung"}).status_code == 302
    assert not Product.objects.get(pk=item.product_id).is_published
    assert actors(Product, item.product_id)[-1] == (1, "dieu.phoi@ocop.test")
    cooperatives.suspend(platform_staff, catalog.tai_hoan.pk, "Kiểm tra chất lượng")
    # When staff publish it
    refused = staff.post(staff_action(item, "ban-hang"), {"hien_thi": "mo-ban"})
    # Then the guard refuses, in both languages, on the field
    assert refused.status_code == 400
    assert refused.context["error"].field == "published"
    assert refused.context["error"].message == (
        "Không thể mở bán: giấy chứng nhận OCOP không còn hiệu lực hoặc hợp tác xã đang bị"
        " tạm ngừng / Cannot publish: the OCOP certificate is not in force or the"
        " cooperative is suspended"
    )
    assert not Product.objects.get(pk=item.product_id).is_published


def test_staff_change_price_and_stock_with_field_errors(catalog, platform_staff, media):
    item, staff = listing(catalog), client_for(platform_staff)
    assert (
        staff.post(staff_action(item, "ban-hang"), {"gia": "130.000", "ton_kho": "35"}).status_code
        == 302
    )
    page = staff.get(reverse("backoffice-product", args=[item.pk]))
    assert (page.context["listing"].price, page.context["listing"].stock) == (130000, 35)
    bad = staff.post(staff_action(item, "ban-hang"), {"gia": "12,5abc", "ton_kho": "1"})
    assert bad.status_code == 400
    assert bad.context["error"].field == "price"
    assert bad.context["error"].message == (
        "Giá phải là số đồng nguyên / The price is a whole number of đồng"
    )
    assert bad.context["form"]["gia"] == "12,5abc"
    assert staff.post(staff_action(item, "ban-hang"), {"hien_thi": "ca-hai"}).status_code == 400


def test_the_story_is_bounded(catalog, tai_hoan_staff):
    item, client = listing(catalog), client_for(tai_hoan_staff)
    long = client.post(portal_action(item, "cau-chuyen"), {"story": "a" * 5001})
    nul = client.post(portal_action(item, "cau-chuyen"), {"story": "a\x00b"})
    assert [long.status_code, nul.status_code] == [400, 400]
    assert long.context["error"].message == (
        "Câu chuyện tối đa 5000 ký tự / A story has at most 5000 characters"
    )
    assert nul.context["error"].field == "story"
    assert (
        Product.objects.get(pk=item.product_id).description
        == "Miến dong làm từ củ dong riềng Na Rì."
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    story=st.text(max_size=6000),
    alt=st.text(max_size=200),
    photo_id=st.text(max_size=40),
    price=st.text(max_size=20),
)
def test_any_form_input_is_a_page_never_a_500(
    catalog, platform_staff, media, story, alt, photo_id, price
):
    item, staff = listing(catalog), client_for(platform_staff)
    for action, data in [
        ("cau-chuyen", {"story": story}),
        ("chu-thich-anh", {"photo_id": photo_id, "alt": alt}),
        (
            "them-anh",
            {"photo": upload(story.encode("utf-8", "surrogatepass")[:3000], "x.jpg"), "alt": alt},
        ),
        ("xoa-anh", {"photo_id": photo_id}),
        ("ban-hang", {"gia": price, "ton_kho": price}),
    ]:
        answer = staff.post(staff_action(item, action), data)
        assert answer.status_code in (302, 400), (action, data)


# -- the staff list ----------------------------------------------------------------------


def test_staff_find_products_by_name_producer_province_stars_and_state(catalog, platform_staff):
    staff = client_for(platform_staff)

    def names(**query):
        answer = staff.get(reverse("backoffice-products"), query)
        assert answer.status_code == 200, query
        return [row.product.name for row in answer.context["rows"]]

    assert names() == ["Miến dong Tài Hoan", "Trà xanh Tân Cương"]
    assert names(q="tân cương") == ["Trà xanh Tân Cương"]
    assert names(htx=catalog.tai_hoan.pk) == ["Miến dong Tài Hoan"]
    assert names(sao="4") == ["Trà xanh Tân Cương"]
    assert names(sao="3") == []
    assert names(tinh="19") == ["Miến dong Tài Hoan", "Trà xanh Tân Cương"]
    assert names(tinh="01") == []
    assert names(dang_ban="0") == []
    assert names(con_hang="1") == ["Miến dong Tài Hoan", "Trà xanh Tân Cương"]
    first = staff.get(reverse("backoffice-products")).content.decode()
    assert "125.000" in first


@pytest.mark.parametrize(
    "query",
    [
        {"sao": "6"},
        {"tinh": "99"},
        {"dang_ban": "x"},
        {"con_hang": "2"},
        {"q": "a\x00"},
        {"q": "a" * 101},
        {"htx": "9" * 30},
        {"trang": "0"},
    ],
)
def test_bad_filters_are_400(catalog, platform_staff, query):
    assert client_for(platform_staff).get(reverse("backoffice-products"), query).status_code == 400


def test_a_page_past_the_end_is_404(catalog, platform_staff):
    assert (
        client_for(platform_staff).get(reverse("backoffice-products"), {"trang": "2"}).status_code
        == 404
    )


def test_the_list_costs_the_same_queries_for_one_product_or_many(catalog, platform_staff):
    staff = client_for(platform_staff)
    staff.get(reverse("backoffice-products"))  # session, user, content types: warmed
    with CaptureQueriesContext(connection) as one:
        assert staff.get(reverse("backoffice-products"), {"sao": "5"}).status_code == 200
    with CaptureQueriesContext(connection) as both:
        assert staff.get(reverse("backoffice-products")).status_code == 200
    assert len(one.captured_queries) == len(both.captured_queries)
    assert len(both.captured_queries) <= 6
