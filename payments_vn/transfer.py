"""What a buyer paying by bank transfer is shown: the VietQR code and, beside it, the
same details in plain text for those who type them in."""

from __future__ import annotations

import io
from dataclasses import dataclass

import segno

from common.banks import bank_name
from payments_vn.vietqr import TransferRequest, build_payload


@dataclass(frozen=True)
class TransferInstructions:
    bank_bin: str
    account_number: str
    account_name: str
    amount_vnd: int
    reference: str
    # Where the order's QR code is served as PNG (absolute; e-mails link to it). Empty
    # when built without an order.
    qr_image_url: str = ""

    @property
    def is_due(self) -> bool:
        """Something is left to pay (a paid order has no code to scan)."""
        return self.amount_vnd > 0

    @property
    def bank_name(self) -> str:
        return bank_name(self.bank_bin)

    @property
    def payload(self) -> str:
        return build_payload(
            TransferRequest(self.bank_bin, self.account_number, self.amount_vnd, self.reference)
        )

    def _qr(self):
        # Medium error correction and the standard 4-module quiet zone: it still scans
        # when printed on a receipt or shown on a cracked phone screen.
        return segno.make_qr(self.payload, error="m", boost_error=False)

    def qr_svg(self, scale: int = 6) -> str:
        buffer = io.BytesIO()
        self._qr().save(buffer, kind="svg", scale=scale, border=4, xmldecl=False,
                        title=f"VietQR {self.reference}")  # fmt: skip
        return buffer.getvalue().decode()

    def qr_png(self, scale: int = 8) -> bytes:
        buffer = io.BytesIO()
        self._qr().save(buffer, kind="png", scale=scale, border=4)
        return buffer.getvalue()
