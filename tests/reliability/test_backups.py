"""`scp-tracker backup` and `restore`: a backup taken while someone writes restores every plan, progress update,
event and email; restore checks what it is given and never overwrites without --yes; PostgreSQL is pointed to
pg_dump and pg_restore. And the change history cannot be edited or deleted through the app."""

import sqlite3
import threading
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from support.edits import objective_stamp

from scp_tracker import create_app
from scp_tracker.backups import register as register_backups
from scp_tracker.core.history import Actor
from scp_tracker.core.models import ChangeRecord
from scp_tracker.events.models import Event
from scp_tracker.extensions import db
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.mail.services import enqueue
from scp_tracker.plans.models import Objective, Plan, ProgressUpdate
from scp_tracker.plans.progress import ProgressValues, add_progress

RECORDS = (Plan, Objective, ProgressUpdate, Event, OutboxMessage, ChangeRecord)


def _app_on(url: str):
    """An app on its own database, with the backup commands whether or not AREAS lists them yet."""
    app = create_app({"SCP_ENV": "testing", "SQLALCHEMY_DATABASE_URI": url})
    if "backup" not in app.cli.commands:
        register_backups(app)
    return app


@pytest.fixture
def migrated_app(app, tmp_path):
    """A second app on a SQLite file made by `scp-tracker db upgrade` (so it is at the current migration),
    its context pushed over the test app's, so the factories write to it."""
    other = _app_on(f"sqlite:///{tmp_path / 'live.db'}")
    # Commands run in the app context already pushed, so push this app's before running any.
    with other.app_context():
        result = other.test_cli_runner().invoke(args=["db", "upgrade"])
        assert result.exit_code == 0, result.output
        yield other
        db.session.remove()
        db.engine.dispose()


def _counts() -> dict[str, int]:
    return {model.__name__: db.session.scalar(select(func.count()).select_from(model)) for model in RECORDS}


def _fill(make_agency, make_plan, make_key_priority, make_objective, make_event):
    """A plan with objectives, progress, history, an event and emails."""
    agency = make_agency("CBC", "Colchester Borough Council")
    kp = make_key_priority(make_plan("2016-17"), 1, "To protect vulnerable people")
    objectives = [make_objective(kp, f"Objective {n}", leads=[agency], end_date=date(2017, 4, 30)) for n in range(3)]
    actor = Actor(name="Cora Coordinator", source="cli")
    for objective in objectives:
        add_progress(objective, ProgressValues(text=f"Progress on {objective.title}", rag="green",
                                               mark_complete=False, requested_end_date=None), actor,
                     now=datetime(2017, 4, 10, 9, tzinfo=UTC))
    make_event(agency, title="Crucial Crew", objectives=objectives[:1])
    for n in range(2):
        enqueue(to=f"lead{n}@example.org", subject="Reminder", text_body="Body", key=f"backup-test:{n}")
    db.session.commit()


def test_a_backup_taken_while_the_app_writes_restores_every_record(migrated_app, tmp_path, make_agency, make_plan,
                                                                    make_key_priority, make_objective, make_event):
    _fill(make_agency, make_plan, make_key_priority, make_objective, make_event)
    runner = migrated_app.test_cli_runner()
    live = tmp_path / "live.db"

    # Someone keeps writing through another connection while the backup runs.
    stop = threading.Event()

    def keep_writing():
        connection = sqlite3.connect(live, timeout=30)
        n = 0
        while not stop.is_set():
            connection.execute("INSERT INTO glossary_term (abbreviation, description) VALUES (?, ?)",
                               (f"T{n}", "Written during the backup"))
            connection.commit()
            n += 1
        connection.close()

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        result = runner.invoke(args=["backup", str(tmp_path / "backup.db")])
    finally:
        stop.set()
        writer.join()
    assert result.exit_code == 0, result.output
    assert "Backed up the database to" in result.output
    expected = _counts()
    objective_titles = sorted(db.session.scalars(select(Objective.title)))

    # Disaster: the plan is deleted.
    for model in (ChangeRecord, ProgressUpdate):
        db.session.execute(model.__table__.delete())
    db.session.execute(OutboxMessage.__table__.delete())
    db.session.commit()
    assert _counts()["ProgressUpdate"] == 0

    refused = runner.invoke(args=["restore", str(tmp_path / "backup.db")])
    assert refused.exit_code == 1 and "--yes" in refused.output
    assert _counts()["ProgressUpdate"] == 0  # nothing was overwritten

    result = runner.invoke(args=["restore", str(tmp_path / "backup.db"), "--yes"])
    assert result.exit_code == 0, result.output
    assert "The database it replaced is kept at" in result.output
    db.session.remove()
    assert _counts() == expected
    assert sorted(db.session.scalars(select(Objective.title))) == objective_titles
    assert db.session.scalar(select(Event.title)) == "Crucial Crew"
    assert sorted(db.session.scalars(select(OutboxMessage.key))) == ["backup-test:0", "backup-test:1"]
    assert len(list(tmp_path.glob("live.db.before-restore-*"))) == 1
    assert not list(tmp_path.glob(".*.partial"))


def test_restore_refuses_what_is_not_a_current_scp_tracker_database(migrated_app, tmp_path):
    runner = migrated_app.test_cli_runner()
    assert runner.invoke(args=["backup", str(tmp_path / "good.db")]).exit_code == 0

    (tmp_path / "junk.db").write_bytes(b"this is not a database" * 100)
    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("CREATE TABLE notes (text TEXT)")
    other.commit()
    other.close()
    old = tmp_path / "old.db"
    old.write_bytes((tmp_path / "good.db").read_bytes())
    connection = sqlite3.connect(old)
    connection.execute("UPDATE alembic_version SET version_num = 'abc123'")
    connection.commit()
    connection.close()

    for name, message in (("junk.db", "is not a SQLite database"), ("other.db", "is not an SCP Tracker database"),
                          ("old.db", "is at migration abc123")):
        result = runner.invoke(args=["restore", str(tmp_path / name), "--yes"])
        assert result.exit_code == 1, name
        assert message in result.output, result.output
        assert "Traceback" not in result.output
    assert runner.invoke(args=["backup", str(tmp_path / "good.db")]).output.count("already exists") == 1


def test_postgresql_is_pointed_to_pg_dump_and_pg_restore(tmp_path):
    app = _app_on("postgresql+psycopg://scp@127.0.0.1:1/scp")  # never connected to
    runner = app.test_cli_runner()
    with app.app_context():
        for args in (["backup", str(tmp_path / "backup.db")], ["restore", __file__, "--yes"]):
            result = runner.invoke(args=args)
            assert result.exit_code == 1
            assert "pg_dump -Fc" in result.output and "pg_restore" in result.output


WRITES_HISTORY = ("change_history", "history", "change_record")


def test_no_route_edits_or_deletes_the_change_history(app):
    """No endpoint is about history except to show it; the role matrix proves what each POST may change."""
    for rule in app.url_map.iter_rules():
        words = f"{rule.endpoint} {rule.rule}".lower()
        if any(word in words for word in WRITES_HISTORY):
            assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, f"{rule.rule} writes the history"
        assert "DELETE" not in rule.methods and "PUT" not in rule.methods and "PATCH" not in rule.methods


def test_change_records_are_only_ever_appended_by_the_app(client_as, world, db):
    """Every write button, pressed by the coordinator, leaves each existing change record exactly as it was."""
    client = client_as("coordinator")
    params = world.params
    edit = {"title": "Renamed", "text": "New text", "status": "open", "rag": "red", "end_date_status": "tbc",
            "police_scope": "none", "pcc_scope": "none"}
    other = db.session.get(Objective, params["other_objective"])
    assert client.post(f"/objectives/{other.id}/edit", data={**edit, **objective_stamp(other)}).status_code == 302
    before = {row.id: tuple(row) for row in db.session.execute(select(ChangeRecord.__table__)).all()}
    assert before
    for path in (f"/agencies/{params['spare_agency']}/deactivate", f"/contacts/{params['spare_contact']}/deactivate",
                 f"/users/{params['invited_user']}/disable", f"/agencies/{params['spare_agency']}/reactivate",
                 f"/objectives/{params['lead_objective']}/progress"):
        client.post(path, data={"text": "Done", "rag": "green"})
    db.session.expire_all()
    for objective_id, title in ((params["lead_objective"], "Renamed"), (params["other_objective"], "Renamed again")):
        objective = db.session.get(Objective, objective_id)
        client.post(f"/objectives/{objective_id}/edit", data={**edit, "title": title, **objective_stamp(objective)})
    db.session.expire_all()
    after = {row.id: tuple(row) for row in db.session.execute(select(ChangeRecord.__table__)).all()}
    assert all(after.get(key) == value for key, value in before.items()), "an existing change record changed"
    assert len(after) > len(before)
