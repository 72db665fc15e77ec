"""Building each person's digest from a run's reminders and notifications, and queueing it with its one link.

A digest lists each objective once, with every reason it is there. The objectives the person is asked about (the
rule of plans.leads) are answered on "Your objectives", opened by the email's one link; the others (a coordinator's,
a key priority lead's escalation) link to the objective's page, behind a sign-in.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask import current_app
from sqlalchemy import select, update

from scp_tracker.core import links
from scp_tracker.extensions import db
from scp_tracker.mail.services import enqueue
from scp_tracker.notifications import daily_email
from scp_tracker.notifications import preference_links as tokens
from scp_tracker.people.models import Contact, User, holds_role
from scp_tracker.reminders import digests
from scp_tracker.reminders.facts import Facts
from scp_tracker.reminders.figure_chasing import FigureFacts, FigureReminder
from scp_tracker.reminders.lead_links import issue_lead_links, lead_link_url
from scp_tracker.reminders.models import EventReminderRecord, FigureReminderRecord, ReminderRecord
from scp_tracker.reminders.rules import (
    KINDS,
    ContactFacts,
    EventFacts,
    EventReminder,
    ObjectiveFacts,
    People,
    Reminder,
)


@dataclass
class DigestItem:
    """One reminder in a digest, with the objective it is about."""

    reminder: Reminder
    objective: ObjectiveFacts


@dataclass
class ObjectiveEntry:
    """One objective in a digest, once, with every reason it is there; asked: answered on "Your objectives"."""

    objective: ObjectiveFacts
    reminders: list[Reminder]
    asked: bool
    link: str = ""

    @property
    def kinds(self) -> list[str]:
        """Its reasons' kinds, in the order digests show kinds."""
        present = {reminder.kind for reminder in self.reminders}
        return [kind for kind in KINDS if kind in present]


@dataclass
class EventDigestItem:
    """One event_outcome reminder in a digest, with the event and the link to record its outcome."""

    reminder: EventReminder
    event: EventFacts
    link: str = ""


@dataclass
class FigureDigestItem:
    """A late indicator figure asked for in a digest: given on "Your objectives", opened by the one link."""

    reminder: FigureReminder
    figure: FigureFacts


@dataclass
class Digest:
    """All of one person's reminders of one run: one email."""

    contact: ContactFacts
    items: list[DigestItem]
    events: list[EventDigestItem] = field(default_factory=list)
    notifications: list[daily_email.DigestNotification] = field(default_factory=list)
    outbox_key: str = ""
    asked_objective_ids: frozenset[int] = frozenset()
    lead_link: str = ""  # the one link to "Your objectives", once written
    summary: digests.RunSummary | None = None  # a coordinator's run summary, carried in the same email
    figures: list[FigureDigestItem] = field(default_factory=list)  # late figures asked for, after the objectives

    @property
    def asks_on_its_page(self) -> bool:
        """Whether it asks for something answered on "Your objectives" (objectives or figures): it gets the link."""
        return bool(self.asked_objective_ids or self.figures)

    @property
    def kinds(self) -> list[str]:
        """The kinds in it, in the order digests show them."""
        present = ({item.reminder.kind for item in self.items} | {item.reminder.kind for item in self.events}
                   | {item.reminder.kind for item in self.figures})
        return [kind for kind in KINDS if kind in present]

    @property
    def objective_count(self) -> int:
        """How many objectives it is about."""
        return len({item.objective.id for item in self.items})

    @property
    def entries(self) -> list[ObjectiveEntry]:
        """Each objective once, with all its reasons, by key priority then title."""
        by_objective: dict[int, ObjectiveEntry] = {}
        for item in self.items:
            entry = by_objective.setdefault(item.objective.id, ObjectiveEntry(
                item.objective, [], item.objective.id in self.asked_objective_ids))
            entry.reminders.append(item.reminder)
        kind_order = {kind: n for n, kind in enumerate(KINDS)}
        for entry in by_objective.values():
            entry.reminders.sort(key=lambda reminder: kind_order[reminder.kind])
        return sorted(by_objective.values(), key=lambda e: (e.objective.key_priority_number,
                                                             e.objective.title.lower(), e.objective.id))

    @property
    def round_id(self) -> int | None:
        """The round its steps belong to, if it carries any: its link then dies when that round closes."""
        keys = [*(item.reminder.stage_or_period for item in self.items),
                *(item.reminder.stage_or_period for item in self.figures)]
        return next((int(key.split(":")[1]) for key in keys if key.startswith("round:")), None)


def digest_key(today: date, contact_id: int | str) -> str:
    """The outbox key of a person's first digest of the day ("" for the part before the contact's id)."""
    return f"digest:{today.isoformat()}:{contact_id}"


def build_digests(due: list[Reminder], due_events: list[EventReminder], facts: Facts, events: list[EventFacts],
             notes: dict[int, list[daily_email.DigestNotification]], *,
             due_figures: list[FigureReminder] | None = None) -> list[Digest]:
    """Group reminders, late figures asked for and notifications into one digest per person, items by kind then key
    priority; nobody gets an empty one."""
    objectives = {o.id: o for o in facts.objectives}
    people = People(facts.contacts.values(), facts.coordinator_ids)
    events_by_id = {event.id: event for event in events}
    kind_order = {kind: n for n, kind in enumerate(KINDS)}
    by_contact = defaultdict(list)
    for reminder in due:
        by_contact[reminder.contact_id].append(DigestItem(reminder, objectives[reminder.objective_id]))
    events_by_contact = defaultdict(list)
    for event_reminder in due_events:
        events_by_contact[event_reminder.contact_id].append(
            EventDigestItem(event_reminder, events_by_id[event_reminder.event_id]))
    figures = {figure.indicator_id: figure for figure in facts.late_figures}
    figures_by_contact = defaultdict(list)
    for figure_reminder in due_figures or ():
        figures_by_contact[figure_reminder.contact_id].append(
            FigureDigestItem(figure_reminder, figures[figure_reminder.indicator_id]))
    digests_ = []
    for contact_id in by_contact.keys() | events_by_contact.keys() | notes.keys() | figures_by_contact.keys():
        items = by_contact.get(contact_id, [])
        items.sort(key=lambda i: (kind_order[i.reminder.kind], i.objective.key_priority_number,
                                  i.objective.title.lower(), i.objective.id))
        asked = frozenset(item.objective.id for item in items
                          if contact_id in people.asked_about_objective(item.objective))
        digests_.append(Digest(facts.contacts[contact_id], items, events_by_contact.get(contact_id, []),
                               notes.get(contact_id, []), asked_objective_ids=asked,
                               figures=figures_by_contact.get(contact_id, [])))
    return sorted(digests_, key=lambda d: (d.contact.name.lower(), d.contact.id))


def reply_to_address() -> str | None:
    """MAIL_REPLY_TO, or else the coordinator's address, so a reply to a reminder reaches a person."""
    return current_app.config.get("MAIL_REPLY_TO") or db.session.scalar(
        select(Contact.email).join(User, User.contact_id == Contact.id)
        .where(holds_role("coordinator"), User.is_enabled.is_(True), Contact.is_active.is_(True),
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


def write_digests(digests_: list[Digest], today: date, now: datetime) -> list[Digest]:
    """Give each person asked about something their one link, queue each digest, note its key on its records.

    Returns the digests queued: a summary with nothing new beside it is dropped when the coordinator already has
    their email of the day (a second run, or a second process, at the same time).
    """
    queued = []
    by_round = defaultdict(list)
    for digest in digests_:
        if digest.asks_on_its_page:
            by_round[digest.round_id].append(digest.contact.id)
    raw_tokens = {contact_id: raw for round_id, contact_ids in by_round.items()
                  for contact_id, raw in issue_lead_links(contact_ids, now, round_id=round_id).items()}
    reply_to = reply_to_address()
    for digest in digests_:
        if digest.contact.id in raw_tokens:
            digest.lead_link = lead_link_url(raw_tokens[digest.contact.id])
        for event_item in digest.events:
            # Recording an outcome needs a sign-in: an event is the agency's record, not one person's update.
            event_item.link = links.absolute_url(f"/events/{event_item.event.id}/edit")
        email = digests.digest_email(digest, today=today, preferences_link=tokens.preferences_url(digest.contact.id),
                                     objective_link=lambda objective_id: links.absolute_url(
                                         f"/objectives/{objective_id}"))
        message: dict[str, Any] = dict(
            to=digest.contact.email, subject=email.subject, text_body=email.text, html_body=email.html,
            kind="reminder_summary" if digest.summary is not None else "reminder_digest", reply_to=reply_to, now=now)
        if digest.items or digest.events or digest.figures or digest.notifications:
            digest.outbox_key = enqueue_once_more(digest_key(today, digest.contact.id), **message)
        elif enqueue(key=digest_key(today, digest.contact.id), **message) is not None:
            digest.outbox_key = digest_key(today, digest.contact.id)
        else:
            continue
        queued.append(digest)
        daily_email.note_digest_email([note.id for note in digest.notifications], digest.outbox_key)
        for record in (ReminderRecord, EventReminderRecord, *((FigureReminderRecord,) if digest.figures else ())):
            db.session.execute(
                update(record)
                .where(record.sent_on == today, record.contact_id == digest.contact.id, record.outbox_key == "")
                .values(outbox_key=digest.outbox_key)
                .execution_options(synchronize_session=False)
            )
    return queued
