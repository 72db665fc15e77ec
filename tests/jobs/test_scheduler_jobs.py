"""The scheduler's jobs: ids and options, the daily reminders check in London time, and what each job calls."""

import importlib
import sys
import threading
import types
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import func, select

from jobs import scheduler as jobs
from scp_tracker.core.clock import LONDON, utcnow
from scp_tracker.mail import services as mail_services
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.operations import services as operations

JOB_IDS = {"deliver-outbox", "heartbeat", "daily-reminders", "prune-notifications"}
# Every job runs each minute, except the daily clean-up of old notifications.
INTERVALS = {"prune-notifications": timedelta(days=1)}


@dataclass
class Settings:
    """The part of the reminder settings the scheduler reads."""

    run_hour: int = 7
    run_minute: int = 0


class FakeReminders(types.ModuleType):
    """Stands in for scp_tracker.reminders.services and .settings: records runs and queues one email per date,
    idempotently."""

    def __init__(self):
        super().__init__("scp_tracker.reminders.services")
        self.settings = Settings()
        self.runs = []
        self.error = None

    def load_settings(self):
        return self.settings

    def run_reminders(self, today, now=None):
        self.runs.append(today)
        mail_services.enqueue(to="lead@example.org", subject="Reminder", text_body="Hello", key=f"digest:{today}")
        if self.error:
            raise self.error


@pytest.fixture
def reminders(monkeypatch):
    """The fake reminders service, in place of the real one."""
    fake = FakeReminders()
    package = importlib.import_module("scp_tracker.reminders")
    for name in ("services", "settings"):
        monkeypatch.setitem(sys.modules, f"scp_tracker.reminders.{name}", fake)
        monkeypatch.setattr(package, name, fake, raising=False)
    return fake


def outbox_count(db) -> int:
    """How many emails are queued, as other app contexts committed them."""
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def london(*args) -> datetime:
    """A London wall-clock time."""
    return datetime(*args, tzinfo=LONDON)


@pytest.mark.parametrize("scheduler_class", [BackgroundScheduler, BlockingScheduler])
def test_builds_every_job_with_explicit_ids_and_safe_options(app, scheduler_class):
    scheduler = jobs.build_scheduler(app, scheduler_class)

    assert isinstance(scheduler, scheduler_class)
    assert not scheduler.running
    assert str(scheduler.timezone) == "Europe/London"
    assert isinstance(scheduler._jobstores["default"], MemoryJobStore)  # no public accessor
    scheduled = {job.id: job for job in scheduler.get_jobs()}
    assert set(scheduled) == JOB_IDS
    for job in scheduled.values():
        assert job.misfire_grace_time is None
        assert job.coalesce is True
        assert job.max_instances == 1
        assert job.args == (app,)
        assert isinstance(job.trigger, IntervalTrigger)
        assert job.trigger.interval == INTERVALS.get(job.id, timedelta(minutes=1))
        assert job.next_run_time is not None  # first run at start-up: catches up what was missed


def test_daily_reminders_wait_for_the_run_time_then_run_once_a_day(app, db, reminders):
    daily = jobs.DailyReminders()

    daily(app, london(2026, 11, 27, 6, 59))
    assert reminders.runs == []

    daily(app, london(2026, 11, 27, 7, 0))
    daily(app, london(2026, 11, 27, 7, 1))
    daily(app, london(2026, 11, 27, 16, 0))
    assert reminders.runs == [date(2026, 11, 27)]

    daily(app, london(2026, 11, 28, 6, 0))
    daily(app, london(2026, 11, 28, 7, 5))
    assert reminders.runs == [date(2026, 11, 27), date(2026, 11, 28)]
    assert outbox_count(db) == 2


def test_the_run_time_the_coordinator_sets_applies_without_a_restart(app, reminders):
    daily = jobs.DailyReminders()
    reminders.settings = Settings(run_hour=9, run_minute=30)

    daily(app, london(2026, 11, 27, 8, 0))
    daily(app, london(2026, 11, 27, 9, 29))
    assert reminders.runs == []

    daily(app, london(2026, 11, 27, 9, 30))
    assert reminders.runs == [date(2026, 11, 27)]


def test_the_first_check_after_start_up_catches_up_a_missed_run(app, reminders):
    jobs.DailyReminders()(app, london(2026, 11, 27, 15, 30))

    assert reminders.runs == [date(2026, 11, 27)]


def test_a_restarted_scheduler_runs_again_and_queues_nothing_new(app, db, reminders):
    jobs.DailyReminders()(app, london(2026, 11, 27, 7, 0))
    jobs.DailyReminders()(app, london(2026, 11, 27, 7, 30))

    assert reminders.runs == [date(2026, 11, 27)] * 2
    assert outbox_count(db) == 1


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (datetime(2026, 7, 2, 23, 30, tzinfo=UTC), []),  # 00:30 on Friday 3 July in London
        (datetime(2026, 7, 3, 5, 59, tzinfo=UTC), []),  # 06:59 BST
        (datetime(2026, 7, 3, 6, 0, tzinfo=UTC), [date(2026, 7, 3)]),  # 07:00 BST
        (datetime(2026, 12, 3, 6, 30, tzinfo=UTC), []),  # 06:30 GMT
    ],
)
def test_the_run_time_and_the_date_are_london_ones(app, reminders, now, expected):
    jobs.DailyReminders()(app, now)

    assert reminders.runs == expected


def test_which_days_are_run_days_is_left_to_the_reminders_service(app, reminders):
    jobs.DailyReminders()(app, london(2026, 12, 25, 7, 0))  # Christmas Day: the service decides

    assert reminders.runs == [date(2026, 12, 25)]


def test_a_failing_run_is_rolled_back_raised_and_tried_again_at_the_next_check(app, db, reminders):
    daily = jobs.DailyReminders()
    reminders.error = RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        daily(app, london(2026, 11, 27, 7, 0))
    assert outbox_count(db) == 0

    reminders.error = None
    daily(app, london(2026, 11, 27, 7, 1))
    assert reminders.runs == [date(2026, 11, 27)] * 2
    assert outbox_count(db) == 1


@pytest.mark.smtp
def test_the_outbox_job_delivers_in_its_own_app_context_on_another_thread(app, db, smtp_server):
    mail_services.enqueue(to="lead@example.org", subject="Reminder", text_body="Hello", key="job:1", now=utcnow())
    db.session.commit()

    for _ in range(2):  # a second run sends nothing new
        worker = threading.Thread(target=jobs.deliver_outbox, args=(app,))
        worker.start()
        worker.join(timeout=30)

    assert len(smtp_server.received) == 1
    db.session.rollback()
    assert db.session.scalar(select(OutboxMessage.status)) == "sent"


def test_the_heartbeat_job_marks_the_scheduler_running(app, db):
    worker = threading.Thread(target=jobs.heartbeat, args=(app,))
    worker.start()
    worker.join(timeout=30)

    db.session.rollback()
    assert operations.scheduler_status(utcnow()) == "running"
