"""The scheduler process killed (SIGKILL) in the middle of a reminder run or of a delivery batch, then started
again; and two scheduler processes started by mistake. Real `scp-tracker scheduler` processes on the test's
database (a SQLite file, or PostgreSQL), a real SMTP server on loopback, jobs every second instead of every
minute (see scheduler_process.py)."""

import time
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from support.reliability import make_slow, wait_for

from scp_tracker.core.clock import LONDON, utcnow
from scp_tracker.extensions import db
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.mail.services import enqueue, message_id_for
from scp_tracker.reminders.models import ReminderRecord
from scp_tracker.reminders.services import run_reminders

pytestmark = pytest.mark.smtp

# reminder_world's run day: a Tuesday, not a bank holiday, after the 07:00 run time.
RUN_DAY = date(2017, 4, 18)
RUN_AT = datetime(2017, 4, 18, 10, 0, tzinfo=LONDON)
REMINDER_EMAILS = ("reminder_digest", "reminder_summary")  # the coordinator's carries the summary


def _expected_emails() -> Counter:
    """What the day's run will send: one email per person, the coordinator's with the run summary, by address."""
    report = run_reminders(RUN_DAY, now=RUN_AT.astimezone(UTC), dry_run=True)
    db.session.rollback()
    assert report.digests, "the world must have reminders due on the run day"
    return Counter(digest.contact.email for digest in report.digests)


def _received(smtp_server) -> Counter:
    return Counter(address for email in smtp_server.received for address in email.rcpt_tos)


def _count(model, *where) -> int:
    db.session.rollback()  # see what the other processes committed
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_killed_in_the_middle_of_a_reminder_run_then_restarted(reminder_world, smtp_server, start_scheduler,
                                                               tmp_path):
    expected = _expected_emails()
    first = start_scheduler(travel_to=RUN_AT, hook="pause_in_reminder_run")
    wait_for(lambda: (tmp_path / "in-reminder-run").exists(), 60, message="the run to reach its last step")
    first.kill()
    # Everything the run wrote was in one uncommitted transaction: none of it is left, nothing went out.
    assert _count(ReminderRecord) == 0 and _count(OutboxMessage) == 0
    assert smtp_server.received == []

    second = start_scheduler(travel_to=RUN_AT + timedelta(minutes=1))
    wait_for(lambda: _received(smtp_server) == expected, 60, message=f"{expected} to arrive")
    wait_for(lambda: _count(OutboxMessage, OutboxMessage.status != "sent") == 0, 10, message="all marked sent")
    time.sleep(1.5)  # another run of every job: nothing more may go out
    second.stop()
    assert _received(smtp_server) == expected, "every reminder delivered exactly once"
    assert _count(ReminderRecord) == _count(ReminderRecord, ReminderRecord.outbox_key != "")


def test_killed_in_the_middle_of_a_delivery_batch_then_restarted(app, smtp_server, start_scheduler):
    make_slow(smtp_server, 0.3)
    now = utcnow()
    keys = [f"batch:{n}" for n in range(16)]
    for n, key in enumerate(keys):
        enqueue(to=f"lead{n}@example.org", subject=f"Reminder {n}", text_body="Body", key=key, now=now)
    db.session.commit()

    first = start_scheduler()
    wait_for(lambda: len(smtp_server.received) >= 5, 60, message="the batch to be half way")
    first.kill()
    stuck = _count(OutboxMessage, OutboxMessage.status == "sending")
    assert stuck > 0, "the kill landed in the middle of the batch"

    # After the lease, a restarted scheduler takes back what the dead one held and sends it.
    second = start_scheduler(travel_to=now + timedelta(minutes=16))
    wait_for(lambda: _count(OutboxMessage, OutboxMessage.status != "sent") == 0, 60, message="everything sent")
    second.stop()
    by_key = {message_id_for(key): key for key in keys}
    copies = Counter(by_key[email.message["Message-ID"]] for email in smtp_server.received)
    assert set(copies) == set(keys), "every message delivered"
    repeated = [key for key, n in copies.items() if n > 1]
    assert len(repeated) <= 1 and all(copies[key] == 2 for key in repeated), (
        f"only the message being handed over at the kill may arrive twice: {copies}")


def test_two_scheduler_processes_send_no_duplicate(reminder_world, smtp_server, start_scheduler):
    make_slow(smtp_server, 0.05)
    expected = _expected_emails()
    for n in range(10):
        enqueue(to=f"partner{n}@example.org", subject="Event", text_body="Body", key=f"two:{n}",
                now=RUN_AT.astimezone(UTC))
        expected[f"partner{n}@example.org"] += 1
    db.session.commit()
    reminders_due = len(run_reminders(RUN_DAY, now=RUN_AT, dry_run=True).digests)
    db.session.rollback()

    first = start_scheduler(travel_to=RUN_AT, name="first")
    second = start_scheduler(travel_to=RUN_AT, name="second")
    wait_for(lambda: _received(smtp_server) == expected, 60, message=f"{expected} to arrive")
    wait_for(lambda: _count(OutboxMessage, OutboxMessage.status != "sent") == 0, 10, message="all marked sent")
    wait_for(lambda: _count(OutboxMessage, OutboxMessage.kind.in_(REMINDER_EMAILS)) >= reminders_due, 5)
    time.sleep(1.5)
    first.stop()
    second.stop()
    assert _received(smtp_server) == expected, "each email once, however many schedulers"
    assert _count(OutboxMessage, OutboxMessage.kind.in_(REMINDER_EMAILS)) == reminders_due
