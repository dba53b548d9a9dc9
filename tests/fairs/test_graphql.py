"""Province trade fairs over GraphQL (a mobile app for provincial staff), scoped as the
/tinh/hoi-cho/ pages: own provinces' fairs only, another province's fair answered like
a missing one, the pages' own validation and the web report's own numbers."""

import datetime

import graphene
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from fairs import editing, links
from fairs.models import Booth, Fair
from marketplace.models import Producer
from tests.fairs.conftest import (
    HA_NOI,
    THAI_NGUYEN,
    client_of,
    make_fair,
    ocop,
    province_user,
)
from tests.fairs.test_reports import read_csv
from tests.saleor_fixtures.api import ApiClient

FAIRS = """
query Fairs($province: String) {
  fairs(province: $province) {
    id name slug provinceCode provinceName venue startsOn endsOn isOver
    url qrSvgUrl qrPngUrl
    cooperatives { name }
    booths { id code name slug url producerName }
    products { id name stars url boothCode booth { code } }
  }
}
"""
FAIR = "query One($id: ID!) { fair(id: $id) { name slug } }"
PROVINCES = "{ fairProvinces { code name } }"
REPORT = """
query Report($id: ID!) {
  fair(id: $id) {
    report {
      visits uniqueVisitors carts orders cancelledOrders goods shipping discount revenue
      conversionPercent
      byDay { date visits uniqueVisitors carts orders revenue }
      byBooth { key label visits uniqueVisitors carts orders revenue }
      byProduct { label units revenue featured }
      creditedOrders { number status total boothCode }
    }
  }
}
"""
CREATE = """
mutation Create($input: FairCreateInput!) {
  fairCreate(input: $input) {
    fair { name slug provinceCode provinceName venue startsOn endsOn url booths { name } }
    fairErrors { field code message }
  }
}
"""
UPDATE = """
mutation Update($id: ID!, $input: FairUpdateInput!) {
  fairUpdate(id: $id, input: $input) {
    fair { name slug venue startsOn endsOn url }
    fairErrors { field code message }
  }
}
"""
BOOTH_CREATE = """
mutation Booth($fairId: ID!, $input: FairBoothInput!) {
  fairBoothCreate(fairId: $fairId, input: $input) {
    booth { code name slug url producerName }
    fair { booths { code } }
    fairErrors { field code message }
  }
}
"""

NOT_FOUND = "Không tìm thấy hội chợ / Fair not found."
BAD_CHOICE = "Lựa chọn không hợp lệ / Not a valid choice."
URL = "https://cho-ocop.vn/f/ocop-bac-kan-2026"


def gid(kind: str, pk: int) -> str:
    return graphene.Node.to_global_id(kind, pk)


@pytest.fixture
def ha_noi_fair(ha_noi_staff) -> Fair:
    return make_fair(ha_noi_staff, "Tuần lễ OCOP Hà Nội 2026", HA_NOI, slug="ocop-ha-noi-2026")


def new_fair(**changes) -> dict:
    return {
        "name": "Tuần lễ OCOP Thái Nguyên 2026",
        "province": THAI_NGUYEN,
        "venue": "Bảo tàng Văn hóa các dân tộc Việt Nam",
        "startsOn": "2026-12-01",
        "endsOn": "2026-12-03",
        **changes,
    }


def test_provincial_staff_list_only_their_provinces_fairs(fair, ha_noi_fair, thai_nguyen_staff):
    # Given a Thái Nguyên fair (two booths, three products) and a Hà Nội fair
    api = ApiClient(thai_nguyen_staff)

    # When Thái Nguyên's staff list the fairs
    listed = api.post_graphql(FAIRS)["fairs"]

    # Then only their own fair is there, with its links, booths and products
    a12, b03 = fair.booths.order_by("code")
    mien_dong, tra, gao = fair.featured.order_by("pk")
    assert listed == [
        {
            "id": gid("Fair", fair.pk), "name": "Hội chợ OCOP Bắc Kạn 2026",
            "slug": "ocop-bac-kan-2026", "provinceCode": "19", "provinceName": "Thái Nguyên",
            "venue": "Quảng trường 19/8", "startsOn": fair.starts_on.isoformat(),
            "endsOn": fair.ends_on.isoformat(), "isOver": False, "url": URL,
            "qrSvgUrl": f"https://cho-ocop.vn/tinh/hoi-cho/{fair.pk}/ma-qr/fair-{fair.pk}.svg",
            "qrPngUrl": f"https://cho-ocop.vn/tinh/hoi-cho/{fair.pk}/ma-qr/fair-{fair.pk}.png",
            "cooperatives": [{"name": "Hợp tác xã Gạo Định Hóa"},
                             {"name": "Hợp tác xã Nông nghiệp Nam Mẫu"},
                             {"name": "Hợp tác xã Tài Hoan"}],
            "booths": [
                {"id": gid("FairBooth", a12.pk), "code": "A12", "name": "HTX Tài Hoan",
                 "slug": "a12-htx-tai-hoan", "url": f"{URL}/g/a12-htx-tai-hoan",
                 "producerName": "Hợp tác xã Tài Hoan"},
                {"id": gid("FairBooth", b03.pk), "code": "B03", "name": "HTX Nam Mẫu",
                 "slug": "b03-htx-nam-mau", "url": f"{URL}/g/b03-htx-nam-mau",
                 "producerName": "Hợp tác xã Nông nghiệp Nam Mẫu"},
            ],
            "products": [
                {"id": gid("FairProduct", mien_dong.pk), "name": "Miến dong Tài Hoan",
                 "stars": 4, "url": f"{URL}/p/mien-dong-tai-hoan", "boothCode": "A12",
                 "booth": {"code": "A12"}},
                {"id": gid("FairProduct", tra.pk), "name": "Trà hoa vàng Nam Mẫu",
                 "stars": 4, "url": f"{URL}/p/tra-hoa-vang-nam-mau", "boothCode": "B03",
                 "booth": {"code": "B03"}},
                {"id": gid("FairProduct", gao.pk), "name": "Gạo nếp cái hoa vàng",
                 "stars": 3, "url": f"{URL}/p/gao-nep-cai-hoa-vang", "boothCode": "",
                 "booth": None},
            ],
        }
    ]  # fmt: skip
    # and asking for Hà Nội's fairs by province or by id finds nothing
    assert api.post_graphql(FAIRS, {"province": HA_NOI})["fairs"] == []
    assert api.post_graphql(FAIR, {"id": gid("Fair", ha_noi_fair.pk)}) == {"fair": None}
    assert api.post_graphql(FAIR, {"id": gid("Fair", fair.pk)}) == {
        "fair": {"name": "Hội chợ OCOP Bắc Kạn 2026", "slug": "ocop-bac-kan-2026"}
    }
    assert api.post_graphql(PROVINCES) == {"fairProvinces": [{"code": "19", "name": "Thái Nguyên"}]}


def test_changes_to_another_provinces_fair_are_not_found(fair, ha_noi_fair, thai_nguyen_staff):
    # Given Thái Nguyên's staff and the Hà Nội fair
    api = ApiClient(thai_nguyen_staff)
    theirs = gid("Fair", ha_noi_fair.pk)

    # When they change it or add a booth to it
    updated = api.post_graphql(UPDATE, {"id": theirs, "input": {"name": "Đổi tên"}})
    booth = api.post_graphql(BOOTH_CREATE, {"fairId": theirs, "input": {"name": "Gian lạ"}})

    # Then both are answered like a missing fair, and nothing changed
    assert updated["fairUpdate"] == {
        "fair": None,
        "fairErrors": [{"field": "id", "code": "not_found", "message": NOT_FOUND}],
    }
    assert booth["fairBoothCreate"] == {
        "booth": None,
        "fair": None,
        "fairErrors": [{"field": "fairId", "code": "not_found", "message": NOT_FOUND}],
    }
    ha_noi_fair.refresh_from_db()
    assert ha_noi_fair.name == "Tuần lễ OCOP Hà Nội 2026"
    assert not Booth.objects.filter(fair=ha_noi_fair).exists()
    # exactly like an id that names nothing, or is not a fair's
    for missing in (gid("Fair", 999_999), gid("FairBooth", fair.booths.first().pk), "rác"):
        answer = api.post_graphql(UPDATE, {"id": missing, "input": {"name": "X"}})
        assert answer["fairUpdate"]["fairErrors"][0]["code"] == "not_found", missing


def test_anonymous_callers_and_accounts_without_a_province_get_nothing(fair):
    refused = [
        {
            "field": None,
            "code": "permission_denied",
            "message": "Tài khoản của bạn không phụ trách hội chợ của tỉnh nào / "
            "Your account does not run fairs for any province.",
        }
    ]
    shopper = province_user("khach@example.vn")
    for api in (ApiClient(), ApiClient(shopper)):
        # Given no sign-in, or a shopper's account, the lists are empty
        assert api.post_graphql(FAIRS)["fairs"] == []
        assert api.post_graphql(FAIR, {"id": gid("Fair", fair.pk)}) == {"fair": None}
        assert api.post_graphql(PROVINCES) == {"fairProvinces": []}
        # and every change is refused
        created = api.post_graphql(CREATE, {"input": new_fair()})["fairCreate"]
        assert created == {"fair": None, "fairErrors": refused}
        updated = api.post_graphql(UPDATE, {"id": gid("Fair", fair.pk), "input": {"name": "X"}})
        assert updated["fairUpdate"]["fairErrors"][0]["code"] == "not_found"
        booth = api.post_graphql(
            BOOTH_CREATE, {"fairId": gid("Fair", fair.pk), "input": {"name": "X"}}
        )
        assert booth["fairBoothCreate"]["fairErrors"][0]["code"] == "not_found"
    assert Fair.objects.count() == 1
    assert fair.booths.count() == 2


def test_a_fair_that_ends_before_it_starts_is_refused_on_the_end_date(thai_nguyen_staff):
    # When Thái Nguyên's staff create a fair ending the day before it starts
    answer = ApiClient(thai_nguyen_staff).post_graphql(
        CREATE, {"input": new_fair(startsOn="2026-12-03", endsOn="2026-12-02")}
    )

    # Then the end date is refused in Vietnamese and English, and no fair exists
    assert answer["fairCreate"] == {
        "fair": None,
        "fairErrors": [
            {
                "field": "endsOn",
                "code": "invalid",
                "message": "Ngày kết thúc không được trước ngày bắt đầu / "
                "The end date cannot be before the start date.",
            }
        ],
    }
    assert not Fair.objects.exists()


def test_staff_create_a_fair_in_their_own_province_only(thai_nguyen_staff):
    api = ApiClient(thai_nguyen_staff)

    # When they create a fair in their province, with no slug
    created = api.post_graphql(CREATE, {"input": new_fair()})["fairCreate"]

    # Then it exists, with a slug folded from the Vietnamese name
    assert created == {
        "fair": {
            "name": "Tuần lễ OCOP Thái Nguyên 2026", "slug": "tuan-le-ocop-thai-nguyen-2026",
            "provinceCode": "19", "provinceName": "Thái Nguyên",
            "venue": "Bảo tàng Văn hóa các dân tộc Việt Nam", "startsOn": "2026-12-01",
            "endsOn": "2026-12-03", "url": "https://cho-ocop.vn/f/tuan-le-ocop-thai-nguyen-2026",
            "booths": [],
        },
        "fairErrors": [],
    }  # fmt: skip
    assert Fair.objects.get().created_by == thai_nguyen_staff

    # and a fair in Hà Nội, or one with blanks and a bad year, is refused field by field
    elsewhere = api.post_graphql(CREATE, {"input": new_fair(province=HA_NOI)})["fairCreate"]
    assert elsewhere["fairErrors"] == [
        {"field": "province", "code": "invalid_choice", "message": BAD_CHOICE}
    ]
    blank = api.post_graphql(
        CREATE, {"input": new_fair(name="  ", venue="", startsOn="1999-12-01", endsOn="1999-12-03")}
    )["fairCreate"]
    assert blank["fairErrors"] == [
        {"field": "name", "code": "required",
         "message": "Thông tin này là bắt buộc / This field is required."},
        {"field": "venue", "code": "required",
         "message": "Thông tin này là bắt buộc / This field is required."},
        {"field": "startsOn", "code": "invalid",
         "message": "Năm phải từ 2000 đến 2100 / The year must be from 2000 to 2100."},
        {"field": "endsOn", "code": "invalid",
         "message": "Năm phải từ 2000 đến 2100 / The year must be from 2000 to 2100."},
    ]  # fmt: skip
    malformed = api.post_graphql(CREATE, {"input": new_fair(startsOn="45/13/2026")})
    assert malformed["fairCreate"]["fairErrors"] == [
        {"field": "startsOn", "code": "invalid",
         "message": "Ngày phải có dạng YYYY-MM-DD hoặc DD/MM/YYYY / "
                    "A date is YYYY-MM-DD or DD/MM/YYYY."},
    ]  # fmt: skip
    assert Fair.objects.count() == 1


def test_an_update_changes_only_the_given_fields_and_keeps_old_links(
    fair, ha_noi_fair, thai_nguyen_staff
):
    api = ApiClient(thai_nguyen_staff)
    fair_id = gid("Fair", fair.pk)

    # When the venue and the slug change
    changed = api.post_graphql(
        UPDATE, {"id": fair_id, "input": {"venue": "Nhà văn hóa tỉnh", "slug": "bac-kan-2026"}}
    )["fairUpdate"]

    # Then the rest is as it was, and the printed link still opens the fair
    assert changed == {
        "fair": {
            "name": "Hội chợ OCOP Bắc Kạn 2026", "slug": "bac-kan-2026",
            "venue": "Nhà văn hóa tỉnh", "startsOn": fair.starts_on.isoformat(),
            "endsOn": fair.ends_on.isoformat(), "url": "https://cho-ocop.vn/f/bac-kan-2026",
        },
        "fairErrors": [],
    }  # fmt: skip
    assert links.resolve_fair("ocop-bac-kan-2026") == fair

    # and another fair's slug, or an end before the start, is refused with nothing saved
    taken = api.post_graphql(UPDATE, {"id": fair_id, "input": {"slug": "ocop-ha-noi-2026"}})
    assert taken["fairUpdate"] == {
        "fair": None,
        "fairErrors": [
            {
                "field": "slug",
                "code": "slug",
                "message": "Đường dẫn ngắn này đã được dùng (có thể đã in trên mã QR) / "
                "This short link is already in use (it may be printed on a QR code).",
            }
        ],
    }
    early_end = fair.starts_on - datetime.timedelta(days=1)
    reversed_dates = api.post_graphql(
        UPDATE, {"id": fair_id, "input": {"endsOn": early_end.isoformat()}}
    )
    assert reversed_dates["fairUpdate"]["fairErrors"][0]["field"] == "endsOn"
    fair.refresh_from_db()
    assert (fair.slug, fair.venue, fair.ends_on) == (
        "bac-kan-2026",
        "Nhà văn hóa tỉnh",
        timezone.localdate() + datetime.timedelta(days=2),
    )


def test_a_booth_is_added_for_a_participating_cooperative(fair, thai_nguyen_staff):
    api = ApiClient(thai_nguyen_staff)
    fair_id = gid("Fair", fair.pk)
    dinh_hoa = Producer.objects.get(name="Hợp tác xã Gạo Định Hóa")

    # When a booth is added for Định Hóa, which takes part
    added = api.post_graphql(
        BOOTH_CREATE,
        {"fairId": fair_id,
         "input": {"name": "HTX Gạo Định Hóa", "code": "C07",
                   "producer": gid("FairCooperative", dinh_hoa.pk)}},
    )["fairBoothCreate"]  # fmt: skip

    # Then it has its own link under the fair
    assert added == {
        "booth": {"code": "C07", "name": "HTX Gạo Định Hóa", "slug": "c07-htx-gao-dinh-hoa",
                  "url": f"{URL}/g/c07-htx-gao-dinh-hoa",
                  "producerName": "Hợp tác xã Gạo Định Hóa"},
        "fair": {"booths": [{"code": "A12"}, {"code": "B03"}, {"code": "C07"}]},
        "fairErrors": [],
    }  # fmt: skip

    # and a cooperative that does not take part, or no cooperative id at all, is refused
    tan_cuong = Producer.objects.get(name="Hợp tác xã Chè Tân Cương")
    for producer in (gid("FairCooperative", tan_cuong.pk), gid("Fair", dinh_hoa.pk), "rác"):
        refused = api.post_graphql(
            BOOTH_CREATE, {"fairId": fair_id, "input": {"name": "Gian lạ", "producer": producer}}
        )["fairBoothCreate"]
        assert refused == {
            "booth": None,
            "fair": None,
            "fairErrors": [{"field": "producer", "code": "invalid_choice", "message": BAD_CHOICE}],
        }, producer
    assert fair.booths.count() == 3


def test_the_report_has_the_web_reports_numbers(fair, fair_sales, thai_nguyen_staff):
    # Given the fair's sales: two orders credited and one cancelled, four visits
    # When its staff ask for the report over GraphQL and download the web report's CSV
    report = ApiClient(thai_nguyen_staff).post_graphql(REPORT, {"id": gid("Fair", fair.pk)})[
        "fair"
    ]["report"]
    csv_rows = read_csv(client_of(thai_nguyen_staff).get(f"/tinh/hoi-cho/{fair.pk}/bao-cao.csv"))

    # Then the totals are the orders' own (280.000 + 750.000 VND)
    totals = {key: value for key, value in report.items() if not isinstance(value, list)}
    assert totals == {
        "visits": 4, "uniqueVisitors": 4, "carts": 3, "orders": 2, "cancelledOrders": 1,
        "goods": 970000, "shipping": 60000, "discount": 0, "revenue": 1030000,
        "conversionPercent": 50.0,
    }  # fmt: skip
    assert report["byBooth"] == [
        {"key": "a12-htx-tai-hoan", "label": "A12 HTX Tài Hoan", "visits": 1,
         "uniqueVisitors": 1, "carts": 1, "orders": 1, "revenue": 280000},
        {"key": "b03-htx-nam-mau", "label": "B03 HTX Nam Mẫu", "visits": 1,
         "uniqueVisitors": 1, "carts": 1, "orders": 1, "revenue": 750000},
        {"key": "", "label": "Cả hội chợ (không qua gian hàng) / Whole fair (no booth)",
         "visits": 2, "uniqueVisitors": 2, "carts": 1, "orders": 0, "revenue": 0},
    ]  # fmt: skip
    assert report["byProduct"] == [
        {"label": "Trà hoa vàng Nam Mẫu", "units": 1, "revenue": 650000, "featured": True},
        {"label": "Miến dong Tài Hoan", "units": 2, "revenue": 250000, "featured": True},
        {"label": "Gạo nếp cái hoa vàng", "units": 0, "revenue": 0, "featured": True},
        {"label": "Bột dong riềng", "units": 1, "revenue": 70000, "featured": False},
    ]
    today = timezone.localdate().isoformat()
    assert [day["date"] for day in report["byDay"]] == [
        (fair.starts_on + datetime.timedelta(days=n)).isoformat() for n in range(4)
    ]
    assert [day for day in report["byDay"] if day["date"] == today] == [
        {"date": today, "visits": 4, "uniqueVisitors": 4, "carts": 3, "orders": 2,
         "revenue": 1030000},
    ]  # fmt: skip
    assert report["creditedOrders"] == [
        {"number": str(fair_sales["first"].pk), "status": "unfulfilled", "total": 280000,
         "boothCode": "A12"},
        {"number": str(fair_sales["second"].pk), "status": "unfulfilled", "total": 750000,
         "boothCode": "B03"},
        {"number": str(fair_sales["cancelled"].pk), "status": "canceled", "total": 90000,
         "boothCode": None},
    ]  # fmt: skip

    # and every figure equals the web report's, row by row
    t = report
    assert csv_rows[1] == [
        "tong / total", "", "Hội chợ OCOP Bắc Kạn 2026", str(t["visits"]),
        str(t["uniqueVisitors"]), str(t["carts"]), str(t["orders"]), "", str(t["revenue"]),
    ]  # fmt: skip
    csv_booths = [row for row in csv_rows if row[0] == "gian-hang / booth"]
    assert [
        [r["key"], r["label"], r["visits"], r["uniqueVisitors"], r["carts"], r["orders"],
         r["revenue"]]
        for r in report["byBooth"]
    ] == [[key, label, int(v), int(u), int(c), int(o), int(rev)]
          for _, key, label, v, u, c, o, _units, rev in csv_booths]  # fmt: skip
    csv_days = [row for row in csv_rows if row[0] == "ngay / day"]
    assert [(d["date"], d["visits"], d["orders"], d["revenue"]) for d in report["byDay"]] == [
        (key, int(v), int(o), int(rev)) for _, key, _label, v, _u, _c, o, _units, rev in csv_days
    ]


def test_platform_staff_see_every_fair_in_a_fixed_number_of_queries(
    fair, ha_noi_fair, platform_staff, catalogue
):
    api = ApiClient(platform_staff)
    # Given two fairs, the list names both, latest start first
    names = [f["name"] for f in api.post_graphql(FAIRS)["fairs"]]
    assert sorted(names) == ["Hội chợ OCOP Bắc Kạn 2026", "Tuần lễ OCOP Hà Nội 2026"]
    assert len(api.post_graphql(PROVINCES)["fairProvinces"]) == 34

    # When a third fair with a cooperative, its booth and a product there is added,
    # the list costs no more queries
    with CaptureQueriesContext(connection) as two:
        api.post_graphql(FAIRS)
    third = make_fair(platform_staff, "Phiên chợ OCOP Định Hóa", THAI_NGUYEN)
    tai_hoan = Producer.objects.get(name="Hợp tác xã Tài Hoan")
    editing.set_cooperatives(third, [tai_hoan])
    booth = editing.save_booth(third, {"name": "HTX Tài Hoan", "code": "A01", "producer": tai_hoan})
    editing.save_fair_product(
        third, {"ocop_product": ocop(catalogue["Bột dong riềng"]), "booth": booth}
    )
    with CaptureQueriesContext(connection) as three:
        assert len(api.post_graphql(FAIRS)["fairs"]) == 3
    assert len(three) == len(two)
