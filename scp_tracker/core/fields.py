"""GOV.UK form fields every area uses: a date in three boxes, choices, an amount in pounds."""

from datetime import date
from decimal import Decimal, InvalidOperation

from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import Field, SelectChoice
from wtforms.validators import ValidationError


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the choices WTForms 3.3 expects."""
    return [SelectChoice(value, label) for value, label in pairs]


class GovDateField(Field):
    """A day, month and year typed in three boxes; always three parts, so a crafted POST cannot break the widget.

    GovDateInput unpacks exactly three raw values (PITFALLS: a POST lacking one answered 500).
    """

    widget = GovDateInput()

    def __init__(self, label=None, validators=None, *, noun: str | None = None, **kwargs):
        """`noun` names the date in error messages when the label says more ("New end date (optional)")."""
        super().__init__(label, validators, **kwargs)
        self.noun = noun or self.label.text

    def _value(self):
        """Nothing: the widget reads raw_data or data itself."""
        return ""

    def process_formdata(self, valuelist):
        """Read day, month and year; blank means no date; anything else must be a real date."""
        day, month, year = (list(valuelist) + ["", "", ""])[:3]
        self.raw_data = [day, month, year]
        self.data = None
        parts = {"day": day.strip(), "month": month.strip(), "year": year.strip()}
        if not any(parts.values()):
            return
        missing = [name for name, value in parts.items() if not value]
        if missing:
            raise ValueError(f"{self.noun} must include a {' and a '.join(missing)}")
        if not all(value.isdigit() for value in parts.values()):
            raise ValueError(f"{self.noun} must be a real date, like 30 4 2017")
        if len(parts["year"]) != 4:
            raise ValueError("Year must include 4 numbers")
        try:
            self.data = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            raise ValueError(f"{self.noun} must be a real date, like 30 4 2017") from None


AMOUNT_MESSAGE = "Enter the amount in pounds, like 5,000 or 1,250.50"
# Far above any partnership's budget, far below what the database's 64-bit pence column can hold.
MAX_FUNDING_PENCE = 1_000_000_000 * 100


def parse_pounds(text: str) -> int | None:
    """An amount typed in pounds ("£5,000", "1250.50") in pence; blank is None; ValidationError otherwise."""
    cleaned = (text or "").strip().replace("£", "").replace(",", "").replace(" ", "")
    if not cleaned:
        return None
    try:
        pounds = Decimal(cleaned)
    except InvalidOperation:
        raise ValidationError(AMOUNT_MESSAGE) from None
    exponent = pounds.as_tuple().exponent  # an int for a finite amount, a letter for NaN and infinity
    if not isinstance(exponent, int) or pounds < 0 or exponent < -2:
        raise ValidationError(AMOUNT_MESSAGE)
    return int(pounds * 100)
