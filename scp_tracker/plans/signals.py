"""What the plans area announces as it changes the plan, so other areas can follow without plans depending on them.

Services send these inside the caller's transaction, after the change is flushed: whatever a receiver writes
is committed with the change, or rolled back with it. Receivers get the actor who made the change.
"""

from dataclasses import dataclass

from blinker import Namespace

signals = Namespace()


@dataclass(frozen=True)
class ObjectiveSnapshot:
    """An objective's end date, funding and leads as people are told about them, taken before a change."""

    end_date: str = "Not set"
    funding: str = "Not recorded"
    lead_agencies: str = "None"
    lead_contacts: str = "None"
    agency_ids: tuple[int, ...] = ()
    contact_ids: tuple[int, ...] = ()


# sender: None; changes: [(Objective, ObjectiveSnapshot before)], each whose end date, funding or leads changed
# (one signal for all of an import's objectives, so receivers can look people up once); actor: Actor.
objectives_changed = signals.signal("objectives-changed")
# sender: the ProgressUpdate; actor: Actor; rag_before: the objective's RAG before it; now: datetime.
progress_added = signals.signal("progress-added")
# sender: the ProgressUpdate asking to move the end date; actor: Actor; now: datetime.
end_date_requested = signals.signal("end-date-requested")
# sender: the ProgressUpdate decided; actor: Actor; before: ObjectiveSnapshot; now: datetime.
end_date_request_decided = signals.signal("end-date-request-decided")
# sender: the ProgressUpdate proposing the funding of a TBC line; actor: Actor; now: datetime.
funding_requested = signals.signal("funding-requested")
# sender: the ProgressUpdate decided; actor: Actor; before: ObjectiveSnapshot; now: datetime.
funding_request_decided = signals.signal("funding-request-decided")
