"""Closing rounds: once the deadline has passed, each objective is frozen as at the end of the deadline day."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select
from support.racing import race_two

from scp_tracker.core.models import ChangeRecord
from scp_tracker.plans.models import ProgressUpdate
from scp_tracker.rounds.closing import close_due_rounds
from scp_tracker.rounds.models import ReportingRound, RoundSnapshot
from scp_tracker.rounds.windows import plan_rounds

NOW = datetime(2016, 7, 1, 6, tzinfo=UTC)
# 30 June 2016 ends at 23:00 UTC (British Summer Time).
END_OF_JUNE_30 = datetime(2016, 6, 30, 23, tzinfo=UTC)


def _history(objective, field, before, after, at):
    return ChangeRecord(entity="objective", entity_id=objective.id, objective_id=objective.id, field=field,
                        before=before, after=after, actor_name="Test", source="web", changed_at=at)


def _progress(objective, text, rag, at):
    return ProgressUpdate(objective_id=objective.id, text=text, rag=rag, recorded_at=at)


@pytest.fixture
def june(db, make_plan, make_key_priority, make_objective):
    """A 2016-17 plan with its quarterly rounds and objectives of every kind; returns (plan, objectives by name)."""
    plan = make_plan()
    key_priority = make_key_priority(plan=plan)
    objectives = {name: make_objective(key_priority=key_priority, title=name, status=status, rag=rag)
                  for name, status, rag in (("updated", "open", "green"), ("silent", "open", "red"),
                                            ("cancelled before", "cancelled", None),
                                            ("cancelled during", "cancelled", "amber"),
                                            ("complete", "complete", "green"),
                                            ("changed after", "open", "red"))}
    o = objectives
    db.session.add_all([
        _progress(o["updated"], "Old news", "amber", datetime(2016, 3, 1, tzinfo=UTC)),
        _progress(o["updated"], "Campaign launched", "green", datetime(2016, 6, 30, 22, 59, tzinfo=UTC)),
        _progress(o["silent"], "Last year's word", "red", datetime(2016, 2, 1, tzinfo=UTC)),
        _progress(o["changed after"], "In June", "amber", datetime(2016, 6, 10, tzinfo=UTC)),
        _progress(o["changed after"], "Too late for June", "red", END_OF_JUNE_30),  # 1 July 00:00 in London
        _history(o["cancelled before"], "status", "open", "cancelled", datetime(2016, 3, 31, 22, tzinfo=UTC)),
        _history(o["cancelled during"], "status", "open", "cancelled", datetime(2016, 5, 10, tzinfo=UTC)),
        _history(o["changed after"], "rag", "amber", "red", END_OF_JUNE_30),
        _history(o["changed after"], "rag", "red", "red", END_OF_JUNE_30 + timedelta(days=1)),
    ])
    plan_rounds(plan)
    db.session.commit()
    return plan, objectives


def _snapshots(round_id):
    from scp_tracker.extensions import db
    return {s.objective.title: (s.status, s.rag, s.progress_text, s.updated_in_round)
            for s in db.session.scalars(select(RoundSnapshot).where(RoundSnapshot.round_id == round_id))}


def test_a_round_closes_the_day_after_its_deadline_with_each_objective_as_at_the_deadline(db, june):
    plan, _ = june
    assert close_due_rounds(date(2016, 6, 30), NOW) == []  # the deadline day itself still counts
    closed = close_due_rounds(date(2016, 7, 1), NOW)
    assert [(r.name, r.closed_at) for r in closed] == [("June 2016 round", NOW)]
    assert _snapshots(closed[0].id) == {
        "updated": ("open", "green", "Campaign launched", True),
        "silent": ("open", "red", "Last year's word", False),
        "cancelled during": ("cancelled", "amber", "", False),
        "complete": ("complete", "green", "", False),
        "changed after": ("open", "amber", "In June", True),
    }


def test_closing_late_still_reads_the_values_at_the_deadline(db, june):
    """A catch-up after downtime: the status and RAG changed since are read back through the history."""
    _, objectives = june
    closed = close_due_rounds(date(2016, 7, 9), NOW + timedelta(days=8))
    assert _snapshots(closed[0].id)["changed after"] == ("open", "amber", "In June", True)


def test_closing_twice_closes_once_and_later_edits_never_change_a_snapshot(db, june):
    _, objectives = june
    first = close_due_rounds(date(2016, 7, 1), NOW)
    db.session.commit()
    frozen = _snapshots(first[0].id)
    objectives["silent"].rag = "green"
    db.session.add(_progress(objectives["silent"], "Sorted", "green", datetime(2016, 7, 2, tzinfo=UTC)))
    db.session.commit()
    assert close_due_rounds(date(2016, 7, 2), NOW + timedelta(days=1)) == []
    assert _snapshots(first[0].id) == frozen
    assert db.session.scalar(select(ReportingRound.closed_at).where(ReportingRound.id == first[0].id)) == NOW


@pytest.mark.parametrize(("status", "closes"), [("agreed", True), ("archived", False)])
def test_only_the_rounds_of_plans_in_use_close(db, make_plan, status, closes):
    plan = make_plan(status=status)
    plan_rounds(plan)
    make_plan("2017-18", status="agreed")
    assert bool(close_due_rounds(date(2016, 7, 1), NOW)) is closes


CLOSER = """
import sys
from datetime import UTC, date, datetime
from scp_tracker import create_app
from scp_tracker.extensions import db
from scp_tracker.rounds.closing import close_due_rounds

app = create_app({"SCP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": sys.argv[1]})
with app.app_context():
    print("ready", flush=True)
    sys.stdin.readline()
    closed = close_due_rounds(date(2016, 10, 1), datetime(2016, 10, 1, 6, tzinfo=UTC))
    db.session.commit()
    print(len(closed), flush=True)
"""


@pytest.mark.parametrize("stored", [True, False], ids=["rounds stored", "rounds made by both at once"])
def test_two_processes_closing_at_once_close_each_round_once(app, db, june, stored):
    if not stored:  # each process finds no rounds and makes the quarterly ones
        db.session.execute(delete(ReportingRound))
        db.session.commit()
    outputs = race_two(CLOSER, app.config["SQLALCHEMY_DATABASE_URI"], timeout=120)
    assert sorted(int(output.split()[-1]) for output in outputs) == [0, 2]  # June and September, by one of them
    db.session.expire_all()
    # June: five objectives; September: four (one was cancelled in May, before its window opened)
    assert db.session.scalar(select(func.count()).select_from(RoundSnapshot)) == 5 + 4
    assert db.session.scalar(select(func.count()).select_from(ReportingRound)) == 4
