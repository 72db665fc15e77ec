"""The year script (benchmarks.reminder_year) on a shortened year: its mechanics, not the issue's targets.

Six and a half weeks from 1 June 2016 take in the end of June, a quarter's end. Each mode is run once for the
module, on a kept SQLite file, so the figures can be checked against the outbox rows themselves.
"""

import json
import sqlite3
import sys
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

# The benchmarks package sits at the top of the repository, beside the installed packages, not among them.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.reminder_year import MODES, main, objective_leads, owing, simulate  # noqa: E402
from benchmarks.year_figures import days_of, longest_silence, most_in_window, times_listed  # noqa: E402

START = date(2016, 6, 1)
DAYS = 45


@pytest.fixture(scope="module")
def year(tmp_path_factory):
    """{mode: (result, database file)} for both modes over the shortened year."""
    folder = tmp_path_factory.mktemp("reminder-year")
    return {mode: (simulate(mode, START, DAYS, folder / f"{mode}.db"), folder / f"{mode}.db") for mode in MODES}


def _outbox_by_address(database: Path) -> Counter:
    with sqlite3.connect(database) as connection:
        return Counter(dict(connection.execute("SELECT to_address, count(*) FROM outbox_message GROUP BY to_address")))


@pytest.mark.parametrize("mode", MODES)
def test_every_email_is_counted_for_its_person(year, mode):
    result, database = year[mode]
    by_address = _outbox_by_address(database)
    assert sum(by_address.values()) == result.outbox_rows > 0
    assert {p.address: p.emails for p in result.people if p.emails} == dict(by_address)
    assert all(p.role in ("lead", "coordinator") for p in result.people)  # nobody outside the cast was emailed
    for person in result.people:
        assert sum(result.per_day[person.name].values()) == person.emails == sum(person.emails_by_kind.values())
        assert person.most_in_a_day <= person.most_in_28_days <= person.emails
        assert person.longest_silence_owed <= DAYS


def test_one_contact_per_lead_agency_and_one_coordinator(year):
    result, _ = year["silent"]
    roles = Counter(person.role for person in result.people)
    assert roles["coordinator"] == 1 and roles["lead"] >= 10  # the real plan names more than ten lead agencies
    assert len({person.address for person in result.people}) == len(result.people)
    assert result.people[-1].role == "coordinator"
    leads = [person for person in result.people if person.role == "lead"]
    assert sum(1 for person in leads if person.emails) > len(leads) / 2  # the cast is wired: leads are reminded


def test_answering_leads_get_fewer_emails_than_silent_ones(year):
    silent, _ = year["silent"]
    answering, _ = year["answering"]
    assert silent.answers == 0
    assert answering.answers > 0
    # Emails to leads are answered through their reminder records: most of them are tied to objectives.
    assert answering.untied_lead_emails < answering.answers
    lead_emails = {mode: sum(p.emails for p in result.people if p.role == "lead")
                   for mode, (result, _) in year.items()}
    assert lead_emails["answering"] < lead_emails["silent"]
    assert silent.titles_not_found == answering.titles_not_found == 0


def test_answers_are_progress_by_the_emailed_lead_the_next_day(year):
    _, database = year["answering"]
    with sqlite3.connect(database) as connection:
        updates = connection.execute(
            "SELECT p.author_contact_id, p.source, date(p.recorded_at), c.email FROM progress_update p "
            "JOIN contact c ON c.id = p.author_contact_id").fetchall()
        emailed = {(address, day) for address, day in connection.execute(
            "SELECT to_address, date(created_at) FROM outbox_message")}
    assert updates
    for _, source, recorded_on, address in updates:
        assert source == "email_link"
        assert (address, (date.fromisoformat(recorded_on) - timedelta(days=1)).isoformat()) in emailed


def test_the_command_prints_json_for_both_modes(capsys):
    main(["--start", "2016-06-27", "--days", "5", "--json"])
    figures = json.loads(capsys.readouterr().out)
    assert figures["days"] == 5 and [mode["mode"] for mode in figures["modes"]] == list(MODES)
    assert all(mode["people"] for mode in figures["modes"])


DAY = date(2016, 6, 1)
PERIOD = days_of(DAY, 60)


@pytest.mark.parametrize(("emails_on", "window", "expected"), [
    ([], 28, 0),
    ([0, 27], 28, 2),  # day 0 and day 27 are 28 days apart inclusive: one window
    ([0, 28], 28, 1),
    ([0, 0, 5, 40, 41], 28, 3),
    ([59], 28, 1),
])
def test_most_in_any_window(emails_on, window, expected):
    per_day = Counter(DAY + timedelta(days=n) for n in emails_on)
    assert most_in_window(per_day, PERIOD, window) == expected


@pytest.mark.parametrize(("emails_on", "owed", "expected"), [
    ([], range(60), 60),  # owed all along, never emailed
    ([], range(0), 0),  # nothing owed: no silence
    ([10], range(60), 49),  # the email ends the first silence (10 days); 49 days follow it
    ([10, 30], range(60), 29),
    ([], [*range(0, 5), *range(7, 20)], 13),  # a day with nothing owed ends a silence
])
def test_longest_silence_while_owed(emails_on, owed, expected):
    per_day = Counter(DAY + timedelta(days=n) for n in emails_on)
    assert longest_silence(per_day, [DAY + timedelta(days=n) for n in owed], PERIOD) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Reduce street drinking\nKey priority 3\n", 1),
    ("Heading\n\nReduce street drinking\nx\n\nOther\n\nReduce  street drinking \n", 2),
    ("1. Reduce street drinking\n2. Reduce street drinking\n- Reduce street drinking", 3),
    ("Reduce street drinking (end date passed, funding TBC)\n", 1),  # no line is the title alone: lines with it
    ("Reduce street drinking events\n", 1),
    ("Nothing about it\n", 0),
])
def test_times_an_email_lists_an_objective(text, expected):
    assert times_listed(text, "Reduce street drinking") == expected


RUN_DAY = date(2016, 7, 1)
CREATED = datetime(2016, 5, 3, 11, tzinfo=UTC)


def _at_noon(day: date) -> datetime:
    return datetime.combine(day, time(12), UTC)


@pytest.mark.parametrize(("objective", "owed"), [
    ({"end_date": date(2016, 6, 30), "last_progress_at": _at_noon(date(2016, 6, 20))}, True),  # no progress since
    ({"end_date": date(2016, 6, 30), "last_progress_at": _at_noon(date(2016, 6, 30))}, False),
    ({"end_date": date(2016, 7, 1), "last_progress_at": _at_noon(date(2016, 6, 20))}, False),  # ends today
    ({"end_date": date(2016, 9, 30), "last_progress_at": _at_noon(date(2016, 5, 20))}, True),  # 42 days
    ({"end_date": date(2016, 9, 30), "last_progress_at": _at_noon(date(2016, 5, 21))}, False),  # 41 days
    ({"end_date": date(2016, 9, 30)}, False),  # never updated, made the day before (see the next test)
    ({"end_date": date(2016, 9, 30), "last_progress_at": _at_noon(date(2016, 6, 20)),
      "funding": [{"status": "tbc", "text": "TBC"}]}, True),
    ({"end_date_status": "tbc", "last_progress_at": _at_noon(date(2016, 6, 20))}, True),
    ({"end_date": date(2016, 9, 30), "last_progress_at": _at_noon(date(2016, 6, 20)), "lead_status": "tbc"}, True),
    ({"end_date": date(2016, 6, 1), "last_progress_at": _at_noon(date(2016, 5, 1)), "status": "complete"}, False),
])
def test_what_a_lead_owes(db, make_agency, make_contact, make_user, make_objective, objective, owed):
    agency = make_agency(abbreviation="EP", name="Essex Police")
    lead = make_contact(agency=agency, email="lead@ep.example.org")
    coordinator = make_user(role="coordinator").contact
    values = dict(objective)
    if "created_at" not in values:
        # Created the day before the run: an objective never updated is then not yet 42 days quiet.
        values["created_at"] = _at_noon(RUN_DAY - timedelta(days=1))
    lead_status = values.pop("lead_status", None)
    made = make_objective(leads=[agency], **values)
    if lead_status:
        made.lead_status = lead_status
        db.session.commit()
    leads = objective_leads()
    assert leads == {made.id: {lead.id}}
    assert owing(RUN_DAY, leads, coordinator.id) == ({lead.id, coordinator.id} if owed else set())


def test_an_objective_never_updated_is_owed_42_days_after_it_was_made(db, make_agency, make_contact, make_objective):
    agency = make_agency()
    lead = make_contact(agency=agency)
    made = make_objective(leads=[agency], end_date=date(2016, 9, 30), created_at=CREATED)
    assert owing(date(2016, 6, 13), {made.id: {lead.id}}, 0) == set()
    assert owing(date(2016, 6, 14), {made.id: {lead.id}}, 0) == {lead.id, 0}
