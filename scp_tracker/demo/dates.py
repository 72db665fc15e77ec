"""The demo's calendar: the current plan year, the real plan's text moved into it, and working days."""

import re
from datetime import date, timedelta
from functools import cache

from scp_tracker.rounds import schedule

# The real plan's year: its text says 2016-17, "Apr 17", "15-16 allocation".
SOURCE_YEAR = 2016
_MONTHS = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?"


@cache
def is_working_day(day: date) -> bool:
    """rounds.schedule's working day, remembered: the demo asks about the same few hundred days thousands of times."""
    return schedule.is_working_day(day)


def plan_year_start(today: date) -> date:
    """The first day of the plan year (April to March) that `today` falls in."""
    return date(today.year if today.month >= 4 else today.year - 1, 4, 1)


def year_label(start: date) -> str:
    """A plan year's label: "2026-27"."""
    return f"{start.year}-{(start.year + 1) % 100:02d}"


def shift_years(text: str, years: int) -> str:
    """The plan's text with every year moved by `years`: 2016, "Sept 16", "Apr 17", "15-16" (a funding year).

    Only what the plan writes as a year moves: four-digit years of the 2010s, two digits after a month's name, and
    two consecutive two-digit years joined by a dash ("16-24 age group" is not a year and stays).
    """
    def two(value: str) -> str:
        return f"{(int(value) + years) % 100:02d}"

    text = re.sub(r"\b20(1\d)\b", lambda m: str(2000 + int(m[1]) + years), text)
    text = re.sub(rf"\b({_MONTHS})(\s+)(1\d)\b", lambda m: f"{m[1]}{m[2]}{two(m[3])}", text)
    return re.sub(r"\b(1\d)-(1\d)\b",
                  lambda m: f"{two(m[1])}-{two(m[2])}" if int(m[2]) == int(m[1]) + 1 else m[0], text)


def nearest_working_day(day: date) -> date:
    """`day` if people work on it, else the closest working day (the earlier one on a tie: Saturday is Friday)."""
    for distance in range(8):
        for candidate in (day - timedelta(days=distance), day + timedelta(days=distance)):
            if is_working_day(candidate):
                return candidate
    raise ValueError(f"no working day within a week of {day}")  # pragma: no cover - holidays never last a week


def working_day_on_or_before(day: date) -> date:
    """The last working day on or before `day`: an end date "by the end of April" stays in April."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def working_day_on_or_after(day: date) -> date:
    """The first working day on or after `day`: a year that starts on a Sunday starts its work on Monday."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def working_days(first: date, last: date) -> list[date]:
    """Every working day from `first` to `last`, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)
            if is_working_day(first + timedelta(days=n))]
