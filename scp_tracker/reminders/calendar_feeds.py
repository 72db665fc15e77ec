"""Private calendar addresses: issuing and turning them off, and the end dates and events each one shows."""

from datetime import datetime

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import contains_eager

from scp_tracker.core import links
from scp_tracker.core.db_types import execute_dml
from scp_tracker.events.calendars import events_for_calendar
from scp_tracker.extensions import db
from scp_tracker.people.link_holders import holds
from scp_tracker.people.models import Contact
from scp_tracker.plans import update_links
from scp_tracker.plans.models import Objective, ObjectiveContact, ObjectiveLead
from scp_tracker.reminders.calendar import end_dates_calendar
from scp_tracker.reminders.facts import open_objectives
from scp_tracker.reminders.models import CalendarFeed


def active_calendar_feed(contact: Contact) -> CalendarFeed | None:
    """The contact's calendar address that still works, if any."""
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.contact_id == contact.id,
                                                        CalendarFeed.revoked_at.is_(None)))


def revoke_calendar_feeds(contact: Contact, *, now: datetime) -> int:
    """Turn off every calendar address of a contact (a leaked address stops working)."""
    result = execute_dml(
        update(CalendarFeed).where(CalendarFeed.contact_id == contact.id, CalendarFeed.revoked_at.is_(None))
        .values(revoked_at=now).execution_options(synchronize_session=False))
    return result.rowcount


def new_calendar_feed(contact: Contact, *, now: datetime) -> str:
    """A new private calendar address for a contact, ending the old one; returns the token (shown once)."""
    revoke_calendar_feeds(contact, now=now)
    raw, hashed = update_links.new_token(contact)
    db.session.add(CalendarFeed(contact_id=contact.id, token_hash=hashed, created_at=now))
    db.session.flush()
    return raw


def calendar_for_token(raw: str, *, now: datetime) -> bytes | None:
    """The iCalendar of a feed's contact (end dates they lead, their agency's events), or None if unknown or off."""
    contact = db.session.scalar(
        select(Contact).join(CalendarFeed, CalendarFeed.contact_id == Contact.id)
        .where(CalendarFeed.token_hash == links.hash_token(raw), CalendarFeed.revoked_at.is_(None)))
    if contact is None or not holds(raw, contact):
        return None
    return end_dates_calendar(objectives_led_by(contact), events_for_calendar(contact),
                              name=f"{contact.name}: end dates and events", now=now)


def objectives_led_by(contact: Contact) -> list[Objective]:
    """Open objectives with an end date that the contact leads: named on them, or else by their agency (one query)."""
    named_here = select(ObjectiveContact.objective_id).where(ObjectiveContact.objective_id == Objective.id)
    return list(db.session.scalars(
        open_objectives(Objective)
        .where(Objective.end_date.is_not(None), Objective.end_date_status == "set",
               or_(named_here.where(ObjectiveContact.contact_id == contact.id).exists(),
                   and_(~named_here.exists(),
                        select(ObjectiveLead.objective_id).where(ObjectiveLead.objective_id == Objective.id,
                                                                 ObjectiveLead.agency_id == contact.agency_id)
                        .exists())))
        .order_by(Objective.end_date, Objective.id)
        .options(contains_eager(Objective.key_priority))
    ))
