"""What the app reads from addresses and query strings, bounded at the edge to what Python and the database hold.

Werkzeug's `int` converter takes any number of digits, and a query string can carry anything: a number past the
database's integer column (SQLite raises OverflowError, PostgreSQL an error), a date in year 9999 that the next
day's arithmetic cannot hold, or a NUL that PostgreSQL text cannot store. Read them here, and each is either
within bounds or treated as absent.
"""

import re
from datetime import date

from flask import request
from werkzeug.routing import IntegerConverter

# PostgreSQL's `integer`, the type of every id column: the largest id the database can hold.
MAX_ID = 2**31 - 1
# The years a date typed or asked for may fall in: wide enough for any plan, narrow enough for date arithmetic.
MIN_YEAR, MAX_YEAR = 1900, 2200
# C0 control characters and DEL, except tab, line feed and carriage return (a browser sends CRLF in a textarea).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_ARG_LENGTH = 200


class BoundedIntConverter(IntegerConverter):
    """Werkzeug's `int` converter, taking only ids the database can hold: a larger number is a 404."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = MAX_ID,
                 signed: bool = False) -> None:
        """As Werkzeug's, with `max` the largest id unless a route asks for less."""
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max, signed=signed)


def init_app(app) -> None:
    """Put the bounded converter in place of `int` for every route; call before any blueprint is registered."""
    app.url_map.converters["int"] = BoundedIntConverter


def is_clean_text(text: str) -> bool:
    """True when the text has no control character other than tab and new lines."""
    return not CONTROL_CHARACTERS.search(text)


def in_year_range(day: date) -> bool:
    """True when the date's year is one the app accepts."""
    return MIN_YEAR <= day.year <= MAX_YEAR


def arg_int(name: str, default: int | None = None, *, minimum: int = 1, maximum: int = MAX_ID) -> int | None:
    """A whole number from the query string within [minimum, maximum]; anything else is the default."""
    text = (request.args.get(name) or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(maximum)):
        return default
    value = int(text)
    return value if minimum <= value <= maximum else default


def arg_date(name: str, default: date | None = None) -> date | None:
    """A date (YYYY-MM-DD) from the query string within the accepted years; anything else is the default."""
    text = (request.args.get(name) or "").strip()
    try:
        day = date.fromisoformat(text) if text.isascii() and len(text) == 10 else None
    except ValueError:
        day = None
    return day if day is not None and in_year_range(day) else default


def arg_text(name: str) -> str | None:
    """Text from the query string; None when absent, too long or holding a control character."""
    text = request.args.get(name)
    if text is None or len(text) > MAX_ARG_LENGTH or not is_clean_text(text):
        return None
    return text
