"""common.inputs, the one reader of numbers and ids typed or forged by anyone."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from common.inputs import fields_with_nul, has_nul, whole_number, without_control_characters
from marketplace import notifications
from payments_vn.vietqr import VietQRError, parse_tlv


@given(st.integers(min_value=0, max_value=10**18 - 1))
def test_ascii_digits_are_read_as_int_reads_them(number):
    assert whole_number(f" {number} ") == number


@given(st.text(alphabet="²³¹٣٤۵१२৩๓０１２", min_size=1, max_size=8))
def test_other_scripts_digits_are_not_numbers(text):
    # str.isdigit() is true for all of them; int() raises for some, reads others
    assert text.isdigit()
    assert whole_number(text) is None


def test_signs_spaces_inside_and_too_many_digits_are_not_numbers():
    assert [whole_number(t) for t in ["-1", "+1", "1 2", "1e3", "", None, "1" * 19]] == [None] * 7
    assert whole_number("9999", max_digits=4) == 9999
    assert whole_number("10000", max_digits=4) is None


def test_nul_is_found_at_any_depth_of_json_input():
    assert has_nul("a\x00b")
    assert not has_nul("ab", None, 3)
    data = {"name": "Miến", "description": {"blocks": [{"text": "x\x00"}]}, "seo": "ok"}
    assert fields_with_nul(data) == ["description"]


def test_control_characters_become_spaces():
    assert without_control_characters("mien\x00dong\tTai\x7fHoan") == "mien dong Tai Hoan"


@given(header=st.text(max_size=120))
@example(header="t=1800000000,v1=" + "é" * 64)
@example(header="t=١٨٠٠٠٠٠٠٠٠,v1=abc")
@example(header="t=²")
def test_a_cooperative_webhook_signature_of_any_text_is_refused_not_a_crash(header):
    # What a cooperative's receiver runs on whatever reaches it
    assert notifications.verify("bi-mat-htx", header, b"{}", now=1_800_000_000) is False


def test_a_real_signature_still_verifies():
    header = notifications.sign("bi-mat-htx", 1_800_000_000, b"{}")
    assert notifications.verify("bi-mat-htx", header, b"{}", now=1_800_000_000) is True


@given(payload=st.text(alphabet="0123456789²٣ AB", max_size=40))
@example(payload="00²2AB")
def test_a_vietqr_payload_of_any_text_parses_or_says_it_is_malformed(payload):
    try:
        fields = parse_tlv(payload)
    except VietQRError:
        return
    # a chain it accepts is read as written: each field's tag, two ASCII digits, value
    assert all(f"{tag}{len(value):02d}{value}" in payload for tag, value in fields.items())
