"""Finding the plan people mean: the current one, or one by its year."""

from sqlalchemy import ColumnElement, and_, bindparam, case, exists, func, or_, select
from sqlalchemy.orm import aliased

from scp_tracker.core.inputs import is_clean_text
from scp_tracker.extensions import db
from scp_tracker.plans.models import Plan

YEAR_LENGTH = 20  # Plan.year's column
_PLAN_FOR_YEAR = select(Plan).where(func.lower(Plan.year) == bindparam("year"))


def current_plan() -> Plan | None:
    """The plan people mean by "the plan": the newest plan in use, else the newest not archived, else the newest.

    So next year's draft is not "the plan" (the dashboard, the lists, the exports) until the board agrees it; it is
    still opened by its year.
    """
    return db.session.scalar(_CURRENT_PLAN)


def plan_for_year(year: str | None) -> Plan | None:
    """A plan by its year ("2016-17"), or the current plan when no year is given.

    A year no plan could have (longer than the column, or holding a control character, which PostgreSQL refuses
    in a query) finds none, whether it came from the query string or from an address's path.
    """
    if not year:
        return current_plan()
    if len(year) > YEAR_LENGTH or not is_clean_text(year):
        return None
    return db.session.scalar(_PLAN_FOR_YEAR, {"year": year.lower()})


def in_use() -> ColumnElement[bool]:
    """A filter on Plan: the plans whose rounds and reminders run.

    Agreed plans until they are archived (last year's keeps going while next year's starts); a draft only while no
    plan is agreed, so next year's draft stays quiet until the board agrees it, and a first import works at once.
    """
    agreed = aliased(Plan)
    return or_(Plan.status == "agreed",
               and_(Plan.status == "draft", ~exists().where(agreed.status == "agreed")))


# Built once: most pages look the plan up, and building the statement cost as much as running it.
_CURRENT_PLAN = (
    select(Plan)
    .order_by(case((in_use(), 0), else_=1), (Plan.status == "archived").asc(), Plan.starts_on.desc().nulls_last(),
              Plan.id.desc())
    .limit(1)
)
