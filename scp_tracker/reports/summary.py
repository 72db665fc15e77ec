"""The board paper's first page: per key priority the RAG counts and their change, overdue objectives, objectives with
no update, funding by pot (confirmed and TBC)."""

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from scp_tracker.extensions import db
from scp_tracker.plans.models import FundingLine, KeyPriority, Objective, Plan

# The columns of the summary's RAG table, worst first; None is "Not set".
RAG_COLUMNS = ("red", "amber", "green", None)
NO_POT = "Pot not recorded"


@dataclass(frozen=True)
class RagCount:
    """How many open objectives have one RAG now, and how that differs from the comparison."""

    rag: str | None
    now: int
    change: int

    @property
    def change_words(self) -> str:
        """"up 2", "down 1", "no change"."""
        if self.change == 0:
            return "no change"
        return f"{'up' if self.change > 0 else 'down'} {abs(self.change)}"


@dataclass(frozen=True)
class KeyPriorityCounts:
    """One row of the summary's RAG table."""

    key_priority: KeyPriority
    counts: list[RagCount]
    complete: int

    @property
    def open(self) -> int:
        """Open objectives in the key priority."""
        return sum(count.now for count in self.counts)


@dataclass(frozen=True)
class PotFunding:
    """One funding pot: confirmed pence, and the TBC lines with what amount they name (often none)."""

    pot: str
    confirmed: int
    tbc: int
    tbc_lines: int


@dataclass(frozen=True)
class Summary:
    """The figures of the first page."""

    rag_rows: list[KeyPriorityCounts]
    overdue: list[Objective]
    missing: list  # PaperObjective: open and no update in the period
    funding: list[PotFunding]

    @property
    def totals(self) -> list[RagCount]:
        """The RAG table's total row."""
        return [RagCount(rag, sum(row.counts[i].now for row in self.rag_rows),
                         sum(row.counts[i].change for row in self.rag_rows)) for i, rag in enumerate(RAG_COLUMNS)]

    @property
    def confirmed_total(self) -> int:
        """Confirmed funding, all pots."""
        return sum(pot.confirmed for pot in self.funding)


def summarise(plan: Plan, sections: Sequence[tuple[KeyPriority, list[tuple[str, str | None]]]], *,
              then: dict[int, tuple[str, str | None]], today: date, missing: list) -> Summary:
    """The summary from the paper's rows ((status, RAG) of each objective by key priority) and what they are compared
    with (objective id → (status, RAG)); two queries (the comparison's key priorities, the funding)."""
    then_by_kp: dict[int, Counter] = defaultdict(Counter)
    if then:
        for objective_id, key_priority_id in db.session.execute(
                select(Objective.id, Objective.key_priority_id).where(Objective.id.in_(then))):
            status, rag = then[objective_id]
            if status == "open":
                then_by_kp[key_priority_id][rag] += 1
    rows = []
    overdue = []
    for key_priority, objectives in sections:
        now = Counter(rag for status, rag in objectives if status == "open")
        before = then_by_kp[key_priority.id]
        rows.append(KeyPriorityCounts(key_priority, [RagCount(rag, now[rag], now[rag] - before[rag])
                                                     for rag in RAG_COLUMNS],
                                      sum(1 for status, _ in objectives if status == "complete")))
    for key_priority, _ in sections:
        overdue += [objective for objective in key_priority.objectives
                    if objective.status == "open" and objective.end_date and objective.end_date < today]
    return Summary(rows, overdue, missing, _funding(plan))


def _funding(plan: Plan) -> list[PotFunding]:
    """Confirmed and TBC funding by pot, objectives not cancelled (one query)."""
    pots: dict[str, dict[str, int]] = defaultdict(lambda: {"confirmed": 0, "tbc": 0, "tbc_lines": 0})
    for status, pot, amount, count in db.session.execute(
        select(FundingLine.status, FundingLine.pot, func.sum(FundingLine.amount_pence), func.count(FundingLine.id))
        .join(FundingLine.objective).join(Objective.key_priority)
        .where(KeyPriority.plan_id == plan.id, Objective.status != "cancelled",
               FundingLine.status.in_(("confirmed", "tbc")))
        .group_by(FundingLine.status, FundingLine.pot)
    ):
        figures = pots[pot or NO_POT]
        figures[status] += amount or 0
        if status == "tbc":
            figures["tbc_lines"] += count
    return [PotFunding(pot, **figures) for pot, figures in sorted(pots.items(), key=lambda item: item[0].lower())]
