"""A contact's reminder preferences: pausing reminders until a date and turning optional kinds off."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from scp_tracker.core.history import Actor, set_fields
from scp_tracker.extensions import db
from scp_tracker.people.models import Contact
from scp_tracker.reminders.models import ContactPreference
from scp_tracker.reminders.rules import OPTIONAL_KINDS
from scp_tracker.reminders.services import ReminderError


@dataclass(frozen=True)
class Preferences:
    """A contact's reminder preferences as shown and saved."""

    paused_until: date | None
    opted_out_kinds: tuple[str, ...]


def preferences_of(contact: Contact) -> Preferences:
    """A contact's pause and optional kinds turned off."""
    preference = db.session.get(ContactPreference, contact.id)
    return Preferences(contact.reminders_paused_until, tuple(preference.opted_out_kinds) if preference else ())


def save_preferences(contact: Contact, preferences: Preferences, actor: Actor, *, today: date) -> None:
    """Pause until a date (or resume) and choose the optional kinds; the pause is recorded in the history."""
    if preferences.paused_until is not None and preferences.paused_until < today:
        raise ReminderError("The date to pause until must be today or in the future")
    unknown = set(preferences.opted_out_kinds) - set(OPTIONAL_KINDS)
    if unknown:
        raise ReminderError(f"These reminders cannot be turned off: {', '.join(sorted(unknown))}")
    set_fields(actor, contact, {"reminders_paused_until": preferences.paused_until}, entity="contact")
    preference = db.session.get(ContactPreference, contact.id) or ContactPreference(contact_id=contact.id)
    preference.opted_out_kinds = [kind for kind in OPTIONAL_KINDS if kind in preferences.opted_out_kinds]
    db.session.add(preference)
    db.session.flush()


def paused_contacts(today: date) -> list[Contact]:
    """Contacts whose reminders are paused today or later, soonest back first (one query)."""
    return list(db.session.scalars(
        select(Contact).join(Contact.agency)
        .where(Contact.reminders_paused_until >= today, Contact.is_active.is_(True))
        .order_by(Contact.reminders_paused_until, Contact.name)
        .options(contains_eager(Contact.agency))
    ))
