"""Bank statement files (CSV exported from internet banking): credits to match."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from common.dates import parse_date
from common.money import parse_vnd
from payments_vn.matching import BankCredit
from payments_vn.tables import read_table

COLUMNS = {
    "bank_transaction_id": (
        "ma giao dich",
        "so giao dich",
        "so tham chieu",
        "transaction id",
        "id",
    ),
    "booked_at": ("ngay giao dich", "ngay", "ngay hach toan", "date", "booked at"),
    "amount": ("so tien ghi co", "ghi co", "so tien", "credit", "amount"),
    "description": ("noi dung", "dien giai", "mo ta", "description"),
}


def _booked_at(text: str) -> datetime.datetime | None:
    day = parse_date(text.split(" ")[0].split("T")[0])
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))


def read_statement(path: str | Path) -> tuple[list[BankCredit], list[int]]:
    """Credits in a statement, and the row numbers that are not credits (or unreadable)."""
    credits, skipped = [], []
    for number, row in read_table(path, COLUMNS, "sao kê", "statement"):
        amount = parse_vnd(row.get("amount", ""))
        booked_at = _booked_at(row.get("booked_at", ""))
        if not row.get("bank_transaction_id") or not amount or booked_at is None:
            skipped.append(number)
            continue
        credits.append(
            BankCredit(
                row["bank_transaction_id"], Decimal(amount), row.get("description", ""), booked_at
            )
        )
    return credits, skipped
