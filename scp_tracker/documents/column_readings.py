"""Cell readings the layouts of other partnerships need: "Complete" in any column, and "Annually in May"."""

import re
from calendar import monthrange
from datetime import date

from scp_tracker.documents.cells import EndDate, Reading, clean_html

_COMPLETE = re.compile(r"(?:completed?|done|achieved)\s*[.!]?", re.I)
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH = r"([a-z]{3,9})\.?"
_ANNUAL = re.compile(
    rf"(?:(?:annually|yearly|every\s+year|each\s+year)\s*(?:[-–—:,(]|in|by|each|every)?\s*{_MONTH}\)?"
    rf"|(?:every|each)\s+{_MONTH}"
    rf"|{_MONTH}\s*(?:[-–—,(])?\s*(?:annually|yearly|each\s+year|every\s+year)\)?)", re.I)


def says_complete(text: str) -> bool:
    """Whether a cell says only that the objective is done ("Complete", "Completed", "Done")."""
    return bool(_COMPLETE.fullmatch(" ".join(clean_html(text).split())))


def annual_end_date(text: str, plan_ends_on: date | None) -> Reading[EndDate] | None:
    """"Annually in May" (or "Every May", "May each year"): the end of that month within the plan's year.

    None when the cell says no such thing; a reading with a problem when the plan's year is not known.
    """
    written = " ".join(clean_html(text).split())
    match = _ANNUAL.fullmatch(written)
    if not match:
        return None
    word = next(group for group in match.groups() if group).casefold()
    month = next((number for number, name in enumerate(_MONTHS, 1) if name.startswith(word)), None)
    if month is None:
        return None
    if plan_ends_on is None:
        return Reading(EndDate(None, "missing", written),
                       f"“{written}” means a month of the plan's year, which the file does not give; no end date")
    # The plan's year runs from April to the March it ends in: April to December fall in its first calendar year.
    year = plan_ends_on.year - 1 if month >= 4 else plan_ends_on.year
    return Reading(EndDate(date(year, month, monthrange(year, month)[1]), "set", written))
