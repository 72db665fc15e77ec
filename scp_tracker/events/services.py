"""Use cases and read queries of events held: record and change events, lists, figures, reminders, calendars.

Services add and flush; the caller commits. Every change of an event is recorded in the change history
(core.history, entity "event"). Each read issues a fixed number of queries whatever the number of events.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, bindparam, case, exists, extract, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from scp_tracker.core.figures import kept_figures
from scp_tracker.core.formatting import gov_date, money
from scp_tracker.core.history import Actor, record_change, set_fields
from scp_tracker.core.models import ChangeRecord
from scp_tracker.events.models import (
    EVENT_KINDS,
    EVENT_STATUSES,
    KIND_LABELS,
    STATUS_LABELS,
    Event,
    event_objective,
    event_partner,
)
from scp_tracker.events.signals import event_recorded
from scp_tracker.extensions import db
from scp_tracker.people.models import Agency, Contact, User
from scp_tracker.plans.models import KeyPriority, Objective, Plan

PAGE_SIZE = 25
# Above these a number was mistyped (and would not fit the database's integer columns).
MAX_ATTENDANCE = 1_000_000
MAX_COST_PENCE = 100_000_000_00

# --- recording and changing events -----------------------------------------------------------


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


# --- one event and its history ----------------------------------------------------------------

def get_event(event_id: int) -> Event | None:
    """One event with everything its page shows."""
    return db.session.scalar(
        select(Event).where(Event.id == event_id).options(
            joinedload(Event.organising_agency),
            selectinload(Event.partner_agencies),
            selectinload(Event.objectives).joinedload(Objective.key_priority).joinedload(KeyPriority.plan),
            joinedload(Event.recorded_by).joinedload(User.contact),
        )
    )


FIELD_LABELS = {
    "title": "Name",
    "kind": "Kind of event",
    "status": "Status",
    "starts_on": "Date",
    "ends_on": "End date",
    "place": "Place",
    "audience": "Audience",
    "attendance": "Number of people who attended",
    "outcome": "Outcome",
    "evaluation": "Evaluation",
    "cost_pence": "Cost",
    "organising_agency": "Organised by",
    "partner_agencies": "Other agencies involved",
    "objectives": "Objectives it delivers",
}


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change of an event, in words."""

    changed_at: datetime
    actor_name: str
    what: str  # "Recorded the event", or the field's label
    before: str
    after: str
    is_recording: bool


def _words(field_name: str, value: str | None) -> str:
    """A value as the history stored it, written for people; blank when there was none."""
    if value is None or value == "":
        return ""
    if field_name in ("starts_on", "ends_on"):
        return gov_date(date.fromisoformat(value))
    if field_name == "cost_pence":
        return money(int(value))
    if field_name == "kind":
        return KIND_LABELS.get(value, value)
    if field_name == "status":
        return STATUS_LABELS.get(value, value)
    return value


def event_history(event_id: int) -> list[HistoryEntry]:
    """Every recorded change of an event, newest first, in words."""
    records = db.session.scalars(
        select(ChangeRecord).where(ChangeRecord.entity == "event", ChangeRecord.entity_id == event_id)
        .order_by(ChangeRecord.changed_at.desc(), ChangeRecord.id.desc())
    )
    return [
        HistoryEntry(
            changed_at=record.changed_at,
            actor_name=record.actor_name,
            what="Recorded the event" if record.field == "recorded" else FIELD_LABELS.get(record.field, record.field),
            before=_words(record.field, record.before),
            after=_words(record.field, record.after),
            is_recording=record.field == "recorded",
        )
        for record in records
    ]


# --- choices the forms offer ------------------------------------------------------------------

@dataclass
class ObjectiveGroup:
    """A key priority and its objectives, as the event form offers them."""

    key_priority: KeyPriority
    objectives: list[Objective]


def objective_groups(plan: Plan | None, also_ids=()) -> list[ObjectiveGroup]:
    """The plan's objectives grouped by key priority, plus any other objectives given (an event's own,
    perhaps from last year's plan), in one query."""
    conditions = []
    if plan is not None:
        conditions.append(KeyPriority.plan_id == plan.id)
    if also_ids:
        conditions.append(Objective.id.in_(set(also_ids)))
    if not conditions:
        return []
    objectives = db.session.scalars(
        select(Objective).join(Objective.key_priority).where(or_(*conditions))
        .options(joinedload(Objective.key_priority).joinedload(KeyPriority.plan))
        .order_by(KeyPriority.plan_id != (plan.id if plan else 0), KeyPriority.plan_id.desc(), KeyPriority.number,
                  Objective.position, Objective.id)
    )
    groups: dict[int, ObjectiveGroup] = {}
    for objective in objectives:
        kp = objective.key_priority
        groups.setdefault(kp.id, ObjectiveGroup(kp, [])).objectives.append(objective)
    return list(groups.values())


def agency_choices(also_ids=()) -> list[Agency]:
    """Active agencies by abbreviation, plus any inactive ones an event already names."""
    condition: ColumnElement[bool] = Agency.is_active.is_(True)
    if also_ids:
        condition = or_(condition, Agency.id.in_(set(also_ids)))
    return list(db.session.scalars(select(Agency).where(condition).order_by(func.lower(Agency.abbreviation))))


# --- the list, with filters -------------------------------------------------------------------

@dataclass(frozen=True)
class EventFilters:
    """What the events list is narrowed to; None means "any"."""

    agency_id: int | None = None  # organised it, or took part
    kind: str | None = None
    objective_id: int | None = None
    key_priority_id: int | None = None
    status: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass
class EventPage:
    """One page of a filtered list of events, newest first."""

    events: list[Event]
    total: int
    page: int
    pages: int


def filter_conditions(filters: EventFilters) -> list:
    """The WHERE conditions for these filters."""
    conditions = []
    if filters.agency_id:
        conditions.append(or_(
            Event.organising_agency_id == filters.agency_id,
            exists().where(event_partner.c.event_id == Event.id, event_partner.c.agency_id == filters.agency_id),
        ))
    if filters.kind:
        conditions.append(Event.kind == filters.kind)
    if filters.status:
        conditions.append(Event.status == filters.status)
    if filters.objective_id:
        conditions.append(exists().where(event_objective.c.event_id == Event.id,
                                         event_objective.c.objective_id == filters.objective_id))
    if filters.key_priority_id:
        conditions.append(exists().where(
            event_objective.c.event_id == Event.id, event_objective.c.objective_id == Objective.id,
            Objective.key_priority_id == filters.key_priority_id,
        ))
    # An event over several days is in the range when any of its days is.
    if filters.date_from:
        conditions.append(func.coalesce(Event.ends_on, Event.starts_on) >= filters.date_from)
    if filters.date_to:
        conditions.append(Event.starts_on <= filters.date_to)
    return conditions


def _listed():
    """What a list of events shows, loaded with them."""
    return (
        joinedload(Event.organising_agency),
        selectinload(Event.partner_agencies),
        selectinload(Event.objectives).joinedload(Objective.key_priority),
    )


NEWEST_FIRST = (Event.starts_on.desc(), Event.id.desc())


def list_events(filters: EventFilters, *, page: int = 1, page_size: int = PAGE_SIZE) -> EventPage:
    """One page of the events matching the filters, newest first, in four queries."""
    conditions = filter_conditions(filters)
    total = db.session.execute(select(func.count(Event.id)).where(*conditions)).scalar_one()
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    events = db.session.scalars(
        select(Event).where(*conditions).options(*_listed()).order_by(*NEWEST_FIRST)
        .limit(page_size).offset((page - 1) * page_size)
    ).all()
    return EventPage(list(events), total, page, pages)


def events_for_export(filters: EventFilters) -> list[Event]:
    """Every event matching the filters, newest first, with what the export shows, in four queries."""
    return list(db.session.scalars(
        select(Event).where(*filter_conditions(filters))
        .options(*_listed(), joinedload(Event.recorded_by).joinedload(User.contact))
        .order_by(*NEWEST_FIRST)
    ).unique())


@dataclass(frozen=True)
class ObjectiveEvent:
    """An event as an objective's page lists it: when, what, by whom, where and how many came."""

    id: int
    title: str
    kind: str
    starts_on: date
    ends_on: date | None
    place: str
    attendance: int | None
    status: str
    organiser: str  # the organising agency's abbreviation

    @property
    def kind_label(self) -> str:
        """The kind of event in words."""
        return KIND_LABELS.get(self.kind, self.kind)


# Built once: building and keying the statement cost more than running it, on a page every lead opens.
_OBJECTIVE_EVENTS = (
    select(Event.id, Event.title, Event.kind, Event.starts_on, Event.ends_on, Event.place, Event.attendance,
           Event.status, Agency.abbreviation)
    .join(event_objective, event_objective.c.event_id == Event.id)
    .join(Agency, Agency.id == Event.organising_agency_id)
    .where(event_objective.c.objective_id == bindparam("objective_id")).order_by(*NEWEST_FIRST)
)


def events_for_objective(objective) -> list[ObjectiveEvent]:
    """The events delivering an objective, newest first, for its page (plain rows: the page changes nothing)."""
    rows = db.session.connection().execute(_OBJECTIVE_EVENTS, {"objective_id": getattr(objective, "id", objective)})
    return [ObjectiveEvent(*row) for row in rows]


# --- dashboard and board report ---------------------------------------------------------------

def in_plan(plan: Plan):
    """The event delivers one of the plan's objectives, or delivers none and started within the plan's year."""
    delivers = Event.id.in_(
        select(event_objective.c.event_id).join(Objective, Objective.id == event_objective.c.objective_id)
        .join(KeyPriority, KeyPriority.id == Objective.key_priority_id).where(KeyPriority.plan_id == plan.id)
    )
    if plan.starts_on is None or plan.ends_on is None:
        return delivers
    return or_(delivers, and_(
        ~exists().where(event_objective.c.event_id == Event.id),
        Event.starts_on >= plan.starts_on, Event.starts_on <= plan.ends_on,
    ))


def awaiting_outcome(today: date):
    """Planned, its last day has passed, and nobody has recorded attendance or an outcome yet."""
    return and_(
        Event.status == "planned",
        func.coalesce(Event.ends_on, Event.starts_on) < today,
        Event.attendance.is_(None),
        Event.outcome == "",
    )


def _held_figures() -> dict:
    """An empty tally of events held and people who came."""
    return {"held": 0, "attendance": 0, "attendance_unknown": 0}


def _add(tally: dict, held: int, attendance: int | None, counted: int) -> None:
    """Add a group's events held, their attendance, and how many had no count."""
    tally["held"] += held
    tally["attendance"] += attendance or 0
    tally["attendance_unknown"] += held - counted


def _months(first: date, last: date) -> list[date]:
    """The first day of each month from `first` to `last`, inclusive."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def dashboard_figures(plan: Plan, today: date) -> dict:
    """The dashboard's events figures (see work_out_dashboard_figures), worked out again only after a change.

    Kept on the data version, which every committed change moves (scp_tracker.core.data_version), and on the day.
    """
    return kept_figures("events dashboard", (plan.id, today), lambda: (work_out_dashboard_figures(plan, today), None))


def work_out_dashboard_figures(plan: Plan, today: date) -> dict:
    """Events held and people who came, per key priority and per month of the plan, in four queries.

    {"held", "attendance", "attendance_unknown", "planned_upcoming", "awaiting_outcome",
     "by_key_priority": [{"key_priority_id", "number", "title", "held", "attendance", "attendance_unknown"}],
     "not_linked": {"held", "attendance", "attendance_unknown"},
     "by_month": [{"month": date (first of month), "held", "attendance", "attendance_unknown"}]}
    An event delivering objectives of two key priorities counts in both rows and once in the totals;
    "attendance_unknown" counts events held whose attendance nobody recorded.
    """
    key_priorities = db.session.scalars(
        select(KeyPriority).where(KeyPriority.plan_id == plan.id).order_by(KeyPriority.number)
    ).all()
    rows = {kp.id: {"key_priority_id": kp.id, "number": kp.number, "title": kp.title, **_held_figures()}
            for kp in key_priorities}

    pairs = (
        select(event_objective.c.event_id, Objective.key_priority_id)
        .join(Objective, Objective.id == event_objective.c.objective_id)
        .join(KeyPriority, KeyPriority.id == Objective.key_priority_id)
        .where(KeyPriority.plan_id == plan.id).distinct().subquery()
    )
    for kp_id, held, attendance, counted in db.session.execute(
        select(pairs.c.key_priority_id, func.count(Event.id), func.sum(Event.attendance), func.count(Event.attendance))
        .join(pairs, pairs.c.event_id == Event.id).where(Event.status == "held")
        .group_by(pairs.c.key_priority_id)
    ):
        _add(rows[kp_id], held, attendance, counted)

    totals = _held_figures()
    not_linked = _held_figures()
    by_month: dict[date, dict] = defaultdict(_held_figures)
    # Grouped by plain columns and expressions without parameters, which PostgreSQL can match up.
    linked_ids = select(event_objective.c.event_id).distinct().subquery()
    linked = linked_ids.c.event_id.is_not(None)
    year, month = extract("year", Event.starts_on), extract("month", Event.starts_on)
    for event_year, event_month, has_link, held, attendance, counted in db.session.execute(
        select(year, month, linked, func.count(Event.id), func.sum(Event.attendance), func.count(Event.attendance))
        .outerjoin(linked_ids, linked_ids.c.event_id == Event.id)
        .where(in_plan(plan), Event.status == "held").group_by(year, month, linked)
    ):
        _add(totals, held, attendance, counted)
        _add(by_month[date(int(event_year), int(event_month), 1)], held, attendance, counted)
        if not has_link:
            _add(not_linked, held, attendance, counted)

    upcoming, awaiting = db.session.execute(
        select(
            func.coalesce(func.sum(case((and_(Event.status == "planned", Event.starts_on >= today), 1), else_=0)), 0),
            func.coalesce(func.sum(case((awaiting_outcome(today), 1), else_=0)), 0),
        ).where(in_plan(plan))
    ).one()

    # Every month of the plan so far, quiet ones too, so the board sees the gaps.
    months = set(by_month)
    if plan.starts_on:
        months.update(_months(plan.starts_on, min(today, plan.ends_on or today)))
    return {
        **totals,
        "planned_upcoming": int(upcoming),
        "awaiting_outcome": int(awaiting),
        "by_key_priority": list(rows.values()),
        "not_linked": not_linked,
        "by_month": [{"month": m, **by_month.get(m, _held_figures())} for m in sorted(months)],
    }


@dataclass
class HeldSince:
    """The events of a plan held since a date, for the board report."""

    since: date
    events: list[Event]
    attendance: int
    attendance_unknown: int

    @property
    def held(self) -> int:
        """How many events were held."""
        return len(self.events)


def held_since(plan: Plan, since: date) -> HeldSince:
    """The plan's events held on or after a date, oldest first, with their total attendance, in four queries."""
    events = list(db.session.scalars(
        select(Event).where(in_plan(plan), Event.status == "held", Event.starts_on >= since)
        .options(*_listed()).order_by(Event.starts_on, Event.id)
    ))
    return HeldSince(
        since=since,
        events=events,
        attendance=sum(e.attendance or 0 for e in events),
        attendance_unknown=sum(1 for e in events if e.attendance is None),
    )


# --- reminders and calendars ------------------------------------------------------------------

@dataclass(frozen=True)
class EventOutcomeDue:
    """A planned event whose day has passed with no attendance or outcome recorded: whom to ask about it."""

    event_id: int
    title: str
    date: date  # the event's last day
    organising_agency_id: int
    organising_agency_name: str
    recipient_contact_ids: tuple[int, ...]  # the agency's active contacts who receive reminders


def events_awaiting_outcome(today: date, *, with_recipients: bool = True) -> list[EventOutcomeDue]:
    """Every event awaiting its outcome on `today`, oldest first, with whom to remind, in two queries.

    The reminder run has every contact loaded already, so it asks without recipients (one query, and none found).
    """
    last_day = func.coalesce(Event.ends_on, Event.starts_on)
    rows = db.session.execute(
        select(Event.id, Event.title, last_day, Event.organising_agency_id, Agency.name)
        .join(Agency, Agency.id == Event.organising_agency_id)
        .where(awaiting_outcome(today)).order_by(last_day, Event.id)
    ).all()
    agency_ids = {row[3] for row in rows}
    recipients: dict[int, list[int]] = defaultdict(list)
    if agency_ids and with_recipients:
        for contact_id, agency_id in db.session.execute(
            select(Contact.id, Contact.agency_id).where(
                Contact.agency_id.in_(agency_ids), Contact.receives_reminders.is_(True),
                Contact.is_active.is_(True), Contact.email.is_not(None), Contact.email != "",
            ).order_by(Contact.id)
        ):
            recipients[agency_id].append(contact_id)
    return [
        EventOutcomeDue(event_id, title, _as_date(day), agency_id, agency_name, tuple(recipients[agency_id]))
        for event_id, title, day, agency_id, agency_name in rows
    ]


def _as_date(value) -> date:
    """A date read through COALESCE, which SQLite hands back as text."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))


@dataclass(frozen=True)
class CalendarEvent:
    """An event as a calendar feed shows it."""

    event_id: int
    title: str
    kind_label: str
    status: str  # planned | held | cancelled
    starts_on: date
    ends_on: date | None
    place: str
    organising_agency_name: str
    is_organiser: bool  # the contact's agency organised it (else it took part)
    updated_at: datetime


def events_for_calendar(contact: Contact) -> list[CalendarEvent]:
    """The events the contact's agency organised or took part in, cancelled ones too, oldest first, in one query."""
    agency_id = contact.agency_id
    events = db.session.scalars(
        select(Event).where(or_(
            Event.organising_agency_id == agency_id,
            exists().where(event_partner.c.event_id == Event.id, event_partner.c.agency_id == agency_id),
        )).options(joinedload(Event.organising_agency)).order_by(Event.starts_on, Event.id)
    )
    return [
        CalendarEvent(
            event_id=e.id, title=e.title, kind_label=e.kind_label, status=e.status, starts_on=e.starts_on,
            ends_on=e.ends_on, place=e.place, organising_agency_name=e.organising_agency.name,
            is_organiser=e.organising_agency_id == agency_id, updated_at=e.updated_at,
        )
        for e in events
    ]


@dataclass
class FilterChoices:
    """What the events list's filters offer."""

    agencies: list[Agency]
    key_priorities: list[KeyPriority]
    objectives: list[ObjectiveGroup] = field(default_factory=list)


def filter_choices(plan: Plan | None) -> FilterChoices:
    """The agencies and the current plan's key priorities and objectives, in two queries."""
    groups = objective_groups(plan)
    return FilterChoices(agency_choices(), [g.key_priority for g in groups], groups)
