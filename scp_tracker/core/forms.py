"""The base of every form: the rules each field gets without a check in each view.

Text loses control characters other than tab and new lines, and a NUL (which PostgreSQL text cannot hold) is
refused with a message; a date must fall between 1900 and 2200, so the date arithmetic after it cannot overflow.
Both are added in `Meta.bind_field`, so a field added to any form has them.
"""

from datetime import date

from flask_wtf import FlaskForm
from wtforms import Form
from wtforms.fields import FieldList, FormField
from wtforms.validators import DataRequired, InputRequired, StopValidation

from scp_tracker.core.inputs import (
    CONTROL_CHARACTERS,
    MAX_YEAR,
    MIN_YEAR,
    in_year_range,
)


def _noun(field) -> str:
    """What the field is called in its messages (a date field may name itself more briefly than its label)."""
    return getattr(field, "noun", None) or field.label.text.removesuffix(" (optional)") or "This field"


def strip_control_characters(value):
    """Text without control characters (NUL included) other than tab and new lines; anything else unchanged."""
    return CONTROL_CHARACTERS.sub("", value) if isinstance(value, str) else value


def refuse_null_character(form, field) -> None:
    """Stop at a NUL in what was sent, with a message, before any other check reads the field."""
    if any(isinstance(value, str) and "\x00" in value for value in field.raw_data or ()):
        raise StopValidation(f"{_noun(field)} must not include a null character")


def refuse_dates_out_of_range(form, field) -> None:
    """Stop at a date before 1900 or after 2200, in GOV.UK's words."""
    if isinstance(field.data, date) and not in_year_range(field.data):
        raise StopValidation(f"{_noun(field)} must be between 1 January {MIN_YEAR} and 31 December {MAX_YEAR}")


class InputRules:
    """Meta for every form: each bound field gets the text and date rules (a sub-form gets them from its own)."""

    def bind_field(self, form, unbound_field, options):
        """Bind as WTForms does, then add the filter and the two validators in front of the field's own."""
        field = super().bind_field(form, unbound_field, options)
        if not isinstance(field, FormField | FieldList):
            field.filters = (*field.filters, strip_control_characters)
            field.validators = [refuse_null_character, refuse_dates_out_of_range, *field.validators]
        return field


# WTForms' own words for a choice that is not among those offered (a changed page, an old bookmark, a crafted POST).
_CHOICE_ERRORS = ("Not a valid choice", "Invalid Choice: could not coerce",
                  "Invalid choice(s): one or more data inputs could not be coerced", "is not a valid choice for")


def name_the_choice(form) -> None:
    """Put WTForms' "Not a valid choice" in words that name the field: the field's own message for no choice if it
    has one ("Choose the kind of event"), else "Choose <the field> from the options given"."""
    for field in form:
        if isinstance(field, FormField | FieldList):
            continue  # a sub-form words its own fields' errors (BaseSubform)
        if any(generic in str(error) for error in field.errors for generic in _CHOICE_ERRORS):
            required = next((validator.message for validator in field.validators
                             if isinstance(validator, InputRequired | DataRequired) and validator.message), None)
            wording = required or f"Choose {_noun(field)[:1].lower()}{_noun(field)[1:]} from the options given"
            field.errors = list(dict.fromkeys(
                wording if any(generic in str(error) for generic in _CHOICE_ERRORS) else error
                for error in field.errors))


class BaseForm(FlaskForm):
    """A FlaskForm with the input rules: every form of the app derives from it."""

    class Meta(InputRules):
        """FlaskForm's Meta with the input rules."""

    def validate(self, extra_validators=None) -> bool:
        """WTForms' validation, with choice errors that name their field."""
        valid = super().validate(extra_validators)
        name_the_choice(self)
        return valid


class BaseSubform(Form):
    """A WTForms Form with the input rules, for forms nested in another (a FieldList of FormFields)."""

    class Meta(InputRules):
        """WTForms' Meta with the input rules."""

    def validate(self, extra_validators=None) -> bool:
        """WTForms' validation, with choice errors that name their field."""
        valid = super().validate(extra_validators)
        name_the_choice(self)
        return valid
