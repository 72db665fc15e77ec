"""Reading the chasing list: the open objectives that need an update, why, and whom to ask."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.orm import contains_eager, selectinload

from scp_tracker.extensions import db
from scp_tracker.people.models import Agency, Contact
from scp_tracker.plans.leads import Remindable, has_lead_agency
from scp_tracker.plans.models import (
    Chase,
    KeyPriority,
    Objective,
    ObjectiveContact,
    ObjectiveLead,
    Plan,
)
from scp_tracker.plans.queries import (
    STALE_DAYS,
    has_no_end_date,
    has_tbc_funding,
    has_tbc_lead,
    in_plan,
    is_open,
    no_update_for,
    overdue,
)


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


def _login_roles(contact: Contact) -> frozenset[str]:
    return contact.user.roles if contact.user is not None and contact.user.is_enabled else frozenset()


def lead_recipients(objective: Objective, *, with_proposers: bool = False) -> list[Contact]:
    """Who is asked for updates, by the one rule of plans.leads: the contacts named on the objective who receive
    reminders, else its lead agencies' contacts who do (not partner or viewer logins); by name.

    with_proposers adds, while the objective has no lead agency, the key priority's lead agencies' people, who are
    asked to propose one.
    """
    agencies = [*objective.lead_agencies, *(objective.key_priority.lead_agencies if with_proposers else ())]
    candidates = {contact.id: contact
                  for contact in (*objective.lead_contacts, *(c for a in agencies for c in a.contacts))
                  if contact.is_active and contact.receives_reminders and contact.email}
    remindable = Remindable((contact.id, contact.agency_id, _login_roles(contact)) for contact in candidates.values())
    named = [contact.id for contact in objective.lead_contacts]
    lead_agency_ids = [agency.id for agency in objective.lead_agencies]
    if with_proposers:
        asked = remindable.asked_about(
            named, lead_agency_ids, has_lead=has_lead_agency(objective.lead_status, lead_agency_ids),
            key_priority_agency_ids=[agency.id for agency in objective.key_priority.lead_agencies])
    else:
        asked = remindable.leads(named, lead_agency_ids)
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
            selectinload(Objective.lead_links).joinedload(ObjectiveLead.agency).selectinload(Agency.contacts)
            .selectinload(Contact.user),
            selectinload(Objective.contact_links).joinedload(ObjectiveContact.contact).selectinload(Contact.user),
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
