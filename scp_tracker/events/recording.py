"""Recording and changing events: the events' rules, and every change noted in the change history.

Services add and flush; the caller commits. Every change of an event is recorded in the change history
(core.history, entity "event").
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from scp_tracker.core.formatting import gov_date, money
from scp_tracker.core.history import Actor, record_change, set_fields
from scp_tracker.events.models import EVENT_KINDS, EVENT_STATUSES, Event
from scp_tracker.events.signals import event_recorded
from scp_tracker.extensions import db
from scp_tracker.people.models import Agency
from scp_tracker.plans.models import Objective

# Above these a number was mistyped (and would not fit the database's integer columns).
MAX_ATTENDANCE = 1_000_000
MAX_COST_PENCE = 100_000_000_00


class EventError(ValueError):
    """Values the events' rules refuse: a message per form field, to show the person who typed them."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class EventValues:
    """Everything the event form sets, as plain values."""

    title: str
    kind: str
    status: str
    starts_on: date
    organising_agency_id: int
    ends_on: date | None = None
    place: str = ""
    audience: str = ""
    attendance: int | None = None
    outcome: str = ""
    evaluation: str = ""
    cost_pence: int | None = None
    partner_agency_ids: tuple[int, ...] = ()
    objective_ids: tuple[int, ...] = ()


def check(values: EventValues, *, today: date) -> dict[str, str]:
    """The events' rules: what is wrong with these values, by form field (empty when all is well)."""
    errors = {}
    if not values.title.strip():
        errors["title"] = "Enter the name of the event"
    if values.kind not in EVENT_KINDS:
        errors["kind"] = "Choose the kind of event"
    if values.status not in EVENT_STATUSES:
        errors["status"] = "Choose whether the event was held, is planned or was cancelled"
    elif values.status == "held" and values.starts_on > today:
        errors["status"] = (f"An event starting on {gov_date(values.starts_on)} cannot have been held yet: "
                            "choose planned, or correct the date")
    if values.ends_on is not None and values.ends_on < values.starts_on:
        errors["ends_on"] = "End date must be the same as or after the date the event started"
    if values.attendance is not None and values.attendance < 0:
        errors["attendance"] = "Number of people who attended must be 0 or more"
    elif values.attendance is not None and values.attendance > MAX_ATTENDANCE:
        errors["attendance"] = f"Number of people who attended must be {MAX_ATTENDANCE:,} or fewer"
    if values.cost_pence is not None and values.cost_pence < 0:
        errors["cost"] = "Cost must be £0 or more"
    elif values.cost_pence is not None and values.cost_pence > MAX_COST_PENCE:
        errors["cost"] = f"Cost must be {money(MAX_COST_PENCE)} or less"
    return errors


def _refuse_invalid(values: EventValues, today: date) -> None:
    """Raise EventError when the rules refuse the values."""
    errors = check(values, today=today)
    if errors:
        raise EventError(errors)


def _scalar_fields(values: EventValues) -> dict:
    """The event's own columns from the form's values (text trimmed, so blanks compare equal)."""
    return {
        "title": values.title.strip(),
        "kind": values.kind,
        "status": values.status,
        "starts_on": values.starts_on,
        "ends_on": values.ends_on,
        "place": values.place.strip(),
        "audience": values.audience.strip(),
        "attendance": values.attendance,
        "outcome": values.outcome.strip(),
        "evaluation": values.evaluation.strip(),
        "cost_pence": values.cost_pence,
    }


def _agencies(ids) -> dict[int, Agency]:
    """Agencies by id, in one query."""
    ids = set(ids)
    if not ids:
        return {}
    return {a.id: a for a in db.session.scalars(select(Agency).where(Agency.id.in_(ids)))}


def _objectives(ids) -> dict[int, Objective]:
    """Objectives by id, in one query."""
    ids = set(ids)
    if not ids:
        return {}
    return {o.id: o for o in db.session.scalars(select(Objective).where(Objective.id.in_(ids)))}


def _chosen(ids, known: dict) -> list:
    """The known objects among the chosen ids, once each, in the order chosen."""
    return [known[i] for i in dict.fromkeys(ids) if i in known]


def _first_objective_id(values: EventValues, objectives: dict[int, Objective]) -> int | None:
    """The objective the event's history is filed under (the first chosen), or None."""
    chosen = _chosen(values.objective_ids, objectives)
    return chosen[0].id if chosen else None


def record_event(actor: Actor, values: EventValues, *, today: date, now: datetime) -> Event:
    """Record a new event for its organising agency; the history notes who recorded it."""
    _refuse_invalid(values, today)
    agencies = _agencies([values.organising_agency_id, *values.partner_agency_ids])
    if values.organising_agency_id not in agencies:
        raise EventError({"organising_agency_id": "Choose the agency that organised the event"})
    objectives = _objectives(values.objective_ids)
    event = Event(
        **_scalar_fields(values),
        organising_agency=agencies[values.organising_agency_id],
        recorded_by_user_id=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    event.partner_agencies = [a for a in _chosen(values.partner_agency_ids, agencies)
                              if a.id != values.organising_agency_id]
    event.objectives = _chosen(values.objective_ids, objectives)
    db.session.add(event)
    db.session.flush()
    record_change(actor, entity="event", entity_id=event.id, field="recorded", before=None, after=event.title,
                  objective_id=_first_objective_id(values, objectives))
    event_recorded.send(event, actor=actor, now=now)
    return event


def update_event(actor: Actor, event: Event, values: EventValues, *, today: date, now: datetime) -> list[str]:
    """Apply the edit form's values, recording every changed field; returns the names of what changed."""
    _refuse_invalid(values, today)
    agencies = _agencies([values.organising_agency_id, *values.partner_agency_ids])
    if values.organising_agency_id not in agencies:
        raise EventError({"organising_agency_id": "Choose the agency that organised the event"})
    objectives = _objectives(values.objective_ids)
    objective_id = _first_objective_id(values, objectives)
    changed = set_fields(actor, event, _scalar_fields(values), entity="event", objective_id=objective_id)

    # Agencies and objectives are recorded by name, which is what the history page shows.
    organiser = agencies[values.organising_agency_id]
    if organiser.id != event.organising_agency_id:
        record_change(actor, entity="event", entity_id=event.id, field="organising_agency",
                      before=event.organising_agency.abbreviation, after=organiser.abbreviation,
                      objective_id=objective_id)
        event.organising_agency = organiser
        changed.append("organising_agency")
    partners = [a for a in _chosen(values.partner_agency_ids, agencies) if a.id != organiser.id]
    if {a.id for a in partners} != {a.id for a in event.partner_agencies}:
        record_change(actor, entity="event", entity_id=event.id, field="partner_agencies",
                      before=sorted(a.abbreviation for a in event.partner_agencies),
                      after=sorted(a.abbreviation for a in partners), objective_id=objective_id)
        event.partner_agencies = partners
        changed.append("partner_agencies")
    chosen_objectives = _chosen(values.objective_ids, objectives)
    if {o.id for o in chosen_objectives} != {o.id for o in event.objectives}:
        record_change(actor, entity="event", entity_id=event.id, field="objectives",
                      before=[o.title for o in event.objectives], after=[o.title for o in chosen_objectives],
                      objective_id=objective_id)
        event.objectives = chosen_objectives
        changed.append("objectives")
    if changed:
        event.updated_at = now
    db.session.flush()
    return changed
