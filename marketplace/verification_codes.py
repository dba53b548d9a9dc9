"""The short public code of a product's verification page (``/xac-minh/<code>``).

The code is the product's id written in Crockford's base32 (digits and capitals without
I, L, O, U: nothing to misread on a label) followed by one Luhn mod 32 check character,
so a mistyped code is answered "no such code", never another product. Short enough to
print as a small QR code and to type: product 1 is ``1Y``, product 1000 ``Z8H``; a 32-bit id
needs at most 8 characters.

It lives in the domain's lowest layer because every place that links to the page (the
product page, the packing slip, the fair cards, the stamps) needs it.
"""

from __future__ import annotations

from stdnum import luhn

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Letters people (and OCR) confuse, read as the digit they look like.
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
MAX_CODE_LENGTH = 9


def _base32(number: int) -> str:
    digits = ""
    while True:
        number, digit = divmod(number, 32)
        digits = ALPHABET[digit] + digits
        if number == 0:
            return digits


def product_code(ocop_product_id: int) -> str:
    """The code printed for ``ocop_product_id`` (a positive id)."""
    body = _base32(ocop_product_id)
    return body + luhn.calc_check_digit(body, alphabet=ALPHABET)


def normalise(raw: object) -> str:
    """The code as typed or scanned: spaces and hyphens dropped, case forgiven."""
    text = str(raw or "").strip().upper().replace("-", "").replace(" ", "")
    return text.translate(_READ_AS)


def product_id_from_code(raw: object) -> int | None:
    """The OcopProduct id a code names, or None when it is no code of ours."""
    code = normalise(raw)
    if not 2 <= len(code) <= MAX_CODE_LENGTH or any(char not in ALPHABET for char in code):
        return None
    if code[0] == "0":  # no id is written with a leading zero: one code per product
        return None
    if luhn.checksum(code, alphabet=ALPHABET) != 0:
        return None
    number = 0
    for char in code[:-1]:
        number = number * 32 + ALPHABET.index(char)
    return number or None
