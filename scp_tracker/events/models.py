"""Events held: what a partner ran, when and where, who came, how it went, and which objectives it delivers."""

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Column, Date, ForeignKey, Index, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scp_tracker.core.db_types import UTCDateTime, utcnow
from scp_tracker.core.versioning import Versioned
from scp_tracker.extensions import Model, db
from scp_tracker.people.models import Agency, User
from scp_tracker.plans.models import Objective

# The kinds of event the partnership runs, in the words of the plan.
KIND_LABELS = {
    "awareness_session": "Awareness session",
    "training": "Training",
    "campaign": "Campaign",
    "conference": "Conference",
    "community_day_of_action": "Community day of action",
    "meeting": "Meeting",
    "other": "Other",
}
EVENT_KINDS = tuple(KIND_LABELS)
STATUS_LABELS = {"planned": "Planned", "held": "Held", "cancelled": "Cancelled"}
EVENT_STATUSES = tuple(STATUS_LABELS)
# Offered as people type the audience; anything else may be written.
AUDIENCE_SUGGESTIONS = (
    "Year 6 pupils",
    "Young people",
    "Parents and carers",
    "Older people",
    "Residents",
    "Licensees",
    "Businesses",
    "Officers",
    "Professionals",
    "Partner agencies",
)

event_partner = Table(
    "event_partner",
    db.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("agency_id", ForeignKey("agency.id"), primary_key=True, index=True),
)

event_objective = Table(
    "event_objective",
    db.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("objective_id", ForeignKey("objective.id"), primary_key=True),
    # An objective's (or key priority's) events are found from this index alone, without reading the rows.
    Index("ix_event_objective_objective_event", "objective_id", "event_id"),
)

# Which key priorities each event serves (through its objectives), with the event's columns the list filters and
# orders by: a key priority's events, by kind and status, newest first, are counted and paged from one of these
# indexes alone. Derived data, written only by events.key_priorities.
event_key_priority = Table(
    "event_key_priority",
    db.metadata,
    Column("event_id", ForeignKey("event.id", ondelete="CASCADE"), primary_key=True),
    Column("key_priority_id", ForeignKey("key_priority.id"), primary_key=True),
    Column("kind", String(40), nullable=False),
    Column("status", String(20), nullable=False),
    Column("starts_on", Date, nullable=False),
    Index("ix_event_key_priority_newest", "key_priority_id", "starts_on", "event_id"),
    Index("ix_event_key_priority_kind", "key_priority_id", "kind", "starts_on", "event_id"),
    Index("ix_event_key_priority_status", "key_priority_id", "status", "starts_on", "event_id"),
    Index("ix_event_key_priority_kind_status", "key_priority_id", "kind", "status", "starts_on", "event_id"),
)


class Event(Versioned, Model):
    """An event a partner agency ran or plans to run, such as a training day or a community day of action."""

    __tablename__ = "event"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(40))
    starts_on: Mapped[date] = mapped_column(index=True)
    ends_on: Mapped[date | None]  # only when it ran over several days
    place: Mapped[str] = mapped_column(String(300), default="")
    organising_agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), index=True)
    audience: Mapped[str] = mapped_column(String(300), default="")
    attendance: Mapped[int | None] = mapped_column(Integer)  # None: not known (yet)
    status: Mapped[str] = mapped_column(String(20), default="planned")
    outcome: Mapped[str] = mapped_column(Text, default="")
    evaluation: Mapped[str] = mapped_column(Text, default="")
    cost_pence: Mapped[int | None] = mapped_column(BigInteger)
    recorded_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    organising_agency: Mapped[Agency] = relationship()
    partner_agencies: Mapped[list[Agency]] = relationship(secondary=event_partner, order_by=Agency.abbreviation)
    objectives: Mapped[list[Objective]] = relationship(
        secondary=event_objective, order_by=(Objective.position, Objective.id)
    )
    recorded_by: Mapped[User | None] = relationship()

    __table_args__ = (
        # The events list's filters by kind and status, newest first, counted and paged from these indexes alone
        # (kind alone has its own: paged from (kind, status, starts_on), a kind's events were all sorted).
        Index("ix_event_kind_status_starts_on", "kind", "status", "starts_on"),
        Index("ix_event_kind_starts_on", "kind", "starts_on"),
        Index("ix_event_status_starts_on", "status", "starts_on"),
        CheckConstraint("attendance IS NULL OR attendance >= 0", name="attendance_not_negative"),
        CheckConstraint("cost_pence IS NULL OR cost_pence >= 0", name="cost_not_negative"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="ends_after_start"),
    )

    @property
    def kind_label(self) -> str:
        """The kind of event in words."""
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        """The status in words."""
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def last_day(self) -> date:
        """The day the event finished (its only day when it ran on one)."""
        return self.ends_on or self.starts_on

    def __repr__(self) -> str:
        return f"<Event {self.id} {self.title!r}>"
