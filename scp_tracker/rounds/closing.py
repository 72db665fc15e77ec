"""Closing rounds: when a deadline has passed, each objective is frozen as the board saw it.

A round is claimed by a conditional UPDATE of closed_at (only one process's UPDATE finds it open) and its
snapshots are inserted with ON CONFLICT DO NOTHING, so a second run, a second scheduler or a catch-up after
downtime closes each round once. Values are as they stood at the end of the deadline day in London: the progress
recorded up to then, and the status and RAG read back through the change history past any later edit.
"""

from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from scp_tracker.core.clock import LONDON
from scp_tracker.core.db_types import execute_dml, insert_for
from scp_tracker.core.models import ChangeRecord
from scp_tracker.extensions import db
from scp_tracker.plans.models import KeyPriority, Objective, ProgressUpdate
from scp_tracker.rounds.models import ReportingRound, RoundSnapshot
from scp_tracker.rounds.windows import RoundWindow, updated_objective_ids, windows_in_use

# The objective fields a snapshot freezes, read back through the change history.
FROZEN_FIELDS = ("status", "rag")


def end_of_day(day: date) -> datetime:
    """The first moment after a day in London (an aware datetime): what was recorded before it counts for the day."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=LONDON)


def close_due_rounds(today: date, now: datetime) -> list[ReportingRound]:
    """Close every round of a plan in use whose deadline is before today and is still open; returns those closed."""
    closed = []
    for window in windows_in_use():
        if window.deadline < today and window.round.closed_at is None and _claim(window.round, now):
            rows = snapshot_rows(window)
            if rows:  # an empty list would run one INSERT of nothing
                db.session.execute(insert_for(RoundSnapshot).on_conflict_do_nothing(
                    index_elements=["round_id", "objective_id"]), rows)
            closed.append(window.round)
    return closed


def _claim(round_: ReportingRound, now: datetime) -> bool:
    """Mark the round closed unless another run did first; True when this run closed it."""
    claimed = execute_dml(update(ReportingRound).where(ReportingRound.id == round_.id,
                                                       ReportingRound.closed_at.is_(None))
                          .values(closed_at=now)).rowcount == 1
    db.session.refresh(round_, ["closed_at"])
    return claimed


def snapshot_rows(window: RoundWindow) -> list[dict]:
    """One row per objective of the round's plan not cancelled before its window opened, as at the deadline."""
    cutoff = end_of_day(window.deadline)
    objectives = db.session.scalars(
        select(Objective).join(Objective.key_priority).where(KeyPriority.plan_id == window.round.plan_id)
        .options(selectinload(Objective.key_priority)).order_by(Objective.id)).all()
    later = _values_before_later_changes([objective.id for objective in objectives], cutoff)
    cancelled_at = _cancelled_at([objective.id for objective in objectives])
    latest = _latest_progress(window.round.plan_id, cutoff)
    updated = updated_objective_ids(window)
    rows = []
    for objective in objectives:
        values = {field: later.get((objective.id, field), getattr(objective, field)) for field in FROZEN_FIELDS}
        if values["status"] == "cancelled" and _cancelled_on(objective, cancelled_at) < window.opens_on:
            continue
        progress = latest.get(objective.id)
        rows.append({"round_id": window.round.id, "objective_id": objective.id, "status": values["status"],
                     "rag": values["rag"], "progress_text": progress.text if progress else "",
                     "progress_at": progress.recorded_at if progress else None,
                     "updated_in_round": objective.id in updated})
    return rows


def _values_before_later_changes(objective_ids: list[int], cutoff: datetime) -> dict[tuple[int, str], str | None]:
    """(objective, field) → the value before the first change made after the cutoff (one query)."""
    found: dict[tuple[int, str], str | None] = {}
    for record in db.session.scalars(
        select(ChangeRecord).where(ChangeRecord.entity == "objective", ChangeRecord.objective_id.in_(objective_ids),
                                   ChangeRecord.field.in_(FROZEN_FIELDS), ChangeRecord.changed_at >= cutoff)
        .order_by(ChangeRecord.changed_at, ChangeRecord.id)
    ):
        assert record.objective_id is not None  # filtered on it
        found.setdefault((record.objective_id, record.field), record.before)
    return found


def _cancelled_at(objective_ids: list[int]) -> dict[int, datetime]:
    """When each objective was last marked cancelled, from the change history (one query)."""
    rows = db.session.execute(
        select(ChangeRecord.objective_id, ChangeRecord.changed_at)
        .where(ChangeRecord.entity == "objective", ChangeRecord.objective_id.in_(objective_ids),
               ChangeRecord.field == "status", ChangeRecord.after == "cancelled")
        .order_by(ChangeRecord.changed_at, ChangeRecord.id))
    return {objective_id: changed_at for objective_id, changed_at in rows if objective_id is not None}


def _cancelled_on(objective: Objective, cancelled_at: dict[int, datetime]) -> date:
    """The London day an objective was cancelled: its history, else its key priority's retirement, else never known
    (an objective imported as cancelled was never in a round)."""
    if objective.id in cancelled_at:
        return cancelled_at[objective.id].astimezone(LONDON).date()
    return objective.key_priority.retired_on or date.min


def _latest_progress(plan_id: int, cutoff: datetime) -> dict[int, ProgressUpdate]:
    """Each objective's newest progress update recorded before the cutoff (one query)."""
    newest = (
        select(ProgressUpdate.objective_id, func.max(ProgressUpdate.recorded_at).label("recorded_at"))
        .join(Objective, Objective.id == ProgressUpdate.objective_id)
        .join(KeyPriority, KeyPriority.id == Objective.key_priority_id)
        .where(KeyPriority.plan_id == plan_id, ProgressUpdate.recorded_at < cutoff)
        .group_by(ProgressUpdate.objective_id).subquery())
    latest: dict[int, ProgressUpdate] = {}
    for progress in db.session.scalars(
        select(ProgressUpdate).join(newest, (newest.c.objective_id == ProgressUpdate.objective_id)
                                    & (newest.c.recorded_at == ProgressUpdate.recorded_at))
        .order_by(ProgressUpdate.id.desc())
    ):
        latest.setdefault(progress.objective_id, progress)  # two at the same moment: the one written last
    return latest
