"""The dates of a round, as plain functions: working days in England and Wales, default deadlines, quarters."""

from datetime import date, timedelta

import holidays

# A meeting's update deadline, by default: this many working days before it.
DEADLINE_WORKING_DAYS = 10
# Without meetings set, rounds close at the end of these months of the plan year.
QUARTER_END_MONTHS = (6, 9, 12, 3)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a bank holiday in England and Wales."""
    return day.weekday() < 5 and day not in holidays.country_holidays("GB", subdiv="ENG", years=day.year)


def working_days_before(day: date, count: int) -> date:
    """The working day `count` working days before `day` (bank holidays and weekends skipped)."""
    found = day
    while count > 0:
        found -= timedelta(days=1)
        if is_working_day(found):
            count -= 1
    return found


def default_deadline(meeting_on: date) -> date:
    """A round's update deadline when the coordinator gives none: 10 working days before the meeting."""
    return working_days_before(meeting_on, DEADLINE_WORKING_DAYS)


def quarterly_deadlines(starts_on: date, ends_on: date) -> list[date]:
    """The last days of June, September, December and March that fall within the plan year."""
    found = []
    for year in range(starts_on.year, ends_on.year + 1):
        for month in QUARTER_END_MONTHS:
            month_end = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1))
            if starts_on <= month_end <= ends_on:
                found.append(month_end)
    return sorted(found)
