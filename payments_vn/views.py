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
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from payments_vn.matching import BankCredit, credit_problem, record_bank_credit
from payments_vn.models import BankTransaction

MAX_CLOCK_SKEW = datetime.timedelta(minutes=5)
MAX_BODY_BYTES = 64 * 1024


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """Hex HMAC-SHA256 over "<timestamp>.<body>", the header X-OCOP-Signature."""
    message = timestamp.encode() + b"." + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def _error(status: int, code: str, vi: str, en: str) -> JsonResponse:
    return JsonResponse({"error": code, "message": f"{vi} / {en}"}, status=status)


def _credit(data) -> BankCredit | None:
    if not isinstance(data, dict):
        return None
    try:
        amount = Decimal(str(data["amount"]))
        booked_at = parse_datetime(str(data["bookedAt"]))
        bank_id = str(data["id"]).strip()
    except (KeyError, InvalidOperation, ValueError):
        return None
    description = str(data.get("description", ""))[:500]
    if booked_at is None or credit_problem(bank_id, amount, description):
        return None
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
    # As bytes: compare_digest refuses a str with a non-ASCII character (TypeError).
    expected = signature(secret, timestamp, body).encode()
    if not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), expected):
        return _error(403, "bad_signature", "Chữ ký không hợp lệ", "invalid signature")
    fresh = timestamp.isascii() and timestamp.isdigit() and len(timestamp) <= 12
    if not fresh or abs(time.time() - int(timestamp)) > MAX_CLOCK_SKEW.seconds:
        return _error(400, "stale", "Thông báo quá cũ", "timestamp outside the allowed window")
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: too deep
        return _error(400, "malformed", "JSON không hợp lệ", "body is not valid JSON")
    credit = _credit(data)
    if credit is None:
        return _error(
            400,
            "invalid_credit",
            "Cần id, amount (số nguyên VNĐ dương) và bookedAt (ISO 8601)",
            "id, amount (positive whole VND) and bookedAt (ISO 8601) are required",
        )
    row, created = record_bank_credit(credit, BankTransaction.Source.NOTIFICATION)
    return JsonResponse(
        {"id": row.bank_transaction_id, "outcome": row.outcome, "duplicate": not created}
    )
