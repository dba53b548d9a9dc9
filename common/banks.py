"""Vietnamese banks by their NAPAS bank identification number (BIN), the 6 digits a
VietQR code and an interbank (NAPAS 247) transfer name a bank by.

The list is the banks of NAPAS's member list that VietQR serves, by the short names
people know them by; ``BANKS`` is ordered for a choice list (the ones most OCOP
cooperatives bank with first: Agribank, the state banks, the Co-operative Bank).
"""

from __future__ import annotations

# (BIN, short name, full name)
BANKS: tuple[tuple[str, str, str], ...] = (
    ("970405", "Agribank", "Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam"),
    ("970436", "Vietcombank", "Ngân hàng TMCP Ngoại thương Việt Nam"),
    ("970415", "VietinBank", "Ngân hàng TMCP Công thương Việt Nam"),
    ("970418", "BIDV", "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam"),
    ("970446", "Co-opBank", "Ngân hàng Hợp tác xã Việt Nam"),
    ("970407", "Techcombank", "Ngân hàng TMCP Kỹ thương Việt Nam"),
    ("970422", "MB Bank", "Ngân hàng TMCP Quân đội"),
    ("970416", "ACB", "Ngân hàng TMCP Á Châu"),
    ("970432", "VPBank", "Ngân hàng TMCP Việt Nam Thịnh Vượng"),
    ("970403", "Sacombank", "Ngân hàng TMCP Sài Gòn Thương Tín"),
    ("970423", "TPBank", "Ngân hàng TMCP Tiên Phong"),
    ("970441", "VIB", "Ngân hàng TMCP Quốc tế Việt Nam"),
    ("970443", "SHB", "Ngân hàng TMCP Sài Gòn – Hà Nội"),
    ("970431", "Eximbank", "Ngân hàng TMCP Xuất Nhập khẩu Việt Nam"),
    ("970426", "MSB", "Ngân hàng TMCP Hàng Hải Việt Nam"),
    ("970437", "HDBank", "Ngân hàng TMCP Phát triển Thành phố Hồ Chí Minh"),
    ("970448", "OCB", "Ngân hàng TMCP Phương Đông"),
    ("970440", "SeABank", "Ngân hàng TMCP Đông Nam Á"),
    ("970449", "LPBank", "Ngân hàng TMCP Lộc Phát Việt Nam"),
    ("970429", "SCB", "Ngân hàng TMCP Sài Gòn"),
    ("970454", "BVBank", "Ngân hàng TMCP Bản Việt"),
    ("970452", "KienlongBank", "Ngân hàng TMCP Kiên Long"),
    ("970409", "BacABank", "Ngân hàng TMCP Bắc Á"),
    ("970412", "PVcomBank", "Ngân hàng TMCP Đại Chúng Việt Nam"),
    ("970427", "VietABank", "Ngân hàng TMCP Việt Á"),
    ("970428", "Nam A Bank", "Ngân hàng TMCP Nam Á"),
    ("970400", "Saigonbank", "Ngân hàng TMCP Sài Gòn Công Thương"),
    ("970430", "PGBank", "Ngân hàng TMCP Thịnh vượng và Phát triển"),
    ("970438", "BaoViet Bank", "Ngân hàng TMCP Bảo Việt"),
    ("970419", "NCB", "Ngân hàng TMCP Quốc Dân"),
    ("970425", "ABBANK", "Ngân hàng TMCP An Bình"),
    ("970433", "VietBank", "Ngân hàng TMCP Việt Nam Thương Tín"),
    ("970406", "Vikki Bank", "Ngân hàng TNHH MTV Số Vikki"),
    ("970444", "CBBank", "Ngân hàng Thương mại TNHH MTV Xây dựng Việt Nam"),
    ("970414", "MBV", "Ngân hàng TNHH MTV Việt Nam Hiện Đại"),
    ("970408", "GPBank", "Ngân hàng Thương mại TNHH MTV Dầu Khí Toàn Cầu"),
    ("970424", "Shinhan Bank", "Ngân hàng TNHH MTV Shinhan Việt Nam"),
    ("970457", "Woori Bank", "Ngân hàng TNHH MTV Woori Việt Nam"),
    ("970458", "UOB", "Ngân hàng TNHH MTV United Overseas Bank Việt Nam"),
    ("970410", "Standard Chartered", "Ngân hàng TNHH MTV Standard Chartered Việt Nam"),
    ("970439", "Public Bank", "Ngân hàng TNHH MTV Public Việt Nam"),
    ("970434", "Indovina Bank", "Ngân hàng TNHH Indovina"),
    ("970421", "VRB", "Ngân hàng Liên doanh Việt – Nga"),
)

BANK_NAMES: dict[str, str] = {bin_: short for bin_, short, _ in BANKS}


def bank_name(bank_bin: str) -> str:
    """A bank's short name, or its BIN when the bank is not in the list."""
    return BANK_NAMES.get(bank_bin, bank_bin)


def bank_choices() -> list[tuple[str, str]]:
    return [(bin_, f"{short} — {full}") for bin_, short, full in BANKS]


def masked_account_number(number: str) -> str:
    """An account number as screens show it to people who need not see it whole: the
    last four digits ("•••• 2345"), enough to recognise one's own account."""
    number = (number or "").strip()
    if not number:
        return ""
    return "•••• " + number[-4:] if len(number) > 4 else "•" * len(number)
