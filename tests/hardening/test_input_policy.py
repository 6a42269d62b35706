"""The input policy's rules, each on its own (ideasluss/input_policy.py)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from ideasluss.input_policy import (
    MAX_ID,
    DecimalNumberField,
    MultiLineField,
    PolicyDateField,
    SingleLineField,
    WholeNumberField,
    valid_id,
)


def test_single_line_text_is_nfc_normalised_and_stripped():
    assert SingleLineField().clean("  a\u030a  ") == "å"


@pytest.mark.parametrize("char", ["\x00", "\x01", "\t", "\n", "\r", "\x1f", "\x7f", "\x85", "\x9f"])
def test_single_line_text_refuses_c0_del_and_c1_control_characters(char):
    with pytest.raises(ValidationError) as refusal:
        SingleLineField().clean(f"a{char}b")
    assert f"U+{ord(char):04X}" in " ".join(refusal.value.messages)


@pytest.mark.parametrize("char", [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]])
def test_text_refuses_bidirectional_controls(char):
    for field in (SingleLineField(), MultiLineField()):
        with pytest.raises(ValidationError):
            field.clean(f"gpj{char}.exe")


def test_multi_line_text_keeps_line_breaks_and_tabs_with_unix_line_endings():
    assert MultiLineField().clean("ett\r\ntvå\rtre\n\tfyra") == "ett\ntvå\ntre\n\tfyra"


def test_multi_line_text_refuses_other_control_characters():
    with pytest.raises(ValidationError):
        MultiLineField().clean("rad ett\n\x0brad två")


def test_ordinary_marks_and_emoji_are_allowed():
    text = "Ärligt talat – “så” 👩\u200d💻 \u00a0é"
    assert SingleLineField().clean(text) == "Ärligt talat – “så” 👩\u200d💻 \u00a0é"


def test_lengths_are_counted_after_normalisation():
    assert len(SingleLineField(max_length=3).clean("a\u030a" * 3)) == 3


def test_the_default_lengths_are_200_and_10000():
    assert SingleLineField().max_length == 200
    assert MultiLineField().max_length == 10_000


def amount(value):
    return WholeNumberField(min_value=0, max_value=10**9).clean(value)


def test_full_width_digits_become_ascii():
    assert amount("１２３") == 123


@pytest.mark.parametrize("value", ["١٢٣", "۱۲۳", "১২৩", "१२३", "1٢3", "²"])
def test_digits_of_other_scripts_are_refused(value):
    with pytest.raises(ValidationError):
        amount(value)


@pytest.mark.parametrize("value", ["12 500", "12\u00a0500", "12\u202f500"])
def test_spaces_between_digit_groups_are_read(value):
    assert amount(value) == 12_500


@pytest.mark.parametrize("value", ["1_000", "1 2 3 4 5 6 7 8 9 0 1", "0x10", "1e3", "9" * 5000])
def test_other_number_spellings_are_refused(value):
    with pytest.raises(ValidationError):
        amount(value)


def test_numbers_need_both_bounds():
    with pytest.raises(TypeError):
        WholeNumberField()  # a number field without a range is a mistake


def test_decimals_follow_the_same_digit_rule():
    field = DecimalNumberField(min_value=Decimal("0.1"), max_value=Decimal("100"), localize=True)
    assert field.clean("７,５") == Decimal("7.5")
    with pytest.raises(ValidationError):
        field.clean("٧,٥")


@pytest.mark.parametrize(
    "value, accepted",
    [
        ("2000-01-01", True),
        ("2100-12-31", True),
        ("1999-12-31", False),
        ("2101-01-01", False),
        ("0001-01-01", False),
        ("9999-12-31", False),
        ("1900-01-01", False),
    ],
)
def test_dates_are_between_2000_and_2100(value, accepted):
    field = PolicyDateField()
    if accepted:
        assert field.clean(value) == datetime.date.fromisoformat(value)
    else:
        with pytest.raises(ValidationError) as refusal:
            field.clean(value)
        assert [error.code for error in refusal.value.error_list] == ["date_range"]


def test_dates_in_other_scripts_digits_are_refused():
    with pytest.raises(ValidationError):
        PolicyDateField().clean("٢٠٢٧-٠١-٠١")


@pytest.mark.parametrize(
    "value, valid",
    [
        ("1", True),
        (str(MAX_ID), True),
        (str(MAX_ID + 1), False),
        (str(2**70), False),
        ("0", False),
        ("-1", False),
        ("abc", False),
        ("²", False),
        ("١٢٣", False),
        ("", False),
        (" 7 ", True),
    ],
)
def test_valid_ids_are_64_bit_whole_numbers_above_zero(value, valid):
    assert valid_id(value) is valid
