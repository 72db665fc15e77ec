"""Issue 15's targets on the real plan's whole year (benchmarks.reminder_year), run once for the module.

Leads who never answer: at most 4 emails in any 28 days, never silent more than 42 days while something is owed,
each objective once per email; leads who answer every email the next day: the rounds' calls and end-date reminders
and little else; the coordinator at most one email a day in both.
"""

import sqlite3
import sys
from pathlib import Path

import pytest

# The benchmarks package sits at the top of the repository, beside the installed packages, not among them.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.reminder_year import MODES, YEAR_END, YEAR_START, simulate  # noqa: E402

# What a lead who answers is still sent: the call of each round, and their end dates coming up or passed.
CALL_AND_END_DATES = ("round_call", "due_soon", "overdue")
# Beyond those, the first ask of each TBC (funding, lead, end date) before the lead proposes one.
LITTLE_ELSE = 2


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """{mode: (result, database file)} over 4 May 2016 – 31 March 2017."""
    folder = tmp_path_factory.mktemp("reminder-year-targets")
    days = (YEAR_END - YEAR_START).days + 1
    return {mode: (simulate(mode, YEAR_START, days, folder / f"{mode}.db"), folder / f"{mode}.db") for mode in MODES}


def _leads(result):
    return [person for person in result.people if person.role == "lead"]


def test_leads_who_never_answer_are_reminded_a_few_times_a_month_and_never_left_silent(year):
    result, _ = year["silent"]
    assert result.answers == 0
    for lead in _leads(result):
        assert lead.emails > 0, lead.name
        assert lead.most_in_28_days <= 4, lead
        assert lead.longest_silence_owed <= 42, lead


@pytest.mark.parametrize("mode", MODES)
def test_each_email_lists_each_objective_once_and_the_coordinator_gets_at_most_one_a_day(year, mode):
    result, _ = year[mode]
    assert result.titles_not_found == 0
    assert all(person.repeated_objective_emails == 0 for person in result.people)
    (coordinator,) = [person for person in result.people if person.role == "coordinator"]
    assert 0 < coordinator.most_in_a_day <= 1


def test_leads_who_answer_get_the_calls_and_end_dates_and_little_else(year):
    silent, _ = year["silent"]
    answering, database = year["answering"]
    assert answering.answers > 0
    silent_emails = {lead.address: lead.emails for lead in _leads(silent)}
    for lead in _leads(answering):
        assert lead.emails < silent_emails[lead.address], lead
    with sqlite3.connect(database) as connection:
        kinds_by_email = {}
        for outbox_id, address, kind in connection.execute(
                "SELECT o.id, o.to_address, r.kind FROM outbox_message o "
                "JOIN reminder_record r ON r.outbox_key = o.key WHERE o.kind = 'reminder_digest'"):
            kinds_by_email.setdefault((outbox_id, address), set()).add(kind)
    calls = {address for (_, address), kinds in kinds_by_email.items() if "round_call" in kinds}
    lead_addresses = {lead.address for lead in _leads(answering)}
    assert lead_addresses <= calls  # every lead is called for updates
    for address in lead_addresses:
        other = [kinds for (_, to), kinds in kinds_by_email.items()
                 if to == address and not kinds <= set(CALL_AND_END_DATES)]
        assert len(other) <= LITTLE_ELSE, (address, other)
