"""What the pages, the board paper and the export show of an indicator: its figures, target, RAG and direction."""

from dataclasses import dataclass
from datetime import date, timedelta

from scp_tracker.indicators.models import Indicator, IndicatorFigure
from scp_tracker.indicators.periods import Period, parse_period
from scp_tracker.indicators.rag import Assessment, assess, effective_target
from scp_tracker.indicators.services import plan_indicators, plan_tolerance
from scp_tracker.plans.models import Plan

# Figures for a period are due this many days after it ends; later than that, they are chased.
FIGURES_DUE_AFTER_DAYS = 30


@dataclass(frozen=True)
class IndicatorSummary:
    """One indicator as a reader sees it."""

    indicator: Indicator
    figures: list[IndicatorFigure]
    target: float | None
    tolerance_percent: float
    assessment: Assessment

    @property
    def latest(self) -> IndicatorFigure | None:
        return self.figures[-1] if self.figures else None

    def figure_for(self, period: Period | None) -> IndicatorFigure | None:
        """The figure for a period, if there is one."""
        key = period.key if period else None
        return next((figure for figure in self.figures if figure.period == key), None)

    @property
    def latest_period(self) -> Period | None:
        return parse_period(self.latest.period) if self.latest else None

    @property
    def previous(self) -> IndicatorFigure | None:
        """The figure for the period before the latest (not merely the figure before it)."""
        return self.figure_for(self.latest_period.previous()) if self.latest_period else None

    @property
    def year_before(self) -> IndicatorFigure | None:
        """The figure for the same period a year before the latest."""
        return self.figure_for(self.latest_period.year_before()) if self.latest_period else None


def summarise(indicator: Indicator, tolerance_percent: float) -> IndicatorSummary:
    """The indicator's summary, with its own tolerance if it has one, otherwise the plan's."""
    tolerance = indicator.tolerance_percent if indicator.tolerance_percent is not None else tolerance_percent
    figures = sorted(indicator.figures, key=lambda figure: figure.period_start)
    target = effective_target(indicator.target_value, indicator.target_change_percent, indicator.baseline_value)
    latest = figures[-1] if figures else None
    earlier = None
    if latest is not None:
        before = parse_period(latest.period).previous().key
        earlier = next((figure.value for figure in figures if figure.period == before), None)
    return IndicatorSummary(indicator, figures, target, tolerance,
                            assess(latest.value if latest else None, earlier, target, indicator.better, tolerance))


def plan_summaries(plan_id: int) -> list[IndicatorSummary]:
    """Every indicator of the plan, summarised, in key priority order (a fixed number of queries)."""
    indicators = plan_indicators(plan_id)
    if not indicators:
        return []
    tolerance = plan_tolerance(plan_id)
    return [summarise(indicator, tolerance) for indicator in indicators]


def key_priority_summaries(plan_id: int, key_priority_id: int) -> list[IndicatorSummary]:
    """The indicators of one key priority, summarised."""
    return [summary for summary in plan_summaries(plan_id) if summary.indicator.key_priority_id == key_priority_id]


def due_period(frequency: str, on: date) -> Period:
    """The latest period whose figures are due by `on` (it ended at least FIGURES_DUE_AFTER_DAYS before)."""
    cutoff = on - timedelta(days=FIGURES_DUE_AFTER_DAYS)
    kind = "quarter" if frequency == "quarterly" else "month"
    current = Period(cutoff.year, kind, (cutoff.month - 1) // 3 + 1 if kind == "quarter" else cutoff.month)
    return current if current.end <= cutoff else current.previous()


def is_late(indicator: Indicator, plan: Plan, on: date) -> Period | None:
    """The period whose figure is late on `on`, if one is: due, within the plan's year, and not entered."""
    period = due_period(indicator.frequency, on)
    if plan.starts_on and period.end < plan.starts_on:
        return None
    if plan.ends_on and period.start > plan.ends_on:
        return None
    if any(figure.period == period.key for figure in indicator.figures):
        return None
    return period


def late_indicators(plan: Plan, on: date) -> list[tuple[Indicator, Period]]:
    """The plan's indicators whose figures are late on `on`, with the period each is missing."""
    late = []
    for indicator in plan_indicators(plan.id):
        period = is_late(indicator, plan, on)
        if period is not None:
            late.append((indicator, period))
    return late
