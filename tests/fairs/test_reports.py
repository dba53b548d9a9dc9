"""The fair report: visits, unique visitors, carts, orders and revenue, in total, by
day, booth, cooperative and product, on a page and as CSV; its money equals the orders'
totals in Saleor."""

import csv
import datetime
import io
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from saleor.order import OrderStatus
from saleor.order.models import Order

from fairs import editing, reports
from tests.fairs.conftest import client_of
from tests.storefront.shopping import page


def test_report_totals_equal_the_orders_totals_in_saleor(fair, fair_sales):
    report = reports.build_report(fair)
    t = report.totals

    # The money is the credited, not cancelled orders' own totals in Saleor
    saleor_total = (
        Order.objects.filter(fair_credit__fair=fair)
        .exclude(status=OrderStatus.CANCELED)
        .aggregate(total=Sum("total_gross_amount"))["total"]
    )
    assert t.revenue == saleor_total == Decimal(280000 + 750000)
    assert fair_sales["first"].total_gross_amount + fair_sales["second"].total_gross_amount == (
        t.revenue
    )
    assert (t.goods, t.shipping, t.discount) == (Decimal(970000), Decimal(60000), Decimal(0))
    assert t.goods + t.shipping - t.discount == t.revenue
    assert (t.visits, t.visitors, t.carts, t.orders, t.cancelled_orders) == (4, 4, 3, 2, 1)
    assert t.conversion_percent == Decimal("50.0")

    # The breakdowns add up to the totals
    assert sum(r.revenue for r in report.by_booth) == t.revenue
    assert sum(r.revenue for r in report.by_day) == t.revenue
    assert sum(r.revenue for r in report.by_product) == t.goods
    assert sum(r.revenue for r in report.by_cooperative) == t.goods
    assert sum(r.visits for r in report.by_booth) == t.visits


def test_report_by_booth_cooperative_product_and_day(fair, fair_sales):
    report = reports.build_report(fair)

    def rows(items):
        return [(r.label, r.visits, r.visitors, r.carts, r.orders, r.units, int(r.revenue))
                for r in items]  # fmt: skip

    assert rows(report.by_booth) == [
        ("A12 HTX Tài Hoan", 1, 1, 1, 1, 0, 280000),
        ("B03 HTX Nam Mẫu", 1, 1, 1, 1, 0, 750000),
        (reports.NO_BOOTH, 2, 2, 1, 0, 0, 0),
    ]
    assert rows(report.by_cooperative) == [
        ("Hợp tác xã Nông nghiệp Nam Mẫu", 1, 1, 0, 1, 1, 650000),
        ("Hợp tác xã Tài Hoan", 1, 1, 0, 2, 3, 320000),
        ("Hợp tác xã Gạo Định Hóa", 0, 0, 0, 0, 0, 0),
    ]
    assert rows(report.by_product) == [
        ("Trà hoa vàng Nam Mẫu", 0, 0, 0, 1, 1, 650000),
        ("Miến dong Tài Hoan", 1, 1, 0, 1, 2, 250000),
        ("Gạo nếp cái hoa vàng", 0, 0, 0, 0, 0, 0),
        ("Bột dong riềng", 0, 0, 0, 1, 1, 70000),
    ]
    assert [r.featured for r in report.by_product] == [True, True, True, False]
    today = timezone.localdate()
    assert [r.key for r in report.by_day] == [
        (fair.starts_on + datetime.timedelta(days=n)).isoformat() for n in range(4)
    ]
    assert rows(r for r in report.by_day if r.key == today.isoformat()) == [
        (today.strftime("%d/%m/%Y"), 4, 4, 3, 2, 0, 1030000)
    ]


def test_the_report_page_shows_totals_a_chart_and_the_orders(fair, fair_sales, thai_nguyen_staff):
    response = client_of(thai_nguyen_staff).get(f"/tinh/hoi-cho/{fair.pk}/bao-cao/")
    html = page(response)
    assert response.status_code == 200
    assert '<strong data-testid="total-visits">4</strong>' in html
    assert '<strong data-testid="total-orders">2</strong>' in html
    assert '<strong data-testid="total-revenue">1.030.000\u00a0₫</strong>' in html
    assert html.count('<svg class="chart"') == 2
    assert "<script" not in html  # no JavaScript, no CDN
    assert html.count('data-testid="order-row"') == 3
    assert f"#{fair_sales['cancelled'].pk}" in html
    assert f"#{fair_sales['other'].pk}" not in html


def read_csv(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:])))


def test_the_csv_has_the_same_numbers(fair, fair_sales, thai_nguyen_staff):
    response = client_of(thai_nguyen_staff).get(f"/tinh/hoi-cho/{fair.pk}/bao-cao.csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="bao-cao-ocop-bac-kan-2026.csv"'
    )
    rows = read_csv(response)
    assert rows[0] == reports.CSV_HEADER
    assert rows[1] == [
        "tong / total", "", "Hội chợ OCOP Bắc Kạn 2026", "4", "4", "3", "2", "", "1030000",
    ]  # fmt: skip
    assert rows[2][1:] == ["tien-hang / goods", "", "", "", "", "", "", "970000"]
    booths = [r for r in rows if r[0] == "gian-hang / booth"]
    assert booths[0] == [
        "gian-hang / booth", "a12-htx-tai-hoan", "A12 HTX Tài Hoan", "1", "1", "1", "1", "0",
        "280000",
    ]  # fmt: skip
    products = [r for r in rows if r[0] == "san-pham / product"]
    assert [p[2] for p in products] == [
        "Trà hoa vàng Nam Mẫu", "Miến dong Tài Hoan", "Gạo nếp cái hoa vàng", "Bột dong riềng",
    ]  # fmt: skip


def test_the_orders_csv_lists_every_credited_order(fair, fair_sales, thai_nguyen_staff):
    rows = read_csv(client_of(thai_nguyen_staff).get(f"/tinh/hoi-cho/{fair.pk}/don-hang.csv"))
    assert rows[0] == reports.ORDERS_CSV_HEADER
    assert [(r[0], r[2], r[3], r[5]) for r in rows[1:]] == [
        (str(fair_sales["first"].pk), "unfulfilled", "A12 HTX Tài Hoan", "280000"),
        (str(fair_sales["second"].pk), "unfulfilled", "B03 HTX Nam Mẫu", "750000"),
        (str(fair_sales["cancelled"].pk), "canceled", "", "90000"),
    ]


def test_csv_cells_never_run_as_formulas(fair, thai_nguyen_staff):
    editing.save_booth(fair, {"name": '=HYPERLINK("http://x.test","bấm")', "slug": "gian-la"})
    rows = read_csv(client_of(thai_nguyen_staff).get(f"/tinh/hoi-cho/{fair.pk}/bao-cao.csv"))
    labels = [r[2] for r in rows if r[0] == "gian-hang / booth"]
    assert '\'=HYPERLINK("http://x.test","bấm")' in labels


def test_an_empty_fair_reports_zeros(fair, thai_nguyen_staff):
    report = reports.build_report(fair)
    assert (report.totals.visits, report.totals.orders, report.totals.revenue) == (0, 0, 0)
    assert report.by_day == []
    html = page(client_of(thai_nguyen_staff).get(f"/tinh/hoi-cho/{fair.pk}/bao-cao/"))
    assert "Chưa có đơn hàng nào." in html
