"""Use cases of the plan tracker: edit an objective, add progress, decide end date requests, carry objectives
forward, chase leads.

Services add and flush; the caller commits. Every change of an objective, a funding line or a lead is
recorded through the change history (core.history), and announced through plans.signals in the same
transaction (notifications follow them).
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy import update as update_rows
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from scp_tracker.core.db_types import execute_dml
from scp_tracker.core.formatting import gov_date, money
from scp_tracker.core.history import Actor, record_change, set_fields
from scp_tracker.extensions import db
from scp_tracker.people.models import Agency, Contact
from scp_tracker.plans import signals
from scp_tracker.plans.emails import update_request
from scp_tracker.plans.models import (
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
from scp_tracker.plans.queries import ChaseItem
from scp_tracker.plans.signals import ObjectiveSnapshot

FUNDING_WORDS = {"tbc": "TBC", "not_applicable": "N/A", "nil_cost": "Nil cost"}


class PlanError(ValueError):
    """A change the plan's rules refuse, with a message to show the person who asked."""


def describe_funding(line: FundingLine) -> str:
    """A funding line as people write it: "£5,000 SCP (15-16 allocation)", "TBC", "N/A", "Nil cost"."""
    if line.status in FUNDING_WORDS:
        return FUNDING_WORDS[line.status]
    words = " ".join(part for part in (money(line.amount_pence), line.source or "") if part)
    if line.pot:
        words = f"{words} ({line.pot})" if words else line.pot
    return words or line.text or "Not recorded"


def funding_summary(objective: Objective) -> str:
    """All of an objective's funding in one line, or "Not recorded"."""
    return "; ".join(describe_funding(line) for line in objective.funding_lines) or "Not recorded"


@dataclass(frozen=True)
class FundingValues:
    """One funding line as entered: `id` of an existing line, or None for a new one."""

    id: int | None
    amount_pence: int | None
    source: str | None
    pot: str | None
    status: str


@dataclass(frozen=True)
class ObjectiveValues:
    """Everything the edit page sets on an objective, as plain values."""

    title: str
    text: str
    status: str
    rag: str | None
    end_date_status: str  # set | tbc | missing
    end_date: date | None
    agency_ids: list[int] | None  # None: leave the lead agencies as they are (only the coordinator changes them)
    contact_ids: list[int]
    funding: list[FundingValues]
    police_scope: str
    police_numbers: list[int]
    pcc_scope: str
    pcc_numbers: list[int]


def _end_date_words(status: str, end_date: date | None) -> str:
    """The end date as written on the plan after an edit."""
    return {"set": gov_date(end_date), "tbc": "TBC"}.get(status, "")


def _priority_words(scope: str, numbers: list[int]) -> str:
    """Police or PCC priorities as written on the plan after an edit."""
    return {"listed": ", ".join(str(n) for n in numbers), "multiple": "Multiple", "all": "All"}.get(scope, "")


def snapshot(objective: Objective) -> ObjectiveSnapshot:
    """The objective's end date, funding and leads as people are told about them, to compare after a change."""
    return ObjectiveSnapshot(
        end_date=_end_date_words(objective.end_date_status, objective.end_date) or "Not set",
        funding=funding_summary(objective),
        lead_agencies=" / ".join(agency.abbreviation for agency in objective.lead_agencies) or "None",
        lead_contacts=", ".join(contact.name for contact in objective.lead_contacts) or "None",
        agency_ids=tuple(link.agency_id for link in objective.lead_links),
        contact_ids=tuple(link.contact_id for link in objective.contact_links),
    )


def announce_change(objective: Objective, actor: Actor, before: ObjectiveSnapshot) -> None:
    """Tell whoever follows the plan that the objective's end date, funding or leads changed, if they did."""
    announce_changes([(objective, before)], actor)


def announce_changes(changes: list[tuple[Objective, ObjectiveSnapshot]], actor: Actor) -> None:
    """The same for many objectives at once (an import): one announcement of those whose snapshot changed."""
    db.session.flush()  # new lead links get their ids
    changed = [(objective, before) for objective, before in changes if snapshot(objective) != before]
    if changed:
        signals.objectives_changed.send(None, changes=changed, actor=actor)


def update_objective(objective: Objective, values: ObjectiveValues, actor: Actor) -> list[str]:
    """Apply the edit page's values, recording every changed field; returns the names of what changed."""
    before = snapshot(objective)
    end_date = values.end_date if values.end_date_status == "set" else None
    police_numbers = sorted(set(values.police_numbers)) if values.police_scope == "listed" else []
    pcc_numbers = sorted(set(values.pcc_numbers)) if values.pcc_scope == "listed" else []
    changed = set_fields(actor, objective, {
        "title": values.title,
        "text": values.text,
        "status": values.status,
        "rag": values.rag,
        "end_date": end_date,
        "end_date_status": values.end_date_status,
        "police_scope": values.police_scope,
        "police_numbers": police_numbers,
        "pcc_scope": values.pcc_scope,
        "pcc_numbers": pcc_numbers,
    }, entity="objective", objective_id=objective.id)
    # The "as written" texts follow the values they describe, so exports never contradict the fields.
    if {"end_date", "end_date_status"} & set(changed):
        objective.end_date_text = _end_date_words(values.end_date_status, end_date)
    if {"police_scope", "police_numbers"} & set(changed):
        objective.police_text = _priority_words(values.police_scope, police_numbers)
    if {"pcc_scope", "pcc_numbers"} & set(changed):
        objective.pcc_text = _priority_words(values.pcc_scope, pcc_numbers)
    if values.agency_ids is not None:
        changed += update_lead_agencies(objective, values.agency_ids, actor)
    changed += _update_lead_contacts(objective, values.contact_ids, actor)
    changed += _update_funding(objective, values.funding, actor)
    db.session.flush()
    announce_change(objective, actor, before)
    return changed


def _relink(links: list, id_of, chosen_ids: list[int], targets: dict, make) -> list | None:
    """Links to the chosen targets, keeping the written order of those already linked and adding new ones after
    in the order given (existing link objects reused); None when nothing changes."""
    current = [id_of(link) for link in links]
    chosen = list(dict.fromkeys(i for i in chosen_ids if i in targets))
    wanted = [i for i in current if i in chosen] + [i for i in chosen if i not in current]
    if wanted == current:
        return None
    kept = {id_of(link): link for link in links}
    return [kept.get(i) or make(targets[i]) for i in wanted]


def update_lead_agencies(objective: Objective, agency_ids: list[int], actor: Actor) -> list[str]:
    """Set the lead agencies in order; with none left the lead becomes TBC (to be chased)."""
    agencies = {a.id: a for a in db.session.scalars(select(Agency).where(Agency.id.in_(agency_ids)))}
    links = _relink(objective.lead_links, lambda link: link.agency_id, agency_ids, agencies,
                    lambda agency: ObjectiveLead(agency=agency))
    changed = []
    if links is not None:
        before = [agency.abbreviation for agency in objective.lead_agencies]
        objective.lead_links = links
        for position, link in enumerate(links):
            link.position = position
        after = [agency.abbreviation for agency in objective.lead_agencies]
        record_change(actor, entity="lead", entity_id=objective.id, field="lead_agencies",
                      before=before, after=after, objective_id=objective.id)
        objective.lead_text = " / ".join(after)
        changed.append("lead_agencies")
    lead_status = ("set" if objective.lead_links
                   else (objective.lead_status if objective.lead_status != "set" else "tbc"))
    return changed + set_fields(actor, objective, {"lead_status": lead_status},
                                entity="lead", objective_id=objective.id)


def _update_lead_contacts(objective: Objective, contact_ids: list[int], actor: Actor) -> list[str]:
    """Set the named lead contacts, who then get this objective's reminders instead of their agency."""
    contacts = {c.id: c for c in db.session.scalars(select(Contact).where(Contact.id.in_(contact_ids)))}
    links = _relink(objective.contact_links, lambda link: link.contact_id, contact_ids, contacts,
                    lambda contact: ObjectiveContact(contact=contact))
    if links is None:
        return []
    before = [contact.name for contact in objective.lead_contacts]
    objective.contact_links = links
    record_change(actor, entity="lead", entity_id=objective.id, field="lead_contacts",
                  before=before, after=[contact.name for contact in objective.lead_contacts],
                  objective_id=objective.id)
    return ["lead_contacts"]


def _update_funding(objective: Objective, lines: list[FundingValues], actor: Actor) -> list[str]:
    """Add, change and remove funding lines, recording each; a line's text follows its values."""
    existing = {line.id: line for line in objective.funding_lines}
    changed = []
    kept = []
    for values in lines:
        fields = {"amount_pence": values.amount_pence, "source": values.source or None,
                  "pot": values.pot or None, "status": values.status}
        line = existing.pop(values.id, None) if values.id else None
        if line is None:
            line = FundingLine(**fields)
            line.text = describe_funding(line)
            objective.funding_lines.append(line)
            db.session.flush()
            record_change(actor, entity="funding", entity_id=line.id, field="funding_line",
                          before=None, after=line.text, objective_id=objective.id)
            changed.append("funding_line")
        elif set_fields(actor, line, fields, entity="funding", objective_id=objective.id):
            line.text = describe_funding(line)
            changed.append("funding_line")
        kept.append(line)
    for line in existing.values():
        record_change(actor, entity="funding", entity_id=line.id, field="funding_line",
                      before=describe_funding(line), after=None, objective_id=objective.id)
        changed.append("funding_line")
    objective.funding_lines = kept
    for position, line in enumerate(kept):
        line.position = position
    return list(dict.fromkeys(changed))


@dataclass(frozen=True)
class ProgressValues:
    """A progress update as entered: RAG None leaves the RAG as it was."""

    text: str
    rag: str | None
    mark_complete: bool = False
    requested_end_date: date | None = None
    requested_agency_ids: list[int] | None = None  # a lead asks the coordinator to change the lead agencies


def add_progress(objective: Objective, values: ProgressValues, actor: Actor, *, now: datetime) -> ProgressUpdate:
    """Record progress, update the objective's RAG and status (recorded), and its last update time."""
    rag_before = objective.rag
    if values.requested_end_date:
        supersede_pending(objective, ProgressUpdate.end_date_request_status)
    if values.requested_agency_ids is not None:
        supersede_pending(objective, ProgressUpdate.lead_request_status)
    update = ProgressUpdate(
        text=values.text, rag=values.rag or objective.rag, recorded_at=now,
        author_user_id=actor.user_id, author_contact_id=actor.contact_id, author_name=actor.name,
        source=actor.source, marked_complete=values.mark_complete,
        requested_end_date=values.requested_end_date,
        end_date_request_status="pending" if values.requested_end_date else None,
        requested_agency_ids=values.requested_agency_ids,
        lead_request_status="pending" if values.requested_agency_ids is not None else None,
    )
    objective.progress_updates.insert(0, update)
    changes = {"rag": values.rag} if values.rag else {}
    if values.mark_complete:
        changes["status"] = "complete"
    set_fields(actor, objective, changes, entity="objective", objective_id=objective.id)
    objective.last_progress_at = now
    db.session.flush()
    signals.progress_added.send(update, actor=actor, rag_before=rag_before, now=now)
    if update.requested_end_date:
        signals.end_date_requested.send(update, actor=actor, now=now)
    return update


def supersede_pending(objective: Objective, status_column) -> None:
    """A newer request replaces the objective's older pending ones: they can no longer be approved, so an older
    request approved after a newer one cannot move the date (or the leads) back."""
    db.session.execute(
        update_rows(ProgressUpdate)
        .where(ProgressUpdate.objective_id == objective.id, status_column == "pending")
        .values({status_column: "superseded"})
    )


def decide_request(update: ProgressUpdate, status_column, decision: str, what: str) -> None:
    """Move one pending request to its decision with one conditional UPDATE, so two coordinators deciding at once
    cannot both win, and a request superseded or decided already is refused."""
    decided = execute_dml(
        update_rows(ProgressUpdate)
        .where(ProgressUpdate.id == update.id, status_column == "pending")
        .values({status_column: decision})
    )
    if decided.rowcount != 1:
        db.session.refresh(update)
        if getattr(update, status_column.key) == "superseded":
            raise PlanError(f"A newer request to change the {what} of {update.objective.title} replaced this one")
        raise PlanError("This request has already been approved or declined")


def end_date_requests() -> list[ProgressUpdate]:
    """Requests to move an end date still waiting for the coordinator, oldest first, with their objectives."""
    return list(db.session.scalars(
        select(ProgressUpdate).where(ProgressUpdate.end_date_request_status == "pending")
        .order_by(ProgressUpdate.recorded_at, ProgressUpdate.id)
        .options(joinedload(ProgressUpdate.objective).joinedload(Objective.key_priority))
    ))


def end_date_request(update_id: int) -> ProgressUpdate | None:
    """A progress update that asked to move an end date, decided or not; None for any other."""
    update = db.session.get(ProgressUpdate, update_id)
    return update if update is not None and update.requested_end_date is not None else None


def decide_end_date_request(update: ProgressUpdate, approve: bool, actor: Actor, now: datetime) -> None:
    """Approve or decline a lead's request to move an end date; approving moves it, recorded in the history.

    The due-date reminders start again by themselves, since their keys contain the end date.
    """
    decision = "approved" if approve else "declined"
    decide_request(update, ProgressUpdate.end_date_request_status, decision, "end date")
    objective = update.objective
    before = snapshot(objective)
    record_change(actor, entity="progress", entity_id=update.id, field="end_date_request",
                  before=f"Asked for {gov_date(update.requested_end_date)}", after=decision.capitalize(),
                  objective_id=objective.id)
    if approve:
        set_fields(actor, objective, {"end_date": update.requested_end_date, "end_date_status": "set"},
                   entity="objective", objective_id=objective.id)
        objective.end_date_text = _end_date_words("set", update.requested_end_date)
    db.session.flush()
    signals.end_date_request_decided.send(update, actor=actor, before=before, now=now)


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
    """Start next year's plan: copy the key priorities, priority lists and the chosen open objectives."""
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


@dataclass
class ChaseResult:
    """What asking for updates wrote to the outbox, and which objectives had nobody to ask."""

    emails: int
    objectives: int
    nobody_to_ask: list[str]


def request_updates(items: list[ChaseItem], *, actor: Actor, now: datetime) -> ChaseResult:
    """Write one request for an update per lead of each chosen objective to the outbox (delivered after commit)."""
    emails, asked, nobody = 0, 0, []
    for item in items:
        if not item.recipients:
            nobody.append(item.objective.title)
            continue
        asked += 1
        for contact in item.recipients:
            if update_request(item, contact, asked_by=actor.name, by_user_id=actor.user_id, now=now):
                emails += 1
    return ChaseResult(emails=emails, objectives=asked, nobody_to_ask=nobody)
