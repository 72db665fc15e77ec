"""Which key priorities each event serves: the event_key_priority rows, kept in step with events and objectives.

An event serves a key priority through its objectives, so the list filtered by key priority would otherwise visit
every event of that key priority to count and page it. The rows copy the event's kind, status and start date, so
the count and the page are ranges of one index. They are written in one place, a flush hook on every session,
because events and their objectives are written from more than one place: the event form (events.recording), the
demo, test fixtures, and a revised plan imported by the documents area, which may move a matched objective to
another key priority (documents.plan_loader sets key_priority_id) and cannot call into events (same layer). Only
bulk inserts outside the ORM (the benchmark's generator) go unseen: they call refresh_key_priorities themselves.
Deleting an event deletes its rows (ON DELETE CASCADE).
"""

from collections.abc import Iterable

from sqlalchemy import Connection, Select, delete, event, insert, inspect, select
from sqlalchemy.orm import Session

from scp_tracker.events.models import Event, event_key_priority, event_objective
from scp_tracker.plans.models import Objective

# What an event's rows are made from: a change to any of these rewrites them.
_EVENT_FIELDS = ("kind", "status", "starts_on", "objectives")
_SERVED = (
    select(Event.id, Objective.key_priority_id, Event.kind, Event.status, Event.starts_on).distinct()
    .join(event_objective, event_objective.c.event_id == Event.id)
    .join(Objective, Objective.id == event_objective.c.objective_id)
)


def refresh_key_priorities(connection: Connection, event_ids: Iterable[int] | Select | None = None) -> None:
    """Rewrite the rows of these events (a list of ids or a select of them; every event when None) from their
    objectives, in two statements."""
    cleared, served = delete(event_key_priority), _SERVED
    if event_ids is not None:
        cleared = cleared.where(event_key_priority.c.event_id.in_(event_ids))
        served = served.where(Event.id.in_(event_ids))
    connection.execute(cleared)
    connection.execute(insert(event_key_priority).from_select(
        ["event_id", "key_priority_id", "kind", "status", "starts_on"], served))


def _changed(row, names: Iterable[str]) -> bool:
    """Whether this flush changed any of these attributes of the row."""
    attributes = inspect(row).attrs
    return any(attributes[name].history.has_changes() for name in names)


@event.listens_for(Session, "after_flush")
def _follow_flushed_changes(session: Session, flush_context) -> None:
    """Rewrite the rows of events recorded or changed, and of events whose objective moved key priority."""
    event_ids, moved = set(), set()
    for row in session.new:
        if isinstance(row, Event):
            event_ids.add(row.id)
    for row in session.dirty:
        if isinstance(row, Event) and _changed(row, _EVENT_FIELDS):
            event_ids.add(row.id)
        elif isinstance(row, Objective) and _changed(row, ("key_priority_id", "key_priority")):
            moved.add(row.id)
    if event_ids:
        refresh_key_priorities(session.connection(), sorted(event_ids))
    if moved:
        refresh_key_priorities(session.connection(), select(event_objective.c.event_id).where(
            event_objective.c.objective_id.in_(sorted(moved))))
