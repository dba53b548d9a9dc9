"""Couriers' COD reconciliation files ("đối soát COD"): per parcel, whether it was
delivered and how much cash was collected. Delivered parcels whose cash matches what
the order owes are captured; returned parcels void the payment and cancel the order;
anything else is reported, never settled silently."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from common.money import parse_vnd
from common.text import fold
from marketplace import ports
from payments_vn.tables import read_table

COLUMNS = {
    "order_number": ("ma don hang", "ma don", "so don hang", "order number", "order"),
    "status": ("trang thai", "status"),
    "collected": ("so tien thu ho", "tien thu ho", "thu ho", "cod amount", "collected"),
}
DELIVERED = {"da giao", "giao thanh cong", "delivered"}
RETURNED = {"hoan hang", "da hoan", "chuyen hoan", "returned", "refused"}


@dataclass
class ReconciliationReport:
    outcomes: Counter = field(default_factory=Counter)
    problems: list[tuple[int, str]] = field(default_factory=list)


def reconcile_cod_file(path: str | Path) -> ReconciliationReport:
    report = ReconciliationReport()
    for number, row in read_table(path, COLUMNS, "tệp đối soát COD", "COD reconciliation file"):
        order = ports.payments().order_by_number(row.get("order_number", ""))
        status = fold(row.get("status", ""))
        if order is None:
            report.problems.append((number, "unknown order / không tìm thấy đơn"))
            continue
        try:
            if status in DELIVERED:
                collected = parse_vnd(row.get("collected", ""))
                due = ports.payments().cod_amount_due(order)
                if collected != due:
                    report.problems.append(
                        (number, f"collected {collected} ≠ due {due} / số tiền thu hộ lệch")
                    )
                    continue
                ports.payments().collect_cash_on_delivery(order)
                report.outcomes["collected"] += 1
            elif status in RETURNED:
                ports.payments().refuse_delivery(order)
                report.outcomes["returned"] += 1
            else:
                report.problems.append((number, f"unknown status {row.get('status')!r}"))
        except ports.payments().NothingToSettle:
            report.outcomes["already settled"] += 1
    return report
