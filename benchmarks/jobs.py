"""The scheduled jobs' benchmarks: the reminder run (computed, then for real), the outbox's delivery against plain
smtplib, and the scheduler's memory on the big database."""

import os
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from flask import current_app
from sqlalchemy import select, update

from benchmarks import baseline, web
from benchmarks.harness import counting_queries, open_objectives, timed
from config import PROJECT_ROOT
from scp_tracker.core.clock import utcnow
from scp_tracker.extensions import db
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.mail.sender import OutgoingEmail
from scp_tracker.mail.services import deliver_due, enqueue
from scp_tracker.people.models import Contact
from scp_tracker.reminders.services import run_reminders


def bench_reminder_run(today: date, repeats: int) -> dict:
    """The day's digests computed in full without sending (a dry run), against one hand-written SQL query."""
    now = utcnow()
    run_times, baseline_times, cpu_times = [], [], []
    for _ in range(repeats):
        cpu = time.process_time()
        with counting_queries() as statements:
            seconds, report = timed(run_reminders, today, now=now, dry_run=True, force=True)
        cpu_times.append(time.process_time() - cpu)
        db.session.rollback()
        run_times.append(seconds)
        baseline_times.append(baseline.fetch_facts()[0])
    seconds, baseline_seconds = statistics.median(run_times), statistics.median(baseline_times)
    return {
        "objectives": open_objectives(), "seconds": round(seconds, 3), "queries": len(statements),
        "baseline_seconds": round(baseline_seconds, 3), "ratio": round(seconds / baseline_seconds, 2),
        "reminders": report.reminder_count, "digests": len(report.digests),
        "runs_seconds": [round(s, 3) for s in run_times],
        "baseline_runs_seconds": [round(s, 3) for s in baseline_times],
        # CPU time of this process: what an idle machine would show, whatever else runs here.
        "cpu_seconds": round(statistics.median(cpu_times), 3),
    }


def bench_reminder_write(today: date) -> dict:
    """The same run for real: records, update links, digests rendered and queued in the outbox, committed."""
    with counting_queries() as statements:
        seconds, report = timed(_run_and_commit, today)
    return {"seconds": round(seconds, 3), "queries": len(statements), "reminders": report.reminder_count,
            "digests": len(report.digests)}


def _run_and_commit(today: date):
    """The run as the daily job does it: run, then commit."""
    report = run_reminders(today, now=utcnow(), force=True)
    db.session.commit()
    return report


def bench_delivery(messages: int, mail_port: int) -> dict:
    """`messages` digests through the outbox to the sink, against plain smtplib sending the same over one connection.

    The digests are the ones the day's run rendered, queued again one per contact so there are `messages`.
    """
    templates = db.session.execute(
        select(OutboxMessage.subject, OutboxMessage.text_body, OutboxMessage.html_body, OutboxMessage.reply_to)
        .where(OutboxMessage.kind == "reminder_digest").order_by(OutboxMessage.id)).all()
    if not templates:
        raise RuntimeError("the reminder run queued no digests to deliver")
    db.session.execute(update(OutboxMessage).where(OutboxMessage.status == "queued").values(status="cancelled"))
    addresses = db.session.scalars(
        select(Contact.email).where(Contact.email.is_not(None)).order_by(Contact.id)).all()
    now = utcnow()
    for n in range(messages):
        subject, text_body, html_body, reply_to = templates[n % len(templates)]
        enqueue(to=addresses[n % len(addresses)], subject=subject, text_body=text_body, html_body=html_body,
                key=f"benchmark-digest:{n}", kind="reminder_digest", reply_to=reply_to, now=now)
    db.session.commit()
    emails = [OutgoingEmail(row.to_address, row.subject, row.text_body, row.html_body, row.reply_to, row.message_id)
              for row in db.session.scalars(select(OutboxMessage).where(OutboxMessage.key.like("benchmark-digest:%"))
                                            .order_by(OutboxMessage.id))]
    db.session.commit()
    sender = current_app.config["MAIL_DEFAULT_SENDER"]

    def plain() -> float:
        return baseline.send_plainly(emails, host="127.0.0.1", port=mail_port, sender=sender)[0]

    before = plain()
    seconds, sent = timed(_deliver_all)
    after = plain()
    if sent != messages:
        raise RuntimeError(f"the outbox delivered {sent} of {messages} digests")
    baseline_seconds = (before + after) / 2
    rate, baseline_rate = messages / seconds, messages / baseline_seconds
    return {"messages": messages, "per_second": round(rate, 1), "baseline_per_second": round(baseline_rate, 1),
            "ratio": round(rate / baseline_rate, 2), "seconds": round(seconds, 2),
            "baseline_seconds": [round(before, 2), round(after, 2)]}


def _deliver_all() -> int:
    """Call deliver_due back to back (as the scheduler's job does once a minute) until nothing is due."""
    sent = 0
    while True:
        report = deliver_due(utcnow())
        sent += report.sent
        if report.stopped or report.failed or report.retrying:
            raise RuntimeError(f"delivery went wrong: {report.summary()} {report.stopped or ''}")
        if not report.remaining:
            return sent


def bench_scheduler(database: Path, settings: dict[str, str], timeout: float = 300.0) -> dict:
    """`scp-tracker scheduler` on the big database: its peak RSS while the start-up reminder run does its work."""
    command = [str(Path(sys.executable).with_name("scp-tracker")), "scheduler"]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env={**os.environ, **settings},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    started = time.monotonic()
    status = Path(f"/proc/{process.pid}/status")
    peak_kib, samples, finished = 0, 0, None
    watcher = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30)
    try:
        while time.monotonic() - started < timeout and process.poll() is None:
            peak_kib = max(peak_kib, _status_kib(status, "VmRSS"))
            samples += 1
            if samples % 5 == 0 and watcher.execute(
                    "SELECT count(*) FROM outbox_message WHERE kind = 'reminder_summary'").fetchone()[0]:
                finished = time.monotonic() - started
                break
            time.sleep(0.05)
        # The kernel's own high-water mark catches a peak between two samples.
        peak_kib = max(peak_kib, _status_kib(status, "VmHWM"))
    finally:
        watcher.close()
        web.stop(process)
    if finished is None:
        raise RuntimeError(f"the scheduler's reminder run did not finish in {timeout:.0f} s: "
                           f"{(process.stderr.read() if process.stderr else '')[-2000:]}")
    return {"peak_rss_mb": round(peak_kib / 1024, 1), "run_done_after_seconds": round(finished, 1),
            "samples": samples}


def _status_kib(status: Path, field: str) -> int:
    """A kibibyte figure from /proc/PID/status (0 once the process is gone)."""
    try:
        for line in status.read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0
