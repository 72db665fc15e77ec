"""Reading an objective's page and its change history, and the objective its edit and progress pages change."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Row, bindparam, func, or_, select
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from scp_tracker.core.models import ChangeRecord
from scp_tracker.extensions import db
from scp_tracker.people.models import Agency, Contact
from scp_tracker.plans.models import (
    FundingLine,
    KeyPriority,
    Objective,
    ObjectiveContact,
    ObjectiveLead,
    Plan,
    ProgressUpdate,
)
from scp_tracker.plans.queries import priority_items


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
    extra: dict  # notes: columns of an imported plan no field holds, by their heading
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
        Objective.pcc_scope, Objective.pcc_numbers, Objective.pcc_text, Objective.extra, Objective.last_progress_at,
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


def edit_choices(objective: Objective) -> dict:
    """What the edit page offers: active agencies and contacts (and any already leading), and the priority lists."""
    return objective_choices(objective.key_priority.plan, agency_ids=[link.agency_id for link in objective.lead_links],
                             contact_ids=[link.contact_id for link in objective.contact_links])


def objective_choices(plan: Plan, *, agency_ids: list[int], contact_ids: list[int]) -> dict:
    """What an objective's form offers in a plan: active agencies and contacts (and these, active or not), and the
    plan's priority lists."""
    agencies = db.session.scalars(
        select(Agency).where(or_(Agency.is_active, Agency.id.in_(agency_ids))).order_by(func.lower(Agency.abbreviation))
    ).all()
    contacts = db.session.scalars(
        select(Contact).join(Contact.agency).where(or_(Contact.is_active, Contact.id.in_(contact_ids)))
        .options(contains_eager(Contact.agency)).order_by(func.lower(Agency.abbreviation), func.lower(Contact.name))
    ).all()
    lists = priority_items(plan)
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
