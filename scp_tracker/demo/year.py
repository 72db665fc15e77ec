"""The demo's year up to today: lead contacts, board meetings, progress, events and the reminder runs, in order.

Everything is planned first (a seeded Random, so the same day gives the same year) as moments with an action, then
done in time order with the clock at each moment, as the app would have done it on that day.
"""

import re
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from random import Random

from sqlalchemy import select

from scp_tracker.core.clock import today_in_london
from scp_tracker.core.history import Actor
from scp_tracker.demo.clock import at, clock_at
from scp_tracker.demo.dates import nearest_working_day, working_day_on_or_before, working_days
from scp_tracker.demo.story import (
    COMPLETED_NOTE,
    EVENTS,
    FIRST_NAMES,
    JOB_TITLES,
    LAST_NAMES,
    MEETINGS,
    NOTES,
    QUIET_SHARE,
    RAG_WEIGHTS,
    DemoEvent,
)
from scp_tracker.events.recording import EventValues, record_event
from scp_tracker.extensions import db
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.people.models import Agency, Contact
from scp_tracker.people.services import add_contact, find_contact_by_email
from scp_tracker.plans.models import KeyPriority, Objective, Plan
from scp_tracker.plans.progress import ProgressValues, add_progress
from scp_tracker.plans.services import FundingValues, ObjectiveValues, update_objective
from scp_tracker.reminders.services import run_reminders
from scp_tracker.rounds.closing import close_due_rounds
from scp_tracker.rounds.meetings import Meeting, add_meeting

DEMO_ACTOR = Actor(name="Demo data", source="cli")
Action = Callable[[datetime], object]
SENT_AFTER = timedelta(minutes=2)  # how long the demo's emails took to leave: they were delivered, not queued
FIRST_UPDATES_AFTER = timedelta(days=14)  # leads first write a fortnight into the year


def live_the_year(plan: Plan, first_day: date, today: date, rng: Random) -> None:
    """Set up the people and meetings on the first day, then live each day up to the day before `today`."""
    with clock_at(at(first_day, time(9, 30))):
        leads = add_lead_contacts(plan, rng)
        for objective in _objectives(plan):
            name_leads(objective, leads, rng)
        for month, day_of_month in MEETINGS:
            meeting_on = nearest_working_day(in_year(plan, month, day_of_month))
            add_meeting(plan, Meeting(meeting_on=meeting_on), DEMO_ACTOR)
    objectives = _objectives(plan)
    actions: list[tuple[datetime, int, Action]] = []  # (moment, order, action): the order keeps sorting stable
    for day in working_days(first_day + timedelta(days=1), today - timedelta(days=1)):
        actions.append((at(day, time(6, 30)), len(actions), lambda now: close_due_rounds(_day(now), now)))
        actions.append((at(day, time(7)), len(actions), lambda now: run_reminders(_day(now), now=now)))
    for objective in objectives:
        for moment, values in progress_plan(objective, first_day, today, rng):
            author = _author(objective, rng)
            if author is not None:
                actions.append((moment, len(actions), _progress(objective, values, author)))
    for event in EVENTS:
        planned = event_plan(plan, event, objectives, first_day, today)
        if planned is not None:
            actions.append((planned[0], len(actions), planned[1]))
    for moment, _, action in sorted(actions, key=lambda item: item[:2]):
        with clock_at(moment):
            action(moment)
            _mark_sent()
    db.session.flush()


def in_year(plan: Plan, month: int, day: int) -> date:
    """The date of that month and day within the plan's year (January to March fall in its second year)."""
    assert plan.starts_on is not None
    return date(plan.starts_on.year + (month < 4), month, day)


def _day(now: datetime) -> date:
    return today_in_london(now)


def _objectives(plan: Plan) -> list[Objective]:
    """The plan's objectives in the order written."""
    return list(db.session.scalars(select(Objective).join(KeyPriority).where(KeyPriority.plan_id == plan.id)
                                   .order_by(KeyPriority.number, Objective.position)))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "agency"


def add_lead_contacts(plan: Plan, rng: Random) -> dict[int, list[Contact]]:
    """A handful of contacts at each agency that leads, more where it leads more; all receive reminders."""
    led: Counter[int] = Counter()
    for objective in _objectives(plan):
        led.update(agency.id for agency in objective.lead_agencies)
    names = [(first, last) for first in FIRST_NAMES for last in LAST_NAMES]
    rng.shuffle(names)
    leads: dict[int, list[Contact]] = {}
    for agency in db.session.scalars(select(Agency).where(Agency.id.in_(led)).order_by(Agency.id)):
        wanted = 3 if led[agency.id] >= 5 else 2 if led[agency.id] >= 2 else 1
        leads[agency.id] = []
        for _ in range(wanted):
            first, last = names.pop()
            email = f"{first.lower()}.{last.lower()}@{_slug(agency.abbreviation)}.example.org"
            contact = find_contact_by_email(email) or add_contact(
                DEMO_ACTOR, name=f"{first} {last}", email=email, agency=agency, job_title=rng.choice(JOB_TITLES))
            leads[agency.id].append(contact)
    return leads


def name_leads(objective: Objective, leads: dict[int, list[Contact]], rng: Random) -> None:
    """The coordinator names one person at each lead agency as the objective's lead: they get its reminders."""
    named = [rng.choice(leads[agency.id]) for agency in objective.lead_agencies if leads.get(agency.id)]
    if not named:
        return
    values = ObjectiveValues(
        title=objective.title, text=objective.text, status=objective.status, rag=objective.rag,
        end_date_status=objective.end_date_status, end_date=objective.end_date, agency_ids=None,
        contact_ids=[contact.id for contact in named],
        funding=[FundingValues(id=line.id, amount_pence=line.amount_pence, source=line.source, pot=line.pot,
                               status=line.status) for line in objective.funding_lines],
        police_scope=objective.police_scope, police_numbers=list(objective.police_numbers or []),
        pcc_scope=objective.pcc_scope, pcc_numbers=list(objective.pcc_numbers or []))
    update_objective(objective, values, DEMO_ACTOR)


def _author(objective: Objective, rng: Random) -> Contact | None:
    """One of the objective's named leads, or None when it has no lead yet."""
    # Sorted: the links come back in whatever order the database gives, and the same seed must pick the same lead.
    named = sorted(objective.lead_contacts, key=lambda contact: contact.email or "")
    return rng.choice(named) if named else None


def progress_plan(objective: Objective, first_day: date, today: date,
                  rng: Random) -> list[tuple[datetime, ProgressValues]]:
    """When the objective's leads write in the year so far, and what: some never do (the reminders chase them)."""
    days = working_days(first_day + FIRST_UPDATES_AFTER, today - timedelta(days=1))
    if rng.random() < QUIET_SHARE or not days:
        return []
    chosen = sorted(rng.sample(days, k=min(len(days), rng.randint(1, 4))))
    ends_on = objective.end_date
    finished = ends_on is not None and first_day < ends_on < today - timedelta(days=7) and rng.random() < 0.9
    if finished:
        assert ends_on is not None
        chosen = [day for day in chosen if day < ends_on] + [working_day_on_or_before(ends_on)]
    rag = None
    planned = []
    for number, day in enumerate(chosen, start=1):
        moment = at(day, time(rng.randint(9, 16), rng.choice((0, 15, 30, 45))))
        if finished and number == len(chosen):
            planned.append((moment, ProgressValues(text=COMPLETED_NOTE, rag="green", mark_complete=True)))
            break
        if rag is None or rng.random() < 0.4:
            rag = rng.choices(list(RAG_WEIGHTS), weights=list(RAG_WEIGHTS.values()))[0]
        planned.append((moment, ProgressValues(text=rng.choice(NOTES[rag]), rag=rag)))
    return planned


def _progress(objective: Objective, values: ProgressValues, author: Contact) -> Action:
    """The lead answering from their email: a progress update on the objective."""
    return lambda now: add_progress(objective, values, Actor.for_contact(author), now=now)


def event_plan(plan: Plan, event: DemoEvent, objectives: list[Objective], first_day: date,
               today: date) -> tuple[datetime, Action] | None:
    """When the event is recorded and how: held ones on their day, planned ones four weeks ahead (or at once)."""
    objective = next((o for o in objectives if event.objective_words in o.title.lower()), None)
    if objective is None or not objective.lead_agencies:
        return None
    organiser = objective.lead_agencies[0]
    held_on = nearest_working_day(in_year(plan, event.month, event.day))
    held = first_day < held_on < today
    if held:
        recorded = at(held_on, time(16, 30))
    else:
        day = max(first_day + timedelta(days=1), working_day_on_or_before(min(held_on - timedelta(days=28),
                                                                              today - timedelta(days=1))))
        recorded = at(day, time(11))
    values = EventValues(title=event.title, kind=event.kind, status="held" if held else "planned", starts_on=held_on,
                         organising_agency_id=organiser.id, place=event.place, audience=event.audience,
                         attendance=event.attendance if held else None, outcome=event.outcome if held else "",
                         objective_ids=(objective.id,))
    recorder = next((c for c in objective.lead_contacts if c.agency_id == organiser.id), None)
    actor = Actor.for_contact(recorder, source="web") if recorder else DEMO_ACTOR
    return recorded, lambda now: record_event(actor, values, today=_day(now), now=now)


def _mark_sent() -> None:
    """The emails queued so far were delivered a couple of minutes after they were queued."""
    for message in db.session.scalars(select(OutboxMessage).where(OutboxMessage.status == "queued")):
        message.status, message.attempts, message.sent_at = "sent", 1, message.queued_at + SENT_AFTER
