"""Late figures, chased in the reporting round like an objective: which are late, who provides them, and figures
entered through a provider's emailed "Your objectives" link."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from scp_tracker.extensions import db
from scp_tracker.indicators.models import Indicator, IndicatorFigure
from scp_tracker.indicators.periods import Period
from scp_tracker.indicators.services import IndicatorError, read_number, record_figure
from scp_tracker.indicators.summaries import is_late, late_indicators
from scp_tracker.people.models import Contact
from scp_tracker.plans.lookup import in_use
from scp_tracker.plans.models import Plan


@dataclass(frozen=True)
class LateFigure:
    """An indicator whose figure for `period` is late, and who provides it in words."""

    indicator: Indicator
    period: Period

    @property
    def provided_by(self) -> str:
        indicator = self.indicator
        if indicator.provider_contact:
            return f"{indicator.provider_contact.name} ({indicator.provider_contact.agency.abbreviation})"
        return indicator.provider_agency.name if indicator.provider_agency else ""


def late_for_round(plan: Plan, deadline: date) -> list[LateFigure]:
    """The plan's indicators whose figures are due by the round's deadline and not entered."""
    return [LateFigure(indicator, period) for indicator, period in late_indicators(plan, deadline)]


def late_for_contact(contact: Contact, on: date) -> list[LateFigure]:
    """The late figures of plans in use that the contact provides, by name or through their agency."""
    provides = or_(Indicator.provider_contact_id == contact.id, Indicator.provider_agency_id == contact.agency_id)
    indicators = db.session.scalars(
        select(Indicator).join(Indicator.plan).where(in_use(), provides)
        .options(selectinload(Indicator.figures), selectinload(Indicator.plan))
        .order_by(Indicator.plan_id, Indicator.position, Indicator.id)).all()
    late = []
    for indicator in indicators:
        period = is_late(indicator, indicator.plan, on)
        if period is not None:
            late.append(LateFigure(indicator, period))
    return late


def record_late_figures(contact: Contact, values: dict[int, object], on: date, now: datetime) -> list[IndicatorFigure]:
    """Record the figures the contact filled in (indicator id to value; blanks skipped) for each one's late period.

    Only the contact's late figures are taken: anything else raises IndicatorError naming the indicator's field,
    before the caller commits, so nothing is half-saved.
    """
    late = {item.indicator.id: item for item in late_for_contact(contact, on)}
    figures = []
    for indicator_id, value in values.items():
        if read_number(value, f"figure-{indicator_id}") is None:
            continue
        item = late.get(indicator_id)
        if item is None:
            raise IndicatorError(f"figure-{indicator_id}", "This figure is no longer yours to give, or it has been "
                                                           "given already")
        try:
            figures.append(record_figure(item.indicator, item.period.key, value, "", now))
        except IndicatorError as error:
            raise IndicatorError(f"figure-{indicator_id}", str(error)) from None
    return figures
