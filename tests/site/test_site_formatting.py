"""The Jinja filters write dates, times, money, counts and RAG status the GOV.UK way."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from scp_tracker.core.formatting import gov_date, gov_datetime, gov_time, money, rag_label, thousands


def utc(*parts) -> datetime:
    """An aware UTC datetime, as the database hands them back."""
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(("value", "expected"), [
    (date(2017, 4, 30), "30 April 2017"),
    (date(2016, 9, 1), "1 September 2016"),
    (None, ""),
    # A datetime is shown as the London date: 23:30 UTC on 31 March 2026 is already 1 April in BST.
    (utc(2026, 3, 31, 23, 30), "1 April 2026"),
    (utc(2026, 1, 31, 23, 30), "31 January 2026"),
])
def test_gov_date(value, expected):
    assert gov_date(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    (utc(2026, 7, 1, 13, 5), "1 July 2026 at 2:05pm"),  # BST: one hour ahead of UTC
    (utc(2026, 1, 15, 13, 5), "15 January 2026 at 1:05pm"),  # GMT: the same as UTC
    (utc(2026, 10, 25, 0, 30), "25 October 2026 at 1:30am"),  # before the clocks go back at 01:00 UTC
    (utc(2026, 10, 25, 1, 30), "25 October 2026 at 1:30am"),  # after: 1:30am again, in GMT
    (utc(2026, 2, 2, 9, 0), "2 February 2026 at 9am"),
    (utc(2026, 2, 2, 12, 0), "2 February 2026 at midday"),
    (utc(2026, 2, 2, 0, 0), "2 February 2026 at midnight"),
    (utc(2026, 2, 2, 0, 15), "2 February 2026 at 12:15am"),
    (None, ""),
])
def test_gov_datetime(value, expected):
    assert gov_datetime(value) == expected


def test_a_naive_datetime_is_taken_as_utc():
    assert gov_time(datetime(2026, 7, 1, 13, 5)) == "2:05pm"


@pytest.mark.parametrize(("pence", "expected"), [
    (500000, "£5,000"),
    (125050, "£1,250.50"),
    (0, "£0"),
    (5, "£0.05"),
    (123456789, "£1,234,567.89"),
    (-250000, "-£2,500"),
    (Decimal("99900"), "£999"),
    (None, ""),
])
def test_money(pence, expected):
    assert money(pence) == expected


@pytest.mark.parametrize(("rag", "expected"), [
    ("red", "Red"),
    ("amber", "Amber"),
    ("GREEN", "Green"),
    (None, "Not set"),
    ("", "Not set"),
])
def test_rag_label(rag, expected):
    assert rag_label(rag) == expected


@pytest.mark.parametrize(("number", "expected"), [(0, "0"), (999, "999"), (1000, "1,000"), (1234567, "1,234,567")])
def test_thousands(number, expected):
    assert thousands(number) == expected


def test_templates_can_use_the_filters(app):
    rendered = app.jinja_env.from_string(
        "{{ d|gov_date }}|{{ t|gov_datetime }}|{{ p|money }}|{{ r|rag_label }}|{{ n|thousands }}"
    ).render(d=date(2017, 4, 30), t=utc(2026, 7, 1, 13, 5), p=500000, r=None, n=12345)
    assert rendered == "30 April 2017|1 July 2026 at 2:05pm|£5,000|Not set|12,345"
