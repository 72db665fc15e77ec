"""A partnership plan: key priorities, objectives, funding, progress, and the history of every change."""

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scp_tracker.core.db_types import UTCDateTime, utcnow
from scp_tracker.core.versioning import Versioned
from scp_tracker.extensions import Model
from scp_tracker.people.models import Agency, Contact, User

PLAN_STATUSES = ("draft", "agreed", "archived")
OBJECTIVE_STATUSES = ("open", "complete", "cancelled")
RAGS = ("red", "amber", "green")
FUNDING_STATUSES = ("confirmed", "tbc", "not_applicable", "nil_cost", "missing")
DATE_STATUSES = ("set", "tbc", "ongoing", "missing")  # ongoing: no end date, and none missing
LEAD_STATUSES = ("set", "tbc", "missing")
PRIORITY_SCOPES = ("listed", "multiple", "all", "none")
PRIORITY_LISTS = ("police", "pcc")


class Plan(Model):
    """One year's annual partnership plan."""

    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[str] = mapped_column(String(20), unique=True)  # "2016-17"
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), default="draft")
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    description: Mapped[str] = mapped_column(Text, default="")
    prepared_by: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[list] = mapped_column(JSON, default=list)  # sections kept verbatim from the document
    source_filename: Mapped[str | None] = mapped_column(String(300))
    # A draft becomes the plan in use when the board agrees it; an archived plan stops its rounds and reminders.
    agreed_on: Mapped[date | None]
    agreed_at_meeting: Mapped[str] = mapped_column(String(200), default="", server_default="")
    archived_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    key_priorities: Mapped[list["KeyPriority"]] = relationship(
        back_populates="plan", order_by="KeyPriority.number", cascade="all, delete-orphan"
    )
    priority_items: Mapped[list["PriorityListItem"]] = relationship(
        back_populates="plan", order_by="PriorityListItem.number", cascade="all, delete-orphan"
    )

    def __repr__(self) -> str:
        return f"<Plan {self.year}>"


class PriorityListItem(Model):
    """A numbered priority of the police plan or the PCC's commitments that objectives serve."""

    __tablename__ = "priority_list_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"))
    list_name: Mapped[str] = mapped_column(String(10))  # "police" | "pcc"
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))

    plan: Mapped[Plan] = relationship(back_populates="priority_items")

    __table_args__ = (UniqueConstraint("plan_id", "list_name", "number"),)


class GlossaryTerm(Model):
    """An abbreviation the partnership uses that is not an agency (ASB, DA, IOM…)."""

    __tablename__ = "glossary_term"

    id: Mapped[int] = mapped_column(primary_key=True)
    abbreviation: Mapped[str] = mapped_column(String(40), unique=True)
    description: Mapped[str] = mapped_column(String(300))


class KeyPriorityLead(Model):
    """An agency leading a key priority, in the order written."""

    __tablename__ = "key_priority_lead"

    key_priority_id: Mapped[int] = mapped_column(ForeignKey("key_priority.id"), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    agency: Mapped[Agency] = relationship()


class KeyPriority(Model):
    """One of the plan's key priorities, led by one agency."""

    __tablename__ = "key_priority"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(300))
    heading: Mapped[str] = mapped_column(Text, default="")  # as written
    description: Mapped[str] = mapped_column(Text, default="")
    lead_text: Mapped[str] = mapped_column(String(300), default="")  # as written
    retired_on: Mapped[date | None]  # taken out of the plan on a page; its objectives are cancelled with it

    plan: Mapped[Plan] = relationship(back_populates="key_priorities")
    lead_links: Mapped[list[KeyPriorityLead]] = relationship(
        order_by=KeyPriorityLead.position, cascade="all, delete-orphan"
    )
    objectives: Mapped[list["Objective"]] = relationship(
        back_populates="key_priority", order_by="Objective.position"
    )

    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    @property
    def lead_agencies(self) -> list[Agency]:
        """The lead agencies in the order written."""
        return [link.agency for link in self.lead_links]


class ObjectiveLead(Model):
    """An agency leading an objective, in the order written."""

    __tablename__ = "objective_lead"

    objective_id: Mapped[int] = mapped_column(ForeignKey("objective.id"), primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agency.id"), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    agency: Mapped[Agency] = relationship()


class ObjectiveContact(Model):
    """A named person leading an objective (overrides the lead agencies' contacts for reminders)."""

    __tablename__ = "objective_contact"

    objective_id: Mapped[int] = mapped_column(ForeignKey("objective.id"), primary_key=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), primary_key=True, index=True)

    contact: Mapped[Contact] = relationship()


class Objective(Versioned, Model):
    """Something the partnership will do this year, with its lead, funding, end date and progress."""

    __tablename__ = "objective"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_priority_id: Mapped[int] = mapped_column(ForeignKey("key_priority.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text, default="")
    source_html: Mapped[str] = mapped_column(Text, default="")  # the cell as written
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    rag: Mapped[str | None] = mapped_column(String(10))
    end_date: Mapped[date | None] = mapped_column(index=True)
    end_date_text: Mapped[str] = mapped_column(String(100), default="")
    end_date_status: Mapped[str] = mapped_column(String(10), default="missing")
    lead_status: Mapped[str] = mapped_column(String(10), default="missing")
    lead_text: Mapped[str] = mapped_column(String(300), default="")
    police_scope: Mapped[str] = mapped_column(String(10), default="none")
    police_numbers: Mapped[list] = mapped_column(JSON, default=list)
    police_text: Mapped[str] = mapped_column(String(100), default="")
    pcc_scope: Mapped[str] = mapped_column(String(10), default="none")
    pcc_numbers: Mapped[list] = mapped_column(JSON, default=list)
    pcc_text: Mapped[str] = mapped_column(String(100), default="")
    extra: Mapped[dict] = mapped_column(JSON, default=dict)  # imported columns we do not model, verbatim
    carried_from_id: Mapped[int | None] = mapped_column(ForeignKey("objective.id"))
    # Denormalised from the progress updates so lists and reminders need no per-row subquery.
    last_progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    key_priority: Mapped[KeyPriority] = relationship(back_populates="objectives")
    lead_links: Mapped[list[ObjectiveLead]] = relationship(
        order_by=ObjectiveLead.position, cascade="all, delete-orphan"
    )
    contact_links: Mapped[list[ObjectiveContact]] = relationship(cascade="all, delete-orphan")
    funding_lines: Mapped[list["FundingLine"]] = relationship(
        back_populates="objective", order_by="FundingLine.position", cascade="all, delete-orphan"
    )
    progress_updates: Mapped[list["ProgressUpdate"]] = relationship(
        back_populates="objective",
        order_by=lambda: (ProgressUpdate.recorded_at.desc(), ProgressUpdate.id.desc()),
        cascade="all, delete-orphan",
    )
    carried_from: Mapped["Objective | None"] = relationship(remote_side=[id])

    # The plan list filtered by key priority and RAG (the dashboard's figures lead there) counts and pages on
    # this index alone, instead of reading every wide row of the key priority.
    __table_args__ = (Index("ix_objective_key_priority_rag", "key_priority_id", "rag", "position"),)

    @property
    def lead_agencies(self) -> list[Agency]:
        """The lead agencies in the order written."""
        return [link.agency for link in self.lead_links]

    @property
    def lead_contacts(self) -> list[Contact]:
        """Named lead contacts, if any."""
        return [link.contact for link in self.contact_links]

    @property
    def latest_progress(self) -> "ProgressUpdate | None":
        """The newest progress update."""
        return self.progress_updates[0] if self.progress_updates else None

    @property
    def is_open(self) -> bool:
        """Neither complete nor cancelled."""
        return self.status == "open"

    def __repr__(self) -> str:
        return f"<Objective {self.id} {self.title!r}>"


class FundingLine(Model):
    """One amount from one source and pot, or a TBC/N/A/nil-cost line, with the text as written."""

    __tablename__ = "funding_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("objective.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    amount_pence: Mapped[int | None] = mapped_column(BigInteger)
    source: Mapped[str | None] = mapped_column(String(100))
    pot: Mapped[str | None] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(20), default="missing", index=True)
    text: Mapped[str] = mapped_column(Text, default="")

    objective: Mapped[Objective] = relationship(back_populates="funding_lines")


class ProgressUpdate(Model):
    """A dated note of progress on an objective, with the RAG the lead gave it."""

    __tablename__ = "progress_update"

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("objective.id"))
    text: Mapped[str] = mapped_column(Text)
    rag: Mapped[str | None] = mapped_column(String(10))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    author_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    author_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"))
    author_name: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(20), default="web")  # web | email_link | import
    marked_complete: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    requested_end_date: Mapped[date | None]
    # pending | approved | declined | superseded (a newer request for the same objective came)
    end_date_request_status: Mapped[str | None] = mapped_column(String(20))
    # A lead's request to change the lead agencies (only the coordinator changes them), decided like an end date.
    requested_agency_ids: Mapped[list | None] = mapped_column(JSON)
    lead_request_status: Mapped[str | None] = mapped_column(String(20))  # pending | approved | declined | superseded
    # A lead's proposed funding for a TBC line ({"amount_pence", "source", "pot"}), decided like an end date.
    requested_funding: Mapped[dict | None] = mapped_column(JSON)
    funding_request_status: Mapped[str | None] = mapped_column(String(20))  # pending | approved | declined | superseded

    objective: Mapped[Objective] = relationship(back_populates="progress_updates")
    author_user: Mapped[User | None] = relationship()
    author_contact: Mapped[Contact | None] = relationship()

    __table_args__ = (Index("ix_progress_update_objective_recorded", "objective_id", "recorded_at"),)


class UpdateToken(Model):
    """An emailed link that lets one contact update one objective once, without a password; stored hashed."""

    __tablename__ = "update_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the random token
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"), index=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("objective.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    contact: Mapped[Contact] = relationship()
    objective: Mapped[Objective] = relationship()

    def state(self, now: datetime) -> str:
        """"usable", "used", "revoked" or "expired"."""
        if self.used_at is not None:
            return "used"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= now:
            return "expired"
        return "usable"


class Chase(Model):
    """A request for an update the coordinator sent from the chasing page: who was asked, when, by whom."""

    __tablename__ = "chase"

    id: Mapped[int] = mapped_column(primary_key=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("objective.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id", ondelete="CASCADE"))
    chased_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    by_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    outbox_key: Mapped[str] = mapped_column(String(300), unique=True)

    contact: Mapped[Contact] = relationship()
