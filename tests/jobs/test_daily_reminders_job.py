"""The daily reminders job with the real reminders service: a fixed date twice sends nothing new the second time."""

from datetime import datetime

from sqlalchemy import func, select

from jobs.scheduler import DailyReminders
from scp_tracker.core.clock import LONDON
from scp_tracker.mail.models import OutboxMessage


def outbox_count(db) -> int:
    """How many emails are queued, as the job's own app context committed them."""
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_the_job_queues_the_days_digests_once(app, db, reminder_world):
    tuesday_morning = datetime(2017, 4, 18, 7, 0, tzinfo=LONDON)

    DailyReminders()(app, tuesday_morning)
    queued = outbox_count(db)
    # A restarted scheduler checks again the same day: nothing new.
    DailyReminders()(app, tuesday_morning.replace(hour=9))

    assert queued > 0
    assert outbox_count(db) == queued


def test_no_reminders_on_a_bank_holiday(app, db, reminder_world):
    DailyReminders()(app, datetime(2017, 4, 17, 7, 0, tzinfo=LONDON))  # Easter Monday

    assert outbox_count(db) == 0
