"""Conditions shared by the plan list, the dashboard and the chasing list, and the plan's small reads.

Shared so that their counts agree. The small reads: the police and PCC priority lists, the plan years.

Each function issues a fixed number of queries whatever the number of objectives.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import BindParameter, and_, bindparam, case, exists, func, select
from sqlalchemy.orm import contains_eager

from scp_tracker.extensions import db
from scp_tracker.plans.models import (
    FundingLine,
    KeyPriority,
    Objective,
    Plan,
    PriorityListItem,
)

# The reminders' defaults (DESIGN.md): what "due soon" and "no update" mean on the dashboard and chasing list.
DUE_SOON_DAYS = 28
STALE_DAYS = 42


def is_open():
    """Neither complete nor cancelled."""
    return Objective.status == "open"


def due_within(today: date, days: int):
    """Open, with an end date from today to `days` ahead."""
    return due_between(today, today + timedelta(days=days))


def due_between(first_day: date | BindParameter[date], last_day: date | BindParameter[date]):
    """Open, with an end date in these days (dates, or bind parameters for a statement built once)."""
    return and_(is_open(), Objective.end_date >= first_day, Objective.end_date <= last_day)


def overdue(today: date | BindParameter[date]):
    """Open, with an end date already passed (today a date, or a bind parameter)."""
    return and_(is_open(), Objective.end_date < today)


def last_update():
    """When an objective was last updated; one never updated counts from when it was added."""
    return func.coalesce(Objective.last_progress_at, Objective.created_at)


def no_update_for(now: datetime, days: int):
    """Open, and no progress for `days` days."""
    return no_update_since(now - timedelta(days=days))


def no_update_since(moment: datetime | BindParameter[datetime]):
    """Open, and no progress since this moment (a datetime, or a bind parameter)."""
    return and_(is_open(), last_update() < moment)


def oldest_update_within(now: datetime, days: int):
    """The oldest last update of the open objectives updated within `days` days: when it is `days` old, the
    "no update for `days` days" count grows by time passing alone."""
    last = last_update()
    return func.min(case((and_(is_open(), last >= now - timedelta(days=days)), last)))


def has_tbc_funding():
    """A funding line is still to be confirmed."""
    return exists().where(FundingLine.objective_id == Objective.id, FundingLine.status == "tbc")


def has_tbc_lead():
    """Nobody has taken it on: the lead is TBC or not recorded."""
    return Objective.lead_status.in_(("tbc", "missing"))


def has_no_end_date():
    """No end date yet (TBC or not recorded); ongoing work has none to miss."""
    return Objective.end_date.is_(None) & (Objective.end_date_status != "ongoing")


def in_plan(plan: Plan):
    """The objective belongs to this plan (the query must join KeyPriority)."""
    return KeyPriority.plan_id == plan.id


def serves(scope: str, numbers: list, wanted: str) -> bool:
    """Whether an objective's police or PCC priorities match a filter value.

    A number matches objectives that list it and those marked "all"; "multiple", "all" and "none"
    match that scope only (the plan does not say which priorities "Multiple" means).
    """
    if wanted.isdigit():
        return scope == "all" or (scope == "listed" and int(wanted) in (numbers or []))
    return scope == wanted


def priority_items(plan: Plan) -> dict[str, list[PriorityListItem]]:
    """The plan's police and PCC priority lists, in number order."""
    items = db.session.scalars(
        select(PriorityListItem).where(PriorityListItem.plan_id == plan.id)
        .order_by(PriorityListItem.list_name, PriorityListItem.number)
    ).all()
    lists: dict[str, list[PriorityListItem]] = {"police": [], "pcc": []}
    for item in items:
        lists.setdefault(item.list_name, []).append(item)
    return lists


_PRIORITY_TITLES = (
    select(PriorityListItem.list_name, PriorityListItem.number, PriorityListItem.title)
    .where(PriorityListItem.plan_id == bindparam("plan_id"))
)


def priority_titles(plan_id: int) -> dict[str, dict[int, str]]:
    """The titles of the plan's police and PCC priorities by number, to name those an objective serves."""
    titles: dict[str, dict[int, str]] = {"police": {}, "pcc": {}}
    for list_name, number, title in db.session.connection().execute(_PRIORITY_TITLES, {"plan_id": plan_id}):
        titles.setdefault(list_name, {})[number] = title
    return titles


@dataclass
class PriorityUse:
    """A police or PCC priority and how many of the plan's objectives serve it."""

    number: int | None
    title: str
    value: str  # the plan list's filter value
    objectives: int


def priority_lists(plan: Plan) -> dict[str, list[PriorityUse]]:
    """The plan's police and PCC priorities, each with the number of objectives serving it."""
    rows = db.session.execute(
        select(Objective.police_scope, Objective.police_numbers, Objective.pcc_scope, Objective.pcc_numbers)
        .join(Objective.key_priority).where(in_plan(plan))
    ).all()
    result = {}
    for list_name, items in priority_items(plan).items():
        index = 0 if list_name == "police" else 2
        uses = [(row[index], row[index + 1]) for row in rows]
        entries: list[tuple[int | None, str, str]] = [(item.number, item.title, str(item.number)) for item in items]
        entries += [(None, "Multiple (not said which)", "multiple"), (None, "All", "all"), (None, "None", "none")]
        result[list_name] = [
            PriorityUse(number, title, value, sum(serves(scope, numbers, value) for scope, numbers in uses))
            for number, title, value in entries
        ]
    return result


@dataclass
class PlanYear:
    """A plan year with its objective counts."""

    plan: Plan
    objectives: int
    open: int


def plan_years() -> list[PlanYear]:
    """Every plan, newest first, with how many objectives it has and how many are open."""
    plans = db.session.scalars(select(Plan).order_by(Plan.year.desc())).all()
    counts = {
        plan_id: (total, open_count) for plan_id, total, open_count in db.session.execute(
            select(KeyPriority.plan_id, func.count(Objective.id),
                   func.coalesce(func.sum(case((is_open(), 1), else_=0)), 0))
            .join(Objective.key_priority).group_by(KeyPriority.plan_id)
        )
    }
    return [PlanYear(plan, *counts.get(plan.id, (0, 0))) for plan in plans]


def open_objectives(plan: Plan) -> list[Objective]:
    """The plan's open objectives in plan order, with their key priority (to choose what to carry forward)."""
    return list(db.session.scalars(
        select(Objective).join(Objective.key_priority).where(in_plan(plan), is_open())
        .options(contains_eager(Objective.key_priority))
        .order_by(KeyPriority.number, Objective.position, Objective.id)
    ))
