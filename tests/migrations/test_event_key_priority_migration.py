"""The event_key_priority migration fills the table with the rows the app would have written, and goes back."""

from datetime import date

from sqlalchemy import inspect, text

from scp_tracker import create_app
from scp_tracker.events.models import Event
from scp_tracker.extensions import db
from scp_tracker.people.models import Agency
from scp_tracker.plans.models import KeyPriority, Objective, Plan

BEFORE = "3c1e5a7d9b20"
ROWS = "SELECT event_id, key_priority_id, kind, status, starts_on FROM event_key_priority"


def _run(runner, *args):
    result = runner.invoke(args=["db", *args])
    assert result.exit_code == 0, result.output


def _events_on_three_key_priorities() -> None:
    """Events serving no, one and several key priorities (two objectives of one key priority among them)."""
    plan = Plan(year="2016-17", title="Plan", status="agreed", starts_on=date(2016, 4, 1), ends_on=date(2017, 3, 31))
    kps = [KeyPriority(plan=plan, number=n, title=f"Key priority {n}") for n in (1, 2, 3)]
    objectives = [Objective(key_priority=kps[n % 3], title=f"Objective {n}", text="", position=n,
                            end_date_status="missing", lead_status="missing") for n in range(6)]
    agency = Agency(abbreviation="EFRS", name="Fire")
    for n, served in enumerate(([], objectives[:1], [objectives[0], objectives[3], objectives[1]], objectives)):
        db.session.add(Event(title=f"Event {n}", kind=("training", "meeting")[n % 2], status=("held", "planned")[n % 2],
                             starts_on=date(2016, 5, n + 1), organising_agency=agency, objectives=served))
    db.session.commit()


def test_the_backfill_gives_the_rows_the_app_writes_and_a_downgrade_drops_them(empty_database_url):
    app = create_app({"SCP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": empty_database_url})
    runner = app.test_cli_runner()
    _run(runner, "upgrade")
    with app.app_context():
        _events_on_three_key_priorities()
        with db.engine.connect() as conn:
            written = {tuple(row) for row in conn.execute(text(ROWS))}
        db.engine.dispose()
    assert len(written) == 1 + 2 + 3  # event 2 serves key priority 1 through two objectives: one row for it

    _run(runner, "downgrade", BEFORE)
    with app.app_context():
        assert "event_key_priority" not in inspect(db.engine).get_table_names()
        db.engine.dispose()
    _run(runner, "upgrade")
    with app.app_context():
        with db.engine.connect() as conn:
            assert {tuple(row) for row in conn.execute(text(ROWS))} == written
        db.engine.dispose()
