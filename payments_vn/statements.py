"""Bank statement files (CSV exported from internet banking): credits to match."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from common.dates import parse_date
from common.money import parse_vnd
from payments_vn.matching import BankCredit, credit_problem
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


@dataclass
class Statement:
    """A statement file, row by row: what can be recorded, and why the rest cannot."""

    credits: list[tuple[int, BankCredit]] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # not credits: debits, balances
    problems: list[tuple[int, str]] = field(default_factory=list)  # (row, "vi / en")


def read_statement(path: str | Path) -> Statement:
    """Credits in a statement; a row that is not a credit is skipped, one that looks like
    a credit but cannot be recorded (bad id, amount or date) is reported with why."""
    statement = Statement()
    for number, row in read_table(path, COLUMNS, "sao kê", "statement"):
        amount_text = row.get("amount", "")
        amount = parse_vnd(amount_text) if amount_text else None
        if not amount_text or amount == 0:
            statement.skipped.append(number)
            continue
        if amount is None:
            statement.problems.append(
                (
                    number,
                    f"số tiền '{amount_text[:40]}' không phải số đồng nguyên / the amount "
                    f"'{amount_text[:40]}' is not a whole number of VND",
                )
            )
            continue
        booked_at = _booked_at(row.get("booked_at", ""))
        if booked_at is None:
            shown = row.get("booked_at", "")[:40]
            statement.problems.append(
                (number, f"ngày '{shown}' không hợp lệ / the date '{shown}' is not valid")
            )
            continue
        bank_id, description = row.get("bank_transaction_id", ""), row.get("description", "")
        problem = credit_problem(bank_id, Decimal(amount), description)
        if problem:
            statement.problems.append((number, problem))
            continue
        statement.credits.append(
            (number, BankCredit(bank_id, Decimal(amount), description, booked_at))
        )
    return statement
