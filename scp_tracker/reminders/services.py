"""The reminder run and the use cases around it: load the facts, apply the rules, record and queue the digests.

Services add and flush; the caller (the daily job, a CLI command, a view) commits, so reminder records and
their outbox emails land in one transaction.
"""

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from itertools import groupby
from operator import itemgetter
from typing import Any

from flask import current_app
from sqlalchemy import Row, and_, bindparam, case, func, or_, select, update
from sqlalchemy.orm import contains_eager

from scp_tracker.core import links
from scp_tracker.core.clock import today_in_london, utcnow
from scp_tracker.core.db_types import execute_dml, insert_for
from scp_tracker.core.history import Actor, set_fields
from scp_tracker.events import services as event_services
from scp_tracker.extensions import db
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.mail.services import enqueue
from scp_tracker.notifications import preference_links as tokens
from scp_tracker.notifications import services as notification_services
from scp_tracker.people.link_holders import holds
from scp_tracker.people.models import Agency, Contact, User
from scp_tracker.plans import update_links
from scp_tracker.plans.models import (
    FundingLine,
    KeyPriority,
    KeyPriorityLead,
    Objective,
    ObjectiveContact,
    ObjectiveLead,
    Plan,
    ProgressUpdate,
    UpdateToken,
)
from scp_tracker.plans.progress import ProgressValues, add_progress
from scp_tracker.reminders import digests, link_access
from scp_tracker.reminders.calendar import end_dates_calendar
from scp_tracker.reminders.models import (
    CalendarFeed,
    ContactPreference,
    EventReminderRecord,
    ReminderRecord,
    ReminderSetting,
)
from scp_tracker.reminders.rules import (
    KINDS,
    OPTIONAL_KINDS,
    ContactFacts,
    EventFacts,
    EventReminder,
    ObjectiveFacts,
    Reminder,
    ReminderSettings,
    find_event_reminders,
    find_reminders,
    is_run_day,
    objectives_with_nobody_to_remind,
)


class ReminderError(ValueError):
    """A request the reminder rules refuse, worded for the person who made it."""


# --- settings ---------------------------------------------------------------------------------

def load_settings() -> ReminderSettings:
    """The defaults, overridden by what the coordinator saved (one query)."""
    saved = {key: value for key, value in db.session.execute(select(ReminderSetting.key, ReminderSetting.value))}
    values: dict[str, Any] = {}
    for setting in fields(ReminderSettings):
        if setting.name in saved:
            value = json.loads(saved[setting.name])
            values[setting.name] = tuple(value) if isinstance(value, list) else value
    return ReminderSettings(**values)


def save_settings(settings: ReminderSettings, *, user_id: int | None, now: datetime) -> list[str]:
    """Store the settings that differ from what is saved; returns the names of those that changed."""
    current = load_settings()
    rows = {row.key: row for row in db.session.scalars(select(ReminderSetting))}
    changed = []
    for setting in fields(ReminderSettings):
        value = getattr(settings, setting.name)
        if value == getattr(current, setting.name):
            continue
        text = json.dumps(list(value) if isinstance(value, tuple) else value)
        row = rows.get(setting.name) or ReminderSetting(key=setting.name)
        row.value, row.updated_at, row.updated_by_user_id = text, now, user_id
        db.session.add(row)
        changed.append(setting.name)
    db.session.flush()
    return changed


# --- the facts the rules need, in a fixed number of queries -------------------------------------

@dataclass
class Facts:
    """Everything one run looks at."""

    objectives: list[ObjectiveFacts]
    contacts: dict[int, ContactFacts]
    coordinator_ids: list[int]
    settings: ReminderSettings


def _open_objectives(*columns):
    """A query of these columns of the open objectives of plans in use (with their key priority and plan)."""
    return (
        select(*columns)
        .join(KeyPriority, Objective.key_priority_id == KeyPriority.id)
        .join(Plan, KeyPriority.plan_id == Plan.id)
        .where(Objective.status == "open", Plan.status != "archived")
    )


def load_facts() -> Facts:
    """Load open objectives of the plans in use, their leads, contacts and latest progress (six queries)."""
    # Plain column queries on the session's connection: the ORM's row loading cost more than the SQL. Rows are read
    # as they come (not .all()), so few live at once and the garbage collector has less to do.
    # Flushing first keeps what the session's autoflush gave: unsaved changes are seen.
    db.session.flush()
    connection = db.session.connection()
    # Related rows are loaded for all of them at once, one query each, by this subquery.
    open_ids = _open_objectives(Objective.id)
    # Each objective's related ids are grouped straight into tuples (rows come ordered by objective): lists kept
    # until every query was read made the garbage collector sweep the whole heap once more each run.
    lead_agencies = {  # objective id: (lead agency ids, their names)
        objective_id: tuple(zip(*leads)) for objective_id, leads in _grouped_by_owner(
            (objective_id, (agency_id, name)) for objective_id, agency_id, name in connection.execute(
                select(ObjectiveLead.objective_id, ObjectiveLead.agency_id, Agency.name)
                .join(Agency, ObjectiveLead.agency_id == Agency.id)
                .where(ObjectiveLead.objective_id.in_(open_ids))
                .order_by(ObjectiveLead.objective_id, ObjectiveLead.position))
        ).items()}
    named = _grouped_by_owner(connection.execute(
        select(ObjectiveContact.objective_id, ObjectiveContact.contact_id)
        .where(ObjectiveContact.objective_id.in_(open_ids))
        .order_by(ObjectiveContact.objective_id, ObjectiveContact.contact_id)
    ))
    kp_leads = _grouped_by_owner(connection.execute(
        select(KeyPriorityLead.key_priority_id, KeyPriorityLead.agency_id)
        .join(KeyPriority, KeyPriorityLead.key_priority_id == KeyPriority.id)
        .join(Plan, KeyPriority.plan_id == Plan.id)
        .where(Plan.status != "archived")
        .order_by(KeyPriorityLead.key_priority_id, KeyPriorityLead.position)
    ))

    # The latest progress and TBC funding come as columns of the objective's row, each found on its index.
    has_tbc_funding = (select(FundingLine.id)
                       .where(FundingLine.objective_id == Objective.id, FundingLine.status == "tbc").exists())
    objectives = []
    # Unpacked as plain tuples: reading ten thousand rows by attribute name took longer than the query.
    for (objective_id, title, status, end_date, end_date_status, lead_status, last_progress_at, created_at,
         key_priority_id, kp_number, kp_title, plan_status, progress_text, tbc_funding) in connection.execute(
        _open_objectives(
            Objective.id, Objective.title, Objective.status, Objective.end_date, Objective.end_date_status,
            Objective.lead_status, Objective.last_progress_at, Objective.created_at, Objective.key_priority_id,
            KeyPriority.number, KeyPriority.title, Plan.status, _latest_progress_text(), has_tbc_funding)
        .order_by(KeyPriority.number, Objective.position, Objective.id)
    ):
        lead_agency_ids, lead_agency_names = lead_agencies.get(objective_id, ((), ()))
        objectives.append(ObjectiveFacts(
            id=objective_id, title=title, key_priority_number=kp_number, key_priority_title=kp_title,
            status=status, plan_status=plan_status, end_date=end_date, end_date_status=end_date_status,
            lead_status=lead_status, last_progress_at=last_progress_at, latest_progress_text=progress_text or "",
            has_tbc_funding=tbc_funding, lead_agency_ids=lead_agency_ids, lead_agency_names=lead_agency_names,
            named_contact_ids=named.get(objective_id, ()),
            key_priority_lead_agency_ids=kp_leads.get(key_priority_id, ()),
            created_on=today_in_london(created_at),
        ))

    contacts, coordinator_users = {}, []
    for (contact_id, email, name, agency_id, receives_reminders, paused_until, opted_out_kinds,
         coordinator_user) in connection.execute(
        select(Contact.id, Contact.email, Contact.name, Contact.agency_id, Contact.receives_reminders,
               Contact.reminders_paused_until, ContactPreference.opted_out_kinds, User.id)
        .outerjoin(ContactPreference, ContactPreference.contact_id == Contact.id)
        # Coordinators come with their contact, in the same query: a coordinator with no email is told nothing.
        .outerjoin(User, (User.contact_id == Contact.id) & (User.role == "coordinator") & User.is_enabled.is_(True))
        .where(Contact.is_active.is_(True), Contact.email.is_not(None), Contact.email != "")
        .order_by(Contact.id)
    ):
        contacts[contact_id] = ContactFacts(
            id=contact_id, email=email, name=name, agency_id=agency_id, receives_reminders=receives_reminders,
            paused_until=paused_until, opted_out_kinds=frozenset(opted_out_kinds or ()),
        )
        if coordinator_user is not None:
            coordinator_users.append((coordinator_user, contact_id))
    coordinator_ids = [contact_id for _, contact_id in sorted(coordinator_users)]
    return Facts(objectives, contacts, coordinator_ids, load_settings())


def _grouped_by_owner(rows) -> dict[int, tuple]:
    """Rows of (owner id, value) in owner order as {owner id: (value, ...)}."""
    return {owner_id: tuple(value for _, value in group) for owner_id, group in groupby(rows, key=itemgetter(0))}


def _latest_progress_text():
    """The newest progress text of the row's objective, as a column (None before its first update)."""
    return (
        select(ProgressUpdate.text)
        .where(ProgressUpdate.objective_id == Objective.id)
        .order_by(ProgressUpdate.recorded_at.desc(), ProgressUpdate.id.desc())
        .limit(1)
        .correlate(Objective)
        .scalar_subquery()
    )


def _recorded_keys(today: date, settings: ReminderSettings) -> set[tuple[int, str, str, int]]:
    """The unique keys of reminders sent about open objectives recently enough to match one due today (one query).

    A key names a due-soon stage or a repeat period: a stage lasts at most the longest stage, a period its kind's
    repeat, so an older record of that kind can never match today's. Leaving them out keeps years of history out
    of memory, and weeks of weekly overdue reminders out of each run.
    """
    # The day since which a record of each kind can still match; the other kinds repeat with tbc_funding.
    since = {kind: today - timedelta(days=days + 1) for kind, days in (
        ("due_soon", max(settings.due_soon_stages, default=0)), ("overdue", settings.overdue_repeat_days),
        ("stale", settings.stale_repeat_days))}
    others_since = today - timedelta(days=settings.tbc_repeat_days + 1)
    return {(objective, kind, stage, contact) for objective, kind, stage, contact in db.session.connection().execute(
        select(ReminderRecord.objective_id, ReminderRecord.kind, ReminderRecord.stage_or_period,
               ReminderRecord.contact_id)
        .where(ReminderRecord.objective_id.in_(_open_objectives(Objective.id)),
               # The earliest day on its own too, so the index on (objective, sent_on) bounds the search.
               ReminderRecord.sent_on >= min(others_since, *since.values()),
               ReminderRecord.sent_on >= case(since, value=ReminderRecord.kind, else_=others_since))
    )}


# --- the run -----------------------------------------------------------------------------------

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
    notifications: list[notification_services.DigestNotification] = field(default_factory=list)
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


@dataclass
class RunReport:
    """What a run sent or, when dry, would send."""

    today: date
    skipped: str = ""  # why a scheduled run sent nothing (a weekend, a bank holiday)
    digests: list[Digest] = field(default_factory=list)
    nobody_to_remind: list[ObjectiveFacts] = field(default_factory=list)
    summaries_queued: int = 0

    @property
    def reminder_count(self) -> int:
        """How many reminders the digests carry."""
        return sum(len(d.items) + len(d.events) for d in self.digests)

    def as_json(self) -> list[dict]:
        """The `reminders preview --json` shape: one entry per email (event items name their event)."""
        return [
            {"to": digest.contact.email, "kinds": digest.kinds,
             "items": [{"objective_id": i.reminder.objective_id, "kind": i.reminder.kind, "detail": i.reminder.detail}
                       for i in digest.items]
             + [{"objective_id": None, "event_id": i.reminder.event_id, "kind": i.reminder.kind,
                 "detail": i.reminder.detail} for i in digest.events],
             "notifications": [notification.title for notification in digest.notifications]}
            for digest in self.digests
        ]


def run_reminders(today: date, now: datetime | None = None, dry_run: bool = False, *,
                  force: bool = False) -> RunReport:
    """Find what is due and not yet sent, record it and queue one digest per person, plus the run summary.

    Idempotent: each reminder's unique key is inserted with ON CONFLICT DO NOTHING in the same transaction as
    its email, so a second run or a second process queues nothing new. A scheduled run skips weekends and bank
    holidays when the settings say so; `force` (the CLI, "Send now") runs anyway. `dry_run` writes nothing.
    """
    now = now or utcnow()
    facts = load_facts()
    report = RunReport(today=today)
    if not force and not is_run_day(today, facts.settings):
        report.skipped = f"{today:%A} {today.isoformat()} is not a run day (weekend or bank holiday)"
        return report
    contacts = list(facts.contacts.values())
    due = find_reminders(facts.objectives, contacts, facts.coordinator_ids, today, facts.settings,
                         already_sent=_recorded_keys(today, facts.settings))
    events = _event_facts(today)
    recorded_events = _recorded_event_keys([event.id for event in events])
    due_events = [reminder for reminder in find_event_reminders(events, contacts, today, facts.settings)
                  if reminder.key not in recorded_events]
    report.nobody_to_remind = objectives_with_nobody_to_remind(facts.objectives, contacts)
    if not dry_run:
        due = _record(due, today, now)
        due_events = _record_events(due_events, today, now)
    # Notifications people chose to get in their daily email; a real run takes them, so no other run repeats them.
    # Alone they make at most one daily email a day: not for someone sent a digest today, unless this run sends
    # them one anyway.
    notes = notification_services.digest_items(
        [contact.id for contact in contacts if not contact.is_paused_on(today)], now=now, claim=not dry_run,
        unless_sent=_digest_key(today, ""),
        unless_sent_except={r.contact_id for r in due} | {r.contact_id for r in due_events})
    report.digests = _digests(due, due_events, facts, events, notes)
    if dry_run or not report.digests:
        return report
    _write_digests(report.digests, today, now)
    if report.reminder_count:  # a daily email of notifications only is not a reminder run to summarise
        report.summaries_queued = _queue_summaries(report, facts, today, now)
    return report


def _record(due: list[Reminder], today: date, now: datetime) -> list[Reminder]:
    """Insert reminder records, skipping any another run recorded first; returns those this run owns."""
    if not due:
        return []
    rows = [{"objective_id": r.objective_id, "kind": r.kind, "stage_or_period": r.stage_or_period,
             "contact_id": r.contact_id, "detail": r.detail, "sent_on": today, "outbox_key": "",
             "created_at": now} for r in due]
    statement = (
        insert_for(ReminderRecord)
        .on_conflict_do_nothing(index_elements=["objective_id", "kind", "stage_or_period", "contact_id"])
        .returning(ReminderRecord.objective_id, ReminderRecord.kind, ReminderRecord.stage_or_period,
                   ReminderRecord.contact_id)
    )
    owned = {tuple(row) for row in db.session.execute(statement, rows)}
    return [r for r in due if r.key in owned]


def _event_facts(today: date) -> list[EventFacts]:
    """Planned events whose day has passed with nothing recorded, and their organising agency."""
    return [EventFacts(id=due.event_id, title=due.title, held_on=due.date, agency_name=due.organising_agency_name,
                       agency_id=due.organising_agency_id)
            for due in event_services.events_awaiting_outcome(today, with_recipients=False)]


def _recorded_event_keys(event_ids: list[int]) -> set[tuple[int, str, int]]:
    """The unique keys of event reminders already sent about these events (one query, none without events)."""
    if not event_ids:
        return set()
    return {(event_id, period, contact_id) for event_id, period, contact_id in db.session.execute(
        select(EventReminderRecord.event_id, EventReminderRecord.period, EventReminderRecord.contact_id)
        .where(EventReminderRecord.event_id.in_(event_ids))
    )}


def _record_events(due: list[EventReminder], today: date, now: datetime) -> list[EventReminder]:
    """Insert event reminder records, skipping any another run recorded first; returns those this run owns."""
    if not due:
        return []
    rows = [{"event_id": r.event_id, "period": r.period, "contact_id": r.contact_id, "detail": r.detail,
             "sent_on": today, "outbox_key": "", "created_at": now} for r in due]
    statement = (
        insert_for(EventReminderRecord)
        .on_conflict_do_nothing(index_elements=["event_id", "period", "contact_id"])
        .returning(EventReminderRecord.event_id, EventReminderRecord.period, EventReminderRecord.contact_id)
    )
    owned = {tuple(row) for row in db.session.execute(statement, rows)}
    return [r for r in due if r.key in owned]


def _digest_key(today: date, contact_id: int | str) -> str:
    """The outbox key of a person's first digest of the day ("" for the part before the contact's id)."""
    return f"digest:{today.isoformat()}:{contact_id}"


def _digests(due: list[Reminder], due_events: list[EventReminder], facts: Facts, events: list[EventFacts],
             notes: dict[int, list[notification_services.DigestNotification]]) -> list[Digest]:
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


def _enqueue_once_more(base_key: str, **email) -> str:
    """Queue an email under base_key, or base_key:2, :3… when an earlier run today already used it.

    The reminders in it are new (their records were just inserted), so they must go out even if the
    person already had a digest today (say the coordinator pressed "Send now" after changing the plan).
    """
    key, n = base_key, 1
    while enqueue(key=key, **email) is None:
        n += 1
        key = f"{base_key}:{n}"
    return key


def _write_digests(digests_: list[Digest], today: date, now: datetime) -> None:
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
        digest.outbox_key = _enqueue_once_more(
            _digest_key(today, digest.contact.id), to=digest.contact.email, subject=email.subject,
            text_body=email.text, html_body=email.html, kind="reminder_digest", reply_to=reply_to, now=now)
        notification_services.note_digest_email([note.id for note in digest.notifications], digest.outbox_key)
        for record in (ReminderRecord, EventReminderRecord):
            db.session.execute(
                update(record)
                .where(record.sent_on == today, record.contact_id == digest.contact.id, record.outbox_key == "")
                .values(outbox_key=digest.outbox_key)
                .execution_options(synchronize_session=False)
            )


@dataclass(frozen=True)
class FailedEmail:
    """An email that could not be delivered, for the coordinator's run summary."""

    to_address: str
    subject: str
    failed_at: datetime | None
    last_error: str


def _failures_since_last_summary() -> list[FailedEmail]:
    """Emails that failed for good since the previous run summary was queued (two queries)."""
    last_summary_at = db.session.scalar(
        select(func.max(OutboxMessage.created_at)).where(OutboxMessage.kind == "reminder_summary"))
    query = select(OutboxMessage.to_address, OutboxMessage.subject, OutboxMessage.failed_at,
                   OutboxMessage.last_error).where(OutboxMessage.status == "failed")
    if last_summary_at is not None:
        query = query.where(OutboxMessage.failed_at > last_summary_at)
    rows = db.session.execute(query.order_by(OutboxMessage.failed_at, OutboxMessage.id)).all()
    return [FailedEmail(r.to_address, r.subject, r.failed_at, r.last_error or "") for r in rows]


def _queue_summaries(report: RunReport, facts: Facts, today: date, now: datetime) -> int:
    """Tell each coordinator who was sent what, which objectives have nobody to remind, and what failed."""
    failures = _failures_since_last_summary()
    queued = 0
    for contact_id in facts.coordinator_ids:
        coordinator = facts.contacts.get(contact_id)
        if coordinator is None or coordinator.is_paused_on(today):
            continue
        email = digests.summary_email(report, failures, coordinator=coordinator, today=today)
        _enqueue_once_more(f"reminder-summary:{today.isoformat()}:{contact_id}", to=coordinator.email,
                           subject=email.subject, text_body=email.text, html_body=email.html,
                           kind="reminder_summary", now=now)
        queued += 1
    return queued


# --- updating from an emailed link --------------------------------------------------------------

LINK_PROBLEMS = {
    "unknown": "This link is not one we sent, or it was copied incompletely.",
    "used": "This link has already been used to send an update.",
    "revoked": "This link has been replaced by a newer one.",
    "expired": "This link has expired.",
    "withdrawn": "This link no longer works: the email address it was sent to has changed, the person it was sent to "
                 "no longer has access, or they no longer lead this objective. Ask the partnership's coordinator "
                 "for a new one.",
}


class LinkError(ReminderError):
    """An update link that cannot be used; `state` is unknown, used, revoked, expired or withdrawn."""

    def __init__(self, state: str, token: UpdateToken | None = None):
        super().__init__(LINK_PROBLEMS[state])
        self.state = state
        self.token = token


def usable_token(raw: str, now: datetime) -> UpdateToken:
    """The token of a link that can still be used, or LinkError saying why not. Changes nothing."""
    token = update_links.find_update_token(raw)
    if token is None:
        raise LinkError("unknown")
    # Checked on opening and again on submitting (update_from_link calls this): a link dies with a change of
    # address, a disabled login, a departure, or the objective moving away from its holder.
    if not link_access.may_use(raw, token):
        raise LinkError("withdrawn")  # no token: a new link is not offered, the coordinator decides
    state = token.state(now)
    if state != "usable":
        raise LinkError(state, token)
    return token


def update_from_link(raw: str, values: ProgressValues, *, now: datetime) -> UpdateToken:
    """Use the link up and record the update as its contact, in the caller's transaction.

    The conditional UPDATE makes two submissions of one link (a double click, two tabs) record one update.
    The objective is the link's own: nothing in the form can point it at another.
    """
    token = usable_token(raw, now)
    if not update_links.use_update_token(token, now):
        db.session.refresh(token)
        raise LinkError(token.state(now), token)
    add_progress(token.objective, values, Actor.for_contact(token.contact), now=now)
    return token


def send_fresh_link(token: UpdateToken, *, now: datetime) -> bool:
    """Email the link's contact a new link to the same objective; False when one was already sent today."""
    contact, objective = token.contact, token.objective
    if not link_access.may_send_link(contact, objective):
        raise ReminderError("We cannot send a new link to this address. Please contact the coordinator.")
    key = f"fresh-link:{today_in_london(now).isoformat()}:{contact.id}:{objective.id}"
    if db.session.scalar(select(OutboxMessage.id).where(OutboxMessage.key == key)) is not None:
        return False
    update_links.revoke_update_tokens(contact_id=contact.id, objective_id=objective.id, now=now)
    raw = update_links.issue_update_tokens([(contact.id, objective.id)], now)[(contact.id, objective.id)]
    email = digests.fresh_link_email(contact, objective, link=update_links.update_url(raw),
                                     expires_at=now + update_links.UPDATE_LINK_LIFETIME)
    assert contact.email is not None  # may_send_link above requires an address
    return enqueue(to=contact.email, subject=email.subject, text_body=email.text, html_body=email.html,
                   key=key, kind="reminder_link", reply_to=reply_to_address(), now=now) is not None


# --- preferences, pauses, calendar feeds ------------------------------------------------------

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


# Built once: building and keying the statement cost more than running it, on a page every lead opens.
_REMINDERS_SENT_FOR = (
    select(ReminderRecord.sent_on, Contact.name.label("contact_name"), ReminderRecord.detail)
    .join(Contact, Contact.id == ReminderRecord.contact_id)
    .where(ReminderRecord.objective_id == bindparam("objective_id"))
    .order_by(ReminderRecord.sent_on.desc(), ReminderRecord.id.desc())
)


def reminders_sent_for(objective_id: int) -> Sequence[Row]:
    """The reminders sent about one objective, newest first: when, to whom (contact_name), what (one query)."""
    return db.session.connection().execute(_REMINDERS_SENT_FOR, {"objective_id": objective_id}).all()


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
    return end_dates_calendar(objectives_led_by(contact), event_services.events_for_calendar(contact),
                              name=f"{contact.name}: end dates and events", now=now)


def objectives_led_by(contact: Contact) -> list[Objective]:
    """Open objectives with an end date that the contact leads: named on them, or else by their agency (one query)."""
    named_here = select(ObjectiveContact.objective_id).where(ObjectiveContact.objective_id == Objective.id)
    return list(db.session.scalars(
        _open_objectives(Objective)
        .where(Objective.end_date.is_not(None), Objective.end_date_status == "set",
               or_(named_here.where(ObjectiveContact.contact_id == contact.id).exists(),
                   and_(~named_here.exists(),
                        select(ObjectiveLead.objective_id).where(ObjectiveLead.objective_id == Objective.id,
                                                                 ObjectiveLead.agency_id == contact.agency_id)
                        .exists())))
        .order_by(Objective.end_date, Objective.id)
        .options(contains_eager(Objective.key_priority))
    ))
