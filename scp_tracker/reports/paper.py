"""The board paper as plain data: what it covers (a round, or the days since a date), a one-page summary, then each
key priority's objectives with RAG, latest progress and what changed. The page, the PDF and the Word file all read
this, so they say the same thing.

A round's paper reads its round (rounds.board_paper: the snapshots of a closed round, the objectives as they stand
for an open one) and compares with the round before; a paper "since a date" compares with the RAG each objective had
on that date, read back from the change history.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from scp_tracker.core.change_words import change_by
from scp_tracker.core.clock import LONDON
from scp_tracker.core.formatting import gov_date, rag_label
from scp_tracker.core.models import ChangeRecord
from scp_tracker.events.figures import HeldSince, held_since
from scp_tracker.extensions import db
from scp_tracker.indicators.board_paper import BoardRow, board_rows
from scp_tracker.plans.board_report_sections import board_report
from scp_tracker.plans.models import RAGS, KeyPriority, Objective, Plan, ProgressUpdate
from scp_tracker.reports.summary import Summary, summarise
from scp_tracker.rounds.board_paper import PaperItem, board_paper, direction_of_travel
from scp_tracker.rounds.models import ReportingRound, RoundSnapshot
from scp_tracker.rounds.windows import RoundWindow, has_stored_rounds, plan_windows

# Without rounds or a date, the paper covers the last three months.
DEFAULT_MONTHS = 3
FORMATS = ("html", "docx", "pdf")


class PaperError(ValueError):
    """The paper asked for cannot be made (an unknown round, a date in the future): said to the person as is."""


@dataclass(frozen=True)
class ChangeLine:
    """One thing that changed, in plain English, and when."""

    on: date
    words: str


@dataclass
class PaperObjective:
    """One objective in the paper."""

    objective: Objective
    status: str
    rag: str | None
    previous_rag: str | None
    direction: str | None
    latest: ProgressUpdate | None
    has_update: bool
    changes: list[ChangeLine] = field(default_factory=list)

    @property
    def is_missing(self) -> bool:
        """Open, and no update in the period."""
        return self.status == "open" and not self.has_update


@dataclass
class PaperSection:
    """One key priority: its objectives, and its indicators as the board sees them."""

    key_priority: KeyPriority
    objectives: list[PaperObjective]
    indicators: list[BoardRow] = field(default_factory=list)


@dataclass
class Paper:
    """The whole board paper."""

    plan: Plan
    today: date
    since: date
    window: RoundWindow | None
    summary: Summary
    sections: list[PaperSection]
    events: HeldSince

    @property
    def round(self) -> ReportingRound | None:
        """The round the paper is of, if any."""
        return self.window.round if self.window else None

    @property
    def compared_with(self) -> str:
        """What the RAG changes are measured against, in words."""
        if self.window is not None:
            return self.window.previous.name if self.window.previous else "the start of the plan"
        return gov_date(self.since)

    @property
    def objectives(self) -> list[PaperObjective]:
        """Every objective of the paper, key priority by key priority."""
        return [item for section in self.sections for item in section.objectives]


def plan_round(plan: Plan, wanted: str | int | None) -> ReportingRound | None:
    """The plan's round named (case aside) or numbered so; None when nothing was asked; PaperError when unknown."""
    if wanted in (None, ""):
        return None
    windows = plan_windows(plan) if has_stored_rounds(plan) else []
    for window in windows:
        if str(window.round.id) == str(wanted) or window.round.name.casefold() == str(wanted).strip().casefold():
            return window.round
    names = ", ".join(f"“{window.round.name}”" for window in windows) or "none yet"
    raise PaperError(f"The plan {plan.year} has no round “{wanted}”. Its rounds: {names}")


def current_window(plan: Plan, today: date) -> RoundWindow | None:
    """The round the board meets about next: the latest whose deadline has passed (its updates are in), else the
    one open now; None for a plan without stored rounds (plan_rounds would make the defaults: a page must not
    write)."""
    if not has_stored_rounds(plan):
        return None
    windows = plan_windows(plan)
    due = [window for window in windows if window.deadline < today]
    return due[-1] if due else next((window for window in windows if window.contains(today)), None)


def build_paper(plan: Plan, *, today: date, now: datetime, since: date | None = None,
                round_: ReportingRound | None = None) -> Paper:
    """The board paper of a round, or since a date, or (neither given) of the current round or the last three
    months; in a bounded number of queries whatever the plan's size."""
    if since is not None and since > today:
        raise PaperError(f"The date to compare with must be today or earlier (today is {gov_date(today)})")
    window = None
    if round_ is not None:
        window = next(w for w in plan_windows(plan) if w.round.id == round_.id)
    elif since is None:
        window = current_window(plan, today)
    if window is not None:
        since = window.opens_on
    elif since is None:
        since = today - relativedelta(months=DEFAULT_MONTHS)
    cutoff = _end_of(window.round.deadline) if window and window.round.closed_at else now
    then = _rag_then(plan, since, window)
    sections = _sections(plan, since, window, cutoff, then)
    # A round's paper shows the figures of periods ended by its deadline: what was known for its meeting.
    indicators = board_rows(plan.id, as_of=window.deadline if window is not None else None)
    for section in sections:
        section.indicators = indicators.get(section.key_priority.id, [])
    summary = summarise(plan, [(s.key_priority, [(o.status, o.rag) for o in s.objectives]) for s in sections],
                        then=then, today=today,
                        missing=[o for s in sections for o in s.objectives if o.is_missing])
    return Paper(plan, today, since, window, summary, sections, held_since(plan, since))


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)


def _end_of(day: date) -> datetime:
    return datetime.combine(day + relativedelta(days=1), time.min, tzinfo=LONDON)


def _sections(plan: Plan, since: date, window: RoundWindow | None, cutoff: datetime,
              then: dict[int, tuple[str, str | None]]) -> list[PaperSection]:
    """Each key priority's objectives with their RAG, latest progress and changes (board_report reads the plan and
    its history in a fixed number of queries; a round adds its own rows)."""
    rounds: dict[int, PaperItem] = {}
    if window is not None:
        rounds = {item.objective.id: item for item in board_paper(window.round).items}
    sections = []
    for section in board_report(plan, since=since):
        objectives = []
        for item in section.items:
            objective = item.objective
            latest = next((u for u in objective.progress_updates if u.recorded_at < cutoff), None)
            # Progress made in the period, the latest aside: that one has its own column.
            changes = [ChangeLine(u.recorded_at.astimezone(LONDON).date(),
                                  f"Progress from {u.author_name or 'someone not recorded'} (RAG {rag_label(u.rag)})")
                       for u in reversed(item.progress_since) if u.recorded_at < cutoff and u is not latest]
            changes += [ChangeLine(c.changed_at.astimezone(LONDON).date(), change_by(c))
                        for c in item.changes_since if c.changed_at < cutoff]
            changes.sort(key=lambda line: line.on)
            if window is not None:
                if objective.id not in rounds:
                    continue  # not in the round: added after it, or cancelled before it
                paper_item = rounds[objective.id]
                objectives.append(PaperObjective(objective, paper_item.status, paper_item.rag,
                                                 paper_item.previous_rag, paper_item.direction, latest,
                                                 paper_item.update_text is not None, changes))
            else:
                known = objective.id in then
                before = then.get(objective.id, (None, None))[1]
                objectives.append(PaperObjective(
                    objective, objective.status, objective.rag, before,
                    direction_of_travel(before, objective.rag, was_in_previous=known), latest,
                    bool(item.progress_since), changes))
        sections.append(PaperSection(section.key_priority, objectives))
    return sections


def _rag_then(plan: Plan, since: date, window: RoundWindow | None) -> dict[int, tuple[str, str | None]]:
    """objective id → (status, RAG) it had to compare with: the previous round's snapshot, or on the date (objectives
    added since are left out). Two queries."""
    if window is not None:
        if window.previous is None:
            return {}
        return {row.objective_id: (row.status, row.rag) for row in db.session.execute(
            select(RoundSnapshot.objective_id, RoundSnapshot.status, RoundSnapshot.rag)
            .where(RoundSnapshot.round_id == window.previous.id))}
    since_at = _start_of(since)
    rows = db.session.execute(
        select(Objective.id, Objective.status, Objective.rag).join(Objective.key_priority)
        .where(KeyPriority.plan_id == plan.id, Objective.created_at < since_at)).all()
    first_after: dict[tuple[int | None, str], str | None] = {}
    for objective_id, name, before in db.session.execute(
        select(ChangeRecord.objective_id, ChangeRecord.field, ChangeRecord.before)
        .join(Objective, ChangeRecord.objective_id == Objective.id).join(Objective.key_priority)
        .where(KeyPriority.plan_id == plan.id, ChangeRecord.entity == "objective",
               ChangeRecord.field.in_(("rag", "status")), ChangeRecord.changed_at >= since_at)
        .order_by(ChangeRecord.changed_at, ChangeRecord.id)
    ):
        first_after.setdefault((objective_id, name), before)
    return {objective_id: (first_after.get((objective_id, "status"), status) or "open",
                           _known_rag(first_after.get((objective_id, "rag"), rag)))
            for objective_id, status, rag in rows}


def _known_rag(value: str | None) -> str | None:
    """A RAG the paper can count; anything else recorded reads as not set."""
    return value if value in RAGS else None


def latest_round_names(plan: Plan) -> list[tuple[int, str]]:
    """(id, name) of the plan's stored rounds, for the page's choice of round."""
    return [(window.round.id, window.round.name) for window in plan_windows(plan)] if has_stored_rounds(plan) else []

