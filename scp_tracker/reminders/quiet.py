"""Quiet by default: which of the reminders due today go out today, and which wait for the person's weekly email.

Between rounds a person gets at most one reminder email a week: on the weekday the coordinator chose (or the first
run day after it in that week when it is a bank holiday), or later that week once seven days have passed since
their last reminder email, with everything due merged into it. From the week before a round's call to its
deadline the round's steps carry everything else. The reminder the day before an end date and a round's steps go
on their own day (the first waits for a step that comes before the end date), and carry what else is due. What
waits is not recorded, so the next run finds it again (and a later stage or period replaces it): catching up
after downtime needs nothing more.
"""

from collections.abc import Collection, Iterable, Mapping
from datetime import date, timedelta
from types import MappingProxyType

from scp_tracker.reminders.figure_chasing import FigureReminder
from scp_tracker.reminders.rules import ROUND_KINDS, EventReminder, Reminder, ReminderSettings, is_run_day


def is_on_its_day(kind: str, stage_or_period: str, settings: ReminderSettings) -> bool:
    """A round's step to its leads, or the last reminder before an end date (the day before, by default): sent the
    day it is due, since waiting for the weekly day could take them past their dates. The escalation after a
    deadline comes with the next weekly email (and the coordinator's summary)."""
    if kind in ROUND_KINDS:
        return kind != "round_escalation"
    if kind != "due_soon":
        return False
    stage = stage_or_period.rsplit(":", 1)[-1]
    return stage.isdigit() and int(stage) <= min(settings.due_soon_stages, default=1)


def monday_of(day: date) -> date:
    """The Monday of the week a date is in."""
    return day - timedelta(days=day.weekday())


def weekly_day(today: date, settings: ReminderSettings) -> date | None:
    """This week's day for the weekly email: the chosen weekday, or the first run day after it that week (or, when
    none is left, as on Good Friday, the last one before it); None in a week with no run day."""
    chosen = settings.weekly_day % 7
    for offset in (*range(chosen, 7), *range(chosen - 1, -1, -1)):
        day = monday_of(today) + timedelta(days=offset)
        if is_run_day(day, settings):
            return day
    return None


def is_weekly_due(today: date, settings: ReminderSettings) -> bool:
    """Whether this week's weekly day has come (a run after downtime catches it up later in the week)."""
    day = weekly_day(today, settings)
    return day is not None and today >= day


def _is_on_its_day(reminder: Reminder | EventReminder | FigureReminder, today: date, settings: ReminderSettings,
                   next_step_on: Mapping[int, date]) -> bool:
    """Sent today whatever the budget: a round's step (asking about objectives or late figures); the last reminder
    before an end date, unless a round's step to the same person comes before that end date and will carry it."""
    if isinstance(reminder, EventReminder) or not is_on_its_day(reminder.kind, reminder.stage_or_period, settings):
        return False
    if reminder.kind != "due_soon":
        return True
    step = next_step_on.get(reminder.contact_id)
    end = date.fromisoformat(reminder.stage_or_period.split(":", 1)[0])
    return not (step is not None and today < step <= end)


def within_budget(due: Iterable[Reminder | EventReminder | FigureReminder], today: date, settings: ReminderSettings, *,
                  recently_emailed: Collection[int] = frozenset(), calling: Collection[int] = frozenset(),
                  emailed_anyway: Collection[int] = frozenset(),
                  next_step_on: Mapping[int, date] = MappingProxyType({})
                  ) -> list[Reminder | EventReminder | FigureReminder]:
    """The reminders that go out today; the rest wait.

    recently_emailed: people sent a reminder email in the last seven days (their next weekly email waits until a
    week has passed); calling: leads in a round from the week before its call to its deadline; emailed_anyway:
    people who get an email today whatever it holds (a coordinator's summary day); next_step_on: the day of each
    called lead's next round step.
    """
    due = list(due)
    on_its_day = {r.contact_id for r in due if _is_on_its_day(r, today, settings, next_step_on)}
    emailed_today = on_its_day | set(emailed_anyway)
    weekly_open = is_weekly_due(today, settings)
    return [r for r in due
            if r.contact_id in emailed_today
            or (weekly_open and r.contact_id not in calling and r.contact_id not in recently_emailed)]
