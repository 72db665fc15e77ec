""""Your objectives": the one page a reminder email's link opens, with every objective its contact is asked about.

Opening it changes nothing (mail scanners open every link): the link is checked, never used up. It works while we
issued it, it is not revoked or expired, its round (if any) is open, and it is sealed to the contact's current
address and they may hold links. Saving records, as the contact, the progress of each objective filled in, with the
requests that ride on progress (end date, funding, lead agency) for the coordinator to decide; the link goes on
working, so the page can show what was recorded and take more.
"""

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import and_, exists, or_, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from scp_tracker.core.history import Actor
from scp_tracker.extensions import db
from scp_tracker.people.link_holders import holds
from scp_tracker.people.models import Agency, Contact
from scp_tracker.plans.lookup import in_use
from scp_tracker.plans.models import (
    KeyPriority,
    KeyPriorityLead,
    Objective,
    ObjectiveContact,
    ObjectiveLead,
    Plan,
    ProgressUpdate,
)
from scp_tracker.plans.progress import ProgressValues, add_progress
from scp_tracker.reminders.emailed_updates import LinkError
from scp_tracker.reminders.lead_links import find_lead_link
from scp_tracker.reminders.link_access import is_asked_about
from scp_tracker.reminders.models import LeadLink
from scp_tracker.reminders.services import ReminderError
from scp_tracker.rounds.models import ReportingRound


def usable_lead_link(raw: str, now: datetime) -> LeadLink:
    """The link a token names while it works, or LinkError saying why not (never offering a fresh link: the next
    reminder brings one). Changes nothing."""
    link = find_lead_link(raw)
    if link is None:
        raise LinkError("unknown")
    if not holds(raw, link.contact):  # the address changed, they left, or their login is disabled
        raise LinkError("withdrawn")
    if link.revoked_at is not None:
        raise LinkError("revoked")
    if link.expires_at <= now:
        raise LinkError("expired")
    if link.round_id is not None:
        closed_at = db.session.scalar(select(ReportingRound.closed_at).where(ReportingRound.id == link.round_id))
        if closed_at is not None:
            raise LinkError("closed")
    return link


def needs_funding(objective: Objective) -> bool:
    """Whether the page asks for the funding: a funding line is TBC."""
    return any(line.status == "tbc" for line in objective.funding_lines)


def needs_lead(objective: Objective) -> bool:
    """Whether the page asks for a lead agency: the lead is TBC or not recorded, or no agency leads it."""
    return objective.lead_status != "set" or not objective.lead_links


def asked_objectives(contact: Contact) -> list[Objective]:
    """The open objectives of the plans in use the contact is asked about, in plan order.

    One query finds the candidates (named on the objective, their agency leads it, or their agency leads its key
    priority while it has no lead), loading what the page and the rule read; the one rule
    (reminders.link_access.is_asked_about) then decides, so the page and the emails never disagree.
    """
    named = exists().where(ObjectiveContact.objective_id == Objective.id, ObjectiveContact.contact_id == contact.id)
    agency_leads = exists().where(ObjectiveLead.objective_id == Objective.id,
                                  ObjectiveLead.agency_id == contact.agency_id)
    no_lead = or_(Objective.lead_status != "set", ~exists().where(ObjectiveLead.objective_id == Objective.id))
    leads_priority = exists().where(KeyPriorityLead.key_priority_id == KeyPriority.id,
                                    KeyPriorityLead.agency_id == contact.agency_id)
    candidates = db.session.scalars(
        select(Objective).join(Objective.key_priority).join(KeyPriority.plan)
        .where(Objective.status == "open", KeyPriority.retired_on.is_(None), in_use(),
               or_(named, agency_leads, and_(no_lead, leads_priority)))
        .order_by(Plan.starts_on.desc().nulls_last(), Plan.id, KeyPriority.number, Objective.position, Objective.id)
        .options(
            contains_eager(Objective.key_priority).contains_eager(KeyPriority.plan),
            # The people asked, with their logins (a partner's or viewer's login is not asked through the agency).
            contains_eager(Objective.key_priority).selectinload(KeyPriority.lead_links)
            .joinedload(KeyPriorityLead.agency).selectinload(Agency.contacts).joinedload(Contact.user),
            selectinload(Objective.lead_links).joinedload(ObjectiveLead.agency).selectinload(Agency.contacts)
            .joinedload(Contact.user),
            selectinload(Objective.contact_links).joinedload(ObjectiveContact.contact).joinedload(Contact.user),
            selectinload(Objective.funding_lines),
            selectinload(Objective.progress_updates),
        )
    ).unique()
    return [objective for objective in candidates if is_asked_about(contact, objective)]


def waiting_requests(objective_ids: list[int]) -> dict[int, list[ProgressUpdate]]:
    """The requests still waiting for the coordinator on these objectives, oldest first, by objective (one query)."""
    waiting: dict[int, list[ProgressUpdate]] = {}
    for update in db.session.scalars(
        select(ProgressUpdate)
        .where(ProgressUpdate.objective_id.in_(objective_ids),
               or_(ProgressUpdate.end_date_request_status == "pending", ProgressUpdate.lead_request_status == "pending",
                   ProgressUpdate.funding_request_status == "pending"))
        .order_by(ProgressUpdate.recorded_at, ProgressUpdate.id)
        .options(joinedload(ProgressUpdate.objective))
    ):
        waiting.setdefault(update.objective_id, []).append(update)
    return waiting


def record_answers(raw: str, answers: Mapping[int, ProgressValues], *, now: datetime) -> list[ProgressUpdate]:
    """Record each answer (objective id to its values) as the link's contact, in the caller's transaction.

    The link and the objectives are checked again here: the page may have been open while the round closed or an
    objective moved to another lead. Any refusal raises before the caller commits, so nothing is saved.
    """
    link = usable_lead_link(raw, now)
    contact = link.contact
    asked = {objective.id: objective for objective in asked_objectives(contact)}
    actor = Actor.for_contact(contact)
    updates = []
    for objective_id, values in answers.items():
        objective = asked.get(objective_id)
        if objective is None:
            raise ReminderError("One of the objectives you filled in is no longer yours to update, so nothing was "
                                "saved. The page now shows the objectives you are asked about.")
        updates.append(add_progress(objective, values, actor, now=now))
    return updates
