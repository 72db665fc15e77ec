"""What the reminders keep: reminders sent, the coordinator's settings, emailed update links, preferences, feeds."""

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scp_tracker.core.db_types import UTCDateTime, utcnow
from scp_tracker.extensions import Model
from scp_tracker.people.models import Contact


class ReminderRecord(Model):
    """A reminder sent: its unique key means a second run, a second scheduler or a restart never sends it again."""

    __tablename__ = "reminder_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("objective.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))
    stage_or_period: Mapped[str] = mapped_column(String(40))  # "2017-04-30:14", "2016-07-01:3"
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    sent_on: Mapped[date]
    outbox_key: Mapped[str] = mapped_column(String(300), default="")  # the digest it went out in
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    contact: Mapped[Contact] = relationship()

    __table_args__ = (
        UniqueConstraint("objective_id", "kind", "stage_or_period", "contact_id"),
        Index("ix_reminder_record_objective_sent_on", "objective_id", "sent_on"),
    )


class EventReminderRecord(Model):
    """An event_outcome reminder sent about an event held with nothing recorded; keyed like ReminderRecord."""

    __tablename__ = "event_reminder_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("event.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(40))  # "<event's last day>:<weeks since>"
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    sent_on: Mapped[date]
    outbox_key: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("event_id", "period", "contact_id"),)


class FigureReminderRecord(Model):
    """A round step that asked a provider for a late indicator figure; keyed like ReminderRecord, so each figure is
    asked for once per step, round and person."""

    __tablename__ = "figure_reminder_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(10))  # the late figure's period, e.g. 2017-Q1
    kind: Mapped[str] = mapped_column(String(30))  # round_call, round_reminder
    stage_or_period: Mapped[str] = mapped_column(String(40))  # "round:<id>", "round:<id>:now:<date>"
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    sent_on: Mapped[date] = mapped_column(index=True)
    outbox_key: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("indicator_id", "period", "kind", "stage_or_period", "contact_id",
                                       name="uq_figure_reminder_record_key"),)  # the default name is too long


class ReminderSetting(Model):
    """One setting the coordinator changed (thresholds, repeat periods, run time); absent means the default."""

    __tablename__ = "reminder_setting"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))  # JSON text: 42, true, [28, 14, 7, 1]
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class ContactPreference(Model):
    """The optional kinds of reminder a contact chose not to get (the pause is Contact.reminders_paused_until)."""

    __tablename__ = "contact_preference"

    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), primary_key=True)
    opted_out_kinds: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class CalendarFeed(Model):
    """A private calendar address of the end dates a contact leads; stored hashed, revocable."""

    __tablename__ = "calendar_feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LeadLink(Model):
    """The one link in a reminder email: opens "Your objectives" for one contact; stored hashed.

    Unlike an update link it is not used up by saving: it works until its round closes or it expires.
    """

    __tablename__ = "lead_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), index=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("reporting_round.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    contact: Mapped[Contact] = relationship()
