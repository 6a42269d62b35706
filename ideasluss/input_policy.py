"""One policy for what people may type: text, numbers, dates and ids (docs/security-input.md).

Every form of the product builds its fields from here, so a rule is written once:

- single-line text (`SingleLineField`): NFC-normalised, stripped, no control characters
  (C0, DEL, C1; so no line breaks or tabs either) and no bidirectional overrides,
  embeddings or isolates (U+202A–U+202E, U+2066–U+2069), which can make "gpj.exe" show
  as "exe.jpg";
- multi-line text (`MultiLineField`): the same, but line breaks and tabs are allowed;
  line endings become "\\n";
- whole numbers and decimals (`WholeNumberField`, `DecimalNumberField`): digits 0–9 only.
  Full-width digits (１２３, from an East Asian input method) look like ours and are
  turned into them; digits of other scripts (Arabic-Indic ١٢٣, Bengali, …) are refused,
  because a reader sees something other than what is stored (Bengali ৪ is a 4 that looks
  like an 8). Spaces between digit groups (12 500) are allowed, as Swedes write them;
- dates (`PolicyDateField`): between `EARLIEST_DATE` and `LATEST_DATE`;
- ids chosen from a list (`IdChoiceField`, `IdMultipleChoiceField`): a posted value that
  is not a whole number that fits a 64-bit id is a form error, never a database error.

The module imports no app: the domain models, every form and the API may use it.
"""

import datetime
import re
import unicodedata
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

#: Lengths by kind of field (characters, after normalisation).
SHORT_TEXT = 200  # titles, names, places
LONG_TEXT = 10_000  # problem, idea, motivation, rationale: a few pages at most
SEARCH_TEXT = 200

#: The range of every date a person types: the fund and the idea sluice are 21st century.
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2100, 12, 31)

#: Database ids are 64-bit signed integers (PostgreSQL bigint, SQLite INTEGER).
MAX_ID = 2**63 - 1

#: Bidirectional embeddings, overrides (U+202A–U+202E) and isolates (U+2066–U+2069).
BIDI_CONTROLS = frozenset(chr(code) for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
MULTI_LINE_ALLOWED = frozenset("\n\t")

DIGIT_GROUP_SPACES = re.compile(r"(?<=\d)[ \u00a0\u202f](?=\d)")


def is_control_character(char: str) -> bool:
    """C0 (U+0000–U+001F), DEL and C1 (U+0080–U+009F): Unicode's category Cc."""
    return unicodedata.category(char) == "Cc"


def forbidden_characters(value: str, *, multi_line: bool) -> list[str]:
    """The characters of `value` the policy refuses, each once, in order of appearance."""
    allowed = MULTI_LINE_ALLOWED if multi_line else frozenset()
    found = []
    for char in value:
        if char in allowed or char in found:
            continue
        if is_control_character(char) or char in BIDI_CONTROLS:
            found.append(char)
    return found


def describe(chars: list[str]) -> str:
    """U+202E, U+0001: how a person (or their IT support) can find the character."""
    return ", ".join(f"U+{ord(char):04X}" for char in chars)


def normalise_text(value: str, *, multi_line: bool) -> str:
    """NFC, line endings as "\\n", stripped."""
    value = unicodedata.normalize("NFC", value)
    if multi_line:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.strip()


@deconstructible
class TextPolicyValidator:
    """Refuses control characters and bidirectional controls (line breaks and tabs are
    allowed in multi-line text). Also usable on a model field."""

    def __init__(self, *, multi_line: bool):
        self.multi_line = multi_line

    def __call__(self, value):
        if not isinstance(value, str):
            return
        found = forbidden_characters(value, multi_line=self.multi_line)
        if not found:
            return
        if not self.multi_line and any(char in "\n\r\t" for char in found):
            message = _("Write it on one line, without line breaks or tabs (found: %(chars)s).") % {
                "chars": describe(found)
            }
        else:
            message = _(
                "The text contains invisible control or text-direction characters "
                "(%(chars)s), often from copying; remove them and try again."
            ) % {"chars": describe(found)}
        raise ValidationError(message, code="forbidden_characters")

    def __eq__(self, other):
        return isinstance(other, TextPolicyValidator) and other.multi_line == self.multi_line

    def __hash__(self):
        return hash((type(self), self.multi_line))


single_line_validator = TextPolicyValidator(multi_line=False)
multi_line_validator = TextPolicyValidator(multi_line=True)


class _PolicyTextField(forms.CharField):
    multi_line = False
    default_max_length = SHORT_TEXT
    default_error_messages = {
        "max_length": _(
            "The text is too long: at most %(limit_value)s characters (it has %(show_value)s)."
        ),
    }

    def __init__(self, *, max_length=None, **kwargs):
        kwargs.setdefault("strip", True)
        super().__init__(max_length=max_length or self.default_max_length, **kwargs)
        self.validators.append(TextPolicyValidator(multi_line=self.multi_line))

    def to_python(self, value):
        if isinstance(value, str):
            value = normalise_text(value, multi_line=self.multi_line)
        return super().to_python(value)


class SingleLineField(_PolicyTextField):
    """One line of text: a title, a name, a place (at most `SHORT_TEXT` by default)."""


class MultiLineField(_PolicyTextField):
    """Free text with line breaks: a problem, a rationale (at most `LONG_TEXT`)."""

    multi_line = True
    default_max_length = LONG_TEXT
    widget = forms.Textarea


# --- numbers ------------------------------------------------------------------------


def ascii_digits(value: str) -> str:
    """Full-width digits and signs as ASCII, spaces between digit groups removed; digits
    of any other script refused (see the module's docstring for why)."""
    value = value.strip()
    # NFKC maps full-width forms (１２３, ＋, ．) to ASCII and leaves other scripts' digits.
    value = "".join(
        unicodedata.normalize("NFKC", char) if 0xFF01 <= ord(char) <= 0xFF5E else char
        for char in value
    )
    value = DIGIT_GROUP_SPACES.sub("", value)
    if any(unicodedata.category(char) == "Nd" and not char.isascii() for char in value):
        raise ValidationError(
            _("Write the number with the digits 0–9, for example 12500."), code="digits"
        )
    return value


class _AsciiDigitsMixin:
    def to_python(self, value):
        if isinstance(value, str):
            value = ascii_digits(value)
            # Python's int() also accepts "1_000"; a person never means that.
            if "_" in value:
                raise ValidationError(self.error_messages["invalid"], code="invalid")
        return super().to_python(value)


class WholeNumberField(_AsciiDigitsMixin, forms.IntegerField):
    """A whole number within [min_value, max_value] (both required: no unbounded numbers)."""

    def __init__(self, *, min_value, max_value, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)


class DecimalNumberField(_AsciiDigitsMixin, forms.DecimalField):
    """A decimal number within [min_value, max_value]."""

    def __init__(self, *, min_value: Decimal, max_value: Decimal, **kwargs):
        super().__init__(min_value=min_value, max_value=max_value, **kwargs)


# --- dates --------------------------------------------------------------------------


def date_range_message() -> str:
    return _("Choose a date between %(earliest)s and %(latest)s.") % {
        "earliest": EARLIEST_DATE.isoformat(),
        "latest": LATEST_DATE.isoformat(),
    }


@deconstructible
class DateRangeValidator:
    """Refuses a date outside `EARLIEST_DATE`…`LATEST_DATE` (year 1, 9999, 1900)."""

    def __call__(self, value):
        if isinstance(value, datetime.date) and not EARLIEST_DATE <= value <= LATEST_DATE:
            raise ValidationError(date_range_message(), code="date_range")

    def __eq__(self, other):
        return isinstance(other, DateRangeValidator)

    def __hash__(self):
        return hash(type(self))


class PolicyDateField(forms.DateField):
    """A date as YYYY-MM-DD (or the locale's formats) within the policy's range."""

    default_error_messages = {"invalid": _("Give the date as YYYY-MM-DD, for example 2027-03-15.")}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.validators.append(DateRangeValidator())

    def to_python(self, value):
        if isinstance(value, str):
            value = ascii_digits(value)
        return super().to_python(value)


# --- ids from a list ----------------------------------------------------------------


def valid_id(value) -> bool:
    """A posted id: ASCII digits only, and a number a 64-bit id column can hold."""
    text = str(value).strip()
    return text.isascii() and text.isdigit() and len(text) <= 19 and 0 < int(text) <= MAX_ID


class IdChoiceField(forms.ModelChoiceField):
    """A `ModelChoiceField` that answers "not one of the choices" for an id like "abc" or
    2**70 instead of letting the database fail on it."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, self.queryset.model):
            return super().to_python(value)
        if self.to_field_name is None and not valid_id(value):
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A `ModelMultipleChoiceField` that refuses ids that are not 64-bit whole numbers."""

    def _check_values(self, value):
        try:
            values = frozenset(value)
        except TypeError:
            values = None
        if values is not None and self.to_field_name is None:
            for pk in values:
                if not isinstance(pk, self.queryset.model) and not valid_id(pk):
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": str(pk)[:50]},
                    )
        return super()._check_values(value)


__all__ = [
    "EARLIEST_DATE",
    "LATEST_DATE",
    "LONG_TEXT",
    "MAX_ID",
    "SHORT_TEXT",
    "DateRangeValidator",
    "DecimalNumberField",
    "IdChoiceField",
    "IdMultipleChoiceField",
    "MultiLineField",
    "PolicyDateField",
    "SingleLineField",
    "TextPolicyValidator",
    "WholeNumberField",
    "ascii_digits",
    "forbidden_characters",
    "policy_formfield",
    "valid_id",
]


def policy_formfield(model_field, **kwargs) -> forms.Field:
    """The form field of a model field under the policy: a `CharField` becomes one line,
    a `TextField` free text (its `max_length`, else `LONG_TEXT`), a foreign key a choice
    that refuses malformed ids; anything else is the model field's own form field."""
    from django.db import models

    if isinstance(model_field, models.TextField):
        return model_field.formfield(
            form_class=MultiLineField,
            max_length=model_field.max_length or LONG_TEXT,
            **kwargs,
        )
    if isinstance(model_field, models.CharField) and not model_field.choices:
        return model_field.formfield(form_class=SingleLineField, **kwargs)
    if isinstance(model_field, models.ForeignKey):
        return model_field.formfield(form_class=IdChoiceField, **kwargs)
    return model_field.formfield(**kwargs)
