"""Re-importing the plan document does not silently bring back what was retired, agreed or archived on pages."""

import json
from datetime import date

from scp_tracker.core.clock import today_in_london
from scp_tracker.core.history import Actor
from scp_tracker.documents.export import export_plan
from scp_tracker.documents.services import import_plan
from scp_tracker.plans.add_retire import retire_key_priority, retire_objective
from scp_tracker.plans.lookup import in_use
from scp_tracker.plans.models import KeyPriority, Objective, Plan
from scp_tracker.reminders.facts import open_objectives

ACTOR = Actor(name="Coordinator", source="web")


def reimport(document: dict):
    """Import the document again, as the coordinator would after editing it elsewhere."""
    return import_plan(json.dumps(document).encode(), "plan.json", actor=Actor(name="Import", source="import"),
                       as_of=date(2016, 4, 1))


def test_reimporting_keeps_what_was_retired(db, sample_plan):
    sample = sample_plan(8)
    document = json.loads(export_plan(sample.plan, "json")[0])  # written before anything was retired
    today = today_in_london()
    retire_objective(db.session.get(Objective, sample.objective_ids[1]), actor=ACTOR, today=today)
    retired_kp = db.session.get(KeyPriority, sample.key_priorities[0].id)
    retire_key_priority(retired_kp, actor=ACTOR, today=today)
    db.session.commit()

    # The document says "open" for each of them, and adds a new objective under the retired key priority.
    document["priorities"][0]["objectives"].append({"title": "A new idea", "text": "Try a new idea"})
    report = reimport(document)
    db.session.commit()
    db.session.expire_all()
    statuses = {i: db.session.get(Objective, i).status for i in sample.objective_ids}
    # Objective 1 retired alone; 0 and 4 with key priority 1.
    assert {statuses[sample.objective_ids[i]] for i in (0, 1, 4)} == {"cancelled"}
    assert db.session.get(KeyPriority, retired_kp.id).retired_on == today
    reminded = set(db.session.scalars(open_objectives(Objective.id)))
    assert not {sample.objective_ids[i] for i in (0, 1, 4)} & reminded
    # The one new objective under the retired key priority is added open, and the report says so.
    assert any("A new idea" in warning and "retired" in warning for warning in report.warnings)


def test_reimporting_keeps_the_plans_agreement_and_archive(db, sample_plan):
    sample = sample_plan(2)
    document = json.loads(export_plan(sample.plan, "json")[0])
    plan = db.session.get(Plan, sample.plan.id)
    for status, document_status in (("agreed", "draft"), ("archived", "agreed"), ("archived", "draft")):
        plan.status = status
        db.session.commit()
        document["plan"]["status"] = document_status  # a "Draft" mark in the title, or none
        report = reimport(document)
        db.session.commit()
        db.session.expire_all()
        assert plan.status == status
        assert any(f"is {status}: the file's status ({document_status}) was not applied" in warning
                   for warning in report.warnings)
    assert not db.session.scalar(db.select(Plan.id).where(in_use()))
    # A draft still takes the document's status, as a first import does.
    plan.status = "draft"
    db.session.commit()
    document["plan"]["status"] = "agreed"
    reimport(document)
    db.session.commit()
    assert plan.status == "agreed"
