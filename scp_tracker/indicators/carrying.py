"""Carrying a plan's indicators into next year's plan, on the coordinator's request."""

from dataclasses import dataclass, field

from sqlalchemy import select

from scp_tracker.extensions import db
from scp_tracker.indicators.models import Indicator
from scp_tracker.indicators.services import plan_indicators
from scp_tracker.plans.models import KeyPriority, Plan

COPIED_FIELDS = ("name", "counted", "unit", "source", "better", "baseline_value", "baseline_period", "target_value",
                 "target_change_percent", "frequency", "provider_contact_id", "provider_agency_id",
                 "tolerance_percent", "position")


@dataclass
class CarryResult:
    """What was copied, and what was not and why."""

    copied: list[str] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)
    no_key_priority: list[str] = field(default_factory=list)


def previous_plan(plan: Plan) -> Plan | None:
    """The plan of the year before, to carry indicators from (by start year: 2016-17 before 2017-18)."""
    start = plan.year[:4]
    if not start.isdigit():
        return None
    previous_start = str(int(start) - 1)
    return next((other for other in db.session.scalars(select(Plan).where(Plan.year.like(f"{previous_start}%")))),
                None)


def carry_indicators(from_plan: Plan, to_plan: Plan) -> CarryResult:
    """Copy each indicator (not its figures) into the key priority of the same number in the new plan.

    An indicator whose name the new plan already has is left alone, so asking twice copies nothing twice.
    """
    result = CarryResult()
    key_priorities = {kp.number: kp for kp in db.session.scalars(
        select(KeyPriority).where(KeyPriority.plan_id == to_plan.id, KeyPriority.retired_on.is_(None)))}
    names = set(db.session.scalars(select(Indicator.name).where(Indicator.plan_id == to_plan.id)))
    for indicator in plan_indicators(from_plan.id):
        if indicator.name in names:
            result.already_there.append(indicator.name)
            continue
        key_priority = key_priorities.get(indicator.key_priority.number)
        if key_priority is None:
            result.no_key_priority.append(indicator.name)
            continue
        copy = Indicator(plan=to_plan, key_priority=key_priority,
                         **{name: getattr(indicator, name) for name in COPIED_FIELDS})
        db.session.add(copy)
        result.copied.append(indicator.name)
    db.session.flush()
    return result
