"""The coordinator's board meetings: adding, changing and removing the rounds they make, with their history.

A meeting's round may not be set before a closed round (the board has seen that round: moving a window under it
would change what counted for it), nor share a deadline with another round of the plan, nor have its deadline after
the meeting. A closed round is never changed or removed.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from scp_tracker.core.formatting import gov_date
from scp_tracker.core.history import Actor, record_change
from scp_tracker.core.inputs import in_year_range, is_clean_text
from scp_tracker.extensions import db
from scp_tracker.plans.models import Plan
from scp_tracker.rounds.models import ReportingRound
from scp_tracker.rounds.schedule import default_deadline
from scp_tracker.rounds.windows import drop_open_default_rounds, plan_rounds

MAX_NAME_LENGTH = 200


class RoundError(Exception):
    """A meeting that cannot be set as asked; `field` names what to correct (meeting_on, deadline, name, round)."""

    def __init__(self, message: str, field: str = "round"):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Meeting:
    """What the coordinator gives for a board meeting; a blank deadline or name takes the default."""

    meeting_on: date
    deadline: date | None = None
    name: str | None = None


def default_name(meeting_on: date) -> str:
    """A meeting's name when the coordinator gives none: "Board meeting, 20 September 2016"."""
    return f"Board meeting, {gov_date(meeting_on)}"


def _checked(plan: Plan, meeting: Meeting, *, replacing: ReportingRound | None = None) -> tuple[str, date]:
    """The round's name and deadline, or a RoundError naming the first thing to correct."""
    name = (meeting.name or "").strip() or default_name(meeting.meeting_on)
    if len(name) > MAX_NAME_LENGTH:
        raise RoundError(f"Name must be {MAX_NAME_LENGTH} characters or fewer", "name")
    if not is_clean_text(name) or "\n" in name or "\r" in name or "\t" in name:
        raise RoundError("Name must be one line of text", "name")
    if not in_year_range(meeting.meeting_on):
        raise RoundError("Meeting date must be a real date in a plan year", "meeting_on")
    deadline = meeting.deadline or default_deadline(meeting.meeting_on)
    if not in_year_range(deadline):
        raise RoundError("Update deadline must be a real date in a plan year", "deadline")
    if deadline > meeting.meeting_on:
        raise RoundError(f"Update deadline must be on or before the meeting ({gov_date(meeting.meeting_on)})",
                         "deadline")
    others = [round_ for round_ in plan_rounds(plan) if replacing is None or round_.id != replacing.id]
    last_closed = max((r for r in others if r.closed_at is not None), key=lambda r: r.deadline, default=None)
    if last_closed is not None and deadline <= last_closed.deadline:
        raise RoundError(f"Update deadline must be after {gov_date(last_closed.deadline)}: {last_closed.name} is "
                         "closed and what counted for it cannot change", "deadline")
    # The open quarterly defaults make way for the first meeting, so only the other rounds can clash.
    same = next((r for r in others if r.deadline == deadline and (r.meeting_on or r.closed_at)), None)
    if same is not None:
        raise RoundError(f"{same.name} already has the update deadline {gov_date(deadline)}", "deadline")
    return name, deadline


def _open_round(round_: ReportingRound) -> None:
    """Refuse to change a round the board has seen, or a quarterly default (adding a meeting replaces those)."""
    if round_.closed_at is not None:
        raise RoundError(f"{round_.name} is closed: the board has seen it, so it cannot change")
    if round_.meeting_on is None:
        raise RoundError(f"{round_.name} is a quarterly default: add a board meeting instead")


def has_meetings(plan: Plan) -> bool:
    """Whether the coordinator has set any board meeting for the plan."""
    return bool(db.session.scalar(select(func.count()).select_from(ReportingRound).where(
        ReportingRound.plan_id == plan.id, ReportingRound.meeting_on.is_not(None))))


def add_meeting(plan: Plan, meeting: Meeting, actor: Actor) -> ReportingRound:
    """Add a board meeting's round to the plan; the first meeting replaces the quarterly defaults not yet closed."""
    name, deadline = _checked(plan, meeting)
    if not has_meetings(plan):
        drop_open_default_rounds(plan)
    round_ = ReportingRound(plan_id=plan.id, name=name, meeting_on=meeting.meeting_on, deadline=deadline,
                            is_default=False)
    db.session.add(round_)
    db.session.flush()
    record_change(actor, entity="round", entity_id=round_.id, field="meeting", before=None,
                  after=f"{name}: meeting {meeting.meeting_on.isoformat()}, deadline {deadline.isoformat()}")
    return round_


def change_meeting(round_: ReportingRound, meeting: Meeting, actor: Actor) -> list[str]:
    """Change an open round's meeting date, deadline and name; returns the fields that changed."""
    _open_round(round_)
    name, deadline = _checked(round_.plan, meeting, replacing=round_)
    changed = []
    for field, value in (("name", name), ("meeting_on", meeting.meeting_on), ("deadline", deadline)):
        if record_change(actor, entity="round", entity_id=round_.id, field=field, before=getattr(round_, field),
                         after=value):
            setattr(round_, field, value)
            changed.append(field)
    db.session.flush()
    return changed


def remove_meeting(round_: ReportingRound, actor: Actor) -> None:
    """Remove an open round (its updates then count for the next round)."""
    _open_round(round_)
    record_change(actor, entity="round", entity_id=round_.id, field="meeting", before=round_.name, after=None)
    db.session.delete(round_)
    db.session.flush()
