"""Which job runs when: the outbox, the heartbeat and the reminders check, each every minute."""

import logging
import time
from datetime import date, datetime

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from scp_tracker.core.clock import LONDON, today_in_london, utcnow
from scp_tracker.extensions import db

logger = logging.getLogger(__name__)

# APScheduler's defaults skip a run that starts over a second late and may overlap runs: ours run
# late rather than never, once however many were missed, and never two at a time.
JOB_OPTIONS = {"misfire_grace_time": None, "coalesce": True, "max_instances": 1}
# A morning's digests fill many of the outbox's batches: its job keeps delivering while more is due, for at
# most this long, so it ends well before its next run a minute later.
DELIVERY_SECONDS = 30


def build_scheduler(app: Flask, scheduler_class=BackgroundScheduler):
    """A scheduler (not started) with every job, an in-memory job store and London time.

    Every job first runs at start-up. The store is in memory on purpose: a persistent one re-added
    at start-up forgets missed runs; catching up comes from the services' "due and not yet recorded".
    """
    scheduler = scheduler_class(
        timezone=LONDON,
        jobstores={"default": MemoryJobStore()},
        executors={"default": ThreadPoolExecutor(max_workers=3)},
        job_defaults=JOB_OPTIONS,
    )
    started = datetime.now(LONDON)
    every_minute = IntervalTrigger(minutes=1, timezone=LONDON)
    for job_id, name, job in (
        ("deliver-outbox", "Deliver the outbox", deliver_outbox),
        ("heartbeat", "Scheduler heartbeat", heartbeat),
        ("daily-reminders", "Daily reminders at the coordinator's run time", DailyReminders()),
    ):
        scheduler.add_job(job, every_minute, args=[app], id=job_id, name=name, next_run_time=started, **JOB_OPTIONS)
    scheduler.add_job(prune_notifications, IntervalTrigger(days=1, timezone=LONDON), args=[app],
                      id="prune-notifications", name="Remove notifications older than a year",
                      next_run_time=started, **JOB_OPTIONS)
    return scheduler


def deliver_outbox(app: Flask) -> None:
    """Job: deliver what is due in the outbox, batch after batch while more is due, for up to DELIVERY_SECONDS."""
    from scp_tracker.mail.services import deliver_due

    started = time.monotonic()
    with app.app_context():
        while True:
            report = _commit_or_roll_back(deliver_due, utcnow())
            # A batch that sent nothing (the server down or refusing us) is left to the back-off and the next run.
            if not (report.remaining and report.sent) or time.monotonic() - started >= DELIVERY_SECONDS:
                return


def heartbeat(app: Flask) -> None:
    """Job: record that this scheduler is alive."""
    from scp_tracker.operations.services import beat

    with app.app_context():
        _commit_or_roll_back(beat, utcnow())


def prune_notifications(app: Flask) -> None:
    """Job: remove notifications older than a year (the privacy notice promises no longer)."""
    from scp_tracker.notifications.services import prune

    with app.app_context():
        _commit_or_roll_back(prune, utcnow())


class DailyReminders:
    """Job: the reminder run, once a day, at the first check at or after the run time (London time).

    Checking every minute, rather than firing at a fixed time, means a run time the coordinator
    changes applies without a restart, and the first check after start-up catches up a run missed
    while the scheduler was down. Whether a date is a run day (weekends, bank holidays in England
    and Wales) is the reminders service's decision, by the coordinator's settings.
    """

    def __init__(self) -> None:
        self.last_run_on: date | None = None  # in memory: after a restart, today is checked again (harmless)

    def __call__(self, app: Flask, now: datetime | None = None) -> None:
        """Run today's reminders if it is time and this process has not run them today."""
        from scp_tracker.reminders.services import run_reminders
        from scp_tracker.reminders.settings import load_settings

        now = now or utcnow()
        today = today_in_london(now)
        if self.last_run_on == today:
            return
        with app.app_context():
            settings = load_settings()
            local = now.astimezone(LONDON)
            if (local.hour, local.minute) < (settings.run_hour, settings.run_minute):
                return
            _commit_or_roll_back(run_reminders, today, now=now)
        self.last_run_on = today


def _commit_or_roll_back(service, *args, **kwargs):
    """Call one service in the job's app context and commit, returning what it returned; on error roll back and
    re-raise (APScheduler logs it)."""
    try:
        result = service(*args, **kwargs)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return result
