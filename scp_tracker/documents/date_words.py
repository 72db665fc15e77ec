"""End dates written in words beyond a month: quarters (calendar and financial), the year's end, "Ongoing".

Only what the words mean is here; cells.parse_end_date, the one reader of an end date cell whatever the file's
format, decides what to do with it and says how it read it.
"""

import re
from datetime import date

ONGOING = re.compile(r"on[\s-]?going(?:\s+work)?\.?", re.I)
_YEAR_END = re.compile(
    r"(?:by\s+|before\s+)?(?:the\s+)?"
    r"(?:end\s+of\s+(?:the\s+)?(?:financial\s+|plan(?:'s)?\s+)?year|(?:financial\s+)?year[\s-]?end|eoy)\.?", re.I)
# "by Apr 17", "end of March 2017", "by the end of Q3": the words before the date say nothing more.
_LEAD_IN = re.compile(r"(?:by|before|due|until|(?:by\s+)?(?:the\s+)?end\s+of)\s+(?=\S)", re.I)
_QUARTER = re.compile(
    r"(?:q|quarter\s*)(?P<quarter>[1-4])\s*(?:of\s+)?(?:fy\s*)?(?P<first>\d{4}|\d{2})"
    r"(?:\s*[-/]\s*(?P<second>\d{4}|\d{2}))?\.?", re.I)
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth"}
# A UK financial year runs from April: quarter -> (years after the first year, month, last day).
_FINANCIAL_QUARTER_ENDS = {1: (0, 6, 30), 2: (0, 9, 30), 3: (0, 12, 31), 4: (1, 3, 31)}
_CALENDAR_QUARTER_ENDS = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


def without_lead_in(text: str) -> str:
    """The date of "by Apr 17" or "end of Q3 2017/18": the words before it taken off."""
    return _LEAD_IN.sub("", text, count=1) if _LEAD_IN.match(text) else text


def is_year_end(text: str) -> bool:
    """Whether the cell says the end of the (plan's) year: "End of year", "Year end", "EOY"."""
    return bool(_YEAR_END.fullmatch(text))


def is_ongoing(text: str) -> bool:
    """Whether the cell says the work goes on with no end: "Ongoing", "On-going"."""
    return bool(ONGOING.fullmatch(text))


def _year(digits: str) -> int:
    """A year written with two or four digits (the plans are all this century)."""
    return int(digits) + (2000 if len(digits) == 2 else 0)


def quarter_end(text: str) -> tuple[date, str] | None:
    """The last day of a quarter and what it is, in words: "Q3 2017" is the calendar's (30 September 2017),
    "Q3 2017/18" or "Q3 17-18" the financial year's (31 December 2017); None if the text is no quarter."""
    if not (match := _QUARTER.fullmatch(text)):
        return None
    quarter, first = int(match["quarter"]), _year(match["first"])
    if match["second"] is None:
        month, day = _CALENDAR_QUARTER_ENDS[quarter]
        return date(first, month, day), f"the {_ORDINALS[quarter]} quarter of {first}"
    second = _year(match["second"])
    if second != first + 1:
        return None
    years_on, month, day = _FINANCIAL_QUARTER_ENDS[quarter]
    return (date(first + years_on, month, day),
            f"the {_ORDINALS[quarter]} quarter of the financial year {first}-{second % 100:02d}")
