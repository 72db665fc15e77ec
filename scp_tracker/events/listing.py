"""The events list with its filters, the exports' events, and the events an objective's page lists."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import bindparam, exists, func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from scp_tracker.core.rows import grouped_rows
from scp_tracker.events.models import KIND_LABELS, Event, event_key_priority, event_objective, event_partner
from scp_tracker.extensions import db
from scp_tracker.people.models import Agency, User
from scp_tracker.plans.models import KeyPriority, Objective

PAGE_SIZE = 25


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


@dataclass(frozen=True)
class ServedObjective:
    """An objective a listed event delivers, as the list names it."""

    title: str
    key_priority_number: int


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


@dataclass(frozen=True)
class ListedEvent(ObjectiveEvent):
    """An event as the events list shows it: what an objective's page shows, and its partners and objectives."""

    partners: tuple[str, ...]  # the partner agencies' abbreviations, A to Z
    objectives: tuple[ServedObjective, ...]  # in plan order


@dataclass
class EventPage:
    """One page of a filtered list of events, newest first."""

    events: list[ListedEvent]
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
    # The events of an objective or key priority are found from the objectives' side, on their indexes, and not
    # by a subquery run once for every event.
    if filters.objective_id:
        conditions.append(Event.id.in_(
            select(event_objective.c.event_id).where(event_objective.c.objective_id == filters.objective_id)))
    if filters.key_priority_id:
        conditions.append(Event.id.in_(
            select(event_objective.c.event_id).join(Objective, event_objective.c.objective_id == Objective.id)
            .where(Objective.key_priority_id == filters.key_priority_id)))
    # An event over several days is in the range when any of its days is.
    if filters.date_from:
        conditions.append(func.coalesce(Event.ends_on, Event.starts_on) >= filters.date_from)
    if filters.date_to:
        conditions.append(Event.starts_on <= filters.date_to)
    return conditions


def served_conditions(filters: EventFilters) -> list | None:
    """The filters as conditions on event_key_priority, when they ask for a key priority and nothing that needs
    the event's own row (agency, objective, dates); else None."""
    if not filters.key_priority_id or filters.agency_id or filters.objective_id or filters.date_from \
            or filters.date_to:
        return None
    conditions = [event_key_priority.c.key_priority_id == filters.key_priority_id]
    if filters.kind:
        conditions.append(event_key_priority.c.kind == filters.kind)
    if filters.status:
        conditions.append(event_key_priority.c.status == filters.status)
    return conditions


def listed_options():
    """What a list of events shows, loaded with them."""
    return (
        joinedload(Event.organising_agency),
        selectinload(Event.partner_agencies),
        selectinload(Event.objectives).joinedload(Objective.key_priority),
    )


NEWEST_FIRST = (Event.starts_on.desc(), Event.id.desc())
SERVED_NEWEST_FIRST = (event_key_priority.c.starts_on.desc(), event_key_priority.c.event_id.desc())


# The list's statements are built once and read straight from the session's connection, into plain records:
# loading 25 events with their agencies and objectives through the ORM cost 3 ms, more than finding them.
_LISTED_EVENTS = (
    select(Event.id, Event.title, Event.kind, Event.starts_on, Event.ends_on, Event.place, Event.attendance,
           Event.status, Agency.abbreviation)
    .join(Agency, Agency.id == Event.organising_agency_id)
)
_LISTED_PARTNERS = (
    select(event_partner.c.event_id, Agency.abbreviation).join(Agency, Agency.id == event_partner.c.agency_id)
    .where(event_partner.c.event_id.in_(bindparam("ids", expanding=True)))
    .order_by(event_partner.c.event_id, Agency.abbreviation)
)
_LISTED_OBJECTIVES = (
    select(event_objective.c.event_id, Objective.title, KeyPriority.number)
    .join(Objective, Objective.id == event_objective.c.objective_id).join(Objective.key_priority)
    .where(event_objective.c.event_id.in_(bindparam("ids", expanding=True)))
    .order_by(event_objective.c.event_id, Objective.position, Objective.id)
)


def list_events(filters: EventFilters, *, page: int = 1, page_size: int | None = None) -> EventPage:
    """One page of the events matching the filters (PAGE_SIZE a page by default), newest first, in four queries.

    Filtered by key priority, the events are counted and their page's ids found in event_key_priority's indexes,
    then only that page's events are read: through the objectives, both would visit every event of the key
    priority, which grows with the plan.
    """
    page_size = page_size or PAGE_SIZE
    served = served_conditions(filters)
    conditions = filter_conditions(filters) if served is None else []
    counted = (select(func.count()).select_from(Event).where(*conditions) if served is None
               else select(func.count()).select_from(event_key_priority).where(*served))
    connection = db.session.connection()
    total = connection.execute(counted).scalar_one()
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    offset = (page - 1) * page_size
    if served is None:
        listed = _LISTED_EVENTS.where(*conditions).order_by(*NEWEST_FIRST).limit(page_size).offset(offset)
    else:
        page_ids = (select(event_key_priority.c.event_id).where(*served).order_by(*SERVED_NEWEST_FIRST)
                    .limit(page_size).offset(offset))
        listed = _LISTED_EVENTS.where(Event.id.in_(page_ids)).order_by(*NEWEST_FIRST)
    rows = connection.execute(listed).all()
    ids = [row.id for row in rows]
    partners = grouped_rows(_LISTED_PARTNERS, ids)
    objectives = grouped_rows(_LISTED_OBJECTIVES, ids, ServedObjective)
    events = [ListedEvent(*row, partners=partners.get(row.id, ()), objectives=objectives.get(row.id, ()))
              for row in rows]
    return EventPage(events, total, page, pages)


def events_for_export(filters: EventFilters) -> list[Event]:
    """Every event matching the filters, newest first, with what the export shows, in four queries."""
    return list(db.session.scalars(
        select(Event).where(*filter_conditions(filters))
        .options(*listed_options(), joinedload(Event.recorded_by).joinedload(User.contact))
        .order_by(*NEWEST_FIRST)
    ).unique())


# Built once: building and keying the statement cost more than running it, on a page every lead opens.
_OBJECTIVE_EVENTS = (
    _LISTED_EVENTS.join(event_objective, event_objective.c.event_id == Event.id)
    .where(event_objective.c.objective_id == bindparam("objective_id")).order_by(*NEWEST_FIRST)
)


def events_for_objective(objective) -> list[ObjectiveEvent]:
    """The events delivering an objective, newest first, for its page (plain rows: the page changes nothing)."""
    rows = db.session.connection().execute(_OBJECTIVE_EVENTS, {"objective_id": getattr(objective, "id", objective)})
    return [ObjectiveEvent(*row) for row in rows]
