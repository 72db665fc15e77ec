"""The run loads each kind's records only as far back as one of its stages or periods lasts: run every day, and each
repeat of each kind still goes out exactly once."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from scp_tracker.reminders.quiet import is_on_its_day
from scp_tracker.reminders.rules import ReminderSettings
from scp_tracker.reminders.services import run_reminders
from scp_tracker.reminders.settings import save_settings

FIRST_DAY = date(2017, 4, 1)  # the campaign's 28-day stage starts the next day; it ends on 30 April
DAYS = 75  # past the end date, through overdue periods and stale ones


def _keys(report) -> list[tuple[int, str, str, int]]:
    """The keys of the reminders in a report's digests."""
    return [item.reminder.key for digest in report.digests for item in digest.items]


def _sent_every_day(db, days: int) -> list[tuple[date, tuple[int, str, str, int]]]:
    """Run for real on each day from FIRST_DAY, committing as the daily job does; (day, key) of every key sent.

    A dry run first each day must not offer anything sent before: a real run would not send it again (the unique
    key refuses it), but the preview and the count of what is due would be wrong.
    """
    sent: list[tuple[date, tuple[int, str, str, int]]] = []
    for day in (FIRST_DAY + timedelta(days=n) for n in range(days)):
        now = datetime.combine(day, time(6), UTC)
        assert set(_keys(run_reminders(day, now=now, dry_run=True, force=True))).isdisjoint(k for _, k in sent), day
        sent += [(day, key) for key in _keys(run_reminders(day, now=now, force=True))]
        db.session.commit()
    return sent


@pytest.mark.parametrize("settings", [
    ReminderSettings(),
    # Longer repeats than stages, and stages further apart than the repeats: each kind keeps its own window.
    ReminderSettings(due_soon_stages=(40, 3), overdue_repeat_days=10, stale_repeat_days=5, stale_days=20,
                     tbc_repeat_days=9),
], ids=["defaults", "changed"])
def test_run_every_day_each_stage_and_period_goes_out_once_and_at_most_weekly(db, reminder_world, settings):
    save_settings(settings, user_id=reminder_world.coordinator_user.id, now=datetime(2017, 3, 1, tzinfo=UTC))
    db.session.commit()

    sent = _sent_every_day(db, DAYS)

    keys = [key for _, key in sent]
    assert len(keys) == len(set(keys))
    lead, campaign = reminder_world.lead.id, reminder_world.campaign.id
    mine = {(kind, period) for _, (objective_id, kind, period, contact_id) in sent
            if (objective_id, contact_id) == (campaign, lead)}
    end = date(2017, 4, 30)
    # Every stage goes, the last on its own day, the others in the weekly email while they are current.
    assert {p for kind, p in mine if kind == "due_soon"} == {f"{end}:{stage}" for stage in settings.due_soon_stages}
    # Overdue, then stale, repeat: a period is sent at most once, and the chasing goes on.
    for kind in ("overdue", "stale"):
        periods = sorted(int(p.rsplit(":", 1)[1]) for k, p in mine if k == kind)
        assert len(periods) >= 2 and len(periods) == len(set(periods)), kind
    # Quiet: the lead's reminder emails, but for the last stage before an end date, come at most once a week.
    weekly_days = {day for day, (_, kind, period, contact_id) in sent
                   if contact_id == lead and not is_on_its_day(kind, period, settings)}
    weeks = [day.isocalendar()[:2] for day in weekly_days]
    assert len(weeks) == len(set(weeks)) and len(weeks) >= 8
