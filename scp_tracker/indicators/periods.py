"""Periods of figures: the many ways analysts write them, read into one canonical period.

Quarters are calendar quarters, written `2016-Q3` (July to September 2016); months are written `2016-10`.
A financial quarter (`Q3 2016/17`, the year starting in April) is the calendar quarter it covers: Q3 2016/17
is October to December 2016, `2016-Q4`.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH = (r"(january|february|march|april|may|june|july|august|september|october|november|december"
          r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?")


class PeriodError(ValueError):
    """A period that cannot be read; the message says how to write one."""


@dataclass(frozen=True, order=True)
class Period:
    """A calendar quarter or month."""

    year: int
    kind: str  # "quarter" | "month"
    number: int  # 1-4 for quarters, 1-12 for months

    @property
    def key(self) -> str:
        """The canonical form stored and exported: 2016-Q3 or 2016-10."""
        return f"{self.year}-Q{self.number}" if self.kind == "quarter" else f"{self.year}-{self.number:02d}"

    @property
    def start(self) -> date:
        """The first day of the period."""
        month = (self.number - 1) * 3 + 1 if self.kind == "quarter" else self.number
        return date(self.year, month, 1)

    @property
    def end(self) -> date:
        """The last day of the period."""
        return self.shifted(1).start - timedelta(days=1)

    @property
    def label(self) -> str:
        """The period in words: "Jul to Sep 2016" or "Oct 2016"."""
        if self.kind == "month":
            return f"{MONTHS[self.number - 1].title()} {self.year}"
        first = (self.number - 1) * 3
        return f"{MONTHS[first].title()} to {MONTHS[first + 2].title()} {self.year}"

    def shifted(self, steps: int) -> "Period":
        """The period `steps` periods of the same kind later (earlier when negative)."""
        size = 4 if self.kind == "quarter" else 12
        index = self.year * size + self.number - 1 + steps
        return Period(index // size, self.kind, index % size + 1)

    def previous(self) -> "Period":
        """The period before."""
        return self.shifted(-1)

    def year_before(self) -> "Period":
        """The same period a year earlier."""
        return Period(self.year - 1, self.kind, self.number)


def _year(text: str) -> int:
    """A four-digit year, or a two-digit one read as 20xx."""
    year = int(text)
    return 2000 + year if year < 100 else year


def _month_number(word: str) -> int:
    return MONTHS.index(word[:3].lower()) + 1


def _financial_quarter(number: int, first_year: str, second_year: str) -> Period:
    """Financial quarter `number` of the year first_year/second_year (April to March), as a calendar quarter."""
    start = _year(first_year)
    end = int(second_year)
    if end % 100 != (start + 1) % 100:
        raise PeriodError(f"{first_year}/{second_year} is not a financial year: write it like 2016/17")
    return Period(start, "quarter", number + 1) if number < 4 else Period(start + 1, "quarter", 1)


_FY = r"(\d{4})\s*[/-]\s*(\d{2}|\d{4})"
_PATTERNS: list[tuple[re.Pattern, object]] = [
    (re.compile(r"(\d{4})\s*-?\s*q([1-4])"), lambda m: Period(int(m[1]), "quarter", int(m[2]))),
    (re.compile(r"q([1-4])\s*" + _FY), lambda m: _financial_quarter(int(m[1]), m[2], m[3])),
    (re.compile(r"(?:quarter|qtr)\s*([1-4])\s*,?\s*" + _FY), lambda m: _financial_quarter(int(m[1]), m[2], m[3])),
    (re.compile(_FY + r"\s*,?\s*q([1-4])"), lambda m: _financial_quarter(int(m[3]), m[1], m[2])),
    (re.compile(r"(?:q|quarter\s*|qtr\s*)([1-4])\s*,?\s*(\d{4})"), lambda m: Period(int(m[2]), "quarter", int(m[1]))),
    (re.compile(r"(\d{4})\s*[-/.]\s*(\d{1,2})"), lambda m: _month(int(m[1]), int(m[2]))),
    (re.compile(r"(\d{1,2})\s*[-/.]\s*(\d{4})"), lambda m: _month(int(m[2]), int(m[1]))),
    (re.compile(_MONTH + r"\s*(?:-|to|–)\s*" + _MONTH + r"\s*,?\s*'?(\d{4}|\d{2})"),
     lambda m: _months_quarter(m[1], m[2], m[3])),
    (re.compile(_MONTH + r"\s*[-,' ]?\s*'?(\d{4}|\d{2})"), lambda m: _month(_year(m[2]), _month_number(m[1]))),
]


def _month(year: int, month: int) -> Period:
    if not 1 <= month <= 12:
        raise PeriodError(f"{month} is not a month")
    return Period(year, "month", month)


def _months_quarter(first: str, last: str, year: str) -> Period:
    """A quarter written by its months, "Jul-Sep 2016"."""
    first_month, last_month = _month_number(first), _month_number(last)
    if first_month % 3 != 1 or last_month != first_month + 2:
        raise PeriodError(f"{first}–{last} is not a quarter: quarters run Jan–Mar, Apr–Jun, Jul–Sep and Oct–Dec")
    return Period(_year(year), "quarter", last_month // 3)


def parse_period(text: object) -> Period:
    """Read a period as an analyst wrote it (or an XLSX date cell, read as its month)."""
    if isinstance(text, date):
        return Period(text.year, "month", text.month)
    written = " ".join(str(text or "").split()).lower()
    if not written:
        raise PeriodError("Enter a period, like 2016-Q3, Q3 2016/17, 2016-10 or Oct 2016")
    for pattern, build in _PATTERNS:
        match = pattern.fullmatch(written)
        if match:
            period = build(match)  # type: ignore[operator]
            if not 1990 <= period.year <= 2100:
                raise PeriodError(f"{period.year} is not a year figures could be for")
            return period
    raise PeriodError(f"“{text}” is not a period: write it like 2016-Q3, Q3 2016/17, 2016-10 or Oct 2016")


def period_or_none(key: str | None) -> Period | None:
    """A stored canonical period, or None."""
    return parse_period(key) if key else None
