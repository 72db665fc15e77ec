"""Reminder rules: which reminders are due on a date, as plain data in and plain data out (no Flask, no database)."""

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import holidays

from scp_tracker.core.clock import today_in_london
from scp_tracker.core.formatting import gov_date
from scp_tracker.plans.leads import Remindable, has_lead_agency

ROUND_KINDS = ("round_call", "round_reminder", "round_last_day", "round_escalation")
KINDS = (*ROUND_KINDS, "due_soon", "overdue", "stale", "tbc_funding", "tbc_lead", "no_contact", "end_date_missing",
         "event_outcome")
# A lead cannot opt out of being told that an end date is near or has passed, nor of a round's steps.
REQUIRED_KINDS = frozenset({"due_soon", "overdue", *ROUND_KINDS})
OPTIONAL_KINDS = tuple(kind for kind in KINDS if kind not in REQUIRED_KINDS)
KIND_LABELS = {
    "round_call": "Update called for",
    "round_reminder": "Update still to come",
    "round_last_day": "Last day for the update",
    "round_escalation": "No update by the deadline",
    "due_soon": "End date coming up",
    "overdue": "End date passed",
    "stale": "No recent progress update",
    "tbc_funding": "Funding to be confirmed",
    "tbc_lead": "Lead to be confirmed",
    "no_contact": "Lead agency with nobody to remind",
    "end_date_missing": "No end date",
    "event_outcome": "Event waiting for attendance and outcome",
}

# Repeats of objectives with no creation date count their periods from here (never the case for saved ones).
FALLBACK_ANCHOR = date(2000, 1, 3)
# Repeat periods start on the same Mondays for every objective (counted from this one), so one person's repeats of
# a kind fall in the same week and the weekly email carries them together.
CALENDAR_EPOCH = date(2000, 1, 3)  # a Monday
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


# Slotted, not frozen: a run builds one per open objective, and a frozen dataclass's __init__ took five times as long.
@dataclass(slots=True)
class ObjectiveFacts:
    """What the rules need to know about one objective."""

    id: int
    title: str
    key_priority_number: int = 0
    key_priority_title: str = ""
    status: str = "open"
    plan_status: str = "agreed"
    plan_id: int = 0
    end_date: date | None = None
    end_date_status: str = "missing"
    lead_status: str = "missing"
    last_progress_at: datetime | None = None
    latest_progress_text: str = ""
    has_tbc_funding: bool = False
    lead_agency_ids: tuple[int, ...] = ()
    lead_agency_names: tuple[str, ...] = ()  # in the order of lead_agency_ids
    named_contact_ids: tuple[int, ...] = ()
    key_priority_lead_agency_ids: tuple[int, ...] = ()
    key_priority_id: int | None = None
    created_on: date | None = None  # anchors the repeats of conditions that have no date of their own
    # Requests the lead made that wait on the coordinator ("end_date", "lead", "funding"): the lead has answered
    # what a TBC reminder asks, so it is not asked again while the coordinator decides.
    pending_requests: frozenset[str] = frozenset()
    # Updated in the window of the latest round whose deadline has passed: the board has its news, and the next
    # round's call asks again, so "no recent update" does not chase it in between.
    answered_last_round: bool = False

    @property
    def is_remindable(self) -> bool:
        """Open, in a plan that is still in use."""
        return self.status == "open" and self.plan_status != "archived"

    @property
    def has_end_date(self) -> bool:
        """A real end date, not TBC or blank."""
        return self.end_date is not None and self.end_date_status == "set"


@dataclass(frozen=True)
class ContactFacts:
    """What the rules need to know about one person who might be reminded."""

    id: int
    email: str
    name: str = ""
    agency_id: int | None = None
    receives_reminders: bool = True
    paused_until: date | None = None  # the last day of the pause
    opted_out_kinds: frozenset[str] = frozenset()
    # Of an enabled login: a login holding only partner or viewer roles is not asked by their agency.
    login_roles: frozenset[str] = frozenset()
    led_key_priority_ids: frozenset[int] = frozenset()  # as a key priority lead: told of its missed deadlines

    def is_paused_on(self, today: date) -> bool:
        """Paused up to and including paused_until."""
        return self.paused_until is not None and today <= self.paused_until

    def wants(self, kind: str, today: date) -> bool:
        """Whether this person gets a reminder of this kind today."""
        if not self.receives_reminders or self.is_paused_on(today):
            return False
        return kind in REQUIRED_KINDS or kind not in self.opted_out_kinds


@dataclass(frozen=True)
class ReminderSettings:
    """Thresholds, repeat periods and the run time; the coordinator can change each in the app."""

    due_soon_stages: tuple[int, ...] = (28, 14, 7, 1)
    stale_days: int = 42
    stale_repeat_days: int = 14
    tbc_repeat_days: int = 28  # also the repeat of tbc_lead, no_contact and end_date_missing
    overdue_repeat_days: int = 14
    round_call_days: int = 21  # days before a round's deadline that the update is called for
    round_reminder_days: int = 7  # days before the deadline that those who have not updated are reminded
    round_last_day: bool = True  # remind those who have not updated on the deadline's day
    weekly_day: int = 1  # between rounds, the weekday (0 is Monday) of a person's one reminder email of the week
    summary_daily: bool = False  # the coordinator's run summary every run day, else with the weekly email
    copy_coordinator: bool = False  # copies of leads' reminders (overdue, funding, end date) to the coordinator
    run_hour: int = 7
    run_minute: int = 0
    skip_weekends: bool = True
    skip_bank_holidays: bool = True


@dataclass(frozen=True, order=True)
class Reminder:
    """One reminder to one person about one objective; the first four fields are its unique key."""

    objective_id: int
    kind: str
    stage_or_period: str
    contact_id: int
    detail: str = ""

    @property
    def key(self) -> tuple[int, str, str, int]:
        """The unique key a reminder is recorded under."""
        return (self.objective_id, self.kind, self.stage_or_period, self.contact_id)


@dataclass(frozen=True)
class EventFacts:
    """A planned event whose day has passed with no attendance or outcome recorded, and whom to ask."""

    id: int
    title: str
    held_on: date  # the event's last day
    agency_name: str = ""
    agency_id: int | None = None  # the organising agency, whose contacts are asked


@dataclass(frozen=True, order=True)
class EventReminder:
    """One event_outcome reminder to one person; the first three fields are its unique key."""

    event_id: int
    period: str
    contact_id: int
    detail: str = ""
    kind = "event_outcome"

    @property
    def key(self) -> tuple[int, str, int]:
        """The unique key an event reminder is recorded under."""
        return (self.event_id, self.period, self.contact_id)


def find_event_reminders(events: Iterable[EventFacts], contacts: Iterable[ContactFacts], today: date,
                         settings: ReminderSettings = ReminderSettings()) -> list[EventReminder]:
    """Ask the organising agency for attendance and outcome the day after an event, then as often as overdue.

    The event's date is in the key, so an event moved to a later day starts again.
    """
    by_agency = defaultdict(list)
    for contact in contacts:
        by_agency[contact.agency_id].append(contact)
    found = []
    for event in events:
        days_since = (today - event.held_on).days - 1
        if days_since < 0:
            continue
        period = f"{event.held_on.isoformat()}:{days_since // settings.overdue_repeat_days}"
        detail = (f"{event.title} ({gov_date(event.held_on)}, {event.agency_name}) was planned and its day has "
                  f"passed. Please record whether it was held, how many came and how it went.")
        for contact in by_agency.get(event.agency_id, ()):
            if contact.wants("event_outcome", today):
                found.append(EventReminder(event.id, period, contact.id, detail))
    return sorted(found)


def is_run_day(today: date, settings: ReminderSettings) -> bool:
    """Whether the daily run sends on this date (weekends and bank holidays in England and Wales may be skipped)."""
    if settings.skip_weekends and today.weekday() >= 5:
        return False
    if settings.skip_bank_holidays and today in holidays.country_holidays("GB", subdiv="ENG", years=today.year):
        return False
    return True


def due_soon_stage(days_left: int, stages: Iterable[int]) -> int | None:
    """The smallest stage at or above the days left, so a missed day is caught up and a later stage wins."""
    if days_left < 0:
        return None
    reached = [stage for stage in stages if stage >= days_left]
    return min(reached) if reached else None


def _calendar_period(day: date, repeat_days: int) -> int:
    return (day - CALENDAR_EPOCH).days // max(repeat_days, 1)


def _period(anchor: date, today: date, start_after_days: int, repeat_days: int) -> str | None:
    """The repeat period a date falls in, from anchor + start_after_days on; None before the first.

    Periods are aligned to the calendar (CALENDAR_EPOCH), not to the anchor; the first one runs to the boundary
    at least half a period after the start, so repeats are never closer than half a period.
    """
    start = anchor + timedelta(days=start_after_days)
    if today < start:
        return None
    first = _calendar_period(start + timedelta(days=repeat_days // 2), repeat_days)
    return f"{anchor.isoformat()}:{max(0, _calendar_period(today, repeat_days) - first)}"


def period_began(anchor: date, start_after_days: int, repeat_days: int, number: int) -> date:
    """The day repeat period `number` of a condition began (the inverse of the periods above)."""
    start = anchor + timedelta(days=start_after_days)
    if number == 0:
        return start
    first = _calendar_period(start + timedelta(days=repeat_days // 2), repeat_days)
    return CALENDAR_EPOCH + timedelta(days=(first + number) * max(repeat_days, 1))


def _days(count: int) -> str:
    return "1 day" if count == 1 else f"{count} days"


class People(Remindable):
    """Who can be reminded: the contacts who receive reminders, by id and by agency, and the coordinators."""

    def __init__(self, contacts: Iterable[ContactFacts], coordinator_ids: Iterable[int]):
        self.by_id = {c.id: c for c in contacts if c.receives_reminders and c.email}
        super().__init__((contact.id, contact.agency_id, contact.login_roles, contact.led_key_priority_ids)
                         for contact in self.by_id.values())
        self.coordinators = [cid for cid in dict.fromkeys(coordinator_ids) if cid in self.by_id]

    def leads_of(self, objective: ObjectiveFacts) -> list[int]:
        """The objective's leads who receive reminders (the rule of plans.leads)."""
        return self.leads(objective.named_contact_ids, objective.lead_agency_ids)

    def asked_about_objective(self, objective: ObjectiveFacts) -> list[int]:
        """Its leads and, while it has no lead agency, those asked to propose one (the rule of plans.leads)."""
        return self.asked_about(objective.named_contact_ids, objective.lead_agency_ids,
                                has_lead=has_lead_agency(objective.lead_status, objective.lead_agency_ids),
                                key_priority_agency_ids=objective.key_priority_lead_agency_ids)

    def key_priority_leads_of(self, objective: ObjectiveFacts) -> list[int]:
        """The leads of the objective's key priority (the rule of plans.leads)."""
        return self.key_priority_leads(objective.key_priority_id, objective.key_priority_lead_agency_ids)

    def agencies_without_contacts(self, objective: ObjectiveFacts) -> list[str]:
        """Names of the lead agencies that have nobody who receives reminders."""
        names = objective.lead_agency_names or tuple(str(a) for a in objective.lead_agency_ids)
        return [name for agency_id, name in zip(objective.lead_agency_ids, names, strict=True)
                if not self.by_agency.get(agency_id)]


def objectives_with_nobody_to_remind(objectives: Iterable[ObjectiveFacts],
                                     contacts: Iterable[ContactFacts]) -> list[ObjectiveFacts]:
    """Open objectives that have no lead who receives reminders, for the coordinator's run summary."""
    people = People(contacts, ())
    return [o for o in objectives if o.is_remindable and not people.leads_of(o)]


def _due_dates(objective: ObjectiveFacts, today: date, settings: ReminderSettings, every_period: str | None):
    """(kind, stage_or_period, detail, to_coordinator) for the end-date kinds."""
    if not objective.has_end_date:
        if objective.end_date_status == "ongoing":
            return  # work that goes on has no end date to fall due, nor one missing
        what = ("The end date is to be confirmed (TBC)" if objective.end_date_status == "tbc"
                else "No end date is recorded")
        if every_period and "end_date" not in objective.pending_requests:
            yield "end_date_missing", every_period, f"{what}. Please agree an end date.", True
        return
    end = objective.end_date
    assert end is not None  # has_end_date
    days_left = (end - today).days
    stage = due_soon_stage(days_left, settings.due_soon_stages)
    if stage is not None:
        when = {0: "today", 1: "tomorrow"}.get(days_left, f"in {_days(days_left)}")
        yield ("due_soon", f"{end.isoformat()}:{stage}",
               f"Due {when}, on {gov_date(end)}. Please add a progress update, mark it complete, "
               f"or ask to move the end date.", False)
    period = _period(end, today, 1, settings.overdue_repeat_days)
    # Once there is progress since the end date, the lead has answered: "stale" governs it from then.
    answered = objective.last_progress_at is not None and today_in_london(objective.last_progress_at) > end
    if period and not answered:
        yield ("overdue", period,
               f"The end date, {gov_date(end)}, passed {_days(-days_left)} ago and it is not marked complete. "
               f"Please add a progress update, mark it complete, or ask to move the end date.", True)


def _stale(objective: ObjectiveFacts, today: date, settings: ReminderSettings):
    """(kind, stage_or_period, detail) when no progress has been recorded for too long (and none for the last round)."""
    if objective.answered_last_round:
        return
    if objective.last_progress_at is not None:
        anchor = today_in_london(objective.last_progress_at)
        since = f"since {gov_date(anchor)}"
    elif objective.created_on is not None:
        anchor, since = objective.created_on, "yet"
    else:
        return
    period = _period(anchor, today, settings.stale_days, settings.stale_repeat_days)
    if period:
        yield "stale", period, f"No progress update {since} ({_days((today - anchor).days)}). Please add one."


def find_reminders(objectives: Iterable[ObjectiveFacts], contacts: Iterable[ContactFacts],
                   coordinator_ids: Sequence[int], today: date,
                   settings: ReminderSettings = ReminderSettings(), *,
                   already_sent: Collection[tuple[int, str, str, int]] = frozenset()) -> list[Reminder]:
    """Every reminder due on this date, one per (objective, kind, stage or period, recipient), sorted.

    Those whose key is in already_sent are left out before they are built: most of a day's are sent already.
    """
    people = People(contacts, coordinator_ids)
    found: dict[tuple, Reminder] = {}

    def add(objective: ObjectiveFacts, kind: str, period: str, detail: str, recipients: Iterable[int]) -> None:
        for contact_id in recipients:
            key = (objective.id, kind, period, contact_id)
            if key not in found and key not in already_sent and people.by_id[contact_id].wants(kind, today):
                found[key] = Reminder(*key, detail)

    for objective in objectives:
        if not objective.is_remindable:
            continue
        leads = people.leads_of(objective)
        every_period = _period(objective.created_on or FALLBACK_ANCHOR, today, 0, settings.tbc_repeat_days)
        for kind, period, detail, to_coordinator in _due_dates(objective, today, settings, every_period):
            copied = people.coordinators if to_coordinator and settings.copy_coordinator else []
            add(objective, kind, period, detail, leads + copied)
        for kind, period, detail in _stale(objective, today, settings):
            add(objective, kind, period, detail, leads)
        if every_period is None:
            continue
        if objective.has_tbc_funding and "funding" not in objective.pending_requests:
            detail = "Funding is still to be confirmed (TBC). Please give the amount, its source and the pot."
            add(objective, "tbc_funding", every_period, detail, leads)
            if settings.copy_coordinator:
                add(objective, "tbc_funding", every_period, f"Copy to the coordinator: {detail}",
                    [cid for cid in people.coordinators if cid not in leads])
        if not has_lead_agency(objective.lead_status, objective.lead_agency_ids):
            if "lead" in objective.pending_requests:
                continue
            what = ("The lead agency is to be confirmed (TBC)" if objective.lead_status == "tbc"
                    else "No lead agency is recorded")
            add(objective, "tbc_lead", every_period, f"{what}. Please propose who leads this objective.",
                people.coordinators + people.asked_of_agencies(objective.key_priority_lead_agency_ids))
        elif not any(cid in people.by_id for cid in objective.named_contact_ids):
            missing = people.agencies_without_contacts(objective)
            if missing:
                add(objective, "no_contact", every_period,
                    f"Nobody at {', '.join(missing)} receives reminders. Please add a contact for the agency "
                    f"or name a lead on the objective.", people.coordinators)
    return [found[key] for key in sorted(found)]  # by key, as the keys are unique: tuples sort faster
