"""Editing an objective: its fields, leads and funding, and what people are told about the change.

Services add and flush; the caller commits. Every change of an objective, a funding line or a lead is
recorded through the change history (core.history), and announced through plans.signals in the same
transaction (notifications follow them).
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from scp_tracker.core.formatting import gov_date, money
from scp_tracker.core.history import Actor, record_change, set_fields
from scp_tracker.extensions import db
from scp_tracker.people.models import Agency, Contact
from scp_tracker.plans import signals
from scp_tracker.plans.models import (
    FundingLine,
    Objective,
    ObjectiveContact,
    ObjectiveLead,
)
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
    end_date_status: str  # set | tbc | ongoing | missing
    end_date: date | None
    agency_ids: list[int] | None  # None: leave the lead agencies as they are (only the coordinator changes them)
    contact_ids: list[int]
    funding: list[FundingValues]
    police_scope: str
    police_numbers: list[int]
    pcc_scope: str
    pcc_numbers: list[int]


def end_date_words(status: str, end_date: date | None) -> str:
    """The end date as written on the plan after an edit."""
    return {"set": gov_date(end_date), "tbc": "TBC", "ongoing": "Ongoing"}.get(status, "")


def _priority_words(scope: str, numbers: list[int]) -> str:
    """Police or PCC priorities as written on the plan after an edit."""
    return {"listed": ", ".join(str(n) for n in numbers), "multiple": "Multiple", "all": "All"}.get(scope, "")


def snapshot(objective: Objective) -> ObjectiveSnapshot:
    """The objective's end date, funding and leads as people are told about them, to compare after a change."""
    return ObjectiveSnapshot(
        end_date=end_date_words(objective.end_date_status, objective.end_date) or "Not set",
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
        objective.end_date_text = end_date_words(values.end_date_status, end_date)
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
