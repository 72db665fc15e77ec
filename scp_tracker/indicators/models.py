"""Performance indicators of a plan: what is counted, its baseline and target, and its figures per period."""

from datetime import date, datetime

from sqlalchemy import Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from scp_tracker.core.db_types import UTCDateTime, utcnow
from scp_tracker.core.versioning import Versioned
from scp_tracker.extensions import Model
from scp_tracker.people.models import Agency, Contact
from scp_tracker.plans.models import KeyPriority, Objective, Plan

BETTER = ("lower", "higher")
FREQUENCIES = ("quarterly", "monthly")
DEFAULT_TOLERANCE_PERCENT = 5.0


class IndicatorObjective(Model):
    """An objective an indicator measures (optional: most indicators measure the whole key priority)."""

    __tablename__ = "indicator_objective"

    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), primary_key=True)
    objective_id: Mapped[int] = mapped_column(ForeignKey("objective.id"), primary_key=True, index=True)


class Indicator(Versioned, Model):
    """One performance indicator of a key priority, known within its plan by its name (versioned: its edit form
    refuses a save over someone else's change)."""

    __tablename__ = "indicator"
    __table_args__ = (UniqueConstraint("plan_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    key_priority_id: Mapped[int] = mapped_column(ForeignKey("key_priority.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(300))
    counted: Mapped[str] = mapped_column(Text, default="")  # what is counted, in words
    unit: Mapped[str] = mapped_column(String(60), default="")
    source: Mapped[str] = mapped_column(String(200), default="")  # e.g. Essex Police
    better: Mapped[str] = mapped_column(String(10), default="lower")
    baseline_value: Mapped[float | None] = mapped_column(Float)
    baseline_period: Mapped[str | None] = mapped_column(String(10))  # a canonical period, e.g. 2015-Q3
    target_value: Mapped[float | None] = mapped_column(Float)  # the figure aimed for each period
    target_change_percent: Mapped[float | None] = mapped_column(Float)  # or a change against the baseline
    frequency: Mapped[str] = mapped_column(String(10), default="quarterly")
    provider_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"), index=True)
    provider_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"))
    tolerance_percent: Mapped[float | None] = mapped_column(Float)  # None: the plan's tolerance
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    plan: Mapped[Plan] = relationship()
    key_priority: Mapped[KeyPriority] = relationship()
    provider_contact: Mapped[Contact | None] = relationship()
    provider_agency: Mapped[Agency | None] = relationship()
    objectives: Mapped[list[Objective]] = relationship(secondary="indicator_objective", order_by=Objective.position)
    figures: Mapped[list["IndicatorFigure"]] = relationship(
        back_populates="indicator", order_by="IndicatorFigure.period_start", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Indicator {self.name!r}>"


class IndicatorFigure(Model):
    """An indicator's figure for one period (one a period: a re-import updates it)."""

    __tablename__ = "indicator_figure"
    __table_args__ = (UniqueConstraint("indicator_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicator.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(10))  # canonical: 2016-Q3 or 2016-10
    period_start: Mapped[date]
    value: Mapped[float] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    indicator: Mapped[Indicator] = relationship(back_populates="figures")


class IndicatorSetting(Model):
    """The coordinator's tolerance for a plan's indicators: how far from target is amber rather than red."""

    __tablename__ = "indicator_setting"

    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), primary_key=True)
    tolerance_percent: Mapped[float] = mapped_column(Float, default=DEFAULT_TOLERANCE_PERCENT)
