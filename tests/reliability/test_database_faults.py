"""The database busy or gone: SQLite locked by another process, PostgreSQL restarted under the app and scheduler.

Requests and jobs wait and succeed, or fail with the 503 page and a clear log line; never a 500 with a stack
trace, never a half-written change."""

import logging
import os
import shlex
import subprocess
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from support.edits import opened
from support.reliability import wait_for

from jobs.scheduler import deliver_outbox
from scp_tracker.core.clock import utcnow
from scp_tracker.core.models import ChangeRecord
from scp_tracker.extensions import db
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.mail.services import enqueue
from scp_tracker.operations.models import SchedulerHeartbeat
from scp_tracker.plans.models import ProgressUpdate

PROGRESS = {"text": "Launched on Facebook and Twitter", "rag": "green"}


def _rows(model, *where) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_write_lock_held_for_a_few_seconds_makes_requests_and_jobs_wait_then_succeed(
        app, world, client_as, hold_write_lock, smtp_server):
    client = client_as("lead")
    objective_id = world.params["lead_objective"]
    holder = hold_write_lock(2)
    started = time.monotonic()
    assert client.get(f"/objectives/{objective_id}").status_code == 200  # readers are never blocked (WAL)
    stamp = opened(client, f"/objectives/{objective_id}/progress")
    response = client.post(f"/objectives/{objective_id}/progress", data={**PROGRESS, **stamp})
    assert response.status_code == 302
    assert time.monotonic() - started >= 1, "the write waited for the lock"
    assert _rows(ProgressUpdate, ProgressUpdate.text == PROGRESS["text"]) == 1
    holder.wait(timeout=10)

    holder = hold_write_lock(2)
    deliver_outbox(app)  # the job waits for the lock, then delivers
    assert _rows(OutboxMessage, OutboxMessage.status == "sent") == 1
    assert len(smtp_server.received) == 1


def test_a_write_lock_held_past_the_busy_timeout_is_the_503_page_and_changes_nothing(
        app, world, client_as, hold_write_lock, short_busy_timeout, caplog):
    client = client_as("lead")
    objective_id = world.params["lead_objective"]
    changes_before = _rows(ChangeRecord)
    stamp = opened(client, f"/objectives/{objective_id}/progress")
    hold_write_lock(5)
    with caplog.at_level(logging.ERROR):
        response = client.post(f"/objectives/{objective_id}/progress", data={**PROGRESS, **stamp})
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in page
    assert "If you were changing something, it may not have been saved" in page
    assert "Traceback" not in page and "OperationalError" not in page and "locked" not in page
    assert response.headers["Retry-After"]
    assert "database is locked" in caplog.text, "the log says what happened"
    assert _rows(ProgressUpdate, ProgressUpdate.text == PROGRESS["text"]) == 0
    assert _rows(ChangeRecord) == changes_before


def test_a_job_that_cannot_get_the_lock_rolls_back_raises_and_the_next_run_delivers(
        app, world, hold_write_lock, short_busy_timeout, smtp_server):
    holder = hold_write_lock(1.5)
    with pytest.raises(Exception, match="database is locked"):
        deliver_outbox(app)  # APScheduler logs it; the job runs again a minute later
    assert _rows(OutboxMessage, OutboxMessage.status == "queued") == 1
    holder.wait(timeout=10)
    deliver_outbox(app)
    assert _rows(OutboxMessage, OutboxMessage.status == "sent") == 1


def test_a_failed_statement_does_not_write_its_parameters_into_error_messages(app):
    """Exceptions are logged (APScheduler, Flask): their text must not carry an email body or its links."""
    secret_body = "Open https://scp.example.org/update/secret-token-in-a-body"
    too_long = "k" * 400  # PostgreSQL refuses it for its length; SQLite for the missing subject
    with pytest.raises(Exception) as raised:
        db.session.execute(OutboxMessage.__table__.insert().values(
            key=too_long, to_address="a@example.org", subject=None if db.engine.name == "sqlite" else "Subject",
            text_body=secret_body, message_id="<x@y>", kind="", status="queued", attempts=0,
            next_attempt_at=utcnow()))
    db.session.rollback()
    assert "secret-token-in-a-body" not in str(raised.value)
    assert "parameters hidden" in str(raised.value)


# --- PostgreSQL restarted ------------------------------------------------------------------------

def _pg_ctl(*args: str) -> None:
    """Run pg_ctl as the postgres user, as CI started the server (its output to the server's log file)."""
    pgdata, pgbin = os.environ["SCP_TEST_PGDATA"], os.environ.get("PGBIN", "")
    pg_ctl = str(Path(pgbin) / "pg_ctl") if pgbin else "pg_ctl"
    command = " ".join(shlex.quote(word) for word in (pg_ctl, "-D", pgdata, "-l", f"{pgdata}/log", *args))
    subprocess.run(["su", "postgres", "-c", command], check=True, stdin=subprocess.DEVNULL,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)


def _server_options() -> str:
    """The options the server was started with (port, socket folder…), to start it again the same way."""
    words = shlex.split((Path(os.environ["SCP_TEST_PGDATA"]) / "postmaster.opts").read_text())[1:]
    options = [word for n, word in enumerate(words) if word != "-D" and (n == 0 or words[n - 1] != "-D")]
    return " ".join(shlex.quote(word) for word in options)


@pytest.fixture
def restartable_postgresql(database_url):
    """(stop, start) of the test's PostgreSQL server, when this test may restart it (CI sets SCP_TEST_PGDATA)."""
    if make_url(database_url).get_backend_name() != "postgresql":
        pytest.skip("PostgreSQL restart: this run is on SQLite")
    if not os.environ.get("SCP_TEST_PGDATA"):
        pytest.skip("PostgreSQL restart: set SCP_TEST_PGDATA (and PGBIN) to the test server's data folder")
    options = _server_options()
    running = Path(os.environ["SCP_TEST_PGDATA"]) / "postmaster.pid"

    def start():
        _pg_ctl("start", "-w", "-o", options)

    yield (lambda: _pg_ctl("stop", "-m", "fast", "-w")), start
    if not running.exists():
        start()  # whatever happened, the rest of the suite needs its server


def test_postgresql_restarted_while_the_app_and_scheduler_run(world, client_as, smtp_server, start_scheduler,
                                                              restartable_postgresql, caplog):
    stop, start = restartable_postgresql
    client = client_as("coordinator")
    scheduler = start_scheduler()
    wait_for(lambda: _rows(OutboxMessage, OutboxMessage.status == "sent") == 1, 30, message="the first delivery")
    # Due a few seconds from now: the scheduler's next runs find it, whatever happened in between.
    enqueue(to="late@example.org", subject="Queued before the restart", text_body="Body", key="restart:1",
            now=utcnow() + timedelta(seconds=3))
    db.session.commit()
    db.session.remove()

    stop()
    response = client.get("/plan")
    assert response.status_code == 503 and "Sorry, the service is unavailable" in response.get_data(as_text=True)
    time.sleep(3)  # the scheduler's jobs fail meanwhile (and say so in its log)
    start()

    assert client.get("/plan").status_code == 200  # pool_pre_ping: a fresh connection, no error
    wait_for(lambda: any("late@example.org" in r.rcpt_tos for r in smtp_server.received), 30,
             message="the scheduler to reconnect and deliver")
    beat_after_restart = _rows(SchedulerHeartbeat, SchedulerHeartbeat.last_beat_at > utcnow() - timedelta(seconds=5))
    assert beat_after_restart == 1
    scheduler.stop()
    assert "Database unavailable during GET /plan" in caplog.text
