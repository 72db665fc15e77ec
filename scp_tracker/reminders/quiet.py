"""Quiet by default: which of the reminders due today go out today, and which wait for the person's weekly email.

Between rounds a person gets at most one reminder email a week, on the weekday the coordinator chose (or the first
run day after it in that week when it is a bank holiday), with everything due that week merged into it. From a
round's call to its deadline the round's steps carry everything else. The reminder the day before an end date and a
round's steps go on their own day. What waits is not recorded, so the next run finds it again (and a later stage or
period replaces it): catching up after downtime needs nothing more.
"""

from collections.abc import Collection, Iterable
from datetime import date, timedelta

from scp_tracker.reminders.rules import ROUND_KINDS, EventReminder, Reminder, ReminderSettings, is_run_day


def is_on_its_day(kind: str, stage_or_period: str, settings: ReminderSettings) -> bool:
    """A round's step, or the last reminder before an end date (the day before, by default): sent the day it is due,
    since waiting for the weekly day could take it past the end date."""
    if kind in ROUND_KINDS:
        return True
    if kind != "due_soon":
        return False
    stage = stage_or_period.rsplit(":", 1)[-1]
    return stage.isdigit() and int(stage) <= min(settings.due_soon_stages, default=1)


def _on_its_day(reminder: Reminder | EventReminder, settings: ReminderSettings) -> bool:
    return isinstance(reminder, Reminder) and is_on_its_day(reminder.kind, reminder.stage_or_period, settings)


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


def within_budget(due: Iterable[Reminder | EventReminder], today: date, settings: ReminderSettings, *,
                  weekly_sent: Collection[int] = frozenset(), calling: Collection[int] = frozenset(),
                  emailed_anyway: Collection[int] = frozenset()) -> list[Reminder | EventReminder]:
    """The reminders that go out today; the rest wait.

    weekly_sent: people who had their weekly reminders this week; calling: leads in a round between its call and its
    deadline; emailed_anyway: people who get an email today whatever it holds (a coordinator's summary day).
    """
    due = list(due)
    on_its_day = {r.contact_id for r in due if _on_its_day(r, settings)} | set(emailed_anyway)
    weekly_open = is_weekly_due(today, settings)
    return [r for r in due
            if r.contact_id in on_its_day
            or (weekly_open and r.contact_id not in calling and r.contact_id not in weekly_sent)]
