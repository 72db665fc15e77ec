"""Fixtures for the reliability tests: a world with something of every kind for every route, a snapshot of every
table, processes started beside the test (a scheduler, a lock holder, gunicorn) and a slow SMTP server."""

import asyncio
import hashlib
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event

from scp_tracker.core.clock import utcnow
from scp_tracker.core.history import Actor
from scp_tracker.extensions import db as _db
from scp_tracker.indicators.models import Indicator
from scp_tracker.mail.services import enqueue
from scp_tracker.notifications import preference_links as tokens
from scp_tracker.people.models import AgencySignInDomain, User, UserRole
from scp_tracker.people.passwords import issue_token
from scp_tracker.plans import update_links
from scp_tracker.plans.models import KeyPriorityLead, ProgressUpdate
from scp_tracker.reminders.calendar_feeds import new_calendar_feed
from scp_tracker.reminders.lead_links import issue_lead_links
from scp_tracker.rounds.meetings import Meeting, add_meeting
from scp_tracker.rounds.windows import plan_rounds

PROJECT_ROOT = Path(__file__).resolve().parents[2]
SCHEDULER_SCRIPT = Path(__file__).resolve().parents[1] / "reliability" / "scheduler_process.py"
PYTHON = sys.executable


# --- a world with one of everything, for the role matrix, the fuzzers and the XSS sweep -----------

@dataclass
class World:
    """Everything the routes take as a parameter, by the names the role matrix uses."""

    params: dict[str, object] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)


@pytest.fixture
def world(db, users_by_role, known_agency, make_agency, make_contact, make_plan, make_key_priority, make_objective,
          make_event):
    """Roles as in support.people (coordinator and viewer at CBC, lead at EP, partner at EFRS), and:

    an objective led by EP (the lead's) and one led by CBC; events organised by EFRS, EP and CBC; a spare
    agency, contact and login (invited, no password) for the coordinator's write buttons; a queued email;
    emailed links of every kind (update, preferences, calendar, password reset, invitation).
    """
    now = utcnow()
    cbc, ep, efrs = known_agency("CBC"), known_agency("EP"), known_agency("EFRS")
    plan = make_plan("2016-17")
    kp = make_key_priority(plan, 1, "To protect vulnerable people")
    kp.lead_links = [KeyPriorityLead(agency=cbc, position=0)]
    lead_objective = make_objective(kp, "Social media campaign", leads=[ep], end_date=now.date() + timedelta(days=10),
                                    funding=[{"status": "tbc", "text": "TBC"}])
    other_objective = make_objective(kp, "Keep Safe scheme", leads=[cbc], end_date=now.date() + timedelta(days=40),
                                     funding=[{"status": "confirmed", "amount_pence": 500000, "source": "SCP",
                                               "pot": "16-17 allocation", "text": "£5000 SCP (16-17 allocation)"}])
    events = {abbr: make_event(agency, title=f"{abbr} event", objectives=[lead_objective])
              for abbr, agency in (("EFRS", efrs), ("EP", ep), ("CBC", cbc))}
    request = ProgressUpdate(objective=lead_objective, text="We need two more months", rag="amber",
                             recorded_at=now, source="web", requested_end_date=now.date() + timedelta(days=70),
                             end_date_request_status="pending")
    db.session.add(request)
    lead_request = ProgressUpdate(objective=lead_objective, text="CBC should lead this", rag="amber",
                                  recorded_at=now, source="web", requested_agency_ids=[cbc.id],
                                  lead_request_status="pending")
    db.session.add(lead_request)
    funding_request = ProgressUpdate(objective=lead_objective, text="SCP will fund it", rag="amber", recorded_at=now,
                                     source="web", funding_request_status="pending",
                                     requested_funding={"amount_pence": 250000, "source": "SCP", "pot": "16-17"})
    db.session.add(funding_request)
    # The quarterly rounds as the daily run stores them, June's closed; then a board meeting in March, open.
    first_round = plan_rounds(plan)[0]
    first_round.closed_at = now
    meeting_round = add_meeting(plan, Meeting(date(2017, 3, 15)), Actor(name="World", source="cli"))
    spare_agency = make_agency("SPARE", "Spare Agency")
    spare_contact = make_contact(spare_agency, "Sam Spare", "sam.spare@example.org")
    invited_contact = make_contact(spare_agency, "Ivy Invited", "ivy.invited@example.org")
    invited = User(contact=invited_contact, role_links=[UserRole(role="lead")], password_hash=None)
    db.session.add(invited)
    sign_in_domain = AgencySignInDomain(agency=spare_agency, domain="spare.example.org", role="viewer")
    db.session.add(sign_in_domain)
    db.session.flush()
    message = enqueue(to="someone@example.org", subject="Queued email", text_body="Body", html_body="<p>Body</p>",
                      key="world:queued",
                      kind="notification", now=now)
    lead_contact = users_by_role["lead"].contact
    # An indicator whose figures EP provides: the lead (at EP) may enter them, the partner may not.
    indicator = Indicator(plan=plan, key_priority=kp, name="Domestic abuse incidents", provider_agency=ep,
                          target_value=100)
    db.session.add(indicator)
    db.session.flush()
    raw = update_links.issue_update_tokens(
        [(lead_contact.id, lead_objective.id), (spare_contact.id, other_objective.id)], now)
    calendar = new_calendar_feed(lead_contact, now=now)
    lead_link = issue_lead_links([lead_contact.id], now)[lead_contact.id]
    _, reset = issue_token(users_by_role["partner"], "reset", now=now)
    _, invite = issue_token(invited, "invite", now=now)
    db.session.commit()
    params = {
        "plan_year": plan.year,
        "missing_year": "2099-00",
        "key_priority": kp.id,
        "lead_indicator": indicator.id,
        "lead_objective": lead_objective.id,
        "other_objective": other_objective.id,
        "missing": 987654,
        "partner_event": events["EFRS"].id,
        "lead_event": events["EP"].id,
        "other_event": events["CBC"].id,
        "spare_agency": spare_agency.id,
        "lead_agency": ep.id,
        "spare_contact": spare_contact.id,
        "lead_contact": lead_contact.id,
        "invited_user": invited.id,
        "lead_user": users_by_role["lead"].id,
        "outbox_message": message.id,
        "end_date_request": request.id,
        "lead_request": lead_request.id,
        "funding_request": funding_request.id,
        "round": first_round.id,
        "meeting_round": meeting_round.id,
        "update_token": raw[(lead_contact.id, lead_objective.id)],
        "spare_update_token": raw[(spare_contact.id, other_objective.id)],
        "lead_link_token": lead_link,
        "tampered_token": raw[(lead_contact.id, lead_objective.id)][:-2] + "xx",
        "preferences_token": tokens.preferences_token(lead_contact.id),
        "forged_preferences_token": tokens.preferences_token(lead_contact.id)[:-3] + "abc",
        "calendar_token": calendar,
        "reset_token": reset,
        "invite_token": invite,
        "csv": "csv",
        "unknown_provider": "nobody",
        "sign_in_domain": sign_in_domain.id,
        "stylesheet": "css/main.css",
        "plans_stylesheet": "plans.css",
    }
    return World(params=params, users=dict(users_by_role))


# --- what the database holds, to prove a request changed nothing ----------------------------------

def table_snapshot() -> dict[str, tuple[int, str]]:
    """Each table's row count and a hash of all its rows, read in one short transaction."""
    connection = _db.session.connection()
    tables = [table.name for table in _db.metadata.sorted_tables]
    if connection.dialect.name == "postgresql":
        # One round trip: the server hashes each table's rows.
        query = " UNION ALL ".join(
            f"SELECT '{name}', COUNT(*), md5(COALESCE(string_agg(t::text, '|' ORDER BY t::text), '')) "
            f'FROM "{name}" t' for name in tables)
        snapshot = {name: (rows, digest) for name, rows, digest in connection.exec_driver_sql(query)}
    else:
        snapshot = {}
        for name in tables:
            # Raw rows, without the column types' conversions: only whether anything differs matters.
            rows = connection.exec_driver_sql(f'SELECT * FROM "{name}"').all()
            digest = hashlib.sha256(repr(sorted(repr(tuple(row)) for row in rows)).encode()).hexdigest()
            snapshot[name] = (len(rows), digest)
    _db.session.rollback()
    return snapshot


def changed_tables(before: dict, after: dict) -> list[str]:
    """The names of tables whose rows differ between two snapshots."""
    return sorted(name for name in before if before[name] != after[name])


# --- processes beside the test --------------------------------------------------------------------

def process_env(database_url: str, **extra) -> dict[str, str]:
    """The environment of an scp-tracker process on the test's database, in the testing settings."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("SCP_")}
    env.update({
        "SCP_ENV": "testing",
        "SCP_SQLALCHEMY_DATABASE_URI": database_url,
        "FLASK_SKIP_DOTENV": "1",  # the checkout's development .env (make setup) must not add its secret
        "PYTHONPATH": os.pathsep.join([str(PROJECT_ROOT), str(PROJECT_ROOT / "tests")]),
    })
    env.update({key: str(value) for key, value in extra.items()})
    return env


class Process:
    """A process started for one test, always ended by the test (SIGKILL if it will not stop)."""

    def __init__(self, args: list[str], env: dict[str, str], log: Path):
        self.log_path = log
        self._log = log.open("wb")
        self.popen = subprocess.Popen(args, env=env, cwd=PROJECT_ROOT, stdout=self._log, stderr=subprocess.STDOUT,
                                      start_new_session=True)

    @property
    def pid(self) -> int:
        """The process id."""
        return self.popen.pid

    def kill(self) -> None:
        """SIGKILL, as the out-of-memory killer or a power cut would."""
        if self.popen.poll() is None:
            os.kill(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self, timeout: float = 15) -> int:
        """SIGTERM, as systemd stops a service; SIGKILL after the timeout."""
        if self.popen.poll() is None:
            os.kill(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()
        return self.popen.returncode

    def output(self) -> str:
        """What the process printed so far."""
        if not self._log.closed:
            self._log.flush()
        return self.log_path.read_text(errors="replace")


@pytest.fixture
def start_process(tmp_path):
    """start_process(args, env, name): a process ended at the end of the test whatever happens."""
    started: list[Process] = []

    def _start(args: list[str], env: dict[str, str], name: str = "process") -> Process:
        process = Process(args, env, tmp_path / f"{name}-{len(started)}.log")
        started.append(process)
        return process

    yield _start
    for process in started:
        process.stop(timeout=5)


@pytest.fixture
def start_scheduler(start_process, database_url, smtp_server, tmp_path):
    """start_scheduler(travel_to=None, hook=None): `scp-tracker scheduler` in a process of its own, jobs every
    second, optionally at another time (time-machine, ticking) and with a hook (see scheduler_process.py)."""

    def _start(*, travel_to: datetime | None = None, hook: str | None = None, name: str = "scheduler") -> Process:
        extra = {"SCP_MAIL_SERVER": "127.0.0.1", "SCP_MAIL_PORT": smtp_server.port,
                 "SCP_TEST_MARKER_DIR": tmp_path, "SCP_TEST_TICK_SECONDS": 1}
        if travel_to is not None:
            extra["SCP_TEST_TRAVEL_TO"] = travel_to.isoformat()
        if hook:
            extra["SCP_TEST_HOOK"] = hook
        return start_process([PYTHON, str(SCHEDULER_SCRIPT)], process_env(database_url, **extra), name)

    return _start


def wait_for(condition, timeout: float, interval: float = 0.1, message: str = "condition"):
    """Poll until condition() is truthy; fail the test after the timeout."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout} s waiting for {message}")


# --- a mail server that takes its time ------------------------------------------------------------

def make_slow(smtp_server, delay: float) -> None:
    """Restart the test's SMTP server so it keeps each message, then waits `delay` seconds before saying it was
    accepted: a kill can land while a message is being handed over (the server has it, the sender never hears
    so: the one message that may arrive twice)."""
    handler = smtp_server.handler
    keep = handler.handle_DATA

    async def keep_then_wait(server, session, envelope):
        reply = await keep(server, session, envelope)
        await asyncio.sleep(delay)
        return reply

    handler.handle_DATA = keep_then_wait
    smtp_server.start()


# --- SQLite -----------------------------------------------------------------------------------------

def sqlite_path(database_url: str) -> str | None:
    """The file of a SQLite URL, or None for another database."""
    prefix = "sqlite:///"
    return database_url[len(prefix):] if database_url.startswith(prefix) else None


LOCK_HOLDER = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=30)
connection.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
time.sleep(float(sys.argv[2]))
connection.execute("ROLLBACK")
print("released", flush=True)
"""


@pytest.fixture
def hold_write_lock(database_url):
    """hold_write_lock(seconds): another process takes SQLite's write lock (BEGIN IMMEDIATE) and keeps it."""
    path = sqlite_path(database_url)
    if path is None:
        pytest.skip("SQLite's write lock: this run is on PostgreSQL")
    holders: list[subprocess.Popen] = []

    def _hold(seconds: float) -> subprocess.Popen:
        holder = subprocess.Popen([PYTHON, "-c", LOCK_HOLDER, path, str(seconds)], stdout=subprocess.PIPE, text=True)
        holders.append(holder)
        assert holder.stdout.readline().strip() == "locked"
        return holder

    yield _hold
    for holder in holders:
        if holder.poll() is None:
            holder.kill()
        holder.wait(timeout=10)
        holder.stdout.close()


@pytest.fixture
def short_busy_timeout(app, database_url):
    """SQLite gives up waiting for a lock after 0.3 s instead of 15 (so a test can outlast the wait quickly)."""
    if sqlite_path(database_url) is None:
        pytest.skip("SQLite's busy timeout: this run is on PostgreSQL")

    def shorten(dbapi_connection, connection_record):
        dbapi_connection.execute("PRAGMA busy_timeout=300")

    _db.engine.dispose()
    event.listen(_db.engine, "connect", shorten)
    yield
    event.remove(_db.engine, "connect", shorten)
    _db.engine.dispose()
