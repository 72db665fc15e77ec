"""Events figures for the dashboard and the board report: events held and people who came."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import and_, case, exists, extract, func, or_, select

from scp_tracker.core.figures import kept_figures
from scp_tracker.events.listing import listed_options
from scp_tracker.events.models import Event, event_objective
from scp_tracker.events.outcomes_due import awaiting_outcome
from scp_tracker.extensions import db
from scp_tracker.plans.models import KeyPriority, Objective, Plan


def in_plan(plan: Plan):
    """The event delivers one of the plan's objectives, or delivers none and started within the plan's year."""
    delivers = Event.id.in_(
        select(event_objective.c.event_id).join(Objective, Objective.id == event_objective.c.objective_id)
        .join(KeyPriority, KeyPriority.id == Objective.key_priority_id).where(KeyPriority.plan_id == plan.id)
    )
    if plan.starts_on is None or plan.ends_on is None:
        return delivers
    return or_(delivers, and_(
        ~exists().where(event_objective.c.event_id == Event.id),
        Event.starts_on >= plan.starts_on, Event.starts_on <= plan.ends_on,
    ))


def _held_figures() -> dict:
    """An empty tally of events held and people who came."""
    return {"held": 0, "attendance": 0, "attendance_unknown": 0}


def _add(tally: dict, held: int, attendance: int | None, counted: int) -> None:
    """Add a group's events held, their attendance, and how many had no count."""
    tally["held"] += held
    tally["attendance"] += attendance or 0
    tally["attendance_unknown"] += held - counted


def _months(first: date, last: date) -> list[date]:
    """The first day of each month from `first` to `last`, inclusive."""
    months = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def dashboard_figures(plan: Plan, today: date) -> dict:
    """The dashboard's events figures (see work_out_dashboard_figures), worked out again only after a change.

    Kept on the data version, which every committed change moves (scp_tracker.core.data_version), and on the day.
    """
    return kept_figures("events dashboard", (plan.id, today), lambda: (work_out_dashboard_figures(plan, today), None))


def work_out_dashboard_figures(plan: Plan, today: date) -> dict:
    """Events held and people who came, per key priority and per month of the plan, in four queries.

    {"held", "attendance", "attendance_unknown", "planned_upcoming", "awaiting_outcome",
     "by_key_priority": [{"key_priority_id", "number", "title", "held", "attendance", "attendance_unknown"}],
     "not_linked": {"held", "attendance", "attendance_unknown"},
     "by_month": [{"month": date (first of month), "held", "attendance", "attendance_unknown"}]}
    An event delivering objectives of two key priorities counts in both rows and once in the totals;
    "attendance_unknown" counts events held whose attendance nobody recorded.
    """
    key_priorities = db.session.scalars(
        select(KeyPriority).where(KeyPriority.plan_id == plan.id).order_by(KeyPriority.number)
    ).all()
    rows = {kp.id: {"key_priority_id": kp.id, "number": kp.number, "title": kp.title, **_held_figures()}
            for kp in key_priorities}

    pairs = (
        select(event_objective.c.event_id, Objective.key_priority_id)
        .join(Objective, Objective.id == event_objective.c.objective_id)
        .join(KeyPriority, KeyPriority.id == Objective.key_priority_id)
        .where(KeyPriority.plan_id == plan.id).distinct().subquery()
    )
    for kp_id, held, attendance, counted in db.session.execute(
        select(pairs.c.key_priority_id, func.count(Event.id), func.sum(Event.attendance), func.count(Event.attendance))
        .join(pairs, pairs.c.event_id == Event.id).where(Event.status == "held")
        .group_by(pairs.c.key_priority_id)
    ):
        _add(rows[kp_id], held, attendance, counted)

    totals = _held_figures()
    not_linked = _held_figures()
    by_month: dict[date, dict] = defaultdict(_held_figures)
    # Grouped by plain columns and expressions without parameters, which PostgreSQL can match up.
    linked_ids = select(event_objective.c.event_id).distinct().subquery()
    linked = linked_ids.c.event_id.is_not(None)
    year, month = extract("year", Event.starts_on), extract("month", Event.starts_on)
    for event_year, event_month, has_link, held, attendance, counted in db.session.execute(
        select(year, month, linked, func.count(Event.id), func.sum(Event.attendance), func.count(Event.attendance))
        .outerjoin(linked_ids, linked_ids.c.event_id == Event.id)
        .where(in_plan(plan), Event.status == "held").group_by(year, month, linked)
    ):
        _add(totals, held, attendance, counted)
        _add(by_month[date(int(event_year), int(event_month), 1)], held, attendance, counted)
        if not has_link:
            _add(not_linked, held, attendance, counted)

    upcoming, awaiting = db.session.execute(
        select(
            func.coalesce(func.sum(case((and_(Event.status == "planned", Event.starts_on >= today), 1), else_=0)), 0),
            func.coalesce(func.sum(case((awaiting_outcome(today), 1), else_=0)), 0),
        ).where(in_plan(plan))
    ).one()

    # Every month of the plan so far, quiet ones too, so the board sees the gaps; none at all when no event was
    # held, as a table of nothing but noughts says less than the one line above it.
    months = set(by_month)
    if plan.starts_on and by_month:
        months.update(_months(plan.starts_on, min(today, plan.ends_on or today)))
    return {
        **totals,
        "planned_upcoming": int(upcoming),
        "awaiting_outcome": int(awaiting),
        "by_key_priority": list(rows.values()),
        "not_linked": not_linked,
        "by_month": [{"month": m, **by_month.get(m, _held_figures())} for m in sorted(months)],
    }


@dataclass
class HeldSince:
    """The events of a plan held since a date, for the board report."""

    since: date
    events: list[Event]
    attendance: int
    attendance_unknown: int

    @property
    def held(self) -> int:
        """How many events were held."""
        return len(self.events)


def held_since(plan: Plan, since: date) -> HeldSince:
    """The plan's events held on or after a date, oldest first, with their total attendance, in four queries."""
    events = list(db.session.scalars(
        select(Event).where(in_plan(plan), Event.status == "held", Event.starts_on >= since)
        .options(*listed_options()).order_by(Event.starts_on, Event.id)
    ))
    return HeldSince(
        since=since,
        events=events,
        attendance=sum(e.attendance or 0 for e in events),
        attendance_unknown=sum(1 for e in events if e.attendance is None),
    )
