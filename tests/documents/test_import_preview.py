"""An import's preview (the import page, import-plan --dry-run) says exactly what confirming will do, keeps
nothing, and holds no write lock while it is computed: on SQLite others sign in and update meanwhile."""

import dataclasses
import io
import sqlite3
from datetime import date

import pytest
from sqlalchemy import func, select

from scp_tracker.core.history import Actor
from scp_tracker.core.models import ChangeRecord
from scp_tracker.documents.services import import_plan
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.notifications.models import Notification
from scp_tracker.people.models import Agency, Contact
from scp_tracker.plans import signals
from scp_tracker.plans.models import FundingLine, Objective, Plan, ProgressUpdate

ACTOR = Actor(name="Import of plan.txt", source="import")
AS_OF = date(2016, 9, 1)
HEADER = "OBJECTIVE\tPROGRESS / OUTPUT\tFUNDING\tPROJECT LEAD / AGENCY\tEND DATE\tPOLICE PRIORITY\tPCC PRIORITY"


def plan_text(rows: list[str]) -> bytes:
    return "\n".join(["SCP ANNUAL PARTNERSHIP PLAN 2016-2017", "",
                      "KEY PRIORITY 1: To protect vulnerable people (Lead: CBC)", "", HEADER, *rows]).encode()


FIRST = plan_text(["<b>Social media campaign</b> online\tStarted\t£5,000 SCP\tCBC\tMay 17\t\t",
                   "<b>Training for staff</b> in schools\t\t£1,000 SCP\tCBC\tJun 17\t\t",
                   "<b>Leaflets</b> for every home\t\tTBC\tCBC\tJul 17\t\t"])
# Revised: a funding changed, a lead added (a new agency), progress written, one dropped, one added.
REVISED = plan_text(["<b>Social media campaign</b> online\tHalf done\t£6,000 SCP\tCBC / NEWA\tMay 17\t\t",
                     "<b>Training for staff</b> in schools\t\t£1,000 SCP\tCBC\tAug 17\t\t",
                     "<b>Street lighting</b> in the town centre\t\tNil cost\tCBC\tSep 17\t\t"])
MODELS = (Plan, Objective, FundingLine, ProgressUpdate, ChangeRecord, Agency, Notification, OutboxMessage)


def _stored(db) -> tuple:
    """What the database holds, to compare before and after."""
    db.session.rollback()
    return (tuple(db.session.scalar(select(func.count()).select_from(m)) for m in MODELS),
            sorted(db.session.execute(select(Objective.title, Objective.end_date, Objective.lead_text)).all()))


@pytest.fixture
def stored_plan(db, known_agency, make_contact):
    """The first version imported, with CBC contacts to tell of changes."""
    cbc = known_agency("CBC")
    make_contact(cbc, "Lee Lead", "lee@example.org")
    make_contact(cbc, "Col League", "col@example.org")
    db.session.commit()
    import_plan(FIRST, "plan.txt", actor=ACTOR, as_of=AS_OF)
    db.session.commit()
    return _stored(db)


def _report_fields(report) -> dict:
    fields = dataclasses.asdict(report)
    fields.pop("dry_run")
    return fields


def test_the_preview_shows_exactly_what_the_import_then_does_and_keeps_nothing(db, stored_plan):
    preview = import_plan(REVISED, "plan.txt", actor=ACTOR, as_of=AS_OF, dry_run=True)
    db.session.commit()  # whatever a caller does next, the preview left nothing to keep
    assert _stored(db) == stored_plan
    assert preview.dry_run and preview.updated and preview.created and preview.agencies_created
    done = import_plan(REVISED, "plan.txt", actor=ACTOR, as_of=AS_OF)
    db.session.commit()
    assert _report_fields(preview) == _report_fields(done)
    assert _stored(db) != stored_plan
    # And a second preview, of what is now stored, says there is nothing left to do.
    again = import_plan(REVISED, "plan.txt", actor=ACTOR, as_of=AS_OF, dry_run=True)
    assert not again.has_changes


@pytest.fixture
def write_meanwhile(db):
    """While an import announces its changes (half way, its writes made), another connection updates a contact
    without waiting for any lock; yields what happened to each such write."""
    if db.engine.dialect.name != "sqlite":
        pytest.skip("SQLite's one-writer lock; PostgreSQL locks only the rows a transaction writes")
    path = db.engine.url.database
    contact_id = db.session.scalar(select(Contact.id).limit(1))
    outcomes: list[str] = []

    def write(sender, **kwargs):
        other = sqlite3.connect(path, timeout=0)  # no waiting: a held write lock fails at once
        try:
            other.execute("UPDATE contact SET name = ? WHERE id = ?", (f"Renamed {len(outcomes)}", contact_id))
            other.commit()
            outcomes.append("written")
        except sqlite3.OperationalError as error:
            outcomes.append(str(error))
        finally:
            other.close()

    signals.objectives_changed.connect(write)
    try:
        yield outcomes
    finally:
        signals.objectives_changed.disconnect(write)


def test_others_can_write_while_a_preview_is_computed(db, stored_plan, write_meanwhile):
    preview = import_plan(REVISED, "plan.txt", actor=ACTOR, as_of=AS_OF, dry_run=True)
    assert write_meanwhile == ["written"]
    db.session.rollback()
    assert db.session.scalar(select(func.count()).where(Contact.name == "Renamed 0")) == 1
    assert preview.updated


def test_others_can_write_while_the_command_previews(db, runner, tmp_path, stored_plan, write_meanwhile):
    path = tmp_path / "plan.txt"
    path.write_bytes(REVISED)
    result = runner.invoke(args=["import-plan", str(path), "--dry-run", "--as-of", "2016-09-01"])
    assert result.exit_code == 0, result.output
    assert write_meanwhile == ["written"]
    assert "would be added" in result.output


def test_others_can_write_while_the_import_page_previews(db, client_as, stored_plan, write_meanwhile):
    response = client_as("coordinator").post("/import", data={"plan_file": (io.BytesIO(REVISED), "plan.txt")},
                                             content_type="multipart/form-data")
    assert response.status_code == 200
    assert "Import the plan" in response.get_data(as_text=True)
    assert write_meanwhile == ["written"]
