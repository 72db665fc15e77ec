"""A lead's request to change an objective's lead agencies, which only the coordinator changes.

It rides on a progress update, as a request to move an end date does, and goes through the same machinery: it is
pending until the coordinator approves or declines it on the requests page (one conditional UPDATE), and a newer
request supersedes older pending ones. Approving it changes the lead agencies through the objective's edit rule
(recorded in the history and announced to the leads, before and after).
"""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from scp_tracker.core.history import Actor, record_change
from scp_tracker.extensions import db
from scp_tracker.people.models import Agency
from scp_tracker.plans.models import Objective, ProgressUpdate
from scp_tracker.plans.progress import decide_request
from scp_tracker.plans.services import announce_change, snapshot, update_lead_agencies


def pending() -> list[ProgressUpdate]:
    """Requests to change lead agencies waiting for the coordinator, oldest first, with their objectives."""
    return list(db.session.scalars(
        select(ProgressUpdate).where(ProgressUpdate.lead_request_status == "pending")
        .order_by(ProgressUpdate.recorded_at, ProgressUpdate.id)
        .options(joinedload(ProgressUpdate.objective).joinedload(Objective.key_priority))
    ))


def asked_for(updates: list[ProgressUpdate]) -> dict[int, str]:
    """The lead agencies each request asks for, as written ("EP / CBC"; "" for none), by update id (one query)."""
    ids = {agency_id for update in updates for agency_id in update.requested_agency_ids or ()}
    names = dict(db.session.execute(select(Agency.id, Agency.abbreviation).where(Agency.id.in_(ids))).all())
    return {update.id: " / ".join(names[i] for i in update.requested_agency_ids or () if i in names)
            for update in updates}


def find(update_id: int) -> ProgressUpdate | None:
    """A progress update that asked to change the lead agencies, decided or not; None for any other."""
    update = db.session.get(ProgressUpdate, update_id)
    return update if update is not None and update.lead_request_status is not None else None


def decide(update: ProgressUpdate, approve: bool, actor: Actor) -> None:
    """Approve or decline the request; approving sets the lead agencies asked for (recorded and announced)."""
    decision = "approved" if approve else "declined"
    decide_request(update, ProgressUpdate.lead_request_status, decision, "lead agencies")
    objective = update.objective
    before = snapshot(objective)
    asked = asked_for([update])[update.id]
    record_change(actor, entity="progress", entity_id=update.id, field="lead_request",
                  before=f"Asked for {asked or 'no lead agency'}",
                  after=decision.capitalize(), objective_id=objective.id)
    if approve:
        update_lead_agencies(objective, list(update.requested_agency_ids or []), actor)
        announce_change(objective, actor, before)
    db.session.flush()
