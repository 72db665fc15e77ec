"""The outbox: every email the app sends, written in the transaction that caused it and delivered after."""

from datetime import datetime

from sqlalchemy import CheckConstraint, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from scp_tracker.core.db_types import UTCDateTime, utcnow
from scp_tracker.extensions import Model

STATUS_LABELS = {"queued": "Queued", "sending": "Sending", "sent": "Sent", "failed": "Failed", "cancelled": "Cancelled"}
STATUSES = tuple(STATUS_LABELS)

# What the coordinator reads in the Emails page's "Type" column; other kinds are shown as written.
KIND_LABELS = {
    "reminder_digest": "Reminder",
    "reminder_summary": "Reminder run summary",
    "password_reset": "Password reset",
    "invitation": "Invitation",
    "update_request": "Request for an update",
    "notification": "Notification",
}


class OutboxMessage(Model):
    """One email to one recipient, with its delivery state (one recipient, so a refusal is never hidden)."""

    __tablename__ = "outbox_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique, so whatever causes an email twice (a second run, a restart) queues it once.
    key: Mapped[str] = mapped_column(String(300), unique=True)
    to_address: Mapped[str] = mapped_column(String(320))
    subject: Mapped[str] = mapped_column(String(300))
    text_body: Mapped[str] = mapped_column(Text)
    html_body: Mapped[str | None] = mapped_column(Text)
    reply_to: Mapped[str | None] = mapped_column(String(320))
    message_id: Mapped[str] = mapped_column(String(100))  # the Message-ID header, derived from the key
    kind: Mapped[str] = mapped_column(String(50), default="")
    status: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    lease_until: Mapped[datetime | None] = mapped_column(UTCDateTime)  # a deliverer holds it until then
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # When delivery (re)started: the clock for giving up; a resend restarts it.
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (
        CheckConstraint(f"status IN ({', '.join(repr(s) for s in STATUSES)})", name="status"),
        Index("ix_outbox_message_status_next_attempt_at", "status", "next_attempt_at"),
        Index("ix_outbox_message_created_at", "created_at"),
    )

    @property
    def status_label(self) -> str:
        """The delivery status in sentence case."""
        return STATUS_LABELS[self.status]

    @property
    def kind_label(self) -> str:
        """The kind of email in words a coordinator recognises."""
        return KIND_LABELS.get(self.kind, self.kind.replace("_", " ").capitalize())

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.key} {self.status}>"
