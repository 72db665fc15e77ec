"""Read queries of the plan tracker: lists with filters, one objective, dashboard figures, board report, chasing.

Each function issues a fixed number of queries whatever the number of objectives (eager loads, grouped counts).
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from sqlalchemy import ColumnElement, Row, and_, bindparam, case, exists, extract, func, or_, select
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from scp_tracker.core.clock import LONDON
from scp_tracker.core.figures import kept_figures
from scp_tracker.core.models import ChangeRecord
from scp_tracker.extensions import db
from scp_tracker.people.models import Agency, Contact
from scp_tracker.plans.leads import Remindable
from scp_tracker.plans.models import (
    RAGS,
    Chase,
    FundingLine,
    KeyPriority,
    KeyPriorityLead,
    Objective,
    ObjectiveContact,
    ObjectiveLead,
    Plan,
    PriorityListItem,
    ProgressUpdate,
)

# The reminders' defaults (DESIGN.md): what "due soon" and "no update" mean on the dashboard and chasing list.
DUE_SOON_DAYS = 28
STALE_DAYS = 42
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
class ObjectivePage:
    """One page of a filtered, sorted list of objectives."""

    objectives: list[ListedObjective]
    total: int
    page: int
    pages: int


# Conditions shared by the list filters, the dashboard figures and the chasing list, so their counts agree.

def is_open():
    """Neither complete nor cancelled."""
    return Objective.status == "open"


def due_within(today: date, days: int):
    """Open, with an end date from today to `days` ahead."""
    return and_(is_open(), Objective.end_date >= today, Objective.end_date <= today + timedelta(days=days))


def overdue(today: date):
    """Open, with an end date already passed."""
    return and_(is_open(), Objective.end_date < today)


def last_update():
    """When an objective was last updated; one never updated counts from when it was added."""
    return func.coalesce(Objective.last_progress_at, Objective.created_at)


def no_update_for(now: datetime, days: int):
    """Open, and no progress for `days` days."""
    return and_(is_open(), last_update() < now - timedelta(days=days))


def oldest_update_within(now: datetime, days: int):
    """The oldest last update of the open objectives updated within `days` days: when it is `days` old, the
    "no update for `days` days" count grows by time passing alone."""
    last = last_update()
    return func.min(case((and_(is_open(), last >= now - timedelta(days=days)), last)))


def has_tbc_funding():
    """A funding line is still to be confirmed."""
    return exists().where(FundingLine.objective_id == Objective.id, FundingLine.status == "tbc")


def has_tbc_lead():
    """Nobody has taken it on: the lead is TBC or not recorded."""
    return Objective.lead_status.in_(("tbc", "missing"))


def has_no_end_date():
    """No end date yet (TBC or not recorded)."""
    return Objective.end_date.is_(None)


def in_plan(plan: Plan):
    """The objective belongs to this plan (the query must join KeyPriority)."""
    return KeyPriority.plan_id == plan.id


def filter_conditions(plan: Plan, filters: ObjectiveFilters, *, today: date, now: datetime) -> list:
    """The WHERE conditions for these filters."""
    conditions = [in_plan(plan)]
    if filters.key_priority_id:
        conditions.append(Objective.key_priority_id == filters.key_priority_id)
    if filters.agency_id:
        conditions.append(exists().where(ObjectiveLead.objective_id == Objective.id,
                                         ObjectiveLead.agency_id == filters.agency_id))
    if filters.status:
        conditions.append(Objective.status == filters.status)
    if filters.rag == "none":
        conditions.append(Objective.rag.is_(None))
    elif filters.rag:
        conditions.append(Objective.rag == filters.rag)
    for list_name, wanted in (("police", filters.police), ("pcc", filters.pcc)):
        if wanted:
            conditions.append(Objective.id.in_(_serving(plan, list_name, wanted)))
    if filters.due_within_days is not None:
        conditions.append(due_within(today, filters.due_within_days))
    if filters.overdue:
        conditions.append(overdue(today))
    if filters.tbc_funding:
        conditions.append(has_tbc_funding())
    if filters.tbc_lead:
        conditions.append(has_tbc_lead())
    if filters.no_end_date:
        conditions.append(has_no_end_date())
    if filters.no_update_days is not None:
        conditions.append(no_update_for(now, filters.no_update_days))
    return conditions


def serves(scope: str, numbers: list, wanted: str) -> bool:
    """Whether an objective's police or PCC priorities match a filter value.

    A number matches objectives that list it and those marked "all"; "multiple", "all" and "none"
    match that scope only (the plan does not say which priorities "Multiple" means).
    """
    if wanted.isdigit():
        return scope == "all" or (scope == "listed" and int(wanted) in (numbers or []))
    return scope == wanted


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


# The plan list's statements are built once (the count and the page take the filters' conditions on top), and
# read straight from the session's connection: building, keying and running an ORM statement for a few rows took
# four times as long (0.7 ms against 0.2 ms, on a page that has 5 ms for its own work).
_LISTED_COUNT = select(func.count(Objective.id)).join(Objective.key_priority)
_LISTED_OBJECTIVES = select(
    Objective.id, Objective.title, Objective.status, Objective.rag, Objective.end_date, Objective.end_date_status,
    Objective.lead_status, Objective.last_progress_at, Objective.key_priority_id,
    KeyPriority.number.label("key_priority_number"), KeyPriority.title.label("key_priority_title"),
).join(Objective.key_priority)
_LISTED_KEY_PRIORITY_LEADS = (
    select(KeyPriorityLead.key_priority_id, Agency.name).join(Agency, Agency.id == KeyPriorityLead.agency_id)
    .where(KeyPriorityLead.key_priority_id.in_(bindparam("ids", expanding=True)))
    .order_by(KeyPriorityLead.key_priority_id, KeyPriorityLead.position)
)
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
_KEY_PRIORITY_CHOICES = (
    select(KeyPriority.id, KeyPriority.number, KeyPriority.title)
    .where(KeyPriority.plan_id == bindparam("plan_id")).order_by(KeyPriority.number)
)
_AGENCY_CHOICES = select(Agency.id, Agency.abbreviation, Agency.name).order_by(func.lower(Agency.abbreviation))


def list_objectives(plan: Plan, filters: ObjectiveFilters, *, sort: str = "priority", page: int = 1,
                    page_size: int = PAGE_SIZE, today: date, now: datetime) -> ObjectivePage:
    """One page of the plan's objectives matching the filters, with their leads and funding, in five queries.

    Read by column into plain records, straight from the session's connection: loading 25 objectives and their
    links through the ORM cost more than drawing them.
    """
    conditions = filter_conditions(plan, filters, today=today, now=now)
    connection = db.session.connection()
    total = connection.execute(_LISTED_COUNT.where(*conditions)).scalar_one()
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    rows = connection.execute(
        _LISTED_OBJECTIVES.where(*conditions).order_by(*_order(sort)).limit(page_size).offset((page - 1) * page_size)
    ).all()
    objective_ids = [row.id for row in rows]
    key_priority_leads = _grouped(_LISTED_KEY_PRIORITY_LEADS, {row.key_priority_id for row in rows})
    lead_agencies = _grouped(_LISTED_LEAD_AGENCIES, objective_ids)
    funding_lines = _grouped(_LISTED_FUNDING_LINES, objective_ids, ListedFundingLine)
    key_priorities = {  # one record per key priority: the list groups its objectives by it
        row.key_priority_id: ListedKeyPriority(row.key_priority_id, row.key_priority_number, row.key_priority_title,
                                               key_priority_leads.get(row.key_priority_id, ()))
        for row in rows
    }
    objectives = [
        ListedObjective(
            id=row.id, title=row.title, status=row.status, rag=row.rag, end_date=row.end_date,
            end_date_status=row.end_date_status, lead_status=row.lead_status, last_progress_at=row.last_progress_at,
            key_priority=key_priorities[row.key_priority_id],
            lead_agencies=lead_agencies.get(row.id, ()), funding_lines=funding_lines.get(row.id, ()),
        )
        for row in rows
    ]
    return ObjectivePage(objectives=objectives, total=total, page=page, pages=pages)


def _grouped(statement, ids, record=None) -> dict[int, tuple]:
    """The statement's rows of (owner id, values…) for these owners, by owner: each row's one value, or a record."""
    grouped = defaultdict(list)
    for owner_id, *values in db.session.connection().execute(statement, {"ids": list(ids)}).all():
        grouped[owner_id].append(record(*values) if record else values[0])
    return {owner_id: tuple(items) for owner_id, items in grouped.items()}


class KeyPriorityChoice(NamedTuple):
    """A key priority as the plan list's filter offers it."""

    id: int
    number: int
    title: str


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
    """What the plan list's filters offer, as plain tuples: the same choices compare equal, cheaply, so the drawn
    filters can be kept on them."""

    key_priorities: tuple[KeyPriorityChoice, ...]
    agencies: tuple[AgencyChoice, ...]
    police: tuple[PriorityChoice, ...]
    pcc: tuple[PriorityChoice, ...]


def filter_choices(plan: Plan) -> FilterChoices:
    """The choices of the plan list's filters, in three queries of the columns the choices show."""
    connection = db.session.connection()
    key_priorities = connection.execute(_KEY_PRIORITY_CHOICES, {"plan_id": plan.id}).all()
    agencies = connection.execute(_AGENCY_CHOICES).all()
    titles = priority_titles(plan.id)
    return FilterChoices(
        key_priorities=tuple(KeyPriorityChoice(*row) for row in key_priorities),
        agencies=tuple(AgencyChoice(*row) for row in agencies),
        police=tuple(PriorityChoice(*item) for item in sorted(titles["police"].items())),
        pcc=tuple(PriorityChoice(*item) for item in sorted(titles["pcc"].items())),
    )


def priority_items(plan: Plan) -> dict[str, list[PriorityListItem]]:
    """The plan's police and PCC priority lists, in number order."""
    items = db.session.scalars(
        select(PriorityListItem).where(PriorityListItem.plan_id == plan.id)
        .order_by(PriorityListItem.list_name, PriorityListItem.number)
    ).all()
    lists: dict[str, list[PriorityListItem]] = {"police": [], "pcc": []}
    for item in items:
        lists.setdefault(item.list_name, []).append(item)
    return lists


def get_objective(objective_id: int) -> Objective | None:
    """One objective to edit or add progress to, with its leads, contacts, funding, progress and plan, in five queries.

    What it belongs to (key priority, plan, the objective it was carried from) is one row each: joined.
    """
    return db.session.scalar(
        select(Objective).where(Objective.id == objective_id).options(
            joinedload(Objective.key_priority).joinedload(KeyPriority.plan),
            selectinload(Objective.lead_links).joinedload(ObjectiveLead.agency),
            selectinload(Objective.contact_links).joinedload(ObjectiveContact.contact).joinedload(Contact.agency),
            selectinload(Objective.funding_lines),
            selectinload(Objective.progress_updates),
            joinedload(Objective.carried_from).joinedload(Objective.key_priority).joinedload(KeyPriority.plan),
        )
    )


@dataclass(frozen=True)
class ObjectiveDetails:
    """What an objective's page shows, read as plain rows: the page changes nothing, so it needs no ORM objects.

    `lead_links` and `contact_links` keep the names Objective has, so the permission rules read either.
    """

    id: int
    title: str
    text: str
    status: str
    rag: str | None
    end_date: date | None
    end_date_text: str
    end_date_status: str
    lead_status: str
    lead_text: str
    police_scope: str
    police_numbers: list
    police_text: str
    pcc_scope: str
    pcc_numbers: list
    pcc_text: str
    last_progress_at: datetime | None
    key_priority_id: int
    key_priority_number: int
    key_priority_title: str
    plan_id: int
    plan_year: str
    carried_from_id: int | None
    carried_from_title: str | None
    carried_from_plan_year: str | None
    lead_links: Sequence[Row]  # lead agencies in the order written: agency_id, name, abbreviation
    contact_links: Sequence[Row]  # named lead contacts: contact_id, name, email, agency_abbreviation
    funding_lines: Sequence[Row]  # FundingLine's names, as describe_funding reads them
    progress_updates: Sequence[Row]  # newest first

    @property
    def lead_abbreviations(self) -> str:
        """The lead agencies as the plan writes them ("EP / ECC"), to tell whether the lead was written otherwise."""
        return " / ".join(link.abbreviation for link in self.lead_links)


# The objective page's statements are built once: building and keying a statement costs more than running it.
_CARRIED_FROM = aliased(Objective)
_CARRIED_FROM_KEY_PRIORITY = aliased(KeyPriority)
_CARRIED_FROM_PLAN = aliased(Plan)
_OBJECTIVE_DETAILS = (
    select(
        Objective.id, Objective.title, Objective.text, Objective.status, Objective.rag, Objective.end_date,
        Objective.end_date_text, Objective.end_date_status, Objective.lead_status, Objective.lead_text,
        Objective.police_scope, Objective.police_numbers, Objective.police_text,
        Objective.pcc_scope, Objective.pcc_numbers, Objective.pcc_text, Objective.last_progress_at,
        Objective.key_priority_id, KeyPriority.number.label("key_priority_number"),
        KeyPriority.title.label("key_priority_title"), Plan.id.label("plan_id"), Plan.year.label("plan_year"),
        Objective.carried_from_id, _CARRIED_FROM.title.label("carried_from_title"),
        _CARRIED_FROM_PLAN.year.label("carried_from_plan_year"),
    )
    .join(KeyPriority, KeyPriority.id == Objective.key_priority_id).join(Plan, Plan.id == KeyPriority.plan_id)
    .outerjoin(_CARRIED_FROM, _CARRIED_FROM.id == Objective.carried_from_id)
    .outerjoin(_CARRIED_FROM_KEY_PRIORITY, _CARRIED_FROM_KEY_PRIORITY.id == _CARRIED_FROM.key_priority_id)
    .outerjoin(_CARRIED_FROM_PLAN, _CARRIED_FROM_PLAN.id == _CARRIED_FROM_KEY_PRIORITY.plan_id)
    .where(Objective.id == bindparam("objective_id"))
)
_LEAD_AGENCIES = (
    select(ObjectiveLead.agency_id, Agency.name, Agency.abbreviation)
    .join(Agency, Agency.id == ObjectiveLead.agency_id)
    .where(ObjectiveLead.objective_id == bindparam("objective_id")).order_by(ObjectiveLead.position)
)
_NAMED_LEADS = (
    select(ObjectiveContact.contact_id, Contact.name, Contact.email, Agency.abbreviation.label("agency_abbreviation"))
    .join(Contact, Contact.id == ObjectiveContact.contact_id).join(Agency, Agency.id == Contact.agency_id)
    .where(ObjectiveContact.objective_id == bindparam("objective_id")).order_by(Contact.id)
)
_FUNDING_LINES = (
    select(FundingLine.amount_pence, FundingLine.source, FundingLine.pot, FundingLine.status, FundingLine.text)
    .where(FundingLine.objective_id == bindparam("objective_id")).order_by(FundingLine.position)
)
_PROGRESS_UPDATES = (
    select(ProgressUpdate.recorded_at, ProgressUpdate.author_name, ProgressUpdate.source, ProgressUpdate.rag,
           ProgressUpdate.text, ProgressUpdate.marked_complete, ProgressUpdate.requested_end_date,
           ProgressUpdate.end_date_request_status, ProgressUpdate.lead_request_status)
    .where(ProgressUpdate.objective_id == bindparam("objective_id"))
    .order_by(ProgressUpdate.recorded_at.desc(), ProgressUpdate.id.desc())
)
_PRIORITY_TITLES = (
    select(PriorityListItem.list_name, PriorityListItem.number, PriorityListItem.title)
    .where(PriorityListItem.plan_id == bindparam("plan_id"))
)


def objective_details(objective_id: int) -> ObjectiveDetails | None:
    """Everything an objective's page shows about it, in five queries of plain rows; None if there is no such objective.

    Read straight from the session's connection: the ORM's work for each query cost ten times the SQL.
    """
    connection = db.session.connection()
    params = {"objective_id": objective_id}
    row = connection.execute(_OBJECTIVE_DETAILS, params).one_or_none()
    if row is None:
        return None
    return ObjectiveDetails(
        **row._mapping,
        lead_links=connection.execute(_LEAD_AGENCIES, params).all(),
        contact_links=connection.execute(_NAMED_LEADS, params).all(),
        funding_lines=connection.execute(_FUNDING_LINES, params).all(),
        progress_updates=connection.execute(_PROGRESS_UPDATES, params).all(),
    )


def priority_titles(plan_id: int) -> dict[str, dict[int, str]]:
    """The titles of the plan's police and PCC priorities by number, to name those an objective serves."""
    titles: dict[str, dict[int, str]] = {"police": {}, "pcc": {}}
    for list_name, number, title in db.session.connection().execute(_PRIORITY_TITLES, {"plan_id": plan_id}):
        titles.setdefault(list_name, {})[number] = title
    return titles


def edit_choices(objective: Objective) -> dict:
    """What the edit page offers: active agencies and contacts (and any already leading), and the priority lists."""
    agency_ids = [link.agency_id for link in objective.lead_links]
    contact_ids = [link.contact_id for link in objective.contact_links]
    agencies = db.session.scalars(
        select(Agency).where(or_(Agency.is_active, Agency.id.in_(agency_ids))).order_by(func.lower(Agency.abbreviation))
    ).all()
    contacts = db.session.scalars(
        select(Contact).join(Contact.agency).where(or_(Contact.is_active, Contact.id.in_(contact_ids)))
        .options(contains_eager(Contact.agency)).order_by(func.lower(Agency.abbreviation), func.lower(Contact.name))
    ).all()
    lists = priority_items(objective.key_priority.plan)
    return {"agencies": agencies, "contacts": contacts, "police": lists["police"], "pcc": lists["pcc"]}


_CHANGE_HISTORY = (
    select(ChangeRecord.changed_at, ChangeRecord.actor_name, ChangeRecord.source, ChangeRecord.entity,
           ChangeRecord.field, ChangeRecord.before, ChangeRecord.after)
    .where(ChangeRecord.objective_id == bindparam("objective_id"))
    .order_by(ChangeRecord.changed_at.desc(), ChangeRecord.id.desc())
)


def change_history(objective_id: int) -> Sequence[Row]:
    """Every recorded change of an objective, its funding and its leads, newest first, as plain rows to show."""
    return db.session.connection().execute(_CHANGE_HISTORY, {"objective_id": objective_id}).all()


@dataclass
class PriorityUse:
    """A police or PCC priority and how many of the plan's objectives serve it."""

    number: int | None
    title: str
    value: str  # the plan list's filter value
    objectives: int


def priority_lists(plan: Plan) -> dict[str, list[PriorityUse]]:
    """The plan's police and PCC priorities, each with the number of objectives serving it."""
    rows = db.session.execute(
        select(Objective.police_scope, Objective.police_numbers, Objective.pcc_scope, Objective.pcc_numbers)
        .join(Objective.key_priority).where(in_plan(plan))
    ).all()
    result = {}
    for list_name, items in priority_items(plan).items():
        index = 0 if list_name == "police" else 2
        uses = [(row[index], row[index + 1]) for row in rows]
        entries: list[tuple[int | None, str, str]] = [(item.number, item.title, str(item.number)) for item in items]
        entries += [(None, "Multiple (not said which)", "multiple"), (None, "All", "all"), (None, "None", "none")]
        result[list_name] = [
            PriorityUse(number, title, value, sum(serves(scope, numbers, value) for scope, numbers in uses))
            for number, title, value in entries
        ]
    return result


@dataclass
class PlanYear:
    """A plan year with its objective counts."""

    plan: Plan
    objectives: int
    open: int


def plan_years() -> list[PlanYear]:
    """Every plan, newest first, with how many objectives it has and how many are open."""
    plans = db.session.scalars(select(Plan).order_by(Plan.year.desc())).all()
    counts = {
        plan_id: (total, open_count) for plan_id, total, open_count in db.session.execute(
            select(KeyPriority.plan_id, func.count(Objective.id),
                   func.coalesce(func.sum(case((is_open(), 1), else_=0)), 0))
            .join(Objective.key_priority).group_by(KeyPriority.plan_id)
        )
    }
    return [PlanYear(plan, *counts.get(plan.id, (0, 0))) for plan in plans]


def open_objectives(plan: Plan) -> list[Objective]:
    """The plan's open objectives in plan order, with their key priority (to choose what to carry forward)."""
    return list(db.session.scalars(
        select(Objective).join(Objective.key_priority).where(in_plan(plan), is_open())
        .options(contains_eager(Objective.key_priority))
        .order_by(KeyPriority.number, Objective.position, Objective.id)
    ))


# Dashboard

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
    def largest_count(self) -> int:
        """The longest bar of the RAG chart (at least 1, so an empty plan draws empty bars)."""
        return max([1] + [n for row in self.rag_rows for n in row.counts.values()])


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
        .where(in_plan(plan), is_open()).group_by(year, month).order_by(year, month)
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


# Board report

@dataclass
class ReportItem:
    """One objective in the board report with what changed since the chosen date."""

    objective: Objective
    progress_since: list
    changes_since: list[ChangeRecord]


@dataclass
class ReportSection:
    """One key priority of the board report."""

    key_priority: KeyPriority
    items: list[ReportItem]


def _start_of_day(day: date) -> datetime:
    """Midnight at the start of a day in London, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=LONDON)


def board_report(plan: Plan, *, since: date) -> list[ReportSection]:
    """The plan by key priority, each objective with its progress and changes since a date, in six queries."""
    since_at = _start_of_day(since)
    key_priorities = db.session.scalars(
        select(KeyPriority).where(KeyPriority.plan_id == plan.id).order_by(KeyPriority.number)
        .options(
            selectinload(KeyPriority.lead_links).joinedload(KeyPriorityLead.agency),
            selectinload(KeyPriority.objectives).options(
                selectinload(Objective.lead_links).joinedload(ObjectiveLead.agency),
                selectinload(Objective.progress_updates),
            ),
        )
    ).all()
    changes: dict[int, list[ChangeRecord]] = defaultdict(list)
    for record in db.session.scalars(
        select(ChangeRecord).join(Objective, ChangeRecord.objective_id == Objective.id)
        .join(Objective.key_priority).where(in_plan(plan), ChangeRecord.changed_at >= since_at)
        .order_by(ChangeRecord.changed_at, ChangeRecord.id)
    ):
        assert record.objective_id is not None  # joined to its objective
        changes[record.objective_id].append(record)
    return [
        ReportSection(kp, [
            ReportItem(
                objective,
                [update for update in objective.progress_updates if update.recorded_at >= since_at],
                changes[objective.id],
            )
            for objective in kp.objectives
        ])
        for kp in key_priorities
    ]


# Chasing

@dataclass
class ChaseItem:
    """An objective that needs an update: why, who leads it, and when it was last chased."""

    objective: Objective
    reasons: list[str]
    recipients: list[Contact]
    last_chased_at: datetime | None

    @property
    def updated_since_chase(self) -> bool:
        """Whether the lead wrote progress after the last request for an update."""
        last = self.objective.last_progress_at
        return bool(self.last_chased_at and last and last > self.last_chased_at)


def lead_recipients(objective: Objective) -> list[Contact]:
    """Who is asked for updates, as reminders ask them (plans.leads): the contacts named on the objective who
    receive reminders, else its lead agencies' contacts who do; by name."""
    candidates = {contact.id: contact
                  for contact in (*objective.lead_contacts, *(c for a in objective.lead_agencies for c in a.contacts))
                  if contact.is_active and contact.receives_reminders and contact.email}
    remindable = Remindable((contact.id, contact.agency_id) for contact in candidates.values())
    asked = remindable.leads([contact.id for contact in objective.lead_contacts],
                             [agency.id for agency in objective.lead_agencies])
    return sorted((candidates[contact_id] for contact_id in asked), key=lambda contact: contact.name.lower())


def chase_reasons(*, today: date, now: datetime) -> dict[str, tuple[str, ColumnElement[bool]]]:
    """The reasons to chase an objective, each with its words and its SQL condition (the list filters' own)."""
    return {
        "stale": (f"No update for {STALE_DAYS} days", no_update_for(now, STALE_DAYS)),
        "overdue": ("Overdue", overdue(today)),
        "tbc_funding": ("Funding TBC", has_tbc_funding()),
        "tbc_lead": ("Lead TBC", has_tbc_lead()),
        "no_end_date": ("No end date", has_no_end_date()),
    }


def chasing_list(plan: Plan, *, today: date, now: datetime) -> list[ChaseItem]:
    """The plan's open objectives that need an update, with leads and last request, in a fixed number of queries."""
    reasons = chase_reasons(today=today, now=now)
    flags = [case((condition, True), else_=False).label(name) for name, (_, condition) in reasons.items()]
    rows = db.session.execute(
        select(Objective, *flags).join(Objective.key_priority)
        .where(in_plan(plan), is_open(), or_(*(condition for _, condition in reasons.values())))
        .options(
            contains_eager(Objective.key_priority),
            selectinload(Objective.lead_links).joinedload(ObjectiveLead.agency).selectinload(Agency.contacts),
            selectinload(Objective.contact_links).joinedload(ObjectiveContact.contact),
        )
        .order_by(KeyPriority.number, Objective.position, Objective.id)
    ).all()
    last_chased = last_chased_at()
    return [
        ChaseItem(
            row[0],
            [words for name, (words, _) in reasons.items() if getattr(row, name)],
            lead_recipients(row[0]),
            last_chased.get(row[0].id),
        )
        for row in rows
    ]


def last_chased_at() -> dict[int, datetime]:
    """When each objective was last chased from the chasing page (one query)."""
    rows = db.session.execute(select(Chase.objective_id, func.max(Chase.chased_at)).group_by(Chase.objective_id))
    return {objective_id: chased_at for objective_id, chased_at in rows}
