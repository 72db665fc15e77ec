"""The run loads each kind's records only as far back as one of its stages or periods lasts: run every day, and each
repeat of each kind still goes out exactly once."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from scp_tracker.reminders.rules import ReminderSettings
from scp_tracker.reminders.services import run_reminders
from scp_tracker.reminders.settings import save_settings

FIRST_DAY = date(2017, 4, 1)  # the campaign's 28-day stage starts the next day; it ends on 30 April
DAYS = 75  # past the end date, through weekly overdue periods and fortnightly stale ones


def _keys(report) -> list[tuple[int, str, str, int]]:
    """The keys of the reminders in a report's digests."""
    return [item.reminder.key for digest in report.digests for item in digest.items]


def _sent_every_day(db, days: int) -> list[tuple[int, str, str, int]]:
    """Run for real on each day from FIRST_DAY, committing as the daily job does; every key sent, in order.

    A dry run first each day must not offer anything sent before: a real run would not send it again (the unique
    key refuses it), but the preview and the count of what is due would be wrong.
    """
    sent = []
    for day in (FIRST_DAY + timedelta(days=n) for n in range(days)):
        now = datetime.combine(day, time(6), UTC)
        assert set(_keys(run_reminders(day, now=now, dry_run=True, force=True))).isdisjoint(sent), day
        sent += _keys(run_reminders(day, now=now, force=True))
        db.session.commit()
    return sent


@pytest.mark.parametrize("settings", [
    ReminderSettings(),
    # Longer repeats than stages, and stages further apart than the repeats: each kind keeps its own window.
    ReminderSettings(due_soon_stages=(40, 3), overdue_repeat_days=10, stale_repeat_days=5, stale_days=20,
                     tbc_repeat_days=9),
], ids=["defaults", "changed"])
def test_run_every_day_each_stage_and_period_goes_out_once(db, reminder_world, settings):
    save_settings(settings, user_id=reminder_world.coordinator_user.id, now=datetime(2017, 3, 1, tzinfo=UTC))
    db.session.commit()

    sent = _sent_every_day(db, DAYS)

    assert len(sent) == len(set(sent))
    last_day = FIRST_DAY + timedelta(days=DAYS - 1)
    lead, campaign = reminder_world.lead.id, reminder_world.campaign.id
    mine = {(kind, period) for objective_id, kind, period, contact_id in sent
            if (objective_id, contact_id) == (campaign, lead)}
    end = date(2017, 4, 30)
    overdue_periods = ((last_day - end).days - 1) // settings.overdue_repeat_days + 1
    assert {p for kind, p in mine if kind == "overdue"} == {f"{end}:{n}" for n in range(overdue_periods)}
    assert {p for kind, p in mine if kind == "due_soon"} == {f"{end}:{stage}" for stage in settings.due_soon_stages}
    # Its last progress was on 10 April: stale from stale_days after, then once a period.
    stale_periods = ((last_day - date(2017, 4, 10)).days - settings.stale_days) // settings.stale_repeat_days + 1
    assert {p for kind, p in mine if kind == "stale"} == {f"2017-04-10:{n}" for n in range(stale_periods)}
    tbc_periods = ((last_day - date(2016, 4, 1)).days // settings.tbc_repeat_days
                   - (FIRST_DAY - date(2016, 4, 1)).days // settings.tbc_repeat_days + 1)
    keep_safe = {p for objective_id, kind, p, contact_id in sent
                 if (objective_id, kind, contact_id) == (reminder_world.keep_safe.id, "tbc_funding", lead)}
    assert len(keep_safe) == tbc_periods
