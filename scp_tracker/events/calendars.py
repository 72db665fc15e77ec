"""The events a contact's calendar feed shows."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import joinedload

from scp_tracker.events.models import Event, event_partner
from scp_tracker.extensions import db
from scp_tracker.people.models import Contact


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
