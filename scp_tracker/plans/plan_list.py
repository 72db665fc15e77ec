"""Reading the plan list: one filtered, sorted page of objectives, and what its filters offer."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

from sqlalchemy import Select, bindparam, case, exists, func, select

from scp_tracker.core.rows import grouped_rows
from scp_tracker.extensions import db
from scp_tracker.people.models import Agency
from scp_tracker.plans.models import (
    RAGS,
    FundingLine,
    KeyPriority,
    KeyPriorityLead,
    Objective,
    ObjectiveLead,
    Plan,
)
from scp_tracker.plans.queries import (
    due_between,
    has_no_end_date,
    has_tbc_funding,
    has_tbc_lead,
    in_plan,
    no_update_since,
    overdue,
    priority_titles,
    serves,
)

PAGE_SIZE = 25

SORTS = {
    "priority": "Key priority",
    "end_date": "End date (soonest first)",
    "title": "Title (A to Z)",
    "last_update": "Last update (oldest first)",
    "rag": "RAG (red first)",
}


@dataclass(frozen=True)
class ObjectiveFilters:
    """What the plan list is narrowed to; None or False means "any"."""

    key_priority_id: int | None = None
    agency_id: int | None = None
    status: str | None = None
    rag: str | None = None  # red | amber | green | none
    police: str | None = None  # a number, "multiple", "all" or "none"
    pcc: str | None = None
    due_within_days: int | None = None
    overdue: bool = False
    tbc_funding: bool = False
    tbc_lead: bool = False
    no_end_date: bool = False
    no_update_days: int | None = None


# The plan list's records are named tuples: read-only, and built in a tenth of a frozen dataclass's time.
class ListedFundingLine(NamedTuple):
    """What the plan list shows of a funding line (what services.describe_funding reads)."""

    status: str
    amount_pence: int | None
    source: str | None
    pot: str | None
    text: str


class ListedKeyPriority(NamedTuple):
    """The key priority heading a group of the plan list, with its lead agencies' names."""

    id: int
    number: int
    title: str
    lead_agencies: tuple[str, ...]
    retired_on: date | None = None  # retired: heads its (cancelled) objectives, left out of the filter


class ListedObjective(NamedTuple):
    """One row of the plan list: plain values read by column, so a page costs no ORM loading."""

    id: int
    title: str
    status: str
    rag: str | None
    end_date: date | None
    end_date_status: str
    lead_status: str
    last_progress_at: datetime | None
    key_priority: ListedKeyPriority
    lead_agencies: tuple[str, ...]  # abbreviations, in the order written
    funding_lines: tuple[ListedFundingLine, ...]


@dataclass
class ObjectiveListPage:
    """One page of a filtered, sorted list of objectives."""

    objectives: list[ListedObjective]
    total: int
    page: int
    pages: int


# Each filter's condition, comparing with bind parameters (named after the filter, or `today`): a page's statements
# take the plan's condition and those of the filters set, and are built once for each such set (`_statements`).
_CONDITIONS = {
    "plan_id": KeyPriority.plan_id == bindparam("plan_id"),
    "key_priority_id": Objective.key_priority_id == bindparam("key_priority_id"),
    "agency_id": exists().where(ObjectiveLead.objective_id == Objective.id,
                                ObjectiveLead.agency_id == bindparam("agency_id")),
    "status": Objective.status == bindparam("status"),
    "rag": Objective.rag == bindparam("rag"),
    "rag_not_set": Objective.rag.is_(None),
    "police_ids": Objective.id.in_(bindparam("police_ids", expanding=True)),
    "pcc_ids": Objective.id.in_(bindparam("pcc_ids", expanding=True)),
    "due_by": due_between(bindparam("today"), bindparam("due_by")),
    "overdue": overdue(bindparam("today")),
    "tbc_funding": has_tbc_funding(),
    "tbc_lead": has_tbc_lead(),
    "no_end_date": has_no_end_date(),
    "no_update_since": no_update_since(bindparam("no_update_since")),
}


def filter_values(plan: Plan, filters: ObjectiveFilters, *, today: date, now: datetime) -> dict:
    """The conditions these filters need, by name (_CONDITIONS), with the values they compare with."""
    values: dict = {"plan_id": plan.id, "today": today}
    if filters.key_priority_id:
        values["key_priority_id"] = filters.key_priority_id
    if filters.agency_id:
        values["agency_id"] = filters.agency_id
    if filters.status:
        values["status"] = filters.status
    if filters.rag == "none":
        values["rag_not_set"] = True
    elif filters.rag:
        values["rag"] = filters.rag
    for list_name, wanted in (("police", filters.police), ("pcc", filters.pcc)):
        if wanted:
            values[f"{list_name}_ids"] = _serving(plan, list_name, wanted)
    if filters.due_within_days is not None:
        values["due_by"] = today + timedelta(days=filters.due_within_days)
    for name in ("overdue", "tbc_funding", "tbc_lead", "no_end_date"):
        if getattr(filters, name):
            values[name] = True
    if filters.no_update_days is not None:
        values["no_update_since"] = now - timedelta(days=filters.no_update_days)
    return values


def _serving(plan: Plan, list_name: str, wanted: str) -> list[int]:
    """Ids of the plan's objectives serving a police or PCC priority.

    The numbers are a JSON list, which SQLite and PostgreSQL search differently: read them (one
    query of three small columns) and match here.
    """
    scope = getattr(Objective, f"{list_name}_scope")
    numbers = getattr(Objective, f"{list_name}_numbers")
    rows = db.session.execute(
        select(Objective.id, scope, numbers).join(Objective.key_priority).where(in_plan(plan))
    ).all()
    return [row[0] for row in rows if serves(row[1], row[2], wanted)]


def _order(sort: str) -> list:
    """ORDER BY for a sort key; missing values last, except never-updated objectives first by last update."""
    in_plan_order = [KeyPriority.number, Objective.position, Objective.id]
    if sort == "end_date":
        return [Objective.end_date.is_(None), Objective.end_date, *in_plan_order]
    if sort == "title":
        return [func.lower(Objective.title), Objective.id]
    if sort == "last_update":
        return [Objective.last_progress_at.is_not(None), Objective.last_progress_at, *in_plan_order]
    if sort == "rag":
        return [case({rag: i for i, rag in enumerate(RAGS)}, value=Objective.rag, else_=len(RAGS)), *in_plan_order]
    return in_plan_order


# The plan list's statements are built once (the count and the page once for each set of filters, `_statements`),
# and read straight from the session's connection: building, keying and running an ORM statement for a few rows took
# four times as long (0.7 ms against 0.2 ms, on a page that has 5 ms for its own work).
_LISTED_COUNT = select(func.count(Objective.id)).join(Objective.key_priority)
_LISTED_OBJECTIVES = select(
    Objective.id, Objective.title, Objective.status, Objective.rag, Objective.end_date, Objective.end_date_status,
    Objective.lead_status, Objective.last_progress_at, Objective.key_priority_id,
).join(Objective.key_priority)
_LISTED_LEAD_AGENCIES = (
    select(ObjectiveLead.objective_id, Agency.abbreviation).join(Agency, Agency.id == ObjectiveLead.agency_id)
    .where(ObjectiveLead.objective_id.in_(bindparam("ids", expanding=True)))
    .order_by(ObjectiveLead.objective_id, ObjectiveLead.position)
)
_LISTED_FUNDING_LINES = (
    select(FundingLine.objective_id, FundingLine.status, FundingLine.amount_pence, FundingLine.source,
           FundingLine.pot, FundingLine.text)
    .where(FundingLine.objective_id.in_(bindparam("ids", expanding=True)))
    .order_by(FundingLine.objective_id, FundingLine.position)
)
# The plan's key priorities with their lead agencies' names, a row per lead (or one with no lead).
_KEY_PRIORITIES = (
    select(KeyPriority.id, KeyPriority.number, KeyPriority.title, KeyPriority.retired_on, Agency.name)
    .outerjoin(KeyPriorityLead, KeyPriorityLead.key_priority_id == KeyPriority.id)
    .outerjoin(Agency, Agency.id == KeyPriorityLead.agency_id)
    .where(KeyPriority.plan_id == bindparam("plan_id"))
    .order_by(KeyPriority.number, KeyPriority.id, KeyPriorityLead.position)
)
_AGENCY_CHOICES = select(Agency.id, Agency.abbreviation, Agency.name).order_by(func.lower(Agency.abbreviation))


@lru_cache(maxsize=256)
def _statements(conditions: tuple[str, ...], sort: str) -> tuple[Select, Select]:
    """The count and a page (`limit`, `offset`) of the objectives meeting these conditions, built once for each
    set of conditions and sort: keying a statement built anew on every page cost three times running it."""
    where = [_CONDITIONS[name] for name in conditions]
    return (_LISTED_COUNT.where(*where),
            _LISTED_OBJECTIVES.where(*where).order_by(*_order(sort)).limit(bindparam("limit"))
            .offset(bindparam("offset")))


def list_objectives(plan: Plan, filters: ObjectiveFilters, key_priorities: Sequence[ListedKeyPriority], *,
                    sort: str = "priority", page: int = 1, page_size: int = PAGE_SIZE, today: date,
                    now: datetime) -> ObjectiveListPage:
    """One page of the plan's objectives matching the filters, with their leads and funding, in four queries;
    `key_priorities` are the plan's (FilterChoices has them), which head its groups.

    Read by column into plain records, straight from the session's connection: loading 25 objectives and their
    links through the ORM cost more than drawing them.
    """
    values = filter_values(plan, filters, today=today, now=now)
    count, listed = _statements(tuple(name for name in _CONDITIONS if name in values), sort)
    connection = db.session.connection()
    total = connection.execute(count, values).scalar_one()
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    rows = connection.execute(listed, {**values, "limit": page_size, "offset": (page - 1) * page_size}).all()
    objective_ids = [row.id for row in rows]
    lead_agencies = grouped_rows(_LISTED_LEAD_AGENCIES, objective_ids)
    funding_lines = grouped_rows(_LISTED_FUNDING_LINES, objective_ids, ListedFundingLine)
    headings = {key_priority.id: key_priority for key_priority in key_priorities}  # the list groups by them
    objectives = [
        ListedObjective(
            id=row.id, title=row.title, status=row.status, rag=row.rag, end_date=row.end_date,
            end_date_status=row.end_date_status, lead_status=row.lead_status, last_progress_at=row.last_progress_at,
            key_priority=headings[row.key_priority_id],
            lead_agencies=lead_agencies.get(row.id, ()), funding_lines=funding_lines.get(row.id, ()),
        )
        for row in rows
    ]
    return ObjectiveListPage(objectives=objectives, total=total, page=page, pages=pages)


class AgencyChoice(NamedTuple):
    """An agency as the plan list's filter offers it."""

    id: int
    abbreviation: str
    name: str


class PriorityChoice(NamedTuple):
    """A police or PCC priority as the plan list's filter offers it."""

    number: int
    title: str


@dataclass(frozen=True)
class FilterChoices:
    """What the plan list's filters offer, as plain tuples; the key priorities, with their leads, also head the
    list's groups."""

    key_priorities: tuple[ListedKeyPriority, ...]
    agencies: tuple[AgencyChoice, ...]
    police: tuple[PriorityChoice, ...]
    pcc: tuple[PriorityChoice, ...]


def filter_choices(plan: Plan) -> FilterChoices:
    """The choices of the plan list's filters, in three queries of the columns the choices and headings show."""
    connection = db.session.connection()
    leads: dict[tuple[int, int, str, date | None], list[str]] = {}
    for kp_id, number, title, retired_on, lead in connection.execute(_KEY_PRIORITIES, {"plan_id": plan.id}):
        names = leads.setdefault((kp_id, number, title, retired_on), [])
        if lead is not None:
            names.append(lead)
    agencies = connection.execute(_AGENCY_CHOICES).all()
    titles = priority_titles(plan.id)
    return FilterChoices(
        key_priorities=tuple(ListedKeyPriority(kp_id, number, title, tuple(names), retired_on)
                             for (kp_id, number, title, retired_on), names in leads.items()),
        agencies=tuple(AgencyChoice(*row) for row in agencies),
        police=tuple(PriorityChoice(*item) for item in sorted(titles["police"].items())),
        pcc=tuple(PriorityChoice(*item) for item in sorted(titles["pcc"].items())),
    )
