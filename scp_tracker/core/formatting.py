"""Jinja filters that write dates, times, money and RAG status the GOV.UK way."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import lru_cache
from zoneinfo import ZoneInfo

from flask import Flask

LONDON = ZoneInfo("Europe/London")

RAG_LABELS = {"red": "Red", "amber": "Amber", "green": "Green"}


def gov_date(value: date | datetime | None) -> str:
    """A date as "30 April 2017"; a datetime is first put in London time; None is blank."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _in_london(value).date()
    return _date_in_words(value)


@lru_cache(maxsize=4096)
def _date_in_words(day: date) -> str:
    """"30 April 2017", kept: the reminder run writes the same few hundred end dates thousands of times."""
    return f"{day.day} {day:%B %Y}"


def gov_time(value: datetime) -> str:
    """A time of day as "2:05pm", "2pm", "midday" or "midnight", in London time."""
    value = _in_london(value)
    if value.minute == 0 and value.hour in (0, 12):
        return "midnight" if value.hour == 0 else "midday"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{hour}{minutes}{suffix}"


def gov_datetime(value: datetime | None) -> str:
    """A moment as "1 July 2026 at 2:05pm" in London time (GMT or BST as the date requires); None is blank."""
    if value is None:
        return ""
    return f"{gov_date(value)} at {gov_time(value)}"


def money(pence: int | Decimal | None) -> str:
    """Pence as "£5,000" when whole pounds, else "£1,250.50"; None is blank."""
    if pence is None:
        return ""
    pounds = Decimal(pence) / 100
    sign = "-" if pounds < 0 else ""
    pounds = abs(pounds)
    text = f"{pounds:,.0f}" if pounds == pounds.to_integral_value() else f"{pounds:,.2f}"
    return f"{sign}£{text}"


def thousands(number: int) -> str:
    """A count with thousands separated by commas, as GOV.UK writes numbers: "12,345"."""
    return f"{number:,}"


def rag_label(rag: str | None) -> str:
    """A RAG status as people say it ("Red", "Amber", "Green"), or "Not set"."""
    if not rag:
        return "Not set"
    return RAG_LABELS.get(rag.lower(), rag.capitalize())


def _in_london(value: datetime) -> datetime:
    """London time for an aware datetime; a naive one is taken to be UTC, as the database stores it."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(LONDON)


def register_filters(app: Flask) -> None:
    """Make the filters available to every template."""
    filters: dict[str, Callable[..., str]] = {
        "gov_date": gov_date,
        "gov_datetime": gov_datetime,
        "gov_time": gov_time,
        "money": money,
        "rag_label": rag_label,
        "thousands": thousands,
    }
    for name, function in filters.items():
        app.add_template_filter(function, name)
