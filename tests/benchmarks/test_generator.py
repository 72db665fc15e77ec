"""The benchmark data generator: consistent data, the same rows from the same seed, and fixed query counts.

The reminder run and the main pages must issue the same number of queries for 10 objectives as for 1,000
(query counts only: times belong to `python -m benchmarks.run`, never to tests).
"""

import sys
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import time_machine
from sqlalchemy import func, select

# The benchmarks package sits at the top of the repository, beside the installed packages, not among them.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from benchmarks.county import FULL, LARGE, Scale, financial_year, scaled  # noqa: E402
from benchmarks.generate import REAL_PLAN, generate  # noqa: E402
from benchmarks.spreadsheet import plan_workbook  # noqa: E402
from scp_tracker import create_app  # noqa: E402
from scp_tracker.documents.file_readers import read_plan_file  # noqa: E402
from scp_tracker.events.models import Event  # noqa: E402
from scp_tracker.extensions import db as _db  # noqa: E402
from scp_tracker.people.models import Agency, Contact, User, holds_role  # noqa: E402
from scp_tracker.plans.models import KeyPriority, Objective, Plan, ProgressUpdate  # noqa: E402
from scp_tracker.reminders.models import ReminderRecord  # noqa: E402
from scp_tracker.reminders.services import run_reminders  # noqa: E402

TODAY = date(2026, 11, 18)  # a Wednesday, not a bank holiday
NOW = datetime(2026, 11, 18, 7, 0, tzinfo=UTC)
TINY = Scale(objectives=10, key_priorities=3, agencies=8, contacts=24, progress_updates=60, events=12,
             reminder_records=40)
THOUSAND = Scale(objectives=1_000, key_priorities=12, agencies=30, contacts=150, progress_updates=3_000, events=200,
                 reminder_records=2_000)


def test_the_generator_makes_what_the_scale_asks_for(db):
    made = generate(TINY, seed=1, today=TODAY)

    plan = db.session.get(Plan, made.plan_id)
    assert plan.year == financial_year(TODAY)[0] == "2026-27"
    in_plan = select(Objective).join(KeyPriority).where(KeyPriority.plan_id == plan.id)
    objectives = db.session.scalars(in_plan).all()
    assert len(objectives) == TINY.objectives
    assert {o.status for o in objectives} == {"open"}
    assert len(plan.key_priorities) == TINY.key_priorities
    # Every objective has a key priority, and every key priority has objectives.
    assert {o.key_priority_id for o in objectives} == {kp.id for kp in plan.key_priorities}
    assert db.session.scalar(select(func.count()).select_from(Contact)) == TINY.contacts
    assert db.session.scalar(select(func.count()).select_from(Event)) == TINY.events
    assert db.session.scalar(select(func.count()).select_from(ReminderRecord)) == TINY.reminder_records
    assert db.session.scalar(
        select(func.count(ProgressUpdate.id)).where(ProgressUpdate.objective_id.in_(in_plan.with_only_columns(
            Objective.id)))) == TINY.progress_updates
    # The real plan's agencies come on top of the generated ones.
    assert db.session.scalar(select(func.count()).select_from(Agency)) > TINY.agencies
    assert made.counts["objective"] == db.session.scalar(select(func.count()).select_from(Objective))


def test_each_objective_s_latest_progress_is_on_the_objective(db):
    made = generate(TINY, seed=2, today=TODAY)
    latest = dict(db.session.execute(
        select(ProgressUpdate.objective_id, func.max(ProgressUpdate.recorded_at)).group_by(ProgressUpdate.objective_id)
    ).all())
    for objective in db.session.scalars(select(Objective).join(KeyPriority).where(KeyPriority.plan_id == made.plan_id)):
        assert objective.last_progress_at == latest.get(objective.id)


def test_the_real_plan_is_imported_beside_the_generated_one(db):
    generate(TINY, seed=3, today=TODAY)
    real = db.session.scalar(select(Plan).where(Plan.year == "2016-17"))
    expected = sum(len(kp.objectives) for kp in read_plan_file(REAL_PLAN, REAL_PLAN.name).priorities)
    assert sum(len(kp.objectives) for kp in real.key_priorities) == expected > 20


def test_past_reminders_were_sent_before_today_and_are_not_sent_again(db):
    generate(TINY, seed=4, today=TODAY)
    assert db.session.scalar(select(func.max(ReminderRecord.sent_on))) < TODAY
    recorded = set(db.session.execute(select(ReminderRecord.objective_id, ReminderRecord.kind,
                                             ReminderRecord.stage_or_period, ReminderRecord.contact_id)).all())
    report = run_reminders(TODAY, now=NOW, dry_run=True, force=True)
    assert not recorded & {item.reminder.key for digest in report.digests for item in digest.items}


def _rows(url: str, seed: int, scale: Scale = TINY, **options) -> dict[str, list[tuple]]:
    """Generate into a new SQLite file with the clock stopped, and read back every row of every table."""
    app = create_app({"SCP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context(), time_machine.travel(NOW, tick=False):
        _db.create_all()
        generate(scale, seed=seed, today=TODAY, **options)
        rows = {table.name: [tuple(row) for row in _db.session.execute(
                    select(table).order_by(*table.primary_key.columns))]
                for table in _db.metadata.sorted_tables}
        _db.session.remove()
        _db.engine.dispose()
    return rows


def test_the_same_seed_makes_the_same_rows(tmp_path):
    first = _rows(f"sqlite:///{tmp_path / 'first.db'}", seed=7)
    second = _rows(f"sqlite:///{tmp_path / 'second.db'}", seed=7)
    other = _rows(f"sqlite:///{tmp_path / 'other.db'}", seed=8)
    assert first == second
    assert first["objective"] and first["reminder_record"] and first["event"]
    assert first["objective"] != other["objective"]


def test_rows_written_a_few_at_a_time_are_the_rows_written_all_at_once(tmp_path):
    """The generator holds one batch of rows at a time (what keeps --large's memory bounded), losing none."""
    whole = _rows(f"sqlite:///{tmp_path / 'whole.db'}", seed=9)
    batched = _rows(f"sqlite:///{tmp_path / 'batched.db'}", seed=9, batch=7)
    assert batched == whole
    assert len(whole["progress_update"]) > 7 and len(whole["reminder_record"]) > 7 and len(whole["event"]) > 7


def test_the_reminders_kept_are_the_newest_of_the_whole_history(tmp_path):
    """Fewer records than the rules' history holds: the newest are kept, ties on a day broken by their keys."""
    whole = _rows(f"sqlite:///{tmp_path / 'whole.db'}", seed=10, scale=replace(TINY, reminder_records=10**6))
    some = _rows(f"sqlite:///{tmp_path / 'some.db'}", seed=10)
    columns = [column.name for column in ReminderRecord.__table__.columns]

    def records(rows) -> list[tuple]:
        """(sent_on, objective, kind, stage or period, contact) of each record, newest first."""
        named = [dict(zip(columns, row, strict=True)) for row in rows["reminder_record"]]
        return sorted(((r["sent_on"], r["objective_id"], r["kind"], r["stage_or_period"], r["contact_id"])
                       for r in named), reverse=True)

    history = records(whole)
    assert len(history) > TINY.reminder_records
    assert len({record[0] for record in history[:TINY.reminder_records + 1]}) > 1
    assert records(some) == history[:TINY.reminder_records]


def test_a_county_of_any_size_keeps_the_usual_county_s_proportions():
    assert scaled(10_000) == FULL
    assert LARGE == Scale(objectives=100_000, contacts=20_000, progress_updates=1_000_000, events=200_000,
                          reminder_records=2_000_000)
    small = scaled(500)
    assert (small.objectives, small.contacts, small.progress_updates, small.events, small.reminder_records) == (
        500, 100, 5_000, 1_000, 10_000)
    assert (small.agencies, small.key_priorities) == (FULL.agencies, FULL.key_priorities)


def test_the_spreadsheet_has_a_header_and_one_row_per_objective():
    data = read_plan_file(plan_workbook(30), "county-plan-2017-18.xlsx")
    assert data.year == "2017-18"
    assert sum(len(kp.objectives) for kp in data.priorities) == 30
    assert plan_workbook(30) != plan_workbook(30, seed=99)


# --- queries that must not grow with the plan --------------------------------------------------------

def _query_counts(db, login, count_queries, scale: Scale) -> dict[str, int]:
    """Queries of the reminder run (dry) and of each main page, on freshly generated data of this scale."""
    made = generate(scale, seed=11, today=TODAY)
    counts = {}
    with count_queries() as statements:
        run_reminders(TODAY, now=NOW, dry_run=True, force=True)
    db.session.rollback()
    counts["reminder run"] = len(statements)

    coordinator = db.session.scalar(select(User).where(holds_role("coordinator")).order_by(User.id))
    client = login(coordinator)
    key_priority = db.session.scalar(select(KeyPriority.id).where(KeyPriority.plan_id == made.plan_id,
                                                                  KeyPriority.number == 1))
    for name, path in (("dashboard", "/"), ("plan", f"/plan?key_priority={key_priority}&page=2"),
                       ("objective", f"/objectives/{made.showcase_objective_id}")):
        assert client.get(path).status_code == 200  # the first request also loads what is cached per process
        with count_queries() as statements:
            response = client.get(path)
        assert response.status_code == 200, path
        counts[name] = len(statements)
    return counts


def _delete_everything(db) -> None:
    """Empty every table, children first, so the next scale starts from nothing."""
    db.session.rollback()
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def test_the_reminder_run_and_the_main_pages_issue_as_many_queries_for_1000_objectives_as_for_10(
        db, login, count_queries):
    small = _query_counts(db, login, count_queries, TINY)
    _delete_everything(db)
    large = _query_counts(db, login, count_queries, THOUSAND)
    assert small == large
