"""A reporting round's steps as rules: the call for updates, the reminder, the last day, and the escalation after
the deadline; plain data in and out (no Flask, no database).

Each step is keyed by (objective, step, "round:<id>", recipient), so it goes once per objective, round and person.
Only the round's current step is due: a step missed on its day (the scheduler was down) goes on the next run day,
but never once a later step's day has come.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from scp_tracker.core.formatting import gov_date
from scp_tracker.reminders.rules import ObjectiveFacts, People, Reminder, ReminderSettings, is_run_day

# After the deadline, the escalation is due for this many days (so a few days' downtime is caught up).
ESCALATION_DAYS = 21
# The week before the call the weekly email waits for it too, so the call does not follow it within days.
QUIET_BEFORE_CALL_DAYS = 6


@dataclass(frozen=True)
class RoundFacts:
    """A round of a plan in use, and which of the plan's objectives were updated in its window."""

    id: int
    plan_id: int
    name: str
    deadline: date
    updated_objective_ids: frozenset[int] = frozenset()

    @property
    def key(self) -> str:
        """The stage_or_period its steps are recorded under."""
        return f"round:{self.id}"


def _run_day_on_or_before(day: date, settings: ReminderSettings) -> date:
    """A step falling on a weekend or bank holiday goes on the run day before it, never later (nearer the next)."""
    for back in range(10):
        if is_run_day(day - timedelta(days=back), settings):
            return day - timedelta(days=back)
    return day


def call_on(round_: RoundFacts, settings: ReminderSettings) -> date:
    """The day the updates are called for."""
    return _run_day_on_or_before(round_.deadline - timedelta(days=settings.round_call_days), settings)


def last_day_on(round_: RoundFacts, settings: ReminderSettings) -> date:
    """The last run day on or before the deadline (a deadline on a Saturday is reminded on the Friday)."""
    return _run_day_on_or_before(round_.deadline, settings)


def current_step(round_: RoundFacts, today: date, settings: ReminderSettings) -> str | None:
    """The step of the round due on this date, or None outside its timeline."""
    if today > round_.deadline:
        return "round_escalation" if (today - round_.deadline).days <= ESCALATION_DAYS else None
    if today < call_on(round_, settings):
        return None
    if settings.round_last_day and today >= last_day_on(round_, settings):
        return "round_last_day"
    if today >= dict(step_days(round_, settings))["round_reminder"]:
        return "round_reminder"
    return "round_call"


def is_calling(round_: RoundFacts, today: date, settings: ReminderSettings) -> bool:
    """From the week before the call to the deadline: the round's steps carry everything else (no weekly email)."""
    return call_on(round_, settings) - timedelta(days=QUIET_BEFORE_CALL_DAYS) <= today <= round_.deadline


def step_days(round_: RoundFacts, settings: ReminderSettings) -> list[tuple[str, date]]:
    """The days of the round's steps before its deadline (a step is sent from its day until the next one's)."""
    reminder_on = _run_day_on_or_before(
        round_.deadline - timedelta(days=min(settings.round_reminder_days, settings.round_call_days - 1)), settings)
    days = [("round_call", call_on(round_, settings)), ("round_reminder", reminder_on)]
    if settings.round_last_day:
        days.append(("round_last_day", last_day_on(round_, settings)))
    return days


def next_steps(rounds: Iterable[RoundFacts], objectives: Iterable[ObjectiveFacts], people: People, today: date,
               settings: ReminderSettings) -> dict[int, date]:
    """{contact id: the day of the next round step that will be sent to them}, for the rounds being called."""
    objectives = list(objectives)
    found: dict[int, date] = {}
    for round_ in rounds:
        if not is_calling(round_, today, settings):
            continue
        for objective in objectives:
            if not objective.is_remindable or objective.plan_id != round_.plan_id:
                continue
            days = [day for kind, day in step_days(round_, settings) if day >= today
                    and (kind == "round_call" or objective.id not in round_.updated_objective_ids)]
            for contact_id in people.leads_of(objective) if days else ():
                found[contact_id] = min(found.get(contact_id, days[0]), days[0])
    return found


def _detail(step: str, round_: RoundFacts) -> str:
    deadline = gov_date(round_.deadline)
    return {
        "round_call": f"The {round_.name} needs an update on this objective by {deadline}. Please add one.",
        "round_reminder": f"No update yet for the {round_.name}. The deadline is {deadline}. Please add one.",
        "round_last_day": f"Today, {deadline}, is the last day for the {round_.name}'s update. Please add one.",
        "round_escalation": f"No update came for the {round_.name} by its deadline, {deadline}. Please follow "
                            f"it up with the lead.",
    }[step]


def _recipients(step: str, objective: ObjectiveFacts, people: People) -> list[int]:
    if step == "round_escalation":
        return [*people.key_priority_leads_of(objective), *people.coordinators]
    return people.leads_of(objective)


def find_round_steps(rounds: Iterable[RoundFacts], objectives: Iterable[ObjectiveFacts], people: People,
                     today: date, settings: ReminderSettings, *,
                     already_sent: Collection[tuple[int, str, str, int]] = frozenset()) -> list[Reminder]:
    """The round steps due on this date, one per (objective, step, round, recipient), sorted."""
    by_plan: dict[int, list[ObjectiveFacts]] = {}
    for objective in objectives:
        if objective.is_remindable:
            by_plan.setdefault(objective.plan_id, []).append(objective)
    found: dict[tuple, Reminder] = {}
    for round_ in rounds:
        step = current_step(round_, today, settings)
        if step is None:
            continue
        for objective in by_plan.get(round_.plan_id, ()):
            if step != "round_call" and objective.id in round_.updated_objective_ids:
                continue
            for contact_id in _recipients(step, objective, people):
                key = (objective.id, step, round_.key, contact_id)
                if key not in found and key not in already_sent and people.by_id[contact_id].wants(step, today):
                    found[key] = Reminder(*key, _detail(step, round_))
    return [found[key] for key in sorted(found)]


def calling_leads(rounds: Iterable[RoundFacts], objectives: Iterable[ObjectiveFacts], people: People,
                  today: date, settings: ReminderSettings) -> set[int]:
    """The leads of open objectives in a round from the week before its call to its deadline: no weekly email."""
    calling = {round_.plan_id for round_ in rounds if is_calling(round_, today, settings)}
    return {contact_id for objective in objectives if objective.is_remindable and objective.plan_id in calling
            for contact_id in people.leads_of(objective)}
