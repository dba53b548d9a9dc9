"""Vietnamese phone numbers as people type them, read one way (python-phonenumbers):
the order desk's search, the customers' search and a cooperative's contact number."""

from __future__ import annotations

import phonenumbers


def normalise_phone(text: str) -> str | None:
    """ "0912 345 678", "+84 912.345.678", "84912345678" → "+84912345678"; None when it
    is no Vietnamese phone number."""
    digits = "".join(ch for ch in text if ch not in " .-()")
    if not digits.isascii():
        return None
    if digits.startswith("84") and not digits.startswith("+"):
        digits = "+" + digits
    try:
        number = phonenumbers.parse(digits, "VN")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 84 or not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national_digits(text: str) -> str:
    """A Vietnamese phone number's significant digits, however it was typed:
    "0912 345 678", "+84 912.345.678" and "84912345678" all give "912345678"."""
    digits = "".join(char for char in text if char.isascii() and char.isdigit())
    if digits.startswith("84") and len(digits) > 9:
        digits = digits[2:]
    return digits.lstrip("0")


def national_phone(text: str) -> str:
    """ "+84 912 345 678", "0912345678", "84912345678" → "0912345678" (Vietnam's country
    code read as the leading 0); "" when no digit."""
    digits = national_digits(text)
    return "0" + digits if digits else ""
