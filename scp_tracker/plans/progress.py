"""Adding progress to an objective, and deciding the end date requests leads make with it.

Services add and flush; the caller commits.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy import update as update_rows
from sqlalchemy.orm import joinedload

from scp_tracker.core.db_types import execute_dml
from scp_tracker.core.formatting import gov_date
from scp_tracker.core.history import Actor, record_change, set_fields
from scp_tracker.extensions import db
from scp_tracker.plans import signals
from scp_tracker.plans.models import (
    Objective,
    ProgressUpdate,
)
from scp_tracker.plans.services import PlanError, end_date_words, snapshot


@dataclass(frozen=True)
class ProgressValues:
    """A progress update as entered: RAG None leaves the RAG as it was."""

    text: str
    rag: str | None
    mark_complete: bool = False
    requested_end_date: date | None = None
    requested_agency_ids: list[int] | None = None  # a lead asks the coordinator to change the lead agencies
    # A lead proposes the funding of a TBC line: {"amount_pence": int, "source": str, "pot": str}.
    requested_funding: dict | None = None


def add_progress(objective: Objective, values: ProgressValues, actor: Actor, *, now: datetime) -> ProgressUpdate:
    """Record progress, update the objective's RAG and status (recorded), and its last update time."""
    rag_before = objective.rag
    if values.requested_end_date:
        supersede_pending(objective, ProgressUpdate.end_date_request_status)
    if values.requested_agency_ids is not None:
        supersede_pending(objective, ProgressUpdate.lead_request_status)
    if values.requested_funding is not None:
        supersede_pending(objective, ProgressUpdate.funding_request_status)
    update = ProgressUpdate(
        text=values.text, rag=values.rag or objective.rag, recorded_at=now,
        author_user_id=actor.user_id, author_contact_id=actor.contact_id, author_name=actor.name,
        source=actor.source, marked_complete=values.mark_complete,
        requested_end_date=values.requested_end_date,
        end_date_request_status="pending" if values.requested_end_date else None,
        requested_agency_ids=values.requested_agency_ids,
        lead_request_status="pending" if values.requested_agency_ids is not None else None,
        requested_funding=values.requested_funding,
        funding_request_status="pending" if values.requested_funding is not None else None,
    )
    objective.progress_updates.insert(0, update)
    changes = {"rag": values.rag} if values.rag else {}
    if values.mark_complete:
        changes["status"] = "complete"
    set_fields(actor, objective, changes, entity="objective", objective_id=objective.id)
    objective.last_progress_at = now
    db.session.flush()
    signals.progress_added.send(update, actor=actor, rag_before=rag_before, now=now)
    if update.requested_end_date:
        signals.end_date_requested.send(update, actor=actor, now=now)
    if update.requested_funding is not None:
        signals.funding_requested.send(update, actor=actor, now=now)
    return update


def supersede_pending(objective: Objective, status_column) -> None:
    """A newer request replaces the objective's older pending ones: they can no longer be approved, so an older
    request approved after a newer one cannot move the date (or the leads) back."""
    db.session.execute(
        update_rows(ProgressUpdate)
        .where(ProgressUpdate.objective_id == objective.id, status_column == "pending")
        .values({status_column: "superseded"})
    )


def decide_request(update: ProgressUpdate, status_column, decision: str, what: str) -> None:
    """Move one pending request to its decision with one conditional UPDATE, so two coordinators deciding at once
    cannot both win, and a request superseded or decided already is refused."""
    decided = execute_dml(
        update_rows(ProgressUpdate)
        .where(ProgressUpdate.id == update.id, status_column == "pending")
        .values({status_column: decision})
    )
    if decided.rowcount != 1:
        db.session.refresh(update)
        if getattr(update, status_column.key) == "superseded":
            raise PlanError(f"A newer request to change the {what} of {update.objective.title} replaced this one")
        raise PlanError("This request has already been approved or declined")


def end_date_requests() -> list[ProgressUpdate]:
    """Requests to move an end date still waiting for the coordinator, oldest first, with their objectives."""
    return list(db.session.scalars(
        select(ProgressUpdate).where(ProgressUpdate.end_date_request_status == "pending")
        .order_by(ProgressUpdate.recorded_at, ProgressUpdate.id)
        .options(joinedload(ProgressUpdate.objective).joinedload(Objective.key_priority))
    ))


def end_date_request(update_id: int) -> ProgressUpdate | None:
    """A progress update that asked to move an end date, decided or not; None for any other."""
    update = db.session.get(ProgressUpdate, update_id)
    return update if update is not None and update.requested_end_date is not None else None


def decide_end_date_request(update: ProgressUpdate, approve: bool, actor: Actor, now: datetime) -> None:
    """Approve or decline a lead's request to move an end date; approving moves it, recorded in the history.

    The due-date reminders start again by themselves, since their keys contain the end date.
    """
    decision = "approved" if approve else "declined"
    decide_request(update, ProgressUpdate.end_date_request_status, decision, "end date")
    objective = update.objective
    before = snapshot(objective)
    record_change(actor, entity="progress", entity_id=update.id, field="end_date_request",
                  before=f"Asked for {gov_date(update.requested_end_date)}", after=decision.capitalize(),
                  objective_id=objective.id)
    if approve:
        set_fields(actor, objective, {"end_date": update.requested_end_date, "end_date_status": "set"},
                   entity="objective", objective_id=objective.id)
        objective.end_date_text = end_date_words("set", update.requested_end_date)
    db.session.flush()
    signals.end_date_request_decided.send(update, actor=actor, before=before, now=now)
