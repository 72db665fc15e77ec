"""What each change tells whom: the receivers of the areas' signals, and who might be told.

The receivers run inside the transaction of the change that caused them (the services send the signals, never the
views), so a change rolled back notifies nobody, and emails go through the outbox in that same transaction, so a
restart loses nothing.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import wraps

from flask import current_app
from sqlalchemy import func, or_, select

from scp_tracker.core.clock import utcnow
from scp_tracker.core.formatting import gov_date, gov_datetime, rag_label
from scp_tracker.core.history import Actor
from scp_tracker.extensions import db
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.notifications import rules
from scp_tracker.notifications.emails import EMAIL_KIND, email_at_once
from scp_tracker.notifications.models import Notification, NotificationPreference
from scp_tracker.notifications.services import News, notify
from scp_tracker.people.models import Contact, User, holds_role
from scp_tracker.plans.funding_requests import describe_request
from scp_tracker.plans.models import Objective
from scp_tracker.plans.services import snapshot
from scp_tracker.plans.signals import ObjectiveSnapshot


def _people(*, contact_ids: Iterable[int] = (), agency_ids: Iterable[int] = ()) -> dict[int, rules.Person]:
    """The active contacts with these ids or at these agencies, with their choices (two queries)."""
    contact_ids, agency_ids = set(contact_ids) - {None}, set(agency_ids)
    if not contact_ids and not agency_ids:
        return {}
    rows = db.session.execute(
        select(Contact.id, Contact.agency_id, Contact.email, Contact.receives_reminders)
        .where(Contact.is_active.is_(True), or_(Contact.id.in_(contact_ids), Contact.agency_id.in_(agency_ids)))
        .order_by(Contact.id)
    ).all()
    choices: defaultdict[int, dict[str, str]] = defaultdict(dict)
    for contact_id, kind, how in db.session.execute(
        select(NotificationPreference.contact_id, NotificationPreference.kind, NotificationPreference.delivery)
        .where(NotificationPreference.contact_id.in_([row.id for row in rows]))
    ):
        choices[contact_id][kind] = how
    return {row.id: rules.Person(id=row.id, agency_id=row.agency_id, has_email=bool(row.email),
                                 receives_reminders=row.receives_reminders, choices=choices.get(row.id, {}))
            for row in rows}


def _coordinator_ids() -> list[int]:
    """The contacts of the enabled coordinator logins (one query)."""
    return list(db.session.scalars(
        select(User.contact_id).join(Contact, User.contact_id == Contact.id)
        .where(holds_role("coordinator"), User.is_enabled.is_(True), Contact.is_active.is_(True))
        .order_by(User.id)
    ))


def _receiver(receiver):
    """Run a receiver only in an app that registered this area: signals are process-wide, apps are not."""

    @wraps(receiver)
    def guarded(sender, **kwargs):
        if "notifications" in current_app.extensions:
            receiver(sender, **kwargs)

    return guarded


def _and(words: list[str]) -> str:
    """"end date, funding and lead agencies"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


@_receiver
def on_objectives_changed(_sender, *, changes: list[tuple[Objective, ObjectiveSnapshot]], actor: Actor, now=None,
                          **_) -> None:
    """Objectives' end dates, funding or leads changed: new leads are told they lead them, the others what changed.

    Everyone concerned by any of them is looked up at once: two queries for an import of a thousand objectives.
    """
    now = now or utcnow()
    afters = [(objective, before, snapshot(objective)) for objective, before in changes]
    everyone = _people(contact_ids=[cid for _, b, a in afters for cid in (*b.contact_ids, *a.contact_ids)],
                       agency_ids=[aid for _, b, a in afters for aid in (*b.agency_ids, *a.agency_ids)])
    emails: list[Notification] = []
    for objective, before, after in afters:
        _tell_of_change(objective, actor, before, now=now, after=after, everyone=everyone, emails=emails)
    db.session.flush()
    email_at_once(emails, now)


def _tell_of_change(objective: Objective, actor: Actor, before: ObjectiveSnapshot, *, now: datetime,
                   skip: Iterable[int] = (), after: ObjectiveSnapshot | None = None,
                   everyone: Mapping[int, rules.Person] | None = None,
                   emails: list[Notification] | None = None) -> None:
    """Tell an objective's leads, before and after, what changed in its end date, funding or leads.

    `everyone`: people already looked up, among whom this objective's are found without a query; `emails`:
    where to collect the notifications to email, for the caller to email together (see notify).
    """
    after = after or snapshot(objective)
    changes = rules.changes_between(before, after)
    if not changes:
        return
    contact_ids, agency_ids = {*before.contact_ids, *after.contact_ids}, {*before.agency_ids, *after.agency_ids}
    if everyone is None:
        people = _people(contact_ids=contact_ids, agency_ids=agency_ids)
    else:
        people = {pid: person for pid, person in everyone.items()
                  if pid in contact_ids or person.agency_id in agency_ids}
    made_lead, others = rules.lead_change_audience(rules.lead_ids(before.contact_ids, before.agency_ids, people),
                                                   rules.lead_ids(after.contact_ids, after.agency_ids, people))
    link = f"/objectives/{objective.id}"
    kp = objective.key_priority
    notify(News("lead_assigned", f"You are now a lead of {objective.title}",
                (f"Key priority {kp.number}: {kp.title}", f"End date: {after.end_date}", f"Funding: {after.funding}",
                 f"Lead agencies: {after.lead_agencies}"), link, actor.name, objective.id),
           made_lead, people, actor_contact_id=actor.contact_id, now=now, emails=emails)
    skip = set(skip)
    notify(News("objective_changed",
                f"{objective.title}: {_and([what.lower() for what, _, _ in changes])} changed",
                tuple(f"{what}: {was} → {is_now}" for what, was, is_now in changes), link, actor.name, objective.id),
           [cid for cid in others if cid not in skip], people, actor_contact_id=actor.contact_id, now=now,
           emails=emails)


@_receiver
def on_progress_added(update, *, actor: Actor, rag_before: str | None, now=None, **_) -> None:
    """Progress was added: the coordinator hears, at once by default when the RAG turned red or got worse."""
    objective = update.objective
    kind = rules.progress_kind(rag_before, objective.rag)
    rag = (f"RAG: {rag_label(rag_before)} → {rag_label(objective.rag)}" if rag_before != objective.rag
           else f"RAG: {rag_label(objective.rag)}")
    lines = [rag]
    if update.marked_complete:
        lines.append("Marked complete")
    if update.requested_end_date:
        lines.append(f"Asks to move the end date to {gov_date(update.requested_end_date)}")
    lines.append(f"“{_shorten(update.text, 300)}”")
    title = (f"{objective.title} is now {rag_label(objective.rag)}" if kind == "progress_worse"
             else f"Progress on {objective.title}")
    coordinators = _coordinator_ids()
    notify(News(kind, title, tuple(lines), f"/objectives/{objective.id}", actor.name, objective.id),
           coordinators, _people(contact_ids=coordinators), actor_contact_id=actor.contact_id, now=now or utcnow())


def _shorten(text: str, limit: int) -> str:
    """Text on one line, cut at a word near the limit."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


def _ask_coordinators(kind: str, title: str, line: str, update, actor: Actor, now) -> None:
    """A lead's request: the coordinators hear, to approve or decline it on the requests page."""
    coordinators = _coordinator_ids()
    notify(News(kind, title, (line,), "/end-date-requests", actor.name, update.objective.id),
           coordinators, _people(contact_ids=coordinators), actor_contact_id=actor.contact_id, now=now or utcnow())


def _answer_requester(title: str, line: str, update, actor: Actor, now) -> None:
    """The coordinator decided a request: the lead who made it hears the answer (among "answers to your requests")."""
    requester = update.author_contact_id
    if requester is not None:
        notify(News("end_date_decided", title, (line,), f"/objectives/{update.objective.id}", actor.name,
                    update.objective.id),
               [requester], _people(contact_ids=[requester]), actor_contact_id=actor.contact_id, now=now)


@_receiver
def on_end_date_requested(update, *, actor: Actor, now=None, **_) -> None:
    """A lead asked to move an end date: the coordinator hears, to approve or decline it in the app."""
    objective = update.objective
    _ask_coordinators("end_date_requested", f"{actor.name} asks to move the end date of {objective.title}",
                      f"From {snapshot(objective).end_date} to {gov_date(update.requested_end_date)}",
                      update, actor, now)


@_receiver
def on_end_date_request_decided(update, *, actor: Actor, before: ObjectiveSnapshot, now=None, **_) -> None:
    """The coordinator decided: the lead who asked hears the answer; when approved, the other leads the new date."""
    now = now or utcnow()
    objective = update.objective
    decision = update.end_date_request_status
    line = (f"The end date is now {gov_date(update.requested_end_date)}" if decision == "approved"
            else f"The end date stays {before.end_date}")
    _answer_requester(f"Your request to move the end date of {objective.title} was {decision}", line,
                      update, actor, now)
    if decision == "approved":
        _tell_of_change(objective, actor, before, now=now, skip=[update.author_contact_id])


@_receiver
def on_funding_requested(update, *, actor: Actor, now=None, **_) -> None:
    """A lead proposed the funding of a TBC line: the coordinator hears, to approve or decline it in the app."""
    objective = update.objective
    _ask_coordinators("funding_requested", f"{actor.name} proposes the funding of {objective.title}",
                      f"From {snapshot(objective).funding} to {describe_request(update)}", update, actor, now)


@_receiver
def on_funding_request_decided(update, *, actor: Actor, before: ObjectiveSnapshot, now=None, **_) -> None:
    """The coordinator decided: the lead who asked hears the answer (the other leads hear of approved funding as of
    any change of funding, through objectives_changed)."""
    objective = update.objective
    decision = update.funding_request_status
    line = (f"The funding is now {snapshot(objective).funding}" if decision == "approved"
            else f"The funding stays {before.funding}")
    _answer_requester(f"Your proposed funding of {objective.title} was {decision}", line, update, actor,
                      now or utcnow())


@_receiver
def on_event_recorded(event, *, actor: Actor, now=None, **_) -> None:
    """A partner recorded an event: the leads of the objectives it delivers and the coordinator hear of it."""
    objectives = list(event.objectives)
    coordinators = _coordinator_ids()
    named = {o.id: [link.contact_id for link in o.contact_links] for o in objectives}
    agencies = {o.id: [link.agency_id for link in o.lead_links] for o in objectives}
    people = _people(contact_ids=[*coordinators, *(cid for ids in named.values() for cid in ids)],
                     agency_ids=[aid for ids in agencies.values() for aid in ids])
    leads = [cid for o in objectives for cid in rules.lead_ids(named[o.id], agencies[o.id], people)]
    lines = [f"{event.kind_label}, {event.status_label.lower()}: {gov_date(event.starts_on)}",
             f"Organised by {event.organising_agency.name}"]
    if event.attendance is not None:
        lines.append(f"Attendance: {event.attendance:,}")
    if objectives:
        lines.append(f"Delivers: {'; '.join(o.title for o in objectives)}")
    notify(News("event_recorded", f"Event recorded: {event.title}", tuple(lines), f"/events/{event.id}", actor.name,
                objectives[0].id if objectives else None),
           [*leads, *coordinators], people, actor_contact_id=actor.contact_id, now=now or utcnow())


@_receiver
def on_message_failed(sender, *, outbox_id: int, to_address: str, subject: str, reason: str, now: datetime,
                      **_) -> None:
    """An email failed for good: the coordinator hears at once, by email only if that cannot start a loop."""
    coordinators = _coordinator_ids()
    people = _people(contact_ids=coordinators)
    failed_kind = db.session.scalar(select(OutboxMessage.kind).where(OutboxMessage.id == outbox_id))
    app_only: Iterable[int]
    if failed_kind == EMAIL_KIND:
        # A notification email that fails is shown in the app only, so failures never email about each other.
        app_only = coordinators
    else:
        # Nor is anyone emailed about their own address failing.
        app_only = db.session.scalars(select(Contact.id).where(Contact.id.in_(coordinators),
                                                              func.lower(Contact.email) == to_address.lower()))
    notify(News("email_failed", f"An email to {to_address} could not be delivered", (f"“{subject}”", reason),
                "/emails?status=failed"),
           coordinators, people, actor_contact_id=None, now=now, app_only=list(app_only))


@_receiver
def on_scheduler_stopped(state, *, now: datetime, **_) -> None:
    """The scheduler stopped: each coordinator hears once per outage (keyed by its last heartbeat)."""
    coordinators = _coordinator_ids()
    keys = {cid: f"scheduler-stopped:{state.last_beat_at.isoformat()}:{cid}" for cid in coordinators}
    told = set(db.session.scalars(select(Notification.key).where(Notification.key.in_(keys.values()))))
    untold = [cid for cid in coordinators if keys[cid] not in told]
    if not untold:
        return
    notify(News("scheduler_stopped", "The scheduler has stopped: no reminders or emails are being sent",
                (f"It was last running on {gov_datetime(state.last_beat_at)}.",
                 "Ask whoever looks after SCP Tracker's server to start it (scp-tracker scheduler). Reminders "
                 "that were missed are sent when it starts again."), "/emails"),
           untold, _people(contact_ids=untold), actor_contact_id=None, now=now, keys=keys)
