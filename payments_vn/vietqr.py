"""VietQR (NAPAS 247) payloads: EMVCo merchant-presented QR for a bank transfer.

A payload is a chain of TLV fields (2-digit id, 2-digit length, value), ending with a
CRC-16/CCITT-FALSE over everything before it, including the CRC's own "6304" header.
Any Vietnamese banking app that scans it pre-fills bank, account, amount and message.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from common.inputs import whole_number

VIETQR_GUID = "A000000727"  # NAPAS's application identifier
SERVICE_TO_ACCOUNT = "QRIBFTTA"  # fast transfer to a bank account
CURRENCY_VND = "704"  # ISO 4217 numeric
COUNTRY_VN = "VN"
MAX_PURPOSE_LENGTH = 25  # what banks reliably carry in the transfer message


class VietQRError(ValueError):
    pass


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise VietQRError(f"field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


def ascii_purpose(text: str) -> str:
    """Banks carry only unaccented letters, digits and spaces in the transfer message."""
    folded = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[^A-Za-z0-9 ]", "", folded).strip()[:MAX_PURPOSE_LENGTH]


@dataclass(frozen=True)
class TransferRequest:
    bank_bin: str  # 6-digit NAPAS bank identification number, e.g. 970436 (Vietcombank)
    account_number: str
    amount_vnd: int | None = None
    purpose: str = ""  # the reference the buyer's bank copies into the transfer message


def build_payload(request: TransferRequest) -> str:
    """The VietQR payload string to encode in a QR code."""
    if not re.fullmatch(r"\d{6}", request.bank_bin):
        raise VietQRError("bank BIN must be 6 digits")
    if not re.fullmatch(r"[0-9A-Za-z]{1,19}", request.account_number):
        raise VietQRError("account number must be 1–19 letters or digits")
    if request.amount_vnd is not None and not 0 < request.amount_vnd < 10**13:
        raise VietQRError("amount must be a positive whole number of VND")
    beneficiary = tlv("00", request.bank_bin) + tlv("01", request.account_number)
    merchant_account = (
        tlv("00", VIETQR_GUID) + tlv("01", beneficiary) + tlv("02", SERVICE_TO_ACCOUNT)
    )
    fields = [
        tlv("00", "01"),  # payload format indicator
        # dynamic (one payment) when it carries an amount or a reference, else static
        tlv("01", "12" if request.amount_vnd or request.purpose else "11"),
        tlv("38", merchant_account),
        tlv("53", CURRENCY_VND),
    ]
    if request.amount_vnd:
        fields.append(tlv("54", str(request.amount_vnd)))
    fields.append(tlv("58", COUNTRY_VN))
    purpose = ascii_purpose(request.purpose)
    if purpose:
        fields.append(tlv("62", tlv("08", purpose)))
    body = "".join(fields) + "6304"
    return body + f"{crc16_ccitt_false(body.encode('ascii')):04X}"


def parse_tlv(payload: str) -> dict[str, str]:
    """Split one level of TLV fields; raises VietQRError on a malformed chain."""
    fields, position = {}, 0
    while position < len(payload):
        tag, digits = payload[position : position + 2], payload[position + 2 : position + 4]
        # Exactly two ASCII digits ("²".isdigit() is true, and int(" 5") forgives spaces).
        length = whole_number(digits) if len(digits) == 2 and digits.strip() == digits else None
        if len(tag) < 2 or length is None:
            raise VietQRError(f"malformed field at position {position}")
        value = payload[position + 4 : position + 4 + length]
        if len(value) != length:
            raise VietQRError(f"field {tag} is cut short")
        fields[tag] = value
        position += 4 + length
    return fields


def has_valid_crc(payload: str) -> bool:
    if len(payload) < 8 or payload[-8:-4] != "6304":
        return False
    return f"{crc16_ccitt_false(payload[:-4].encode('ascii')):04X}" == payload[-4:].upper()
