"""VietQR payloads, checked byte for byte against published ones and with an
independent CRC implementation (crccheck)."""

import pytest
from crccheck.crc import Crc16CcittFalse

from payments_vn.vietqr import (
    TransferRequest,
    VietQRError,
    ascii_purpose,
    build_payload,
    has_valid_crc,
    parse_tlv,
)

# Published in the napas-qr-python documentation (Vietcombank account 1031933430).
PUBLISHED = [
    (
        TransferRequest("970436", "1031933430", None, "Thanh toan hoa don"),
        "00020101021238540010A00000072701240006970436011010319334300208QRIBFTTA"
        "53037045802VN62220818Thanh toan hoa don6304E8A4",
    ),
    (
        TransferRequest("970436", "1031933430", 50000, "Thanh toan"),
        "00020101021238540010A00000072701240006970436011010319334300208QRIBFTTA"
        "53037045405500005802VN62140810Thanh toan630438A6",
    ),
]


@pytest.mark.parametrize(("request_", "payload"), PUBLISHED)
def test_payload_matches_published_payloads_byte_for_byte(request_, payload):
    assert build_payload(request_) == payload


def test_crc_agrees_with_an_independent_implementation():
    payload = build_payload(TransferRequest("970415", "113366668888", 280000, "OCOPAB23CD45"))
    assert payload[-4:] == f"{Crc16CcittFalse.calc(payload[:-4].encode()):04X}"
    assert Crc16CcittFalse.calc(b"123456789") == 0x29B1  # the CRC's published check value


def test_an_order_payload_carries_bank_account_amount_and_reference():
    payload = build_payload(TransferRequest("970415", "113366668888", 280000, "OCOPAB23CD45"))

    fields = parse_tlv(payload)
    account = parse_tlv(fields["38"])
    assert fields["00"] == "01"
    assert fields["01"] == "12"  # dynamic: one payment
    assert account["00"] == "A000000727"
    assert parse_tlv(account["01"]) == {"00": "970415", "01": "113366668888"}
    assert account["02"] == "QRIBFTTA"
    assert (fields["53"], fields["54"], fields["58"]) == ("704", "280000", "VN")
    assert parse_tlv(fields["62"]) == {"08": "OCOPAB23CD45"}
    assert has_valid_crc(payload)


def test_a_changed_character_breaks_the_crc():
    payload = build_payload(TransferRequest("970415", "113366668888", 280000, "OCOPAB23CD45"))
    tampered = payload.replace("280000", "180000")
    assert has_valid_crc(payload) is True
    assert has_valid_crc(tampered) is False
    assert has_valid_crc("not a payload") is False


def test_the_transfer_message_is_folded_to_what_banks_carry():
    assert ascii_purpose("Đơn hàng #OCOP-12 của bà Lành!") == "Don hang OCOP12 cua ba La"


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        (TransferRequest("97043", "1031933430"), "bank BIN must be 6 digits"),
        (TransferRequest("970436", "10319-33430"), "account number must be 1–19 letters or digits"),
        (TransferRequest("970436", "1031933430", -5), "amount must be a positive whole number"),
    ],
)
def test_bad_bank_details_are_refused(request_, message):
    with pytest.raises(VietQRError, match=message):
        build_payload(request_)


def test_parse_refuses_a_cut_payload():
    with pytest.raises(VietQRError, match="field 38 is cut short"):
        parse_tlv("0002010102123857")
