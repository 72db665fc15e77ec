"""Starting next year's plan: its year and title, and the open objectives carried forward."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from scp_tracker.core.history import Actor, record_change
from scp_tracker.extensions import db
from scp_tracker.plans.models import (
    FundingLine,
    KeyPriority,
    KeyPriorityLead,
    Objective,
    ObjectiveContact,
    ObjectiveLead,
    Plan,
    PriorityListItem,
)
from scp_tracker.plans.services import PlanError


def next_year(year: str) -> str:
    """The financial year after "2016-17": "2017-18"."""
    start = int(year[:4]) + 1
    return f"{start}-{(start + 1) % 100:02d}"


def suggested_title(plan: Plan) -> str:
    """Next year's plan title: this year's with the years moved on."""
    start = int(plan.year[:4])
    title = plan.title.replace(f"{start}-{start + 1}", f"{start + 1}-{start + 2}")
    title = title.replace(plan.year, next_year(plan.year))
    return title if title != plan.title else f"{plan.title} ({next_year(plan.year)})"


def carry_forward(plan: Plan, objective_ids: list[int], *, title: str, actor: Actor) -> Plan:
    """Start next year's plan: copy the key priorities (not those retired), priority lists and the chosen open
    objectives."""
    year = next_year(plan.year)
    if db.session.scalar(select(Plan.id).where(Plan.year == year)):
        raise PlanError(f"There is already a plan for {year}")
    start = int(year[:4])
    new_plan = Plan(year=year, title=title, status="draft", starts_on=date(start, 4, 1), ends_on=date(start + 1, 3, 31),
                    description=plan.description, prepared_by=plan.prepared_by)
    new_plan.priority_items = [
        PriorityListItem(list_name=item.list_name, number=item.number, title=item.title)
        for item in db.session.scalars(select(PriorityListItem).where(PriorityListItem.plan_id == plan.id))
    ]
    chosen = db.session.scalars(
        select(Objective).join(Objective.key_priority)
        .where(KeyPriority.plan_id == plan.id, Objective.id.in_(objective_ids), Objective.status == "open")
        .options(selectinload(Objective.lead_links), selectinload(Objective.contact_links),
                 selectinload(Objective.funding_lines))
    ).all()
    by_priority: dict[int, list[Objective]] = {}
    for objective in chosen:
        by_priority.setdefault(objective.key_priority_id, []).append(objective)
    key_priorities = db.session.scalars(
        select(KeyPriority).where(KeyPriority.plan_id == plan.id).order_by(KeyPriority.number)
        .options(selectinload(KeyPriority.lead_links))
    ).all()
    copies = []
    for kp in key_priorities:
        if kp.retired_on is not None:  # taken out of this year's plan: not carried into next year's
            continue
        new_kp = KeyPriority(
            number=kp.number, title=kp.title, heading=kp.heading, description=kp.description, lead_text=kp.lead_text,
            lead_links=[KeyPriorityLead(agency_id=link.agency_id, position=link.position) for link in kp.lead_links],
        )
        new_plan.key_priorities.append(new_kp)
        copies += [(objective, _copy_objective(objective, new_kp))
                   for objective in sorted(by_priority.get(kp.id, []), key=lambda o: (o.position, o.id))]
    db.session.add(new_plan)
    try:
        db.session.flush()
    except IntegrityError:  # another request started it since the check above; the caller rolls back
        raise PlanError(f"There is already a plan for {year}") from None
    for original, copy in copies:
        record_change(actor, entity="objective", entity_id=copy.id, field="carried_from",
                      before=None, after=f"{plan.year}: {original.title}", objective_id=copy.id)
    return new_plan


def _copy_objective(objective: Objective, key_priority: KeyPriority) -> Objective:
    """An open copy of an objective for next year, linked to the original (progress stays with the original)."""
    return Objective(
        key_priority=key_priority, position=objective.position, title=objective.title, text=objective.text,
        source_html=objective.source_html, status="open", rag=objective.rag,
        end_date=objective.end_date, end_date_text=objective.end_date_text, end_date_status=objective.end_date_status,
        lead_status=objective.lead_status, lead_text=objective.lead_text,
        police_scope=objective.police_scope, police_numbers=list(objective.police_numbers or []),
        police_text=objective.police_text, pcc_scope=objective.pcc_scope,
        pcc_numbers=list(objective.pcc_numbers or []), pcc_text=objective.pcc_text,
        extra=dict(objective.extra or {}), carried_from_id=objective.id,
        lead_links=[ObjectiveLead(agency_id=link.agency_id, position=link.position) for link in objective.lead_links],
        contact_links=[ObjectiveContact(contact_id=link.contact_id) for link in objective.contact_links],
        funding_lines=[
            FundingLine(position=line.position, amount_pence=line.amount_pence, source=line.source, pot=line.pot,
                        status=line.status, text=line.text)
            for line in objective.funding_lines
        ],
    )
