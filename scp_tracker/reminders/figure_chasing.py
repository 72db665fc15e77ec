"""Late indicator figures chased in a reporting round like an objective: on the round's call and reminder steps each
late figure's provider is asked for it in the same one email per person, once per figure, step and round.

A figure is late as the provider's "Your objectives" page counts it (indicators.summaries: due a month after its
period ends, within the plan's year, and not entered), so the email's link opens a field for each figure it asks
for, and a figure given stops the chase.
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, select

from scp_tracker.core.db_types import insert_for
from scp_tracker.core.formatting import gov_date
from scp_tracker.extensions import db
from scp_tracker.indicators.models import Indicator, IndicatorFigure
from scp_tracker.indicators.summaries import due_period
from scp_tracker.plans.lookup import in_use
from scp_tracker.plans.models import Plan
from scp_tracker.reminders.models import FigureReminderRecord
from scp_tracker.reminders.round_steps import RoundFacts, current_step
from scp_tracker.reminders.rules import People, ReminderSettings

# The round steps that ask for late figures (the last day and the escalation are about objectives only).
FIGURE_STEPS = ("round_call", "round_reminder")


@dataclass(frozen=True)
class FigureFacts:
    """A late figure of a plan in use: the indicator, the period missing and who provides it."""

    indicator_id: int
    name: str
    unit: str
    plan_id: int
    period: str  # canonical, e.g. 2017-Q1
    period_label: str  # in words, e.g. January to March 2017
    provider_contact_id: int | None
    provider_agency_id: int | None


@dataclass(frozen=True)
class FigureReminder:
    """A late figure asked for in a round step; keyed by (indicator, period, step, round key, recipient)."""

    indicator_id: int
    period: str
    kind: str
    stage_or_period: str
    contact_id: int
    detail: str

    @property
    def key(self) -> tuple[int, str, str, str, int]:
        return (self.indicator_id, self.period, self.kind, self.stage_or_period, self.contact_id)


def asks_for_figures(rounds: Iterable[RoundFacts], today: date, settings: ReminderSettings) -> bool:
    """Whether a round's step that asks for figures is due today (only then are late figures loaded)."""
    return any(current_step(round_, today, settings) in FIGURE_STEPS for round_ in rounds)


def load_late_figures(today: date) -> list[FigureFacts]:
    """The late figures of the plans in use on `today` (one query: each indicator with its due period's figure)."""
    quarter, month = due_period("quarterly", today), due_period("monthly", today)
    due_key = case((Indicator.frequency == "quarterly", quarter.key), else_=month.key)
    found: list[FigureFacts] = []
    for (indicator_id, name, unit, frequency, plan_id, contact_id, agency_id, starts_on, ends_on,
         figure_id) in db.session.execute(
        select(Indicator.id, Indicator.name, Indicator.unit, Indicator.frequency, Indicator.plan_id,
               Indicator.provider_contact_id, Indicator.provider_agency_id, Plan.starts_on, Plan.ends_on,
               IndicatorFigure.id)
        .join(Plan, Indicator.plan_id == Plan.id)
        .outerjoin(IndicatorFigure, and_(IndicatorFigure.indicator_id == Indicator.id,
                                         IndicatorFigure.period == due_key))
        .where(in_use())
        .order_by(Indicator.plan_id, Indicator.position, Indicator.id)
    ):
        period = quarter if frequency == "quarterly" else month
        if figure_id is not None or (starts_on and period.end < starts_on) or (ends_on and period.start > ends_on):
            continue
        found.append(FigureFacts(indicator_id, name, unit or "", plan_id, period.key, period.label, contact_id,
                                 agency_id))
    return found


def providers_of(figure: FigureFacts, people: People) -> list[int]:
    """Who is asked for the figure: its provider contact, or else its agency's people (the rule of plans.leads)."""
    return people.leads([figure.provider_contact_id] if figure.provider_contact_id else [],
                        [figure.provider_agency_id] if figure.provider_agency_id else [])


def figure_detail(round_name: str, deadline: date, figure: FigureFacts) -> str:
    """What the email says about one figure asked for."""
    return f"The {round_name} needs the figure for {figure.period_label} by {gov_date(deadline)}."


def find_figure_steps(rounds: Iterable[RoundFacts], figures: Iterable[FigureFacts], people: People, today: date,
                      settings: ReminderSettings, *,
                      already_sent: Collection[tuple[int, str, str, str, int]] = frozenset()) -> list[FigureReminder]:
    """The late figures asked for today by a round's call or reminder step, once per figure, step, round and
    person, sorted."""
    by_plan: dict[int, list[FigureFacts]] = {}
    for figure in figures:
        by_plan.setdefault(figure.plan_id, []).append(figure)
    found: dict[tuple, FigureReminder] = {}
    for round_ in rounds:
        step = current_step(round_, today, settings)
        if step not in FIGURE_STEPS:
            continue
        for figure in by_plan.get(round_.plan_id, ()):
            for contact_id in providers_of(figure, people):
                key = (figure.indicator_id, figure.period, step, round_.key, contact_id)
                if key not in found and key not in already_sent and people.by_id[contact_id].wants(step, today):
                    found[key] = FigureReminder(*key, figure_detail(round_.name, round_.deadline, figure))
    return [found[key] for key in sorted(found)]


def record_figures(due: list[FigureReminder], today: date, now: datetime) -> list[FigureReminder]:
    """Insert figure reminder records, skipping any another run recorded first; returns those this run owns."""
    if not due:
        return []
    rows = [{"indicator_id": r.indicator_id, "period": r.period, "kind": r.kind, "stage_or_period": r.stage_or_period,
             "contact_id": r.contact_id, "detail": r.detail, "sent_on": today, "outbox_key": "", "created_at": now}
            for r in due]
    statement = (
        insert_for(FigureReminderRecord)
        .on_conflict_do_nothing(index_elements=["indicator_id", "period", "kind", "stage_or_period", "contact_id"])
        .returning(FigureReminderRecord.indicator_id, FigureReminderRecord.period, FigureReminderRecord.kind,
                   FigureReminderRecord.stage_or_period, FigureReminderRecord.contact_id)
    )
    owned = {tuple(row) for row in db.session.execute(statement, rows)}
    return [r for r in due if r.key in owned]
