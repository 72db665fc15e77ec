"""A lead's proposed funding for an objective whose funding is TBC, which the coordinator approves or declines.

It rides on a progress update, as requests to move an end date or change the lead agencies do, and goes through the
same machinery (plans.progress.decide_request): pending until decided with one conditional UPDATE, superseded by a
newer request for the same objective. Approving it sets the objective's TBC funding to the amount, source and pot
asked for (confirmed), recorded in the history and announced like any change of funding.
"""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from scp_tracker.core.history import Actor, record_change, set_fields
from scp_tracker.extensions import db
from scp_tracker.plans import signals
from scp_tracker.plans.models import FundingLine, Objective, ProgressUpdate
from scp_tracker.plans.progress import decide_request
from scp_tracker.plans.services import PlanError, announce_change, describe_funding, snapshot


def requested_funding(amount_pence: int, source: str, pot: str) -> dict:
    """The request as a progress update keeps it."""
    return {"amount_pence": amount_pence, "source": source, "pot": pot}


def describe_request(update: ProgressUpdate) -> str:
    """What the request asks for, as funding is written: "£5,000 SCP (16-17 allocation)"."""
    asked = update.requested_funding or {}
    return describe_funding(FundingLine(amount_pence=asked.get("amount_pence"), source=asked.get("source") or None,
                                        pot=asked.get("pot") or None, status="confirmed"))


def pending() -> list[ProgressUpdate]:
    """Funding requests waiting for the coordinator, oldest first, with their objectives and funding lines."""
    return list(db.session.scalars(
        select(ProgressUpdate).where(ProgressUpdate.funding_request_status == "pending")
        .order_by(ProgressUpdate.recorded_at, ProgressUpdate.id)
        .options(joinedload(ProgressUpdate.objective).joinedload(Objective.key_priority),
                 joinedload(ProgressUpdate.objective).selectinload(Objective.funding_lines))
    ))


def find(update_id: int) -> ProgressUpdate | None:
    """A progress update that proposed funding, decided or not; None for any other."""
    update = db.session.get(ProgressUpdate, update_id)
    return update if update is not None and update.funding_request_status is not None else None


def decide(update: ProgressUpdate, approve: bool, actor: Actor, *, now: datetime) -> None:
    """Approve or decline the request; approving confirms the TBC funding as asked (recorded and announced).

    The objective's TBC lines become one confirmed line: the first takes the amount, source and pot, any others are
    removed, since the request answers "what is the funding" as a whole. Lines already confirmed are kept.
    """
    objective = update.objective
    tbc_lines = [line for line in objective.funding_lines if line.status == "tbc"]
    decision = "approved" if approve else "declined"
    decide_request(update, ProgressUpdate.funding_request_status, decision, "funding")
    if approve and not tbc_lines:  # the caller rolls the decision back
        raise PlanError(f"The funding of {objective.title} is no longer TBC: decline this request, or change the "
                        "funding on the objective's edit page")
    before = snapshot(objective)
    asked = update.requested_funding or {}
    record_change(actor, entity="progress", entity_id=update.id, field="funding_request",
                  before=f"Asked for {describe_request(update)}", after=decision.capitalize(),
                  objective_id=objective.id)
    if approve:
        first, *others = tbc_lines
        set_fields(actor, first, {"amount_pence": asked.get("amount_pence"), "source": asked.get("source") or None,
                                  "pot": asked.get("pot") or None, "status": "confirmed"},
                   entity="funding", objective_id=objective.id)
        first.text = describe_funding(first)
        for line in others:
            record_change(actor, entity="funding", entity_id=line.id, field="funding_line",
                          before=describe_funding(line), after=None, objective_id=objective.id)
            objective.funding_lines.remove(line)
        for position, line in enumerate(objective.funding_lines):
            line.position = position
        announce_change(objective, actor, before)
    db.session.flush()
    signals.funding_request_decided.send(update, actor=actor, before=before, now=now)

