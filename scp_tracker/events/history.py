"""One event with everything its page shows, and its change history in words."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from scp_tracker.core.change_words import Field, change_in_words, describe_fields
from scp_tracker.core.models import ChangeRecord
from scp_tracker.events.models import KIND_LABELS, STATUS_LABELS, Event
from scp_tracker.extensions import db
from scp_tracker.people.models import User
from scp_tracker.plans.models import KeyPriority, Objective


def get_event(event_id: int) -> Event | None:
    """One event with everything its page shows."""
    return db.session.scalar(
        select(Event).where(Event.id == event_id).options(
            joinedload(Event.organising_agency),
            selectinload(Event.partner_agencies),
            selectinload(Event.objectives).joinedload(Objective.key_priority).joinedload(KeyPriority.plan),
            joinedload(Event.recorded_by).joinedload(User.contact),
        )
    )


# How the history writes what the events area records (core.change_words): on the event's page and on the
# page of each objective it delivers.
describe_fields("event", {
    "recorded": Field("Recorded", "event", sentence="Recorded the event “{after}”"),  # named: objectives show it too
    "title": Field("Name"),
    "kind": Field("Kind of event", "choice", KIND_LABELS),
    "status": Field("Status", "choice", STATUS_LABELS),
    "starts_on": Field("Date", "date"),
    "ends_on": Field("End date", "date"),
    "place": Field("Place"),
    "audience": Field("Audience"),
    "attendance": Field("Number of people who attended"),
    "outcome": Field("Outcome"),
    "evaluation": Field("Evaluation"),
    "cost_pence": Field("Cost", "money"),
    "organising_agency": Field("Organised by"),
    "partner_agencies": Field("Other agencies involved", "list"),
    "objectives": Field("Objectives it delivers", "list"),
})


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change of an event, in words."""

    changed_at: datetime
    actor_name: str
    field: str
    words: str  # "Recorded the event “Crew day”", "Date: 14 April 2016 → 30 April 2016"


def event_history(event_id: int) -> list[HistoryEntry]:
    """Every recorded change of an event, newest first, in words."""
    records = db.session.scalars(
        select(ChangeRecord).where(ChangeRecord.entity == "event", ChangeRecord.entity_id == event_id)
        .order_by(ChangeRecord.changed_at.desc(), ChangeRecord.id.desc())
    )
    return [HistoryEntry(changed_at=record.changed_at, actor_name=record.actor_name, field=record.field,
                         words=change_in_words(record))
            for record in records]
