"""Periods as analysts write them, read into one canonical period (issue 21)."""

from datetime import date

import pytest

from scp_tracker.indicators.periods import Period, PeriodError, parse_period


@pytest.mark.parametrize(("written", "key"), [
    # calendar quarters
    ("2016-Q3", "2016-Q3"), ("2016 Q3", "2016-Q3"), ("2016q3", "2016-Q3"), ("Q3 2016", "2016-Q3"),
    ("Quarter 3 2016", "2016-Q3"), ("Jul-Sep 2016", "2016-Q3"), ("July to September 2016", "2016-Q3"),
    ("Oct–Dec 16", "2016-Q4"),
    # financial quarters (April to March): Q1 is April to June, Q4 the next January to March
    ("Q1 2016/17", "2016-Q2"), ("Q3 2016/17", "2016-Q4"), ("Q4 2016/17", "2017-Q1"), ("Q3 2016-17", "2016-Q4"),
    ("2016/17 Q3", "2016-Q4"), ("Quarter 3 2016/17", "2016-Q4"), ("Qtr 2, 2016/2017", "2016-Q3"),
    ("Q4 2099/00", "2100-Q1"),
    # months
    ("2016-10", "2016-10"), ("2016-1", "2016-01"), ("10/2016", "2016-10"), ("Oct 2016", "2016-10"),
    ("October 2016", "2016-10"), ("Oct-16", "2016-10"), ("Sept 2016", "2016-09"), ("  oct   2016 ", "2016-10"),
    (date(2016, 10, 1), "2016-10"),  # an XLSX date cell
])
def test_written_periods_read_to_one_canonical_period(written, key):
    assert parse_period(written).key == key


@pytest.mark.parametrize("written", [
    "", None, "2016", "2016/17", "Q5 2016", "2016-13", "Q3 2016/18", "Aug-Oct 2016", "Octember 2016", "yesterday",
    "1066-Q1", "2016-Q3\x00",
])
def test_what_is_not_a_period_is_refused_with_how_to_write_one(written):
    with pytest.raises(PeriodError):
        parse_period(written)


@pytest.mark.parametrize(("key", "previous", "year_before", "start", "end", "label"), [
    ("2016-Q1", "2015-Q4", "2015-Q1", date(2016, 1, 1), date(2016, 3, 31), "Jan to Mar 2016"),
    ("2016-Q3", "2016-Q2", "2015-Q3", date(2016, 7, 1), date(2016, 9, 30), "Jul to Sep 2016"),
    ("2016-01", "2015-12", "2015-01", date(2016, 1, 1), date(2016, 1, 31), "Jan 2016"),
    ("2016-02", "2016-01", "2015-02", date(2016, 2, 1), date(2016, 2, 29), "Feb 2016"),
])
def test_a_period_knows_the_one_before_the_same_one_a_year_before_and_its_days(key, previous, year_before, start,
                                                                                end, label):
    period = parse_period(key)
    assert (period.previous().key, period.year_before().key, period.start, period.end, period.label) == (
        previous, year_before, start, end, label)


def test_periods_sort_in_time():
    assert sorted([Period(2016, "quarter", 2), Period(2015, "quarter", 4)])[0].key == "2015-Q4"
