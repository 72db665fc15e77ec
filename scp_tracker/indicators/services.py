"""Indicators and their figures: add, change, record a figure (one a period), the plan's tolerance."""

import math
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import selectinload

from scp_tracker.core.inputs import CONTROL_CHARACTERS
from scp_tracker.extensions import db
from scp_tracker.indicators.models import (
    BETTER,
    DEFAULT_TOLERANCE_PERCENT,
    FREQUENCIES,
    Indicator,
    IndicatorFigure,
    IndicatorSetting,
)
from scp_tracker.indicators.periods import Period, PeriodError, parse_period
from scp_tracker.people.models import Contact
from scp_tracker.plans.models import KeyPriority, Objective, Plan

MAX_FIGURE = 1e12  # larger than any count or rate a partnership reports; refuses typing slips like 1e300


class IndicatorError(ValueError):
    """A value an indicator or figure cannot take; `field` names the form field or import column."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass
class IndicatorValues:
    """What describes an indicator, as plain values (from a form or an import row)."""

    name: str
    key_priority_id: int
    counted: str = ""
    unit: str = ""
    source: str = ""
    better: str = "lower"
    baseline_value: float | None = None
    baseline_period: str | None = None
    target_value: float | None = None
    target_change_percent: float | None = None
    frequency: str = "quarterly"
    provider_contact_id: int | None = None
    provider_agency_id: int | None = None
    tolerance_percent: float | None = None
    objective_ids: list[int] = field(default_factory=list)


def clean_text(value: object, name: str, limit: int) -> str:
    """Text without control characters, within its column's length."""
    text = CONTROL_CHARACTERS.sub("", str(value or "")).strip()
    if len(text) > limit:
        raise IndicatorError(name, f"{name.replace('_', ' ').capitalize()} must be {limit} characters or fewer")
    return text


def read_number(value: object, name: str) -> float | None:
    """A figure from text or a cell: commas and a trailing % allowed; blank is None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    label = "Figure" if name.startswith("figure-") else name.replace("_", " ").capitalize()
    if isinstance(value, bool):
        raise IndicatorError(name, f"{label} must be a number")
    text = str(value).strip().replace(",", "").removesuffix("%").strip()
    try:
        number = float(text)
    except ValueError:
        raise IndicatorError(name, f"{label} must be a number, like 120 or 12.5") from None
    if not math.isfinite(number) or abs(number) > MAX_FIGURE:
        raise IndicatorError(name, f"{label} must be a number below a million million")
    return number


def _checked(plan: Plan, values: IndicatorValues) -> IndicatorValues:
    """The values, refused where they break a rule (the error names the field)."""
    values.name = clean_text(values.name, "name", 300)
    if not values.name:
        raise IndicatorError("name", "Enter the indicator's name")
    if values.better not in BETTER:
        raise IndicatorError("better", "Better must be lower or higher")
    if values.frequency not in FREQUENCIES:
        raise IndicatorError("frequency", "Figures come monthly or quarterly")
    key_priority = db.session.get(KeyPriority, values.key_priority_id)
    if key_priority is None or key_priority.plan_id != plan.id:
        raise IndicatorError("key_priority_id", "Choose a key priority of this plan")
    if values.baseline_period:
        try:
            values.baseline_period = parse_period(values.baseline_period).key
        except PeriodError as error:
            raise IndicatorError("baseline_period", str(error)) from None
    if values.tolerance_percent is not None and not 0 <= values.tolerance_percent <= 100:
        raise IndicatorError("tolerance_percent", "Tolerance must be between 0 and 100 per cent")
    return values


def save_indicator(plan: Plan, values: IndicatorValues, indicator: Indicator | None = None) -> Indicator:
    """Add an indicator to the plan, or change one; refuses a name another indicator of the plan has."""
    values = _checked(plan, values)
    clash = db.session.scalar(select(Indicator.id).where(Indicator.plan_id == plan.id, Indicator.name == values.name))
    if clash is not None and (indicator is None or clash != indicator.id):
        raise IndicatorError("name", "Another indicator of this plan has that name")
    if indicator is None:
        indicator = Indicator(plan=plan, position=_next_position(plan.id))
        db.session.add(indicator)
    for name, value in vars(values).items():
        if name != "objective_ids":
            setattr(indicator, name, value)
    indicator.objectives = list(db.session.scalars(select(Objective).join(KeyPriority).where(
        Objective.id.in_(values.objective_ids), KeyPriority.plan_id == plan.id))) if values.objective_ids else []
    db.session.flush()
    return indicator


def _next_position(plan_id: int) -> int:
    positions = db.session.scalars(select(Indicator.position).where(Indicator.plan_id == plan_id)).all()
    return max(positions, default=0) + 1


def check_period_kind(indicator: Indicator, period: Period) -> None:
    """Refuse a month for a quarterly indicator, and a quarter for a monthly one."""
    expected = "quarter" if indicator.frequency == "quarterly" else "month"
    if period.kind != expected:
        raise IndicatorError("period", f"{indicator.name} has {indicator.frequency} figures: "
                                       f"enter a {expected}, not {period.label}")


def record_figure(indicator: Indicator, period_text: object, value: object, note: object,
                  now: datetime) -> IndicatorFigure:
    """Set the indicator's figure for a period: a new one, or the one already there updated (never two)."""
    try:
        period = parse_period(period_text)
    except PeriodError as error:
        raise IndicatorError("period", str(error)) from None
    check_period_kind(indicator, period)
    number = read_number(value, "value")
    if number is None:
        raise IndicatorError("value", "Enter the figure")
    note_text = clean_text(note, "note", 2000)
    figure = db.session.scalar(select(IndicatorFigure).where(
        IndicatorFigure.indicator_id == indicator.id, IndicatorFigure.period == period.key))
    if figure is None:
        figure = IndicatorFigure(indicator=indicator, period=period.key, period_start=period.start)
        db.session.add(figure)
    figure.value = number
    if note_text or figure.note is None:
        figure.note = note_text
    figure.entered_at = now
    db.session.flush()
    return figure


def plan_tolerance(plan_id: int) -> float:
    """The coordinator's tolerance for the plan's indicators, in per cent."""
    setting = db.session.get(IndicatorSetting, plan_id)
    return setting.tolerance_percent if setting else DEFAULT_TOLERANCE_PERCENT


def set_plan_tolerance(plan_id: int, percent: float) -> None:
    """Set the plan's tolerance (0 to 100 per cent)."""
    if not 0 <= percent <= 100:
        raise IndicatorError("tolerance_percent", "Tolerance must be between 0 and 100 per cent")
    setting = db.session.get(IndicatorSetting, plan_id)
    if setting is None:
        db.session.add(IndicatorSetting(plan_id=plan_id, tolerance_percent=percent))
    else:
        setting.tolerance_percent = percent
    db.session.flush()


# Built once: the dashboard and the plan list ask on every view, and building this statement with its loader
# options cost twice as long as running it (0.24 ms against 0.07 ms).
_PLAN_INDICATORS = (
    select(Indicator).join(KeyPriority).where(Indicator.plan_id == bindparam("plan_id"))
    .options(selectinload(Indicator.figures), selectinload(Indicator.key_priority),
             selectinload(Indicator.provider_contact).joinedload(Contact.agency),
             selectinload(Indicator.provider_agency),
             selectinload(Indicator.objectives))
    .order_by(KeyPriority.number, Indicator.position, Indicator.id)
)


def plan_indicators(plan_id: int) -> list[Indicator]:
    """The plan's indicators in key priority order, with their figures and key priority loaded."""
    return list(db.session.scalars(_PLAN_INDICATORS, {"plan_id": plan_id}))
