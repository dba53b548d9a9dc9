"""Synthetic OCOP registries at national scale, for benchmarks and load tests.

Rows look like a provincial list (Vietnamese headers, real current provinces and
communes from vietnam-provinces, plausible products and producers), every certificate is
unique, and about 5% of rows carry one deliberate error. Decision numbers are invented:
the output is sample data, never a real recognition list.

    python -m catalog_sync.synthetic OUT.csv --rows 15000 [--seed 0] [--as-of 2026-11-23]
    python -m catalog_sync.synthetic OUT.xlsx --rows 15000 --bench
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from dateutil.relativedelta import relativedelta
from stdnum.vn import mst
from vietnam_provinces.lookup import PROVINCE_MAPPING, WARD_MAPPING

from common.units import CENTRAL_CITY_CODES

SAMPLE_NOTE = "Dữ liệu mẫu, không phải quyết định thật / Sample data, not a real decision"

HEADERS: tuple[str, ...] = (
    "Tên sản phẩm",
    "Nhóm/Bộ sản phẩm",
    "Mô tả",
    "Giá (VNĐ)",
    "Khối lượng (g)",
    "Tồn kho",
    "Mã SKU",
    "Chủ thể",
    "Loại hình",
    "Mã số thuế",
    "Số điện thoại",
    "Email",
    "Tỉnh/Thành phố",
    "Xã/Phường",
    "Huyện",
    "Hạng sao",
    "Số quyết định",
    "Ngày quyết định",
    "Cơ quan công nhận",
    "Ngày hết hạn",
    "Điểm",
    "Ghi chú",
)

# (name stem, product set code, price range in VND, weight in grams or None)
PRODUCTS: tuple[tuple[str, int, tuple[int, int], int | None], ...] = (
    ("Miến dong", 5, (60_000, 140_000), 500),
    ("Bún khô", 5, (35_000, 80_000), 500),
    ("Gạo nếp cái hoa vàng", 3, (40_000, 90_000), 2000),
    ("Gạo Bao Thai", 3, (25_000, 60_000), 5000),
    ("Trà hoa vàng", 11, (250_000, 900_000), 100),
    ("Chè búp", 11, (150_000, 600_000), 200),
    ("Chè shan tuyết", 11, (200_000, 800_000), 200),
    ("Cà phê rang xay", 12, (120_000, 350_000), 500),
    ("Mật ong hoa rừng", 4, (180_000, 450_000), 500),
    ("Tinh bột nghệ", 17, (150_000, 400_000), 250),
    ("Vải thiều sấy khô", 6, (120_000, 250_000), 500),
    ("Mứt gừng", 6, (50_000, 120_000), 300),
    ("Chuối sấy dẻo", 6, (45_000, 110_000), 250),
    ("Nước mắm cá cơm", 9, (80_000, 250_000), 500),
    ("Tương bần", 9, (30_000, 70_000), 500),
    ("Rượu ngô men lá", 13, (90_000, 300_000), 750),
    ("Rượu mơ", 14, (120_000, 350_000), 500),
    ("Nước uống đóng chai", 15, (8_000, 20_000), 500),
    ("Cao dược liệu", 17, (200_000, 600_000), 100),
    ("Tinh dầu sả chanh", 19, (80_000, 250_000), 50),
    ("Xà phòng thảo dược", 18, (40_000, 120_000), 100),
    ("Giỏ mây tre đan", 21, (90_000, 400_000), 800),
    ("Khăn thổ cẩm", 22, (150_000, 600_000), 200),
    ("Lạp xưởng", 7, (150_000, 300_000), 500),
    ("Cá khô", 8, (150_000, 400_000), 500),
    ("Hạt điều rang muối", 6, (180_000, 350_000), 500),
    ("Bưởi Diễn", 1, (40_000, 90_000), 1500),
    ("Cam sành", 1, (30_000, 70_000), 1000),
)

PRODUCER_FORMS: tuple[tuple[str, str], ...] = (
    ("Hợp tác xã {}", "Hợp tác xã"),
    ("HTX Nông nghiệp {}", "Hợp tác xã"),
    ("Công ty TNHH {}", "Doanh nghiệp"),
    ("Công ty Cổ phần {}", "Doanh nghiệp"),
    ("Tổ hợp tác {}", "Tổ hợp tác"),
    ("Hộ kinh doanh {}", "Hộ kinh doanh"),
    ("Cơ sở sản xuất {}", "Hộ kinh doanh"),
)
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Hà", "Lò", "Nông")
GIVEN = (
    "Văn An",
    "Thị Bình",
    "Đức Cường",
    "Thị Hoa",
    "Văn Hùng",
    "Minh Tâm",
    "Thị Lan",
    "Hữu Phúc",
)
MARKS = ("Xanh", "Việt", "Phát", "Hưng", "An", "Lộc", "Tâm", "Sơn", "Thịnh", "Nguyên")


@dataclass(frozen=True)
class SyntheticSummary:
    rows: int
    invalid_rows: int


def _short(name: str) -> str:
    for prefix in ("Thành phố ", "Xã ", "Phường ", "Đặc khu "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _authority(stars: int, province_code: int, decision_date: dt.date, rng: random.Random) -> str:
    province = PROVINCE_MAPPING[province_code]
    if stars == 5:
        if decision_date >= dt.date(2025, 3, 1):
            return "Bộ Nông nghiệp và Môi trường"
        return "Bộ Nông nghiệp và Phát triển nông thôn"
    district_window = dt.date(2023, 2, 24) <= decision_date < dt.date(2025, 7, 6)
    if stars == 3 and district_window and rng.random() < 0.5:
        return f"UBND huyện {rng.choice(MARKS)} {rng.choice(('Sơn', 'Bình', 'Yên', 'Hòa'))}"
    if province_code == 46 and decision_date < dt.date(2025, 1, 1):
        return "UBND tỉnh Thừa Thiên Huế"  # Huế became a centrally-run city in 2025
    if province_code in CENTRAL_CITY_CODES:
        return f"UBND thành phố {_short(province.name)}"
    return f"UBND tỉnh {province.name}"


def _break(row: dict[str, str], rng: random.Random, as_of: dt.date) -> None:
    """Introduce exactly one error a clerk could make."""
    kind = rng.randrange(6)
    if kind == 0:
        row["Hạng sao"] = "2"
    elif kind == 1:
        row["Ngày quyết định"] = (as_of - relativedelta(months=40)).strftime("%d/%m/%Y")
        row["Ngày hết hạn"] = ""
    elif kind == 2:
        row["Giá (VNĐ)"] = "liên hệ"
    elif kind == 3:
        row["Tỉnh/Thành phố"] = "Tỉnh Không Có"
    elif kind == 4:
        row["Số quyết định"] = ""
    else:
        row["Hạng sao"] = "4"
        row["Điểm"] = ""
        row["Cơ quan công nhận"] = "UBND huyện Mẫu Sơn"


def _tax_code(number: int) -> str:
    """A made-up tax code with a correct check digit (stdnum's Vietnamese MST)."""
    while True:
        base = f"{number % 10**9:09d}"
        check = mst.calc_check_digit(base)
        if len(check) == 1:  # a remainder of 10 has no digit: such bases are never issued
            return base + check
        number += 1


def synthetic_rows(
    count: int, *, seed: int = 0, as_of: dt.date | None = None
) -> tuple[list[dict[str, str]], int]:
    """(rows keyed by Vietnamese header, number of deliberately invalid rows)."""
    as_of = as_of or dt.date.today()
    rng = random.Random(seed)
    wards = sorted(WARD_MAPPING.values(), key=lambda ward: int(ward.code))
    rows: list[dict[str, str]] = []
    seen: set[tuple[str, str, str]] = set()
    invalid = 0
    decision_serial = rng.randrange(100, 900)
    batch_left = 0
    decision_number = ""
    decision_date = as_of
    while len(rows) < count:
        ward = rng.choice(wards)
        province_code = int(ward.province_code)
        stars = rng.choices((3, 4, 5), weights=(55, 40, 5))[0]
        if batch_left == 0:
            # One decision lists many products at once.
            batch_left = rng.randrange(5, 40)
            decision_serial += rng.randrange(1, 30)
            decision_date = as_of - dt.timedelta(days=rng.randrange(1, 34 * 30))
            decision_number = f"{decision_serial}/QĐ-UBND-MẪU"
        batch_left -= 1
        number = f"{decision_serial}/QĐ-BNN-VPĐP-MẪU" if stars == 5 else decision_number
        stem, set_code, (low, high), weight = rng.choice(PRODUCTS)
        place = _short(ward.name)
        form, type_label = rng.choice(PRODUCER_FORMS)
        if type_label == "Hộ kinh doanh":
            producer = form.format(f"{rng.choice(SURNAMES)} {rng.choice(GIVEN)}")
        else:
            producer = form.format(f"{rng.choice(MARKS)} {place}")
        product = f"{stem} {place}"
        key = (number, producer, product)
        if key in seen:
            continue
        seen.add(key)
        band = {3: (50, 69), 4: (70, 89), 5: (90, 100)}[stars]
        serial = len(rows) + 1
        row = {
            "Tên sản phẩm": product,
            "Nhóm/Bộ sản phẩm": str(set_code),
            "Mô tả": f"{stem} của {producer}, {ward.name}. Sản phẩm OCOP {stars} sao.",
            "Giá (VNĐ)": str(rng.randrange(low, high, 1000)),
            "Khối lượng (g)": str(weight) if weight else "",
            "Tồn kho": str(rng.randrange(0, 500)),
            "Mã SKU": f"MAU-{province_code:02d}-{serial:06d}",
            "Chủ thể": producer,
            "Loại hình": type_label,
            "Mã số thuế": "" if type_label == "Hộ kinh doanh" else _tax_code(rng.randrange(10**9)),
            "Số điện thoại": f"09{rng.randrange(10**8):08d}",
            "Email": "",
            "Tỉnh/Thành phố": PROVINCE_MAPPING[province_code].name,
            "Xã/Phường": ward.name,
            "Huyện": "",
            "Hạng sao": str(stars),
            "Số quyết định": number,
            "Ngày quyết định": decision_date.strftime("%d/%m/%Y"),
            "Cơ quan công nhận": _authority(stars, province_code, decision_date, rng),
            "Ngày hết hạn": "",
            "Điểm": str(rng.randint(*band)),
            "Ghi chú": SAMPLE_NOTE,
        }
        if rng.random() < 0.05:
            _break(row, rng, as_of)
            invalid += 1
        rows.append(row)
    return rows, invalid


def write_synthetic_registry(
    path: str | Path,
    rows: int,
    *,
    seed: int = 0,
    as_of: dt.date | None = None,
    fmt: str = "csv",
) -> SyntheticSummary:
    """Write ``rows`` synthetic registry rows to ``path`` as csv, xlsx or json."""
    records, invalid = synthetic_rows(rows, seed=seed, as_of=as_of)
    path = Path(path)
    if fmt == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=HEADERS)
            writer.writeheader()
            writer.writerows(records)
    elif fmt == "xlsx":
        import openpyxl

        # Not write_only: that mode omits the <dimension> element Excel always writes,
        # and openpyxl then scans the whole sheet on open, which would skew benchmarks.
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Danh sách OCOP"
        sheet.append(list(HEADERS))
        for record in records:
            sheet.append([record[header] for header in HEADERS])
        workbook.save(path)
    elif fmt == "json":
        path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        raise ValueError(f"unknown format {fmt!r}; use csv, xlsx or json")
    return SyntheticSummary(rows=len(records), invalid_rows=invalid)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=15_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=dt.date.today())
    parser.add_argument("--format", choices=("csv", "xlsx", "json"), default=None)
    parser.add_argument("--bench", action="store_true", help="then time read + validate")
    args = parser.parse_args(argv)
    fmt = args.format or args.out.suffix.lstrip(".").lower() or "csv"
    summary = write_synthetic_registry(
        args.out, args.rows, seed=args.seed, as_of=args.as_of, fmt=fmt
    )
    print(f"wrote {summary.rows} rows ({summary.invalid_rows} deliberately invalid) to {args.out}")
    if args.bench:
        from catalog_sync.readers import read_registry
        from catalog_sync.validation import validate_rows

        started = time.perf_counter()
        registry = read_registry(args.out)
        accepted, rejections = validate_rows(registry.rows, as_of=args.as_of)
        elapsed = time.perf_counter() - started
        print(
            f"read + validate: {elapsed:.2f} s, {summary.rows / elapsed:,.0f} rows/s; "
            f"{len(accepted)} accepted, {len({r.row for r in rejections})} rows rejected"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
