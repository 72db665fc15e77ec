"""The demo's calendar: the plan's years moved whole, and days moved to working days."""

from datetime import date

import pytest

from scp_tracker.demo.dates import (
    nearest_working_day,
    plan_year_start,
    shift_years,
    working_day_on_or_after,
    working_day_on_or_before,
    year_label,
)
from scp_tracker.rounds.schedule import is_working_day


@pytest.mark.parametrize(("today", "start"), [
    (date(2026, 12, 5), date(2026, 4, 1)),
    (date(2027, 3, 31), date(2026, 4, 1)),
    (date(2027, 4, 1), date(2027, 4, 1)),
    (date(2027, 1, 1), date(2026, 4, 1)),
])
def test_the_plan_year_runs_april_to_march(today, start):
    assert plan_year_start(today) == start


def test_year_label_is_the_plans_own_form():
    assert year_label(date(2026, 4, 1)) == "2026-27"
    assert year_label(date(2099, 4, 1)) == "2099-00"


@pytest.mark.parametrize(("written", "moved"), [
    ("Annual Partnership Plan 2016-2017", "Annual Partnership Plan 2026-2027"),
    ("Sept 16", "Sept 26"),
    ("Apr 17", "Apr 27"),
    ("April 2017", "April 2027"),
    ("March 17", "March 27"),
    ("as of Dec 15 had received", "as of Dec 25 had received"),
    ("£5000 SCP (15-16 allocation)", "£5000 SCP (25-26 allocation)"),
    ("£5000 SCP (from 16-17 PCC funds)", "£5000 SCP (from 26-27 PCC funds)"),
    # Not years: an age range, a day of a month, a count, an amount.
    ("aimed at 16-24 age group", "aimed at 16-24 age group"),
    ("16 days of action from 25 <sup>th</sup> November 2016", "16 days of action from 25 <sup>th</sup> November 2026"),
    ("4 hours per week", "4 hours per week"),
    ("To take place on 13th Apr", "To take place on 13th Apr"),
    ("<b>£5911</b> SCP", "<b>£5911</b> SCP"),
])
def test_only_what_the_plan_writes_as_a_year_moves(written, moved):
    assert shift_years(written, 10) == moved


def test_a_shift_across_a_century_keeps_two_digits():
    assert shift_years("Apr 17, 16-17", 83) == "Apr 00, 99-00"


@pytest.mark.parametrize(("day", "working"), [
    (date(2026, 12, 2), date(2026, 12, 2)),  # a Wednesday
    (date(2026, 12, 5), date(2026, 12, 4)),  # Saturday: the Friday before
    (date(2026, 12, 6), date(2026, 12, 7)),  # Sunday: the Monday after
    (date(2026, 12, 25), date(2026, 12, 24)),  # Christmas Day (a Friday): the Thursday
    (date(2026, 12, 27), date(2026, 12, 29)),  # Sunday before the Boxing Day substitute (Monday 28th): Tuesday
    (date(2026, 4, 6), date(2026, 4, 7)),  # Easter Monday: the Tuesday, nearer than the Thursday before Good Friday
])
def test_a_day_off_moves_to_the_nearest_working_day(day, working):
    assert nearest_working_day(day) == working
    assert is_working_day(working)


def test_an_end_date_stays_in_its_month_and_a_year_starts_on_its_first_working_day():
    assert working_day_on_or_before(date(2026, 5, 31)) == date(2026, 5, 29)  # Sunday: the Friday
    assert working_day_on_or_before(date(2026, 8, 31)) == date(2026, 8, 28)  # summer bank holiday
    assert working_day_on_or_after(date(2029, 4, 1)) == date(2029, 4, 3)  # Easter Sunday then Monday
