"""What the event form and the events list's filters offer: agencies, key priorities and objectives."""

from dataclasses import dataclass
from typing import NamedTuple

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import joinedload

from scp_tracker.extensions import db
from scp_tracker.people.models import Agency
from scp_tracker.plans.models import KeyPriority, Objective, Plan


@dataclass
class ObjectiveGroup:
    """A key priority and its objectives, as the event form offers them."""

    key_priority: KeyPriority
    objectives: list[Objective]


def objective_groups(plan: Plan | None, also_ids=()) -> list[ObjectiveGroup]:
    """The plan's objectives grouped by key priority, plus any other objectives given (an event's own,
    perhaps from last year's plan), in one query."""
    conditions = []
    if plan is not None:
        conditions.append(KeyPriority.plan_id == plan.id)
    if also_ids:
        conditions.append(Objective.id.in_(set(also_ids)))
    if not conditions:
        return []
    objectives = db.session.scalars(
        select(Objective).join(Objective.key_priority).where(or_(*conditions))
        .options(joinedload(Objective.key_priority).joinedload(KeyPriority.plan))
        .order_by(KeyPriority.plan_id != (plan.id if plan else 0), KeyPriority.plan_id.desc(), KeyPriority.number,
                  Objective.position, Objective.id)
    )
    groups: dict[int, ObjectiveGroup] = {}
    for objective in objectives:
        kp = objective.key_priority
        groups.setdefault(kp.id, ObjectiveGroup(kp, [])).objectives.append(objective)
    return list(groups.values())


def agency_choices(also_ids=()) -> list[Agency]:
    """Active agencies by abbreviation, plus any inactive ones an event already names."""
    condition: ColumnElement[bool] = Agency.is_active.is_(True)
    if also_ids:
        condition = or_(condition, Agency.id.in_(set(also_ids)))
    return list(db.session.scalars(select(Agency).where(condition).order_by(func.lower(Agency.abbreviation))))


class AgencyChoice(NamedTuple):
    """An agency as the events list's filter offers it."""

    id: int
    abbreviation: str
    name: str


# Built once: the filter offers every active agency on every view of the list, as plain rows.
_ACTIVE_AGENCIES = (select(Agency.id, Agency.abbreviation, Agency.name).where(Agency.is_active.is_(True))
                    .order_by(func.lower(Agency.abbreviation)))


@dataclass
class FilterChoices:
    """What the events list's filters offer: few choices, whatever the size of the plan.

    Objectives are not offered (a county's plan has thousands): the list is narrowed to one when an objective's
    page links to it, and `objective` is that one, or None when none was asked for or it does not exist.
    """

    agencies: list[AgencyChoice]
    key_priorities: list[KeyPriority]
    objective: Objective | None = None


def filter_choices(plan: Plan | None, objective_id: int | None = None) -> FilterChoices:
    """The agencies, the current plan's key priorities and the objective asked for (of any plan), in three queries
    at most."""
    key_priorities = [] if plan is None else list(db.session.scalars(
        select(KeyPriority).where(KeyPriority.plan_id == plan.id).order_by(KeyPriority.number, KeyPriority.id)))
    objective = None if objective_id is None else db.session.scalar(
        select(Objective).where(Objective.id == objective_id).options(joinedload(Objective.key_priority)))
    agencies = [AgencyChoice(*row) for row in db.session.connection().execute(_ACTIVE_AGENCIES)]
    return FilterChoices(agencies, key_priorities, objective)
