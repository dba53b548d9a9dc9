"""A cooperative's member, in headless Chromium, gives their product two photos with
alt text and a story; the storefront's product page then shows them (Saleor's
renditions, the alt text, the story's paragraphs) instead of "Chưa có ảnh" (issue 14).
Screenshots in test-results/screenshots/product-photos-*.png."""

import io
import os
import re
import subprocess
import sys

import pytest
from PIL import Image

from devtools import services
from tests.browser.conftest import LIVE_DATABASES, csp_violations
from tests.browser.parcels_setup import ACCOUNTS, PASSWORD

DESKTOP = {"viewport": {"width": 1280, "height": 900}}
MEMBER = ACCOUNTS["Hợp tác xã Tài Hoan"]
STORY = "Miến dong làm từ củ dong riềng Na Rì.\nPhơi nắng ba ngày trên giàn tre."


def photo(path, kind: str, color) -> str:
    buffer = io.BytesIO()
    Image.new("RGB", (900, 700), color).save(buffer, kind)
    path.write_bytes(buffer.getvalue())
    return str(path)


@pytest.mark.browser
def test_a_member_adds_two_photos_and_a_story_that_show_on_the_storefront(
    live_shop, chromium, screenshot_dir, tmp_path
):
    # Given Tài Hoan's portal account in the live shop
    subprocess.run(
        [sys.executable, "-m", "tests.browser.parcels_setup", "accounts"],
        cwd=services.REPO_ROOT, env={**os.environ, "DATABASE_URL": LIVE_DATABASES[live_shop]},
        check=True, timeout=120, capture_output=True,
    )  # fmt: skip
    context = chromium.new_context(base_url=live_shop, locale="vi-VN", **DESKTOP)
    page = context.new_page()
    page.set_default_timeout(20_000)
    refused = csp_violations(page)

    # When the member signs in and opens their miến dong from the product list
    page.goto("/htx/san-pham/")
    page.fill("#id_username", MEMBER)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    page.goto("/htx/san-pham/")
    page.click("a:text('Miến dong Tài Hoan')")
    page.wait_for_url(re.compile(r"/htx/san-pham/\d+/$"))
    assert "Thông tin OCOP" in page.content()

    # And adds two photos with their alt text
    for file, alt in (
        (photo(tmp_path / "bo-mien.jpg", "JPEG", (210, 170, 90)), "Bó miến dong phơi khô"),
        (photo(tmp_path / "bat-mien.png", "PNG", (120, 60, 30)), "Bát miến dong trộn"),
    ):
        page.set_input_files("#photo", file)
        page.fill("#alt", alt)
        page.click("text=Thêm ảnh / Add the photo")
        page.wait_for_url(re.compile(r"/htx/san-pham/\d+/#anh$"))
    assert page.locator('[data-testid="photos"] img').count() == 2

    # And writes the story
    page.fill("#story", STORY)
    page.click("text=Lưu câu chuyện / Save the story")
    page.wait_for_url(re.compile(r"#cau-chuyen$"))
    page.screenshot(path=str(screenshot_dir / "product-photos-01-portal.png"), full_page=True)

    # Then the storefront's product page shows both photos, in order, with their alt
    # text, loaded from Saleor's 540 px renditions, and the story's two paragraphs
    page.click("text=Xem trên cửa hàng / View in the shop »")
    page.wait_for_url(re.compile(r"/san-pham/[\w-]+/$"))
    photos = page.locator('[data-testid="product-photo"]')
    assert photos.count() == 2
    assert [photos.nth(i).get_attribute("alt") for i in range(2)] == [
        "Bó miến dong phơi khô",
        "Bát miến dong trộn",
    ]
    for i in range(2):
        assert "-thumbnail-540x540" in photos.nth(i).get_attribute("src")
        photos.nth(i).scroll_into_view_if_needed()
        assert photos.nth(i).evaluate("img => img.complete && img.naturalWidth") == 540
    assert "Chưa có ảnh" not in page.content()
    story = page.locator("section[aria-labelledby='story-title'] p")
    assert story.all_inner_texts() == [
        "Miến dong làm từ củ dong riềng Na Rì.",
        "Phơi nắng ba ngày trên giàn tre.",
    ]
    page.screenshot(path=str(screenshot_dir / "product-photos-02-storefront.png"), full_page=True)
    assert refused == []
    context.close()
