"""Building each person's digest from a run's reminders and notifications, and queueing it with fresh update links."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from sqlalchemy import select, update

from scp_tracker.core import links
from scp_tracker.extensions import db
from scp_tracker.mail.services import enqueue
from scp_tracker.notifications import daily_email
from scp_tracker.notifications import preference_links as tokens
from scp_tracker.people.models import Contact, User
from scp_tracker.plans import update_links
from scp_tracker.reminders import digests
from scp_tracker.reminders.facts import Facts
from scp_tracker.reminders.models import EventReminderRecord, ReminderRecord
from scp_tracker.reminders.rules import KINDS, ContactFacts, EventFacts, EventReminder, ObjectiveFacts, Reminder


@dataclass
class DigestItem:
    """One reminder in a digest, with the objective it is about and (once written) its update link."""

    reminder: Reminder
    objective: ObjectiveFacts
    link: str = ""


@dataclass
class EventDigestItem:
    """One event_outcome reminder in a digest, with the event and the link to record its outcome."""

    reminder: EventReminder
    event: EventFacts
    link: str = ""


@dataclass
class Digest:
    """All of one person's reminders of one run: one email."""

    contact: ContactFacts
    items: list[DigestItem]
    events: list[EventDigestItem] = field(default_factory=list)
    notifications: list[daily_email.DigestNotification] = field(default_factory=list)
    outbox_key: str = ""

    @property
    def kinds(self) -> list[str]:
        """The kinds in it, in the order digests show them."""
        present = {item.reminder.kind for item in self.items} | {item.reminder.kind for item in self.events}
        return [kind for kind in KINDS if kind in present]

    @property
    def objective_count(self) -> int:
        """How many objectives it is about."""
        return len({item.objective.id for item in self.items})


def digest_key(today: date, contact_id: int | str) -> str:
    """The outbox key of a person's first digest of the day ("" for the part before the contact's id)."""
    return f"digest:{today.isoformat()}:{contact_id}"


def build_digests(due: list[Reminder], due_events: list[EventReminder], facts: Facts, events: list[EventFacts],
             notes: dict[int, list[daily_email.DigestNotification]]) -> list[Digest]:
    """Group reminders and notifications into one digest per person, items by kind then key priority; nobody
    gets an empty one."""
    objectives = {o.id: o for o in facts.objectives}
    events_by_id = {event.id: event for event in events}
    kind_order = {kind: n for n, kind in enumerate(KINDS)}
    by_contact = defaultdict(list)
    for reminder in due:
        by_contact[reminder.contact_id].append(DigestItem(reminder, objectives[reminder.objective_id]))
    events_by_contact = defaultdict(list)
    for event_reminder in due_events:
        events_by_contact[event_reminder.contact_id].append(
            EventDigestItem(event_reminder, events_by_id[event_reminder.event_id]))
    digests_ = []
    for contact_id in by_contact.keys() | events_by_contact.keys() | notes.keys():
        items = by_contact.get(contact_id, [])
        items.sort(key=lambda i: (kind_order[i.reminder.kind], i.objective.key_priority_number,
                                  i.objective.title.lower(), i.objective.id))
        digests_.append(Digest(facts.contacts[contact_id], items, events_by_contact.get(contact_id, []),
                               notes.get(contact_id, [])))
    return sorted(digests_, key=lambda d: (d.contact.name.lower(), d.contact.id))


def reply_to_address() -> str | None:
    """MAIL_REPLY_TO, or else the coordinator's address, so a reply to a reminder reaches a person."""
    return current_app.config.get("MAIL_REPLY_TO") or db.session.scalar(
        select(Contact.email).join(User, User.contact_id == Contact.id)
        .where(User.role == "coordinator", User.is_enabled.is_(True), Contact.is_active.is_(True),
               Contact.email.is_not(None))
        .order_by(User.id).limit(1))


def enqueue_once_more(base_key: str, **email) -> str:
    """Queue an email under base_key, or base_key:2, :3… when an earlier run today already used it.

    The reminders in it are new (their records were just inserted), so they must go out even if the
    person already had a digest today (say the coordinator pressed "Send now" after changing the plan).
    """
    key, n = base_key, 1
    while enqueue(key=key, **email) is None:
        n += 1
        key = f"{base_key}:{n}"
    return key


def write_digests(digests_: list[Digest], today: date, now: datetime) -> None:
    """Give each (person, objective) a fresh update link, queue each digest, note its key on its records."""
    raw_tokens = update_links.issue_update_tokens(
        ((d.contact.id, item.objective.id) for d in digests_ for item in d.items), now)
    reply_to = reply_to_address()
    for digest in digests_:
        for item in digest.items:
            item.link = update_links.update_url(raw_tokens[(digest.contact.id, item.objective.id)])
        for event_item in digest.events:
            # Recording an outcome needs a sign-in: an event is the agency's record, not one person's update.
            event_item.link = links.absolute_url(f"/events/{event_item.event.id}/edit")
        email = digests.digest_email(digest, today=today, preferences_link=tokens.preferences_url(digest.contact.id))
        digest.outbox_key = enqueue_once_more(
            digest_key(today, digest.contact.id), to=digest.contact.email, subject=email.subject,
            text_body=email.text, html_body=email.html, kind="reminder_digest", reply_to=reply_to, now=now)
        daily_email.note_digest_email([note.id for note in digest.notifications], digest.outbox_key)
        for record in (ReminderRecord, EventReminderRecord):
            db.session.execute(
                update(record)
                .where(record.sent_on == today, record.contact_id == digest.contact.id, record.outbox_key == "")
                .values(outbox_key=digest.outbox_key)
                .execution_options(synchronize_session=False)
            )
