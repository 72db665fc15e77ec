"""What the notifications keep: each notification a person was sent, and each person's choice per kind."""

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scp_tracker.core.db_types import UTCDateTime, utcnow
from scp_tracker.extensions import Model
from scp_tracker.plans.models import Objective


class Notification(Model):
    """One thing one person is told about: shown in the app, and sent at once, in the daily email, or not at all."""

    __tablename__ = "notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))  # a key of notifications.rules.KINDS
    title: Mapped[str] = mapped_column(String(400))
    detail: Mapped[str] = mapped_column(Text, default="")  # lines of what changed
    link_path: Mapped[str] = mapped_column(String(300), default="")  # "/objectives/12": what it is about
    objective_id: Mapped[int | None] = mapped_column(ForeignKey("objective.id", ondelete="CASCADE"), index=True)
    actor_name: Mapped[str] = mapped_column(String(200), default="")  # who made the change; blank for the system
    delivery: Mapped[str] = mapped_column(String(10))  # email | digest | app, as chosen when it was written
    # Set for what must be told once only (a scheduler outage), so a second page load writes nothing more.
    key: Mapped[str | None] = mapped_column(String(300), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    read_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    digested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # taken into a daily email
    email_key: Mapped[str | None] = mapped_column(String(300))  # the outbox key of the email that carries it

    objective: Mapped[Objective | None] = relationship()

    __table_args__ = (
        Index("ix_notification_contact_created", "contact_id", "created_at"),
        Index("ix_notification_contact_read", "contact_id", "read_at"),
        Index("ix_notification_delivery_digested", "delivery", "digested_at"),
    )

    @property
    def detail_lines(self) -> list[str]:
        """The detail, a line at a time."""
        return [line for line in self.detail.splitlines() if line.strip()]

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} to {self.contact_id}>"


class NotificationPreference(Model):
    """How a person wants to hear of one kind of notification; absent means the kind's default."""

    __tablename__ = "notification_preference"

    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    delivery: Mapped[str] = mapped_column(String(10))  # email | digest | app | off
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
