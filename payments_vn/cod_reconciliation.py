"""Couriers' COD reconciliation files ("đối soát COD"): per parcel, whether it was
delivered and how much cash was collected. Delivered parcels whose cash matches what
the order owes are captured; returned parcels void the payment and cancel the order;
anything else is reported, never settled silently."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from common.errors import DomainError, bilingual
from common.money import format_vnd, parse_vnd
from common.text import fold
from marketplace import access, ports
from payments_vn.tables import read_table

logger = logging.getLogger(__name__)

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
    """Settle each row on its own: a bad row (unknown order, amount that is no number,
    a settlement that fails) is reported with its number and reason, the rest go on.
    The file is read whole first, so a malformed one is refused before anything moves."""
    report = ReconciliationReport()
    rows = list(read_table(path, COLUMNS, "tệp đối soát COD", "COD reconciliation file"))
    for number, row in rows:
        try:
            problem = _settle(row, report)
        except ports.payments().NothingToSettle:
            report.outcomes["already settled"] += 1
            continue
        except Exception as error:  # the settlement rolled back; the next row goes on
            logger.exception("COD reconciliation row %s failed", number)
            reason = (str(error).strip().splitlines() or [""])[0][:200]
            problem = f"could not settle: {type(error).__name__} {reason} / không xử lý được"
        if problem:
            report.problems.append((number, problem))
    return report


class CollectionError(DomainError):
    """Cash said to be collected that cannot be captured (``code``: invalid_amount,
    not_cod, amount_mismatch, not_found); ``collected``/``due`` say what was compared."""

    def __init__(self, code, message, field=None, collected=None, due=None):
        super().__init__(code, message, field)
        self.collected, self.due = collected, due


def confirm_collected(order, collected_text: str, user=None) -> Decimal:
    """The courier (a row of its file) or platform staff (``user``, the order desk) say
    ``collected_text`` đồng of cash came in for ``order``: captured when it is exactly
    what the order still owes on delivery, else ``CollectionError``. The capture is the
    payments port's, so the books (escrow, ledger) take it as any capture.
    ``NothingToSettle`` when there is no open COD payment left."""
    if user is not None and not access.sees_all(user):
        raise CollectionError("not_found", bilingual("Không tìm thấy đơn hàng", "Order not found"))
    collected = parse_vnd(collected_text)
    if collected is None:
        raise CollectionError(
            "invalid_amount",
            bilingual("Số tiền thu hộ không hợp lệ (số đồng nguyên)",
                      "The amount collected is not a whole number of đồng"),
            "collected",
        )  # fmt: skip
    due = ports.payments().cod_amount_due(order)
    if due is None:
        raise CollectionError(
            "not_cod",
            bilingual("Đơn hàng không thanh toán khi nhận hàng",
                      "The order is not paid cash on delivery"),
            collected=collected,
        )  # fmt: skip
    if collected != due:
        raise CollectionError(
            "amount_mismatch",
            bilingual(f"Số tiền thu hộ lệch: cần thu {format_vnd(due)}",
                      f"The amount collected differs from the {format_vnd(due)} due"),
            "collected", collected, due,
        )  # fmt: skip
    ports.payments().collect_cash_on_delivery(order, user)
    return collected


def _settle(row: dict[str, str], report: ReconciliationReport) -> str | None:
    """Settle one parcel; the problem to report, or None."""
    order = ports.payments().order_by_number(row.get("order_number", ""))
    status = fold(row.get("status", ""))
    if order is None:
        return "unknown order / không tìm thấy đơn"
    if status in DELIVERED:
        collected_text = row.get("collected", "")
        try:
            confirm_collected(order, collected_text)
        except CollectionError as error:
            if error.code == "invalid_amount":
                shown = collected_text[:40]
                return (
                    f"amount {shown!r} is not a whole number of VND / số tiền thu hộ không hợp lệ"
                )
            shown = str(error.collected) if error.collected < 10**15 else "(too large)"
            return f"collected {shown} ≠ due {error.due} / số tiền thu hộ lệch"
        report.outcomes["collected"] += 1
    elif status in RETURNED:
        ports.payments().refuse_delivery(order)
        report.outcomes["returned"] += 1
    else:
        return f"unknown status {row.get('status', '')[:40]!r}"
    return None
