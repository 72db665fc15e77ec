"""Which rounds a plan has and when each one's updates count: read by the reminders and the round pages."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, case, delete, or_, select

from scp_tracker.core.clock import LONDON, utcnow
from scp_tracker.core.db_types import insert_for
from scp_tracker.extensions import db
from scp_tracker.plans.lookup import in_use
from scp_tracker.plans.models import KeyPriority, Objective, Plan, ProgressUpdate
from scp_tracker.rounds.models import ReportingRound
from scp_tracker.rounds.schedule import quarterly_deadlines

# A plan with no dates still gets quarterly rounds: over the year that starts in April of its first year.
PLAN_YEAR_START_MONTH = 4


@dataclass(frozen=True)
class RoundWindow:
    """A round and the days its updates count: after the previous round's deadline, up to and including its own."""

    round: ReportingRound
    opens_on: date
    previous: ReportingRound | None = None

    @property
    def deadline(self) -> date:
        return self.round.deadline

    def contains(self, day: date) -> bool:
        """Whether an update made on this day (London) counts for the round."""
        return self.opens_on <= day <= self.round.deadline


def _plan_year(plan: Plan) -> tuple[date, date]:
    """The plan's first and last days, from its dates or else its year ("2016-17")."""
    if plan.starts_on and plan.ends_on:
        return plan.starts_on, plan.ends_on
    first_year = int((plan.year or "")[:4]) if (plan.year or "")[:4].isdigit() else plan.created_at.year
    starts_on = plan.starts_on or date(first_year, PLAN_YEAR_START_MONTH, 1)
    return starts_on, plan.ends_on or date(starts_on.year + 1, starts_on.month, 1) - timedelta(days=1)


def _rounds_of(plan: Plan) -> list[ReportingRound]:
    return list(db.session.scalars(
        select(ReportingRound).where(ReportingRound.plan_id == plan.id).order_by(ReportingRound.deadline)))


def plan_rounds(plan: Plan) -> list[ReportingRound]:
    """The plan's rounds by deadline; the quarterly defaults are made the first time a plan has none.

    Made with ON CONFLICT DO NOTHING on (plan, deadline): two processes reading a new plan's rounds at once (the
    daily run and a second scheduler) both get the same rounds rather than one failing.
    """
    rounds = _rounds_of(plan)
    if rounds:
        return rounds
    starts_on, ends_on = _plan_year(plan)
    rows = [{"plan_id": plan.id, "name": f"{deadline:%B %Y} round", "deadline": deadline, "is_default": True,
             "created_at": utcnow()} for deadline in quarterly_deadlines(starts_on, ends_on)]
    if rows:
        db.session.execute(insert_for(ReportingRound).on_conflict_do_nothing(index_elements=["plan_id", "deadline"]),
                           rows)
    return _rounds_of(plan)


def has_stored_rounds(plan: Plan) -> bool:
    """Whether the plan's rounds are stored (plan_rounds makes the quarterly defaults the first time it runs)."""
    return db.session.scalar(select(ReportingRound.id).where(ReportingRound.plan_id == plan.id).limit(1)) is not None


def drop_open_default_rounds(plan: Plan) -> None:
    """Remove the quarterly defaults that have not closed: the coordinator is setting the meetings now."""
    db.session.execute(delete(ReportingRound).where(
        ReportingRound.plan_id == plan.id, ReportingRound.is_default.is_(True), ReportingRound.closed_at.is_(None)))


def plan_windows(plan: Plan) -> list[RoundWindow]:
    """Each round of the plan with the day its window opens (the first opens on the plan's first day)."""
    return _windows(plan, plan_rounds(plan))


def _windows(plan: Plan, rounds: list[ReportingRound]) -> list[RoundWindow]:
    starts_on, _ = _plan_year(plan)
    windows, previous = [], None
    for round_ in rounds:
        opens_on = previous.deadline + timedelta(days=1) if previous else min(starts_on, round_.deadline)
        windows.append(RoundWindow(round_, opens_on, previous))
        previous = round_
    return windows


def stored_windows_in_use() -> tuple[list[RoundWindow], list[Plan]]:
    """The stored rounds of every plan in use (plans.lookup.in_use), plan by plan, and the plans in use that have
    none yet (plan_windows makes their quarterly defaults), in one query."""
    rounds: dict[Plan, list[ReportingRound]] = {}
    for plan, round_ in db.session.execute(
            select(Plan, ReportingRound).outerjoin(ReportingRound, ReportingRound.plan_id == Plan.id)
            .where(in_use()).order_by(Plan.id, ReportingRound.deadline)):
        rounds.setdefault(plan, []).extend([round_] if round_ is not None else [])
    return ([window for plan, its_rounds in rounds.items() for window in _windows(plan, its_rounds)],
            [plan for plan, its_rounds in rounds.items() if not its_rounds])


def windows_in_use() -> list[RoundWindow]:
    """The rounds of every plan in use, plan by plan, the quarterly defaults made for a plan that has none."""
    return with_default_rounds(*stored_windows_in_use())


def with_default_rounds(stored: list[RoundWindow], without_rounds: list[Plan]) -> list[RoundWindow]:
    """stored_windows_in_use's windows with those of the plans that had none, their quarterly defaults made."""
    made = [window for plan in without_rounds for window in plan_windows(plan)]
    return sorted(stored + made, key=lambda window: window.round.plan_id)


def window_for(round_: ReportingRound) -> RoundWindow:
    """The window of one round."""
    return next(window for window in plan_windows(round_.plan) if window.round.id == round_.id)


def _london_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=LONDON)


def updated_objective_ids(window: RoundWindow) -> set[int]:
    """The round's plan's objectives with a progress update in the window (one query)."""
    return set(updated_in_windows([window]).get(window.round.id, ()))


def updated_in_windows(windows: list[RoundWindow]) -> dict[int, frozenset[int]]:
    """Each round's (by id) objectives with a progress update in its window, for several rounds in one query.

    Notes imported with the plan document are its starting point, not an update sent for a round: they never count.
    A plan's windows do not overlap, so each update falls in at most one of them.
    """
    if not windows:
        return {}
    in_window = {window.round.id: and_(
        KeyPriority.plan_id == window.round.plan_id,
        ProgressUpdate.recorded_at >= _london_midnight(window.opens_on),
        ProgressUpdate.recorded_at < _london_midnight(window.deadline + timedelta(days=1)),
    ) for window in windows}
    round_id = case(*((condition, id_) for id_, condition in in_window.items()))
    found: dict[int, set[int]] = {id_: set() for id_ in in_window}
    for objective_id, id_ in db.session.execute(
            select(ProgressUpdate.objective_id, round_id).distinct()
            .join(Objective, Objective.id == ProgressUpdate.objective_id)
            .join(KeyPriority, KeyPriority.id == Objective.key_priority_id)
            .where(ProgressUpdate.source != "import", or_(*in_window.values()))):
        found[id_].add(objective_id)
    return {id_: frozenset(ids) for id_, ids in found.items()}
