"""Hostile input for the property tests: what a person, a script or a probe may send."""

import datetime
import string

from hypothesis import strategies as st

from ideasluss.input_policy import BIDI_CONTROLS

CONTROL_CHARACTERS = [chr(code) for code in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]]
INVISIBLE = CONTROL_CHARACTERS + sorted(BIDI_CONTROLS) + ["\u200b", "\ufeff", "\u00ad"]

NASTY_NUMBERS = [
    "0",
    "-0",
    "-1",
    "1e308",
    "NaN",
    "inf",
    "-inf",
    "1_000",
    "12 500",
    "12\u00a0500",
    "0x10",
    "１２３",
    "١٢٣",
    "۱۲۳",
    "১২৩",
    "²",
    "½",
    "7,5",
    "7.5",
    "9" * 5000,
    str(2**31),
    str(2**63 - 1),
    str(2**63),
    str(2**64),
    str(2**70),
    str(-(2**63) - 1),
]
NASTY_DATES = [
    "0001-01-01",
    "9999-12-31",
    "1900-01-01",
    "1999-12-31",
    "2000-01-01",
    "2100-12-31",
    "2101-01-01",
    "2027-02-30",
    "31/12/9999",
    "٢٠٢٧-٠١-٠١",
    "２０２７－０１－０１",
    "10000-01-01",
    "-2027-01-01",
]

plain_text = st.text(alphabet=string.ascii_letters + "åäöÅÄÖ ,.-", min_size=1, max_size=40)
any_text = st.text(max_size=300)
text_with_controls = st.lists(
    st.one_of(plain_text, st.sampled_from(INVISIBLE)), min_size=1, max_size=8
).map("".join)
huge_text = st.tuples(
    st.sampled_from(["a", "å", "\u0301", "x\n", "😀"]), st.integers(190, 60_000)
).map(lambda pair: pair[0] * pair[1])
numbers = st.one_of(
    st.integers(min_value=-(2**80), max_value=2**80).map(str), st.sampled_from(NASTY_NUMBERS)
)
dates = st.one_of(
    st.dates(min_value=datetime.date(1, 1, 1), max_value=datetime.date(9999, 12, 31)).map(
        datetime.date.isoformat
    ),
    st.sampled_from(NASTY_DATES),
)


def hostile_value():
    """One value for any field: text of every kind, numbers, dates, ids."""
    return st.one_of(any_text, text_with_controls, huge_text, numbers, dates, st.just(""))


def hostile_values():
    """What a field may receive: one value, none, or several (a list where one is expected)."""
    return st.one_of(
        hostile_value().map(lambda value: [value]),
        st.just([]),
        st.lists(hostile_value(), min_size=2, max_size=3),
    )
