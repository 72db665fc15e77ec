"""One event with everything its page shows, and its change history in words."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from scp_tracker.core.formatting import gov_date, money
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


FIELD_LABELS = {
    "title": "Name",
    "kind": "Kind of event",
    "status": "Status",
    "starts_on": "Date",
    "ends_on": "End date",
    "place": "Place",
    "audience": "Audience",
    "attendance": "Number of people who attended",
    "outcome": "Outcome",
    "evaluation": "Evaluation",
    "cost_pence": "Cost",
    "organising_agency": "Organised by",
    "partner_agencies": "Other agencies involved",
    "objectives": "Objectives it delivers",
}


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change of an event, in words."""

    changed_at: datetime
    actor_name: str
    what: str  # "Recorded the event", or the field's label
    before: str
    after: str
    is_recording: bool


def _words(field_name: str, value: str | None) -> str:
    """A value as the history stored it, written for people; blank when there was none."""
    if value is None or value == "":
        return ""
    if field_name in ("starts_on", "ends_on"):
        return gov_date(date.fromisoformat(value))
    if field_name == "cost_pence":
        return money(int(value))
    if field_name == "kind":
        return KIND_LABELS.get(value, value)
    if field_name == "status":
        return STATUS_LABELS.get(value, value)
    return value


def event_history(event_id: int) -> list[HistoryEntry]:
    """Every recorded change of an event, newest first, in words."""
    records = db.session.scalars(
        select(ChangeRecord).where(ChangeRecord.entity == "event", ChangeRecord.entity_id == event_id)
        .order_by(ChangeRecord.changed_at.desc(), ChangeRecord.id.desc())
    )
    return [
        HistoryEntry(
            changed_at=record.changed_at,
            actor_name=record.actor_name,
            what="Recorded the event" if record.field == "recorded" else FIELD_LABELS.get(record.field, record.field),
            before=_words(record.field, record.before),
            after=_words(record.field, record.after),
            is_recording=record.field == "recorded",
        )
        for record in records
    ]
