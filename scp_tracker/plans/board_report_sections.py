"""Reading the board report: the plan by key priority, with each objective's progress and changes since a date."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from scp_tracker.core.clock import LONDON
from scp_tracker.core.models import ChangeRecord
from scp_tracker.extensions import db
from scp_tracker.plans.models import (
    KeyPriority,
    KeyPriorityLead,
    Objective,
    ObjectiveLead,
    Plan,
)
from scp_tracker.plans.queries import in_plan


@dataclass
class ReportItem:
    """One objective in the board report with what changed since the chosen date."""

    objective: Objective
    progress_since: list
    changes_since: list[ChangeRecord]


@dataclass
class ReportSection:
    """One key priority of the board report."""

    key_priority: KeyPriority
    items: list[ReportItem]


def _start_of_day(day: date) -> datetime:
    """Midnight at the start of a day in London, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=LONDON)


def _said_by_progress(change: ChangeRecord, said: dict[tuple[str, str | None], datetime]) -> bool:
    """Whether a change record is the RAG change of a progress update listed beside it."""
    recorded_at = said.get((change.actor_name, change.after)) if change.field == "rag" else None
    return recorded_at is not None and abs(change.changed_at - recorded_at) <= timedelta(minutes=1)


def board_report(plan: Plan, *, since: date) -> list[ReportSection]:
    """The plan by key priority, each objective with its progress and changes since a date, in six queries."""
    since_at = _start_of_day(since)
    key_priorities = db.session.scalars(
        select(KeyPriority).where(KeyPriority.plan_id == plan.id).order_by(KeyPriority.number)
        .options(
            selectinload(KeyPriority.lead_links).joinedload(KeyPriorityLead.agency),
            selectinload(KeyPriority.objectives).options(
                selectinload(Objective.lead_links).joinedload(ObjectiveLead.agency),
                selectinload(Objective.progress_updates),
            ),
        )
    ).all()
    changes: dict[int, list[ChangeRecord]] = defaultdict(list)
    for record in db.session.scalars(
        select(ChangeRecord).join(Objective, ChangeRecord.objective_id == Objective.id)
        .join(Objective.key_priority).where(in_plan(plan), ChangeRecord.changed_at >= since_at)
        .order_by(ChangeRecord.changed_at, ChangeRecord.id)
    ):
        assert record.objective_id is not None  # joined to its objective
        changes[record.objective_id].append(record)
    items = {}
    for kp in key_priorities:
        for objective in kp.objectives:
            progress = [update for update in objective.progress_updates if update.recorded_at >= since_at]
            # A progress update's RAG is said on its own line: the RAG change it made (same person, same RAG, the
            # same moment) is not said again.
            said = {(update.author_name, update.rag): update.recorded_at for update in progress}
            items[objective.id] = ReportItem(objective, progress, [
                change for change in changes[objective.id] if not _said_by_progress(change, said)])
    return [ReportSection(kp, [items[objective.id] for objective in kp.objectives]) for kp in key_priorities]
