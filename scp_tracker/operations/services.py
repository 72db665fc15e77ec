"""Whether the scheduler is running: each scheduler process beats every minute; silence means stopped."""

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from scp_tracker.core.db_types import insert_for
from scp_tracker.extensions import db
from scp_tracker.operations.models import SchedulerHeartbeat
from scp_tracker.operations.signals import scheduler_stopped

# The heartbeat job runs every minute: five missed beats means the scheduler is not running.
STALE_AFTER = timedelta(minutes=5)
# Rows of processes long gone are removed, so restarts do not pile up.
FORGET_AFTER = timedelta(days=7)


def beat(now: datetime) -> None:
    """Record that this scheduler process is alive (one row per process, updated in place)."""
    hostname = socket.gethostname()
    pid = os.getpid()
    statement = insert_for(SchedulerHeartbeat).values(
        process_key=f"{hostname}:{pid}", hostname=hostname, pid=pid, started_at=now, last_beat_at=now
    )
    db.session.execute(
        statement.on_conflict_do_update(index_elements=["process_key"], set_={"last_beat_at": now})
    )
    db.session.execute(delete(SchedulerHeartbeat).where(SchedulerHeartbeat.last_beat_at < now - FORGET_AFTER))


@dataclass(frozen=True)
class SchedulerState:
    """The scheduler's status and when it was last heard from."""

    status: str  # "running" | "stopped" | "never"
    last_beat_at: datetime | None


# Built once and run on the session's connection (a third of the time of the ORM's way): a coordinator's every
# page asks.
_LAST_BEAT = select(func.max(SchedulerHeartbeat.last_beat_at))


def scheduler_state(now: datetime) -> SchedulerState:
    """Whether any scheduler process has beaten in the last 5 minutes (one query)."""
    last = db.session.connection().execute(_LAST_BEAT).scalar()
    if last is None:
        return SchedulerState("never", None)
    return SchedulerState("running" if now - last <= STALE_AFTER else "stopped", last)


def notice_stopped_scheduler(state: SchedulerState, now: datetime) -> bool:
    """Announce an outage if the scheduler has stopped (the web app calls this: a stopped scheduler cannot)."""
    if state.status != "stopped":
        return False
    scheduler_stopped.send(state, now=now)
    return True


def scheduler_status(now: datetime) -> str:
    """The status in a word: "running", "stopped" (no beat for 5 minutes) or "never" (none has ever run)."""
    return scheduler_state(now).status
