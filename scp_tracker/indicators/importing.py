"""Importing figures (and the indicators they belong to) from a table: all rows or none.

Columns, by header (any case): `indicator`, `period`, `value`, and optionally `note`, `key priority`, `unit`,
`better`, `baseline`, `baseline period`, `target`, which create the indicator or update it. A figure already
held for an indicator and period is updated, never duplicated. Every bad row is reported by its row number (the
header is row 1) and column; when there is any, nothing is written.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from scp_tracker.extensions import db
from scp_tracker.indicators.models import Indicator, IndicatorFigure
from scp_tracker.indicators.periods import PeriodError, parse_period
from scp_tracker.indicators.services import (
    IndicatorError,
    check_period_kind,
    clean_text,
    read_number,
    record_figure,
)
from scp_tracker.plans.models import KeyPriority, Plan

REQUIRED = ("indicator", "period", "value")
OPTIONAL = ("note", "key priority", "unit", "better", "baseline", "baseline period", "target")
COLUMN_OF_FIELD = {"value": "value", "period": "period", "note": "note", "name": "indicator", "unit": "unit",
                   "baseline_period": "baseline period", "baseline_value": "baseline", "target_value": "target"}


@dataclass(frozen=True)
class RowProblem:
    """What is wrong with one cell."""

    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}, column {self.column}: {self.message}"


@dataclass
class ImportResult:
    """What an import did, or the problems that stopped it."""

    problems: list[RowProblem] = field(default_factory=list)
    figures_added: int = 0
    figures_updated: int = 0
    indicators_added: list[str] = field(default_factory=list)


def _header(cells: list[object]) -> dict[str, int]:
    return {" ".join(str(cell or "").replace("_", " ").split()).lower(): index for index, cell in enumerate(cells)}


def import_figures(plan: Plan, table: list[list[object]], now: datetime) -> ImportResult:
    """Apply the table to the plan's indicators; the caller commits only when `problems` is empty."""
    result = ImportResult()
    if not table:
        result.problems.append(RowProblem(1, "indicator", "The file is empty: it needs a header row"))
        return result
    columns = _header(table[0])
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        result.problems.extend(RowProblem(1, name, "This column is missing from the header row") for name in missing)
        return result
    key_priorities = {kp.number: kp for kp in db.session.scalars(select(KeyPriority).where(
        KeyPriority.plan_id == plan.id, KeyPriority.retired_on.is_(None)))}
    indicators = {i.name.lower(): i for i in db.session.scalars(select(Indicator).where(Indicator.plan_id == plan.id))}
    seen: dict[tuple[str, str], int] = {}
    for number, cells in enumerate(table[1:], start=2):
        row = {name: cells[index] if index < len(cells) else None for name, index in columns.items()}
        if all(value in (None, "") for value in row.values()):
            continue
        try:
            _apply_row(plan, row, number, key_priorities, indicators, seen, result, now)
        except IndicatorError as error:
            result.problems.append(RowProblem(number, COLUMN_OF_FIELD.get(error.field, error.field), str(error)))
    return result


def _apply_row(plan, row, number, key_priorities, indicators, seen, result, now) -> None:
    """One row: find or create its indicator, update what the row gives, then set the figure."""
    name = clean_text(row.get("indicator"), "name", 300)
    if not name:
        raise IndicatorError("name", "Enter the indicator's name")
    try:
        period = parse_period(row.get("period"))
    except PeriodError as error:
        raise IndicatorError("period", str(error)) from None
    value = read_number(row.get("value"), "value")
    if value is None:
        raise IndicatorError("value", "Enter the figure")
    earlier = seen.setdefault((name.lower(), period.key), number)
    if earlier != number:
        raise IndicatorError("period", f"Row {earlier} already gives {name} for {period.label}")
    indicator = indicators.get(name.lower())
    if indicator is None:
        indicator = _new_indicator(plan, name, row, period.kind, key_priorities)
        indicators[name.lower()] = indicator
        result.indicators_added.append(name)
    _update_indicator(indicator, row, key_priorities)
    check_period_kind(indicator, period)
    existing = indicator.id and db.session.scalar(select(IndicatorFigure.id).where(
        IndicatorFigure.indicator_id == indicator.id, IndicatorFigure.period == period.key))
    record_figure(indicator, period.key, value, row.get("note"), now)
    if existing:
        result.figures_updated += 1
    else:
        result.figures_added += 1


def _key_priority(row, key_priorities) -> KeyPriority | None:
    text = str(row.get("key priority") or "").strip().removeprefix("Key priority").strip()
    if not text:
        return None
    number = read_number(text, "key priority")
    if number is None or not number.is_integer() or int(number) not in key_priorities:
        raise IndicatorError("key priority", f"The plan has no key priority {text}")
    return key_priorities[int(number)]


def _new_indicator(plan, name, row, kind, key_priorities) -> Indicator:
    key_priority = _key_priority(row, key_priorities)
    if key_priority is None:
        raise IndicatorError("key priority", f"{name} is a new indicator: give its key priority's number")
    indicator = Indicator(plan=plan, key_priority=key_priority, name=name, better="lower",
                          frequency="quarterly" if kind == "quarter" else "monthly")
    db.session.add(indicator)
    db.session.flush()
    return indicator


def _update_indicator(indicator: Indicator, row, key_priorities) -> None:
    """Set what the row's optional columns give; a blank cell leaves the indicator as it is."""
    key_priority = _key_priority(row, key_priorities)
    if key_priority is not None:
        indicator.key_priority = key_priority
    if row.get("unit") not in (None, ""):
        indicator.unit = clean_text(row["unit"], "unit", 60)
    better = str(row.get("better") or "").strip().lower()
    if better:
        if better not in ("lower", "higher"):
            raise IndicatorError("better", "Better must be lower or higher")
        indicator.better = better
    baseline = read_number(row.get("baseline"), "baseline")
    if baseline is not None:
        indicator.baseline_value = baseline
    if row.get("baseline period") not in (None, ""):
        try:
            indicator.baseline_period = parse_period(row["baseline period"]).key
        except PeriodError as error:
            raise IndicatorError("baseline period", str(error)) from None
    target = read_number(row.get("target"), "target")
    if target is not None:
        indicator.target_value = target
