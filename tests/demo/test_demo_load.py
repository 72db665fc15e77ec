"""`scp-tracker demo load`: the real plan in the current plan year, alive, the same every time, loaded once."""

import sys
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from support.database import empty_database

from scp_tracker.core.clock import today_in_london
from scp_tracker.demo.dates import shift_years, working_day_on_or_after, year_label
from scp_tracker.demo.services import load_demo
from scp_tracker.documents.file_readers import read_plan_file
from scp_tracker.events.models import Event
from scp_tracker.extensions import db
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.people.models import Contact
from scp_tracker.plans.models import Objective, Plan, ProgressUpdate
from scp_tracker.reminders.models import ReminderRecord
from scp_tracker.rounds.models import ReportingRound
from scp_tracker.rounds.schedule import is_working_day

OCTOBER = date(2026, 10, 20)  # part-way through the 2026-27 plan year


def _load(today: date = OCTOBER, seed: int = 2016):
    report = load_demo(today, seed=seed)
    db.session.commit()
    return report


def _rows() -> dict[str, int]:
    """How many rows each table holds."""
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


# 2026-27 has every moved end date on a working day already; 2028-29 has them on Saturdays, a Good Friday event
# and board meetings on Sundays.
YEARS = pytest.mark.parametrize("year", [2026, 2028])


@YEARS
def test_the_demo_is_the_real_plan_moved_whole_years_into_the_current_plan_year(app, real_plan_path, year):
    report = _load(date(year, 10, 20))

    offset = year - 2016
    plan = db.session.scalars(select(Plan)).one()
    assert (plan.year, plan.starts_on, plan.ends_on, plan.status) == (year_label(date(year, 4, 1)), date(year, 4, 1),
                                                                      date(year + 1, 3, 31), "agreed")
    assert f"{year}-{year + 1}" in plan.title and "2016" not in plan.title and "Draft" not in plan.title
    written = {o.title: o for o in read_plan_file(real_plan_path.read_bytes(), real_plan_path.name).objectives()}
    objectives = db.session.scalars(select(Objective)).all()
    assert report.objectives == len(objectives) == len(written)
    for objective in objectives:
        original = written[objective.title].end_date
        if original is None:
            assert objective.end_date is None
            continue
        moved = original.replace(year=original.year + offset)
        # Moved whole years, then to the working day on or before it when it fell on a day off (same month).
        assert objective.end_date <= moved and (moved - objective.end_date).days < 7, objective.title
        assert objective.end_date.month == moved.month and is_working_day(objective.end_date), objective.title
        assert objective.end_date_text == shift_years(written[objective.title].end_date_text, offset)


@YEARS
def test_the_year_so_far_has_progress_rags_events_meetings_and_reminders_on_working_days(app, year):
    today = date(year, 10, 20)
    report = _load(today)

    first, last = working_day_on_or_after(date(year, 4, 1)), date(year + 1, 3, 31)
    updates = db.session.scalars(select(ProgressUpdate)).all()
    written = [u for u in updates if u.source == "email_link"]
    assert report.progress_updates == len(updates) and len(written) >= 30
    assert {u.rag for u in written} == {"red", "amber", "green"}
    imported = [u for u in updates if u.source == "import"]
    assert imported and {today_in_london(u.recorded_at) for u in imported} == {first}
    for update in written:
        day = today_in_london(update.recorded_at)
        assert first < day < today and is_working_day(day), day
    months = {today_in_london(u.recorded_at).month for u in written}
    assert len(months) >= 5, "progress is spread through the year, not written on one day"
    assert db.session.scalar(select(func.count(Objective.id)).where(Objective.status == "complete")) >= 1

    events = db.session.scalars(select(Event)).all()
    assert {e.status for e in events} == {"held", "planned"}
    for event in events:
        assert first <= event.starts_on <= last and is_working_day(event.starts_on), event.title
        assert (event.starts_on < today) == (event.status == "held"), event.title
        assert today_in_london(event.created_at) < today

    rounds = db.session.scalars(select(ReportingRound).order_by(ReportingRound.deadline)).all()
    assert len(rounds) == 4 and all(r.meeting_on is not None for r in rounds)
    for round_ in rounds:
        assert first <= round_.meeting_on <= last and is_working_day(round_.meeting_on)
        assert (round_.closed_at is not None) == (round_.deadline < today), round_.name
    assert report.rounds_closed == 2

    assert report.contacts == db.session.scalar(select(func.count(Contact.id))) >= 10
    sent = db.session.scalars(select(OutboxMessage)).all()
    assert sent and {m.status for m in sent} == {"sent"}
    assert all(first < today_in_london(m.created_at) < today and is_working_day(today_in_london(m.created_at))
               for m in sent)
    reminded = db.session.scalars(select(ReminderRecord.sent_on).distinct()).all()
    # Up to the last few weeks: reminders are quiet between rounds (one email a week at most, when something is due).
    assert len(reminded) >= 20 and today - timedelta(days=21) <= max(reminded) < today


def test_a_second_load_changes_nothing(app, runner):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0 and "Loaded the demo plan" in first.output, first.output
    before = _rows()

    second = runner.invoke(args=["demo", "load"])

    assert second.exit_code == 0 and "already loaded: nothing changed" in second.output, second.output
    assert _rows() == before


def test_the_same_day_and_seed_give_the_same_year(app):
    def story() -> list[tuple]:
        return [(u.objective.title, u.recorded_at, u.rag, u.text, u.author_name)
                for u in db.session.scalars(select(ProgressUpdate).order_by(ProgressUpdate.recorded_at,
                                                                            ProgressUpdate.id))]

    _load()
    first = story()
    db.session.remove()
    empty_database()
    _load()

    assert story() == first


def test_in_the_new_year_the_demo_is_the_plan_year_that_began_in_april(app):
    report = _load(date(2027, 2, 3))

    assert report.year == "2026-27"
    assert db.session.scalars(select(Plan.year)).one() == "2026-27"


def test_the_pages_a_coordinator_opens_first_answer_with_the_demo_loaded(app, client_as):
    coordinator = client_as("coordinator")
    _load()
    objective = db.session.scalar(select(Objective.id).where(Objective.status == "complete").limit(1))
    event = db.session.scalar(select(Event.id).limit(1))
    round_ = db.session.scalar(select(ReportingRound.id).where(ReportingRound.closed_at.is_not(None)).limit(1))
    message = db.session.scalar(select(OutboxMessage.id).limit(1))

    for path in ("/", "/plan", f"/objectives/{objective}", "/events", f"/events/{event}", "/rounds",
                 f"/rounds/{round_}", "/report", "/emails", f"/emails/{message}", "/contacts"):
        assert coordinator.get(path).status_code == 200, path


def test_without_its_clock_tool_the_demo_says_so_in_one_line_and_writes_nothing(app, runner, monkeypatch):
    monkeypatch.setitem(sys.modules, "time_machine", None)  # a production install: no test extras

    result = runner.invoke(args=["demo", "load"])

    assert result.exit_code == 1
    assert result.output.strip() == "Error: the demo needs time-machine: run `make setup` (it installs the test extras)"
    assert not any(_rows().values())
