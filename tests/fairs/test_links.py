"""Short links: readable slugs, the landing pages they open, friendly 404s, and links
that keep working after the fair and after a slug is changed."""

import datetime

import pytest
from django.utils import timezone

from fairs import editing, links
from fairs.models import Fair, FairVisit, RetiredSlug
from tests.fairs.conftest import THAI_NGUYEN, client_of, make_fair
from tests.storefront.shopping import page

NBSP = "\xa0"


def test_the_fair_link_opens_its_landing_page(fair):
    # When a visitor opens the fair's short link (as a phone does from the QR code)
    response = client_of(None).get("/f/ocop-bac-kan-2026")

    # Then the landing page shows the fair, its dates, booths, products with badges,
    # prices and its cooperatives
    html = page(response)
    assert response.status_code == 200
    assert '<h1 data-testid="fair-name">Hội chợ OCOP Bắc Kạn 2026</h1>' in html
    today = timezone.localdate()
    dates = (
        f"{(today - datetime.timedelta(days=1)):%d/%m/%Y} – "
        f"{(today + datetime.timedelta(days=2)):%d/%m/%Y}"
    )
    assert f'data-testid="fair-dates"><strong>{dates}</strong> · Quảng trường 19/8' in html
    assert "Gian A12 · HTX Tài Hoan" in html
    assert "Gian B03 · HTX Nam Mẫu" in html
    assert html.count('data-testid="product-card"') == 3
    assert '<span class="card-name">Miến dong Tài Hoan</span>' in html
    assert 'src="/badges/classic/ocop-4-sao.svg"' in html  # Miến dong is 4★ here
    assert f'<span class="price">125.000{NBSP}₫</span>' in html
    for name in ("Hợp tác xã Tài Hoan", "Hợp tác xã Nông nghiệp Nam Mẫu",
                 "Hợp tác xã Gạo Định Hóa"):  # fmt: skip
        assert f'<span class="chip">{name}</span>' in html
    assert 'href="/hoi-cho/quyen-rieng-tu/"' in html
    assert 'data-testid="fair-over"' not in html


@pytest.mark.parametrize(
    "path",
    ["/f/ocop-bac-kan-2026/", "/f/OCOP-Bac-Kan-2026", "/f/ocop-bac-kan-2026/g/A12-htx-tai-hoan/"],
)
def test_case_and_a_trailing_slash_are_forgiven(fair, path):
    assert client_of(None).get(path).status_code == 200


def test_a_booth_link_shows_that_booth_first(fair):
    html = page(client_of(None).get("/f/ocop-bac-kan-2026/g/b03-htx-nam-mau"))
    current = html.index('data-testid="current-booth"')
    assert html.index("Gian B03 · HTX Nam Mẫu") > current
    assert html.index("Gian A12 · HTX Tài Hoan") > html.index("Gian B03 · HTX Nam Mẫu")


def test_a_product_link_goes_to_the_product_page(fair, catalogue):
    response = client_of(None).get("/f/ocop-bac-kan-2026/p/mien-dong-tai-hoan")
    assert response.status_code == 302
    assert response["Location"] == f"/san-pham/{catalogue['Miến dong Tài Hoan'].slug}/"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "path",
    [
        "/f/khong-co-hoi-cho-nay",
        "/f/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/f/" + "a" * 300,
        "/f/ocop-bac-kan-2026/g/khong-co",
        "/f/ocop-bac-kan-2026/p/khong-co",
        "/f/ocop-bac-kan-2026/x/y/z",
        "/f/",
    ],
)
def test_an_unknown_link_is_a_friendly_404(fair, path):
    response = client_of(None).get(path)
    html = page(response)
    assert response.status_code == 404
    assert "Không tìm thấy trang hội chợ này" in html
    assert "We could not find this fair page" in html
    assert 'href="/san-pham/"' in html
    assert "<script>alert" not in html
    assert not FairVisit.objects.exists()


def test_an_unknown_booth_of_a_known_fair_links_to_the_fair(fair):
    html = page(client_of(None).get("/f/ocop-bac-kan-2026/g/khong-co"))
    assert '<a class="button" href="/f/ocop-bac-kan-2026" data-testid="fair-link">' in html


def test_the_link_keeps_working_after_the_fair(catalogue, thai_nguyen_staff):
    # Given a fair that ended last month, featuring the miến dong
    past = make_fair(
        thai_nguyen_staff, "Hội chợ Xuân 2026", THAI_NGUYEN,
        starts_on=timezone.localdate() - datetime.timedelta(days=40),
        ends_on=timezone.localdate() - datetime.timedelta(days=35),
    )  # fmt: skip
    producer = catalogue["Miến dong Tài Hoan"].ocop.producer
    editing.set_cooperatives(past, [producer])
    editing.save_fair_product(past, {"ocop_product": catalogue["Miến dong Tài Hoan"].ocop})

    # When a visitor scans its code now
    response = client_of(None).get("/f/hoi-cho-xuan-2026")

    # Then the page says the fair is over and still sells its products
    html = page(response)
    assert response.status_code == 200
    assert "Hội chợ đã kết thúc. Các sản phẩm của hội chợ vẫn được bán trực tuyến tại đây." in html
    assert '<span class="card-name">Miến dong Tài Hoan</span>' in html
    product = client_of(None).get("/f/hoi-cho-xuan-2026/p/mien-dong-tai-hoan")
    assert product["Location"] == f"/san-pham/{catalogue['Miến dong Tài Hoan'].slug}/"


def test_english_visitors_read_the_landing_page_in_english(fair):
    client = client_of(None)
    client.cookies["ocop_lang"] = "en"
    html = page(client.get("/f/ocop-bac-kan-2026"))
    assert "Booth A12 · HTX Tài Hoan" in html
    assert "Participating producers" in html
    assert "no third-party tracking" in html


def test_a_product_no_longer_sold_shows_the_fair_instead_of_a_dead_end(fair, catalogue):
    product = catalogue["Trà hoa vàng Nam Mẫu"]
    product.is_published = False
    product.save(update_fields=["is_published"])
    response = client_of(None).get("/f/ocop-bac-kan-2026/p/tra-hoa-vang-nam-mau")
    html = page(response)
    assert response.status_code == 200
    assert "Sản phẩm «Trà hoa vàng Nam Mẫu» hiện không được bán trực tuyến." in html
    assert FairVisit.objects.get().fair_product.slug == "tra-hoa-vang-nam-mau"


# -- slugs ------------------------------------------------------------------------------


def test_slugs_are_folded_from_vietnamese_names(fair):
    assert links.suggest_slug("Hội chợ OCOP Đắk Lắk – Tuần lễ 2026", set()) == (
        "hoi-cho-ocop-dak-lak-tuan-le-2026"
    )
    assert links.suggest_slug("Miến dong", {"mien-dong", "mien-dong-2"}) == "mien-dong-3"
    assert [(link.kind, link.path) for link in links.links_of(fair)] == [
        ("fair", "/f/ocop-bac-kan-2026"),
        ("booth", "/f/ocop-bac-kan-2026/g/a12-htx-tai-hoan"),
        ("booth", "/f/ocop-bac-kan-2026/g/b03-htx-nam-mau"),
        ("product", "/f/ocop-bac-kan-2026/p/mien-dong-tai-hoan"),
        ("product", "/f/ocop-bac-kan-2026/p/tra-hoa-vang-nam-mau"),
        ("product", "/f/ocop-bac-kan-2026/p/gao-nep-cai-hoa-vang"),
    ]


def test_a_changed_slug_keeps_the_printed_link_working(fair, thai_nguyen_staff):
    client = client_of(thai_nguyen_staff)
    # When staff rename the fair's link after the posters were printed
    form = {
        "name": fair.name, "slug": "bac-kan-2026", "venue": fair.venue,
        "starts_on": fair.starts_on.isoformat(), "ends_on": fair.ends_on.isoformat(),
    }  # fmt: skip
    assert client.post(f"/tinh/hoi-cho/{fair.pk}/sua/", form).status_code == 302
    booth = fair.booths.get(code="A12")
    booth_form = {"name": booth.name, "code": "A12", "slug": "tai-hoan"}
    assert (
        client.post(f"/tinh/hoi-cho/{fair.pk}/gian-hang/{booth.pk}/", booth_form).status_code == 302
    )

    # Then the new and the old links both open the fair and the booth
    visitor = client_of(None)
    for path in ("/f/bac-kan-2026", "/f/ocop-bac-kan-2026"):
        assert "Hội chợ OCOP Bắc Kạn 2026" in page(visitor.get(path)), path
    for path in ("/f/bac-kan-2026/g/tai-hoan", "/f/ocop-bac-kan-2026/g/a12-htx-tai-hoan"):
        assert 'data-testid="current-booth"' in page(visitor.get(path)), path
    assert set(RetiredSlug.objects.values_list("kind", "slug")) == {
        ("fair", "ocop-bac-kan-2026"), ("booth", "a12-htx-tai-hoan"),
    }  # fmt: skip

    # and the old slug cannot be given to another fair
    response = client.post(
        "/tinh/hoi-cho/tao/",
        {**form, "name": "Hội chợ khác", "slug": "ocop-bac-kan-2026", "province": THAI_NGUYEN},
    )
    assert response.status_code == 400
    assert "This short link is already in use (it may be printed on a QR code)." in page(response)


# -- bad input on the staff forms --------------------------------------------------------


def post_fair(client, **changes):
    form = {"name": "Hội chợ OCOP Thái Nguyên", "slug": "", "province": THAI_NGUYEN,
            "venue": "Quảng trường", "starts_on": "2026-12-01", "ends_on": "2026-12-03",
            **changes}  # fmt: skip
    return client.post("/tinh/hoi-cho/tao/", form)


def test_a_fair_is_created_with_a_derived_slug(thai_nguyen_staff):
    response = post_fair(client_of(thai_nguyen_staff), starts_on="01/12/2026")
    assert response.status_code == 302
    created = Fair.objects.get()
    assert (created.slug, created.starts_on, created.province_code) == (
        "hoi-cho-ocop-thai-nguyen", datetime.date(2026, 12, 1), THAI_NGUYEN,
    )  # fmt: skip
    assert response["Location"] == f"/tinh/hoi-cho/{created.pk}/"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"ends_on": "2026-11-30"}, "ends_on",
         "Ngày kết thúc không được trước ngày bắt đầu / "
         "The end date cannot be before the start date."),
        ({"starts_on": "31/02/2026"}, "starts_on",
         "Ngày phải có dạng YYYY-MM-DD hoặc DD/MM/YYYY / A date is YYYY-MM-DD or DD/MM/YYYY."),
        ({"name": ""}, "name", "Thông tin này là bắt buộc / This field is required."),
        ({"slug": "Hội chợ!"}, "slug", "A short link has only lower-case ASCII letters"),
        ({"ends_on": "2028-01-01"}, "ends_on", "A fair lasts at most 366 days."),
        ({"starts_on": "1999-12-01"}, "starts_on", "The year must be from 2000 to 2100."),
        ({"venue": "x" * 301}, "venue", "Tối đa 300 ký tự / At most 300 characters."),
    ],
)  # fmt: skip
def test_bad_fair_input_is_explained_on_its_field(thai_nguyen_staff, changes, field, message):
    response = post_fair(client_of(thai_nguyen_staff), **changes)
    html = page(response)
    assert response.status_code == 400
    error_list = html[html.index(f'data-testid="error-{field}"') :]
    assert message in error_list[: error_list.index("</ul>")]


def test_a_booth_slug_taken_in_the_fair_is_refused(fair, thai_nguyen_staff):
    response = client_of(thai_nguyen_staff).post(
        f"/tinh/hoi-cho/{fair.pk}/gian-hang/", {"name": "Gian mới", "slug": "b03-htx-nam-mau"}
    )
    assert response.status_code == 400
    assert "This short link is already in use" in page(response)
    assert fair.booths.count() == 2


def test_a_booth_with_visits_is_kept(fair, thai_nguyen_staff):
    booth = fair.booths.get(code="B03")
    fair.featured.filter(booth=booth).update(booth=None)
    client_of(None).get("/f/ocop-bac-kan-2026/g/b03-htx-nam-mau")
    response = client_of(thai_nguyen_staff).post(
        f"/tinh/hoi-cho/{fair.pk}/gian-hang/{booth.pk}/xoa/"
    )
    assert response.status_code == 400
    assert "The booth has visits and is kept for the report" in page(response)
    assert fair.booths.filter(pk=booth.pk).exists()


def test_a_product_of_a_cooperative_not_taking_part_is_refused(fair, catalogue, thai_nguyen_staff):
    outsider = catalogue["Chè Tân Cương đặc sản"].ocop  # Tân Cương is not invited
    response = client_of(thai_nguyen_staff).post(
        f"/tinh/hoi-cho/{fair.pk}/san-pham/", {"ocop_product": str(outsider.pk)}
    )
    assert response.status_code == 400
    assert "The product is not from a participating cooperative, or is already featured." in (
        page(response)
    )
