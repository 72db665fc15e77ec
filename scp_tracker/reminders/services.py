"""The reminder run: load the facts, apply the rules, record what is due and queue the digests and the run summary.

Also the list of reminders sent about an objective. Services add and flush; the caller (the daily job, a CLI
command, a view) commits, so reminder records and their outbox emails land in one transaction.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby
from operator import itemgetter

from sqlalchemy import Row, bindparam, func, select

from scp_tracker.core.clock import utcnow
from scp_tracker.core.db_types import insert_for
from scp_tracker.events.models import Event
from scp_tracker.events.outcomes_due import awaiting_outcome
from scp_tracker.extensions import db
from scp_tracker.notifications import daily_email
from scp_tracker.people.models import Agency, Contact
from scp_tracker.reminders.digest_building import Digest, build_digests, digest_key, write_digests
from scp_tracker.reminders.digests import RunSummary
from scp_tracker.reminders.facts import Facts, load_facts, recently_emailed, recorded_keys
from scp_tracker.reminders.figure_chasing import (
    FigureReminder,
    asks_for_figures,
    find_figure_steps,
    load_late_figures,
    record_figures,
)
from scp_tracker.reminders.models import EventReminderRecord, ReminderRecord
from scp_tracker.reminders.quiet import within_budget
from scp_tracker.reminders.round_steps import calling_leads, find_round_steps, next_steps
from scp_tracker.reminders.rules import (
    EventFacts,
    EventReminder,
    ObjectiveFacts,
    People,
    Reminder,
    find_event_reminders,
    find_reminders,
    is_run_day,
    objectives_with_nobody_to_remind,
)
from scp_tracker.reminders.summaries import build_summary, is_summary_due
from scp_tracker.rounds.closing import close_due_rounds


class ReminderError(ValueError):
    """A request the reminder rules refuse, worded for the person who made it."""


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
        return sum(len(d.items) + len(d.events) + len(d.figures) for d in self.digests)

    def as_json(self) -> list[dict]:
        """The `reminders preview --json` shape: one entry per email (event items name their event)."""
        return [
            {"to": digest.contact.email, "kinds": digest.kinds,
             "items": [{"objective_id": i.reminder.objective_id, "kind": i.reminder.kind, "detail": i.reminder.detail}
                       for i in digest.items]
             + [{"objective_id": None, "event_id": i.reminder.event_id, "kind": i.reminder.kind,
                 "detail": i.reminder.detail} for i in digest.events]
             + [{"objective_id": None, "indicator_id": i.reminder.indicator_id, "period": i.reminder.period,
                 "kind": i.reminder.kind, "detail": i.reminder.detail} for i in digest.figures],
             "notifications": [notification.title for notification in digest.notifications],
             "summary": digest.summary is not None}
            for digest in self.digests
        ]


def run_reminders(today: date, now: datetime | None = None, dry_run: bool = False, *,
                  force: bool = False) -> RunReport:
    """Find what is due and not yet sent, keep what may go today, record it and queue one email per person.

    Idempotent: each reminder's unique key is inserted with ON CONFLICT DO NOTHING in the same transaction as
    its email, so a second run or a second process queues nothing new. Quiet by default (reminders.quiet): between
    rounds one email a week per person, a round's steps carrying the rest from its call to its deadline; what waits
    is found again by the next run. A coordinator's items and their run summary share one email. A scheduled run
    skips weekends and bank holidays when the settings say so; `force` (the CLI, "Send now") runs anyway.
    `dry_run` writes nothing.
    """
    now = now or utcnow()
    if not dry_run:
        # Rounds whose deadline has passed freeze what the board will see, whatever else this run sends.
        close_due_rounds(today, now)
    facts = load_facts(today, dry_run=dry_run)
    settings = facts.settings
    report = RunReport(today=today)
    if not force and not is_run_day(today, settings):
        report.skipped = f"{today:%A} {today.isoformat()} is not a run day (weekend or bank holiday)"
        return report
    contacts = list(facts.contacts.values())
    people = People(contacts, facts.coordinator_ids)
    recorded, recorded_figures = recorded_keys(today, settings)
    found = [*find_reminders(facts.objectives, contacts, facts.coordinator_ids, today, settings,
                             already_sent=recorded),
             *find_round_steps(facts.rounds, facts.objectives, people, today, settings, already_sent=recorded)]
    # Late indicator figures are loaded only on a day a round asks for them (so other days run no more queries).
    facts.late_figures = load_late_figures(today) if asks_for_figures(facts.rounds, today, settings) else []
    found_figures = find_figure_steps(facts.rounds, facts.late_figures, people, today, settings,
                                      already_sent=recorded_figures)
    events, recorded_events = _events_and_recorded_keys(today)
    found_events = [reminder for reminder in find_event_reminders(events, contacts, today, settings)
                    if reminder.key not in recorded_events]
    report.nobody_to_remind = objectives_with_nobody_to_remind(facts.objectives, contacts)
    summary_to = [cid for cid in facts.coordinator_ids if not facts.contacts[cid].is_paused_on(today)
                  ] if is_summary_due(today, settings) else []
    going = within_budget([*found, *found_events, *found_figures], today, settings,
                          recently_emailed=recently_emailed(today),
                          calling=calling_leads(facts.rounds, facts.objectives, people, today, settings),
                          emailed_anyway=summary_to,
                          next_step_on=next_steps(facts.rounds, facts.objectives, people, today, settings))
    due = [r for r in going if isinstance(r, Reminder)]
    due_events = [r for r in going if isinstance(r, EventReminder)]
    due_figures = [r for r in going if isinstance(r, FigureReminder)]
    if not dry_run:
        due = record(due, today, now)
        due_events = _record_events(due_events, today, now)
        due_figures = record_figures(due_figures, today, now)
    # Notifications people chose to get in their daily email; a real run takes them, so no other run repeats them.
    # Alone they make at most one daily email a day: not for someone sent a digest today, unless this run sends
    # them one anyway.
    notes = daily_email.digest_items(
        [contact.id for contact in contacts if not contact.is_paused_on(today)], now=now, claim=not dry_run,
        unless_sent=digest_key(today, ""),
        unless_sent_except={r.contact_id for r in due} | {r.contact_id for r in due_events}
        | {r.contact_id for r in due_figures} | set(summary_to))
    report.digests = build_digests(due, due_events, facts, events, notes, due_figures=due_figures)
    with_summary = _add_summaries(report, facts, summary_to)
    if dry_run:
        return report
    write_digests([digest for digest in report.digests if digest.summary is None], today, now)
    summary = build_summary(report.nobody_to_remind)
    for digest in with_summary:  # an empty summary is left out: of an email with nothing else, none is sent
        digest.summary = None if summary.is_empty else summary
    kept = [digest for digest in with_summary if digest.items or digest.events or digest.figures
            or digest.notifications or digest.summary is not None]
    queued = write_digests(kept, today, now)
    report.digests = [d for d in report.digests if d not in with_summary or d in queued]
    report.summaries_queued = sum(1 for digest in queued if digest.summary is not None)
    return report


def _add_summaries(report: RunReport, facts: Facts, summary_to: list[int]) -> list[Digest]:
    """Put the run summary into each coordinator's email of the day (making one when they have nothing else)."""
    by_contact = {digest.contact.id: digest for digest in report.digests}
    with_summary = []
    for contact_id in summary_to:
        digest = by_contact.get(contact_id)
        if digest is None:
            digest = Digest(facts.contacts[contact_id], [])
            report.digests.append(digest)
        digest.summary = RunSummary(None, [], report.nobody_to_remind, [])  # filled in once the others are queued
        with_summary.append(digest)
    return with_summary


def record(due: list[Reminder], today: date, now: datetime) -> list[Reminder]:
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


def _events_and_recorded_keys(today: date) -> tuple[list[EventFacts], set[tuple[int, str, int]]]:
    """Planned events whose day has passed with nothing recorded, with their organising agency, and the unique keys
    of the event reminders already sent about them (one query: each event with its records, LEFT JOINed)."""
    last_day = func.coalesce(Event.ends_on, Event.starts_on)
    events: list[EventFacts] = []
    keys: set[tuple[int, str, int]] = set()
    for _, rows in groupby(db.session.execute(
        select(Event.id, Event.title, last_day, Event.organising_agency_id, Agency.name,
               EventReminderRecord.period, EventReminderRecord.contact_id)
        .join(Agency, Agency.id == Event.organising_agency_id)
        .outerjoin(EventReminderRecord, EventReminderRecord.event_id == Event.id)
        .where(awaiting_outcome(today)).order_by(last_day, Event.id)
    ), key=itemgetter(0)):
        rows_ = list(rows)
        event_id, title, day, agency_id, agency_name, _, _ = rows_[0]
        held_on = day if isinstance(day, date) else date.fromisoformat(str(day))  # COALESCE: text on SQLite
        events.append(EventFacts(id=event_id, title=title, held_on=held_on, agency_name=agency_name,
                                 agency_id=agency_id))
        keys.update((event_id, period, contact_id) for *_, period, contact_id in rows_ if period is not None)
    return events, keys


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
