"""The bank's notification endpoint: signed, timestamped, idempotent."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import time
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.http import JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from common.inputs import has_nul, whole_number, without_control_characters
from payments_vn.matching import BankCredit, record_bank_credit
from payments_vn.models import BankTransaction

MAX_CLOCK_SKEW = datetime.timedelta(minutes=5)
MAX_BODY_BYTES = 64 * 1024


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """Hex HMAC-SHA256 over "<timestamp>.<body>", the header X-OCOP-Signature."""
    message = timestamp.encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _error(status: int, code: str, vi: str, en: str) -> JsonResponse:
    return JsonResponse({"error": code, "message": f"{vi} / {en}"}, status=status)


class _Refused(Exception):
    def __init__(self, code: str, vi: str, en: str):
        super().__init__(code)
        self.code, self.vi, self.en = code, vi, en


INVALID_CREDIT = _Refused(
    "invalid_credit",
    "Cần id, amount (số nguyên VNĐ dương) và bookedAt (ISO 8601)",
    "id, amount (positive whole VND) and bookedAt (ISO 8601) are required",
)
# What the amount column holds (14 digits): a larger credit is no transfer of ours.
MAX_AMOUNT = Decimal(10) ** BankTransaction._meta.get_field("amount").max_digits - 1
MAX_BANK_ID = BankTransaction._meta.get_field("bank_transaction_id").max_length
MAX_DESCRIPTION = BankTransaction._meta.get_field("description").max_length
BOOKED_YEARS = range(2000, 2101)


def _scalar(value) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _credit(data) -> BankCredit:
    """The credit a notification reports, or _Refused saying what is wrong with it."""
    if not isinstance(data, dict):
        raise INVALID_CREDIT
    amount, booked, bank_id = data.get("amount"), data.get("bookedAt"), data.get("id")
    description = data.get("description", "")
    if not (_scalar(amount) and isinstance(booked, str) and _scalar(bank_id)):
        raise INVALID_CREDIT
    if not _scalar(description):
        raise INVALID_CREDIT
    if not str(amount).isascii():  # Decimal() reads other scripts' digits ("٣")
        raise INVALID_CREDIT
    try:
        amount = Decimal(str(amount).strip())
        booked_at = parse_datetime(booked.strip())
    except (InvalidOperation, ValueError, OverflowError):
        raise INVALID_CREDIT from None
    bank_id = str(bank_id).strip()
    if booked_at is None or not bank_id:
        raise INVALID_CREDIT
    if booked_at.year not in BOOKED_YEARS:
        raise _Refused("invalid_date", "bookedAt phải từ năm 2000 đến 2100",
                       "bookedAt must be from 2000 to 2100")  # fmt: skip
    try:
        # In UTC: PostgreSQL refuses offsets beyond ±15:59, ISO 8601 allows ±23:59.
        booked_at = (
            booked_at.astimezone(datetime.UTC)
            if timezone.is_aware(booked_at)
            else timezone.make_aware(booked_at)
        )
    except (OverflowError, ValueError):
        raise INVALID_CREDIT from None
    if not amount.is_finite() or amount <= 0 or amount != amount.to_integral_value():
        raise INVALID_CREDIT
    if amount > MAX_AMOUNT:
        raise _Refused(
            "amount_out_of_range",
            f"Số tiền tối đa {MAX_AMOUNT} VNĐ",
            f"the amount is at most {MAX_AMOUNT} VND",
        )
    if len(bank_id) > MAX_BANK_ID or has_nul(bank_id):
        raise _Refused(
            "invalid_id",
            f"id tối đa {MAX_BANK_ID} ký tự, không có ký tự NUL",
            f"id has at most {MAX_BANK_ID} characters and no NUL",
        )
    # The transfer message is the payer's free text: keep what can be stored and read.
    description = without_control_characters(str(description))[:MAX_DESCRIPTION]
    return BankCredit(bank_id, amount, description, booked_at)


@csrf_exempt
@require_POST
def bank_notification(request):
    secret = settings.OCOP_BANK_WEBHOOK_SECRET
    if not secret:
        return _error(503, "not_configured", "Chưa cấu hình khóa bí mật", "no webhook secret set")
    body = request.body
    if len(body) > MAX_BODY_BYTES:
        return _error(413, "too_large", "Nội dung quá lớn", "body too large")
    timestamp = request.headers.get("X-OCOP-Timestamp", "")
    given = request.headers.get("X-OCOP-Signature", "")
    # compare_digest refuses (TypeError) a str that is not ASCII; no signature is.
    if not given.isascii() or not hmac.compare_digest(given, signature(secret, timestamp, body)):
        return _error(403, "bad_signature", "Chữ ký không hợp lệ", "invalid signature")
    sent_at = whole_number(timestamp, max_digits=12)
    if sent_at is None or abs(time.time() - sent_at) > MAX_CLOCK_SKEW.seconds:
        return _error(400, "stale", "Thông báo quá cũ", "timestamp outside the allowed window")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):
        # RecursionError: nesting deeper than the parser goes ("[[[[…").
        return _error(400, "malformed", "JSON không hợp lệ", "body is not valid JSON")
    try:
        credit = _credit(data)
    except _Refused as refused:
        return _error(400, refused.code, refused.vi, refused.en)
    row, created = record_bank_credit(credit, BankTransaction.Source.NOTIFICATION)
    return JsonResponse(
        {"id": row.bank_transaction_id, "outcome": row.outcome, "duplicate": not created}
    )
