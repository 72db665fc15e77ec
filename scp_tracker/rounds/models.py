"""What the rounds keep: each board meeting's round, and each objective as the board saw it when the round closed."""

from datetime import date, datetime

from sqlalchemy import Boolean, ForeignKey, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scp_tracker.core.db_types import UTCDateTime, utcnow
from scp_tracker.extensions import Model
from scp_tracker.plans.models import Objective, Plan


class ReportingRound(Model):
    """One board meeting of a plan year and the round of updates called for before it.

    Rounds the coordinator set have a meeting date; the quarterly defaults (is_default) have none and give way to
    the first meeting the coordinator sets, unless they are closed already.
    """

    __tablename__ = "reporting_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    meeting_on: Mapped[date | None]
    deadline: Mapped[date]  # the last day updates count for this round
    is_default: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # set when the deadline passed and it froze
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan: Mapped[Plan] = relationship()
    snapshots: Mapped[list["RoundSnapshot"]] = relationship(back_populates="round", cascade="all, delete-orphan")

    __table_args__ = (UniqueConstraint("plan_id", "deadline"),)

    def __repr__(self) -> str:
        return f"<ReportingRound {self.name} {self.deadline}>"


class RoundSnapshot(Model):
    """An objective as its round closed: the RAG and progress the board saw, whatever is edited later."""

    __tablename__ = "round_snapshot"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("reporting_round.id", ondelete="CASCADE"))
    objective_id: Mapped[int] = mapped_column(ForeignKey("objective.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))  # open | complete | cancelled, as it was
    rag: Mapped[str | None] = mapped_column(String(10))
    progress_text: Mapped[str] = mapped_column(Text, default="")  # the latest progress at the deadline
    progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_in_round: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    round: Mapped[ReportingRound] = relationship(back_populates="snapshots")
    objective: Mapped[Objective] = relationship()

    __table_args__ = (UniqueConstraint("round_id", "objective_id"),)
