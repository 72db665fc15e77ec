"""Adding key priorities and objectives to a plan on pages, and retiring them, without a re-import.

A retired objective is cancelled, with a history line saying it was retired, so the lists, the reminders and the
exports already treat it as no longer open. A retired key priority keeps its number and its objectives (the board
saw them) but is left out of pickers and filters; its open objectives are retired with it. Services add and flush;
the caller commits.
"""

from dataclasses import replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from scp_tracker.core.formatting import gov_date
from scp_tracker.core.history import Actor, record_change, set_fields
from scp_tracker.extensions import db
from scp_tracker.people.models import Agency
from scp_tracker.plans.models import KeyPriority, KeyPriorityLead, Objective, Plan
from scp_tracker.plans.services import ObjectiveValues, PlanError, update_objective


def _check_changeable(plan: Plan) -> None:
    """An archived plan's year is over: nothing is added to it or retired from it."""
    if plan.status == "archived":
        raise PlanError(f"The {plan.year} plan is archived: its key priorities and objectives are no longer changed")


def next_key_priority_number(plan: Plan) -> int:
    """The number after the plan's highest key priority (retired ones keep theirs)."""
    highest = db.session.scalar(select(func.max(KeyPriority.number)).where(KeyPriority.plan_id == plan.id))
    return (highest or 0) + 1


def active_key_priorities(plan: Plan) -> list[KeyPriority]:
    """The plan's key priorities not retired, in number order: what pickers offer."""
    return list(db.session.scalars(
        select(KeyPriority).where(KeyPriority.plan_id == plan.id, KeyPriority.retired_on.is_(None))
        .order_by(KeyPriority.number)
    ))


def add_key_priority(plan: Plan, *, number: int, title: str, description: str, agency_ids: list[int],
                     actor: Actor) -> KeyPriority:
    """Add a key priority with its lead agencies in the order given; its number must be free."""
    _check_changeable(plan)
    if number < 1:
        raise PlanError("The key priority's number must be 1 or more")
    if db.session.scalar(select(KeyPriority.id).where(KeyPriority.plan_id == plan.id, KeyPriority.number == number)):
        raise PlanError(f"The plan already has a key priority {number}")
    agencies = {a.id: a for a in db.session.scalars(select(Agency).where(Agency.id.in_(agency_ids)))}
    leads = [agencies[i] for i in dict.fromkeys(agency_ids) if i in agencies]
    key_priority = KeyPriority(
        plan=plan, number=number, title=title, description=description,
        lead_text=" / ".join(agency.abbreviation for agency in leads),
        lead_links=[KeyPriorityLead(agency=agency, position=i) for i, agency in enumerate(leads)],
    )
    db.session.add(key_priority)
    try:
        db.session.flush()
    except IntegrityError:  # another request added that number since the check above; the caller rolls back
        raise PlanError(f"The plan already has a key priority {number}") from None
    record_change(actor, entity="key_priority", entity_id=key_priority.id, field="created", before=None,
                  after=f"{number}. {title}")
    if leads:
        record_change(actor, entity="key_priority", entity_id=key_priority.id, field="lead_agencies", before=[],
                      after=[agency.abbreviation for agency in leads])
    return key_priority


def add_objective(key_priority: KeyPriority, values: ObjectiveValues, actor: Actor) -> Objective:
    """Add an open objective at the end of a key priority, set from the edit page's values.

    Made blank (lead TBC) and then edited by the edit page's own service, so what it records and announces to
    the leads is exactly what an edit does; the history starts with the line saying it was added.
    """
    _check_changeable(key_priority.plan)
    if key_priority.retired_on is not None:
        raise PlanError(f"Key priority {key_priority.number} was retired on {gov_date(key_priority.retired_on)}: "
                        f"choose another")
    last = db.session.scalar(select(func.max(Objective.position)).where(Objective.key_priority_id == key_priority.id))
    objective = Objective(key_priority=key_priority, position=(last or 0) + 1, title=values.title, text=values.text,
                          status="open", lead_status="tbc", end_date_status="missing")
    db.session.add(objective)
    db.session.flush()
    record_change(actor, entity="objective", entity_id=objective.id, objective_id=objective.id, field="created",
                  before=None, after=objective.title)
    # A new objective is open and has no RAG until its lead reports.
    update_objective(objective, _as_new(values), actor)
    return objective


def _as_new(values: ObjectiveValues) -> ObjectiveValues:
    """The values with the status open and no RAG, whatever was posted."""
    return replace(values, status="open", rag=None)


def retire_objective(objective: Objective, *, actor: Actor, today: date) -> None:
    """Take an open objective out of the plan: cancelled, with a history line saying it was retired and when."""
    _check_changeable(objective.key_priority.plan)
    if objective.status != "open":
        raise PlanError(f"“{objective.title}” is already {objective.status}: only an open objective is retired")
    set_fields(actor, objective, {"status": "cancelled"}, entity="objective", objective_id=objective.id)
    record_change(actor, entity="objective", entity_id=objective.id, objective_id=objective.id, field="retired",
                  before=None, after=today)
    db.session.flush()


def retire_key_priority(key_priority: KeyPriority, *, actor: Actor, today: date) -> list[Objective]:
    """Retire a key priority today, and its open objectives with it; returns the objectives retired."""
    _check_changeable(key_priority.plan)
    if key_priority.retired_on is not None:
        raise PlanError(f"Key priority {key_priority.number} was already retired on "
                        f"{gov_date(key_priority.retired_on)}")
    set_fields(actor, key_priority, {"retired_on": today}, entity="key_priority")
    retired = [objective for objective in key_priority.objectives if objective.status == "open"]
    for objective in retired:
        retire_objective(objective, actor=actor, today=today)
    db.session.flush()
    return retired
