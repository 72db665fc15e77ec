"""A plan's life: a draft is agreed by the board (a date and a meeting), and archived when its year is over.

Which plans run rounds and reminders follows from the status (plans.lookup.in_use): agreeing next year's draft
makes it the plan; archiving last year's stops its rounds and reminders. Services add and flush; the caller commits.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select

from scp_tracker.core.formatting import gov_date
from scp_tracker.core.history import Actor, set_fields
from scp_tracker.extensions import db
from scp_tracker.plans.models import Plan
from scp_tracker.plans.services import PlanError

# How long before its year a plan may be agreed: a board agrees next year's plan in the spring, not years ahead.
EARLIEST_AGREEMENT = relativedelta(years=1)


def earliest_agreement(plan: Plan) -> date | None:
    """The first date a plan can have been agreed on: a year before it starts (None when its start is unknown)."""
    return plan.starts_on - EARLIEST_AGREEMENT if plan.starts_on else None


def agree_plan(plan: Plan, *, agreed_on: date, meeting: str, actor: Actor, today: date) -> list[str]:
    """Mark a plan agreed on a date at a meeting (or correct when it was agreed); returns the fields changed.

    Refused: an archived plan (its year is over), a date still to come, a date long before the plan's year.
    """
    if plan.status == "archived":
        raise PlanError(f"The {plan.year} plan is archived: an archived plan cannot be agreed")
    if agreed_on > today:
        raise PlanError("The date the plan was agreed must be today or in the past")
    earliest = earliest_agreement(plan)
    if earliest is not None and agreed_on < earliest:
        raise PlanError(f"The date the plan was agreed must be on or after {gov_date(earliest)}, "
                        f"a year before the plan starts")
    meeting = meeting.strip()
    if not meeting:
        raise PlanError("Enter the meeting that agreed the plan")
    changed = set_fields(actor, plan, {"status": "agreed", "agreed_on": agreed_on, "agreed_at_meeting": meeting},
                         entity="plan")
    db.session.flush()
    return changed


def archive_plan(plan: Plan, *, actor: Actor, today: date) -> list[str]:
    """Archive an agreed plan: its rounds and reminders stop; it is still read by its year.

    Refused: a draft (never in use: it is agreed first) and a plan already archived.
    """
    if plan.status == "archived":
        when = f" on {gov_date(plan.archived_on)}" if plan.archived_on else ""
        raise PlanError(f"The {plan.year} plan was already archived{when}")
    if plan.status != "agreed":
        raise PlanError(f"The {plan.year} plan is a draft: only an agreed plan is archived")
    changed = set_fields(actor, plan, {"status": "archived", "archived_on": today}, entity="plan")
    db.session.flush()
    return changed


def other_agreed_plans(plan: Plan) -> int:
    """How many other plans are agreed (archiving the last one leaves no plan sending reminders)."""
    return db.session.scalar(select(func.count(Plan.id)).where(Plan.status == "agreed", Plan.id != plan.id)) or 0
