"""The board paper's table of indicators per key priority: this period, last period, the same period last year,
target and RAG (the reports area includes templates/indicators/_board_table.html with these rows)."""

from dataclasses import dataclass
from datetime import date

from scp_tracker.indicators.models import IndicatorFigure
from scp_tracker.indicators.periods import parse_period
from scp_tracker.indicators.rag import Assessment, assess
from scp_tracker.indicators.summaries import IndicatorSummary, plan_summaries


@dataclass(frozen=True)
class BoardRow:
    """One indicator's line of the board paper."""

    name: str
    unit: str
    period_label: str | None  # the period "this period" is, in words
    this_period: float | None
    last_period: float | None
    same_period_last_year: float | None
    target: float | None
    assessment: Assessment

    @property
    def rag_words(self) -> str:
        return self.assessment.rag_words


def _row(summary: IndicatorSummary, as_of: date | None) -> BoardRow:
    """The indicator as the board sees it: its latest figure for a period ended by `as_of` (any, without)."""
    figures = [figure for figure in summary.figures if as_of is None or parse_period(figure.period).end <= as_of]
    this: IndicatorFigure | None = figures[-1] if figures else None
    period = parse_period(this.period) if this else None

    def value_for(key: str | None) -> float | None:
        return next((figure.value for figure in figures if figure.period == key), None)

    last = value_for(period.previous().key) if period else None
    indicator = summary.indicator
    return BoardRow(indicator.name, indicator.unit, period.label if period else None, this.value if this else None,
                    last, value_for(period.year_before().key) if period else None, summary.target,
                    assess(this.value if this else None, last, summary.target, indicator.better,
                           summary.tolerance_percent))


def board_rows(plan_id: int, as_of: date | None = None) -> dict[int, list[BoardRow]]:
    """Per key priority id, its indicators' rows (key priorities without indicators are left out).

    `as_of` (a round's deadline, say) leaves out figures for periods that had not ended by then, so a board paper
    printed later still shows what was known for its meeting.
    """
    rows: dict[int, list[BoardRow]] = {}
    for summary in plan_summaries(plan_id):
        rows.setdefault(summary.indicator.key_priority_id, []).append(_row(summary, as_of))
    return rows
