"""The scheduler's heartbeat, so the app can tell the coordinator when reminders have stopped going out."""

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from scp_tracker.core.db_types import UTCDateTime
from scp_tracker.extensions import Model


class SchedulerHeartbeat(Model):
    """One row per scheduler process (host and process id), touched every minute while it runs."""

    __tablename__ = "scheduler_heartbeat"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_key: Mapped[str] = mapped_column(String(300), unique=True)  # "host:pid"
    hostname: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_beat_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)

    def __repr__(self) -> str:
        return f"<SchedulerHeartbeat {self.process_key} {self.last_beat_at:%Y-%m-%d %H:%M}>"
