"""The dashboard's figures: open objectives by RAG, what needs attention, funding by pot, end dates by month."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import and_, case, extract, func, select

from scp_tracker.core.figures import kept_figures
from scp_tracker.extensions import db
from scp_tracker.plans.models import (
    RAGS,
    FundingLine,
    KeyPriority,
    Objective,
    Plan,
)
from scp_tracker.plans.queries import (
    DUE_SOON_DAYS,
    STALE_DAYS,
    due_within,
    has_tbc_funding,
    has_tbc_lead,
    in_plan,
    is_open,
    no_update_for,
    oldest_update_within,
    overdue,
)

RAG_COLUMNS = ("red", "amber", "green", "none")


@dataclass(frozen=True)
class KeyPriorityHeading:
    """What the dashboard shows of a key priority: plain values, so the figures can outlive the request."""

    id: int
    number: int
    title: str


@dataclass
class RagRow:
    """Open objectives of one key priority (or all) by RAG, and how many are complete."""

    key_priority: KeyPriorityHeading | None
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RAG_COLUMNS, 0))
    complete: int = 0

    @property
    def open(self) -> int:
        """Open objectives, whatever their RAG."""
        return sum(self.counts.values())

    @property
    def has_rag(self) -> bool:
        """Whether any open objective has a RAG: a chart of nothing but "Not set" says nothing worth a chart."""
        return any(self.counts[rag] for rag in RAGS)


@dataclass
class Dashboard:
    """The figures a coordinator takes into a board meeting."""

    rag_rows: list[RagRow]
    rag_total: RagRow
    attention: dict[str, int]
    funding_by_pot: list[tuple[str, int]]
    funding_total: int
    tbc_funding_lines: int
    timeline: list[tuple[date, int]]
    no_end_date: int
    # When the "no update for 42 days" count next grows by time passing alone (None: nothing left to go stale).
    stale_count_moves_at: datetime | None = None

    @property
    def charted_rows(self) -> list[RagRow]:
        """The key priorities whose RAG chart is drawn: those with an open objective that has a RAG."""
        return [row for row in self.rag_rows if row.has_rag]

    @property
    def uncharted(self) -> str:
        """The key priorities with no chart, for the one line said instead: "key priorities 1, 2 and 4"."""
        numbers = [str(row.key_priority.number) for row in self.rag_rows if not row.has_rag and row.key_priority]
        if len(numbers) < 2:
            return f"key priority {numbers[0]}" if numbers else ""
        return f"key priorities {', '.join(numbers[:-1])} and {numbers[-1]}"

    @property
    def largest_count(self) -> int:
        """The longest bar of the RAG chart (at least 1, so an empty plan draws empty bars)."""
        return max([1] + [n for row in self.rag_rows for n in row.counts.values()])

    @property
    def charts(self) -> list[tuple[RagRow, list[tuple[str, int, int]]]]:
        """Each charted key priority with its bars: (RAG, count, width in steps of 5 per cent of the longest)."""
        largest = self.largest_count
        return [(row, [(rag, count, round(count * 20 / largest) * 5) for rag, count in row.counts.items()])
                for row in self.charted_rows]


def dashboard(plan: Plan, *, today: date, now: datetime) -> Dashboard:
    """Counts by RAG, what needs attention, funding by pot and end dates by month, in five queries."""
    key_priorities = db.session.execute(
        select(KeyPriority.id, KeyPriority.number, KeyPriority.title)
        .where(KeyPriority.plan_id == plan.id).order_by(KeyPriority.number)
    ).all()
    rows = {kp_id: RagRow(KeyPriorityHeading(kp_id, number, title)) for kp_id, number, title in key_priorities}
    total = RagRow(None)
    for kp_id, status, rag, count in db.session.execute(
        select(Objective.key_priority_id, Objective.status, Objective.rag, func.count(Objective.id))
        .join(Objective.key_priority).where(in_plan(plan))
        .group_by(Objective.key_priority_id, Objective.status, Objective.rag)
    ):
        for row in (rows[kp_id], total):
            if status == "complete":
                row.complete += count
            elif status == "open":
                row.counts[rag if rag in RAGS else "none"] += count

    attention_conditions = {
        "due_soon": due_within(today, DUE_SOON_DAYS),
        "overdue": overdue(today),
        "stale": no_update_for(now, STALE_DAYS),
        "tbc_funding": and_(is_open(), has_tbc_funding()),
        "tbc_lead": and_(is_open(), has_tbc_lead()),
    }
    *figures, next_to_go_stale = db.session.execute(
        select(*(func.coalesce(func.sum(case((condition, 1), else_=0)), 0).label(name)
                 for name, condition in attention_conditions.items()),
               oldest_update_within(now, STALE_DAYS))
        .select_from(Objective).join(Objective.key_priority).where(in_plan(plan))
    ).one()
    attention = dict(zip(attention_conditions, figures, strict=True))

    by_pot: dict[str, int] = defaultdict(int)
    tbc_lines = 0
    for status, pot, amount, count in db.session.execute(
        select(FundingLine.status, FundingLine.pot, func.sum(FundingLine.amount_pence), func.count(FundingLine.id))
        .join(FundingLine.objective).join(Objective.key_priority)
        .where(in_plan(plan), Objective.status != "cancelled")
        .group_by(FundingLine.status, FundingLine.pot)
    ):
        if status == "confirmed":
            by_pot[pot or "Pot not recorded"] += amount or 0
        elif status == "tbc":
            tbc_lines += count

    year, month = extract("year", Objective.end_date), extract("month", Objective.end_date)
    timeline = []
    no_end_date = 0
    for end_year, end_month, count in db.session.execute(
        select(year, month, func.count(Objective.id)).join(Objective.key_priority)
        .where(in_plan(plan), is_open(), Objective.end_date_status != "ongoing")  # ongoing: no end date to miss
        .group_by(year, month).order_by(year, month)
    ):
        if end_year is None:
            no_end_date += count
        else:
            timeline.append((date(int(end_year), int(end_month), 1), count))

    return Dashboard(
        rag_rows=list(rows.values()), rag_total=total, attention=attention,
        funding_by_pot=sorted(by_pot.items(), key=lambda item: item[0].lower()),
        funding_total=sum(by_pot.values()), tbc_funding_lines=tbc_lines,
        timeline=timeline, no_end_date=no_end_date,
        stale_count_moves_at=next_to_go_stale + timedelta(days=STALE_DAYS) if next_to_go_stale else None,
    )


def kept_dashboard(plan: Plan, *, today: date, now: datetime) -> Dashboard:
    """The dashboard's figures, worked out again only when the data version or the day moves, or time moves them."""
    def work_out() -> tuple[Dashboard, datetime | None]:
        figures = dashboard(plan, today=today, now=now)
        return figures, figures.stale_count_moves_at

    return kept_figures("plan dashboard", (plan.id, today), work_out, now=now)
