"""The board paper of a round, as plain data: each key priority's objectives with the update made in the round (or
none), RAG this round and last, the direction of travel, and the objectives with no update.

A closed round reads only its snapshots, so later edits never change what the board saw; an open round reads the
objectives as they stand. Last round is always the previous round's snapshot. The Word and PDF papers reuse this.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, selectinload

from scp_tracker.extensions import db
from scp_tracker.plans.models import RAGS, KeyPriority, Objective, ObjectiveLead
from scp_tracker.rounds.closing import snapshot_rows
from scp_tracker.rounds.models import ReportingRound, RoundSnapshot
from scp_tracker.rounds.windows import RoundWindow, window_for

# Worst first (red, amber, green): a RAG moving right in this order has improved.
RAG_ORDER = RAGS
DIRECTIONS = {"improved": "Improved", "no_change": "No change", "worse": "Worse", "new": "New"}


def direction_of_travel(previous: str | None, current: str | None, *, was_in_previous: bool) -> str | None:
    """improved, no_change, worse, or new (not in the last round, or no RAG then); None without a RAG now."""
    if current not in RAG_ORDER:
        return None
    if not was_in_previous or previous not in RAG_ORDER:
        return "new"
    before, after = RAG_ORDER.index(previous), RAG_ORDER.index(current)
    return "improved" if after > before else "worse" if after < before else "no_change"


@dataclass(frozen=True)
class PaperItem:
    """One objective in the paper: its update this round (None: no update received), RAG now and last round."""

    objective: Objective
    status: str
    rag: str | None
    previous_rag: str | None
    direction: str | None
    update_text: str | None
    update_at: datetime | None

    @property
    def is_missing(self) -> bool:
        """An open objective with no update in the round."""
        return self.status == "open" and self.update_text is None


@dataclass(frozen=True)
class PaperSection:
    """One key priority and its objectives."""

    key_priority: KeyPriority
    items: list[PaperItem]


@dataclass(frozen=True)
class BoardPaper:
    """A round's board paper: the summary at the top, the key priorities, and the missing list."""

    round: ReportingRound
    window: RoundWindow
    sections: list[PaperSection]
    by_rag: dict[str | None, int] = field(default_factory=dict)

    @property
    def is_closed(self) -> bool:
        """Whether the paper reads frozen snapshots."""
        return self.round.closed_at is not None

    @property
    def items(self) -> list[PaperItem]:
        """Every objective of the paper, key priority by key priority."""
        return [item for section in self.sections for item in section.items]

    @property
    def missing(self) -> list[PaperItem]:
        """The open objectives with no update received."""
        return [item for item in self.items if item.is_missing]

    @property
    def updated_count(self) -> int:
        """How many objectives were updated in the round."""
        return sum(1 for item in self.items if item.update_text is not None)


def round_rows(window: RoundWindow) -> list[dict]:
    """The round's rows: its snapshots when closed, else the objectives as they stand now."""
    if window.round.closed_at is None:
        return snapshot_rows(window)
    return [{"objective_id": s.objective_id, "status": s.status, "rag": s.rag, "progress_text": s.progress_text,
             "progress_at": s.progress_at, "updated_in_round": s.updated_in_round}
            for s in db.session.scalars(select(RoundSnapshot).where(RoundSnapshot.round_id == window.round.id))]


def board_paper(round_: ReportingRound) -> BoardPaper:
    """The board paper of one round, in a fixed number of queries."""
    window = window_for(round_)
    rows = {row["objective_id"]: row for row in round_rows(window)}
    previous = ({s.objective_id: s.rag for s in db.session.scalars(
        select(RoundSnapshot).where(RoundSnapshot.round_id == window.previous.id))}
        if window.previous is not None else {})
    objectives = db.session.scalars(
        select(Objective).join(Objective.key_priority).where(Objective.id.in_(rows))
        .options(contains_eager(Objective.key_priority),
                 selectinload(Objective.lead_links).joinedload(ObjectiveLead.agency))
        .order_by(KeyPriority.number, Objective.position, Objective.id)).all()
    sections: dict[int, PaperSection] = {}
    for objective in objectives:
        row = rows[objective.id]
        updated = row["updated_in_round"]
        item = PaperItem(
            objective, row["status"], row["rag"], previous.get(objective.id),
            direction_of_travel(previous.get(objective.id), row["rag"], was_in_previous=objective.id in previous),
            row["progress_text"] if updated else None, row["progress_at"] if updated else None)
        sections.setdefault(objective.key_priority_id, PaperSection(objective.key_priority, [])).items.append(item)
    paper = BoardPaper(round_, window, list(sections.values()))
    paper.by_rag.update(Counter(item.rag for item in paper.items))
    return paper
