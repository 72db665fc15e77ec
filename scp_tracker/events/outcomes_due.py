"""Planned events whose day has passed with no attendance or outcome: whom to remind about them."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, func, select

from scp_tracker.events.models import Event
from scp_tracker.extensions import db
from scp_tracker.people.models import Agency, Contact


def awaiting_outcome(today: date):
    """Planned, its last day has passed, and nobody has recorded attendance or an outcome yet."""
    return and_(
        Event.status == "planned",
        func.coalesce(Event.ends_on, Event.starts_on) < today,
        Event.attendance.is_(None),
        Event.outcome == "",
    )


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
