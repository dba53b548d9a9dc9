"""Shipping per parcel: each cooperative ships its own goods from its own province.

A cart holding goods of several cooperatives travels as one parcel per cooperative
(producer). Each parcel is priced from its origin (the producer's province) to the
delivery province with the operator's rate table, by the parcel's weight:

* the zone: the same province, the same region (``common.units.PROVINCE_REGIONS``:
  North, Centre with the Central Highlands, South, on the 34 current provinces), or
  another region;
* the band: the first band whose weight limit the parcel does not exceed; above the
  last band, each started step of extra weight costs the table's extra rate;
* free when the parcel's goods reach the free-shipping threshold: the cooperative's
  own (``CooperativeSettings.free_shipping_threshold_amount``) or else the operator's
  (``free_shipping_threshold_vnd``; 0 switches free shipping off).

The operator can switch this off (``shipping_per_parcel``): the shipping method's one
price per order is then charged and shared between the parts in proportion to their
goods, as for orders placed before parcels were priced.

The table is text, one operator setting of the OCOP plugin (``shipping_rates``), parsed
here like every other setting (``marketplace.configuration``)::

    500: 20000 25000 30000; 1000: 22000 30000 35000; 2000: 25000 35000 45000;
    5000: 30000 45000 60000; +1000: 3000 5000 8000

reads: up to 500 g, 20.000 ₫ within a province, 25.000 ₫ within a region, 30.000 ₫
between regions; … above 5 kg, every started kilogram adds 3.000 / 5.000 / 8.000 ₫.

The checkout shows each parcel's fee and the total before the order is placed; the
OCOP plugin makes Saleor's shipping price the sum of the parcels (so Saleor's totals,
the payment and the VietQR amount agree) and stores each parcel's fee with the order;
routing gives each cooperative order its own parcel's fee (``shipping_amount``), which
the settlement ledger uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from common.errors import bilingual
from common.money import parse_vnd, whole
from common.units import province_name, province_region
from marketplace.models import OcopProduct

if TYPE_CHECKING:
    from marketplace.configuration import MarketplaceSettings

SAME_PROVINCE = "same_province"
SAME_REGION = "same_region"
OTHER_REGION = "other_region"
ZONES = (SAME_PROVINCE, SAME_REGION, OTHER_REGION)
ZONE_LABELS = {
    SAME_PROVINCE: ("Nội tỉnh", "Within the province"),
    SAME_REGION: ("Nội miền", "Within the region"),
    OTHER_REGION: ("Liên miền", "Between regions"),
}

DEFAULT_RATES = (
    "500: 20000 25000 30000; 1000: 22000 30000 35000; 2000: 25000 35000 45000; "
    "5000: 30000 45000 60000; +1000: 3000 5000 8000"
)
MAX_GRAMS = 1_000_000  # a tonne: no band of a parcel goes further
MAX_FEE = 10_000_000  # 10.000.000 ₫ for one band


class RateTableError(ValueError):
    """The rate table cannot be read; ``message`` is bilingual."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Band:
    max_grams: int
    fees: tuple[Decimal, Decimal, Decimal]  # same province, same region, other region


@dataclass(frozen=True)
class RateTable:
    bands: tuple[Band, ...]
    extra_step_grams: int
    extra_fees: tuple[Decimal, Decimal, Decimal]

    def fee(self, zone: str, grams: int) -> Decimal:
        """The fee of a parcel of ``grams`` in ``zone`` (no free shipping applied)."""
        index = ZONES.index(zone)
        for band in self.bands:
            if grams <= band.max_grams:
                return band.fees[index]
        last = self.bands[-1]
        steps = -(-(grams - last.max_grams) // self.extra_step_grams)  # started steps
        return last.fees[index] + steps * self.extra_fees[index]


_ENTRY = re.compile(r"^(\+?)\s*([0-9][0-9.,\s]*?)\s*(?:g)?\s*:\s*(.+)$", re.IGNORECASE)


def _refusal(detail_vi: str, detail_en: str) -> RateTableError:
    return RateTableError(
        bilingual(
            f"Bảng phí vận chuyển không hợp lệ: {detail_vi}. Mẫu: «500: 20000 25000 30000; "
            "+1000: 3000 5000 8000» (gam: nội tỉnh, nội miền, liên miền)",
            f"Invalid shipping rate table: {detail_en}. Example: «500: 20000 25000 30000; "
            "+1000: 3000 5000 8000» (grams: same province, same region, other region)",
        )
    )


def parse_rate_table(text: str) -> RateTable:
    """Read the operator's table (module docstring); raise ``RateTableError``."""
    if not isinstance(text, str) or not text.strip():
        raise _refusal("bảng trống", "the table is empty")
    if len(text) > 2000:
        raise _refusal("quá dài (tối đa 2000 ký tự)", "too long (at most 2000 characters)")
    bands: list[Band] = []
    extra: tuple[int, tuple[Decimal, Decimal, Decimal]] | None = None
    for raw in re.split(r"[;\n]", text):
        entry = raw.strip()
        if not entry:
            continue
        match = _ENTRY.match(entry)
        grams = parse_vnd(match.group(2)) if match else None
        if match is None or grams is None or not 1 <= grams <= MAX_GRAMS:
            raise _refusal(
                f"«{entry[:40]}» không có dạng «gam: phí phí phí»",
                f"«{entry[:40]}» is not «grams: fee fee fee»",
            )
        fees = tuple(parse_vnd(value) for value in match.group(3).split())
        if len(fees) != 3 or any(fee is None or fee > MAX_FEE for fee in fees):
            raise _refusal(
                f"«{entry[:40]}» cần đúng 3 mức phí (đồng, tối đa 10.000.000)",
                f"«{entry[:40]}» needs exactly 3 fees (đồng, at most 10,000,000)",
            )
        fees = tuple(Decimal(fee) for fee in fees)
        if match.group(1):
            if extra is not None:
                raise _refusal("có hai dòng «+»", "two «+» entries")
            extra = (grams, fees)
        else:
            if bands and grams <= bands[-1].max_grams:
                raise _refusal("các mức cân nặng phải tăng dần", "weight limits must increase")
            bands.append(Band(grams, fees))
    if not bands:
        raise _refusal("chưa có mức cân nặng nào", "no weight band")
    if extra is None:
        raise _refusal(
            "thiếu dòng «+gam: phí phí phí» cho phần vượt mức cuối",
            "the «+grams: fee fee fee» entry for weight above the last band is missing",
        )
    return RateTable(tuple(bands), extra[0], extra[1])


def zone_between(origin_code: str, destination_code: str) -> str:
    """The zone of a parcel from province ``origin_code`` to ``destination_code``; an
    unknown province (none of the 34) is priced as another region."""
    if origin_code and origin_code == destination_code:
        return SAME_PROVINCE
    origin, destination = province_region(origin_code), province_region(destination_code)
    if origin is not None and origin == destination:
        return SAME_REGION
    return OTHER_REGION


@dataclass(frozen=True)
class ParcelLine:
    """A line of a cart or an order as shipping sees it."""

    product_id: int | None
    quantity: int
    unit_grams: int  # 0 when the shop knows no weight
    total: Decimal  # the line's goods (unit price × quantity)


@dataclass(frozen=True)
class Parcel:
    producer_id: int
    producer_name: str
    origin_code: str
    origin_name: str
    zone: str
    grams: int
    goods: Decimal
    fee: Decimal
    free: bool  # the threshold made it free
    free_threshold: Decimal  # 0: no free shipping for this cooperative

    @property
    def zone_label(self) -> tuple[str, str]:
        return ZONE_LABELS[self.zone]


@dataclass(frozen=True)
class ShippingQuote:
    destination_code: str
    parcels: tuple[Parcel, ...]
    # Goods of lines whose product has no producer (not OCOP goods): they ship at the
    # shop's shipping method's own price, in one more parcel.
    other_goods: Decimal = Decimal(0)
    other_lines: int = 0
    fees_by_producer: dict[int, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> Decimal:
        return sum((parcel.fee for parcel in self.parcels), Decimal(0))


def quote(
    lines: Iterable[ParcelLine],
    destination_code: str,
    *,
    rates: RateTable,
    free_threshold: Decimal,
) -> ShippingQuote:
    """Group ``lines`` by producer and price each parcel (the module docstring's rules),
    in one query whatever the number of lines and cooperatives."""
    lines = list(lines)
    rows = OcopProduct.objects.filter(
        product_id__in={line.product_id for line in lines if line.product_id}
    ).values_list(
        "product_id",
        "producer_id",
        "producer__name",
        "producer__province_code",
        "producer__cooperative_settings__free_shipping_threshold_amount",
    )
    producer_of, producers = {}, {}
    for product_id, producer_id, name, province_code, own_threshold in rows:
        producer_of[product_id] = producer_id
        producers[producer_id] = (name, province_code, own_threshold)
    grouped: dict[int, list[ParcelLine]] = {}
    other_goods, other_lines = Decimal(0), 0
    for line in lines:
        producer_id = producer_of.get(line.product_id)
        if producer_id is None:
            other_goods += whole(line.total)
            other_lines += 1
        else:
            grouped.setdefault(producer_id, []).append(line)
    parcels = []
    for producer_id in sorted(grouped):
        name, province_code, own_threshold = producers[producer_id]
        parcel_lines = grouped[producer_id]
        grams = sum(max(0, line.unit_grams) * line.quantity for line in parcel_lines)
        goods = sum((whole(line.total) for line in parcel_lines), Decimal(0))
        zone = zone_between(province_code, destination_code)
        threshold = whole(free_threshold if own_threshold is None else own_threshold)
        free = threshold > 0 and goods >= threshold
        parcels.append(
            Parcel(
                producer_id=producer_id,
                producer_name=name,
                origin_code=province_code,
                origin_name=province_name(province_code),
                zone=zone,
                grams=grams,
                goods=goods,
                fee=Decimal(0) if free else rates.fee(zone, grams),
                free=free,
                free_threshold=threshold,
            )
        )
    return ShippingQuote(
        destination_code,
        tuple(parcels),
        other_goods,
        other_lines,
        {parcel.producer_id: parcel.fee for parcel in parcels},
    )


def quote_for(
    lines: Iterable[ParcelLine], destination_code: str, settings: MarketplaceSettings | None = None
) -> ShippingQuote:
    """``quote`` with the operator's current rate table and threshold (``settings``, else
    read through the settings port); no parcels when the operator prices shipping per
    order (``shipping_per_parcel`` off)."""
    from marketplace import ports

    if settings is None:
        settings = ports.settings().marketplace_settings()
    if not settings.shipping_per_parcel:
        # One price per order (the shipping method's), shared in proportion at routing.
        return ShippingQuote(destination_code, ())
    return quote(
        lines,
        destination_code,
        rates=settings.shipping_rates,
        free_threshold=settings.free_shipping_threshold_vnd,
    )
