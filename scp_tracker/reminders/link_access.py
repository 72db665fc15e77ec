"""Whether an emailed update link may still be used: by the person it was sent to, at the address it was sent to,
while the objective's reminders still go to them."""

from scp_tracker.people.link_holders import holds, may_hold_links
from scp_tracker.people.models import Contact
from scp_tracker.plans.chasing_list import lead_recipients
from scp_tracker.plans.models import Objective, UpdateToken


def is_asked_about(contact: Contact, objective: Objective) -> bool:
    """Whether update links for the objective are sent to this contact now.

    Its leads, by the one rule (plans.leads through plans.chasing_list.lead_recipients); a coordinator, who is copied on
    some reminders and may update any objective; and, while it has no lead agency, the people of its key priority's
    lead agencies, whom the reminders ask to agree a lead (reminders.rules, "tbc_lead").
    """
    user = contact.user
    if user is not None and user.is_enabled and user.role == "coordinator":
        return True
    if any(lead.id == contact.id for lead in lead_recipients(objective)):
        return True
    has_no_lead = objective.lead_status != "set" or not objective.lead_links
    return has_no_lead and contact.agency_id in {agency.id for agency in objective.key_priority.lead_agencies}


def may_send_link(contact: Contact, objective: Objective) -> bool:
    """Whether a new update link for the objective may be emailed to the contact's current address."""
    return may_hold_links(contact) and is_asked_about(contact, objective)


def may_use(raw: str, token: UpdateToken) -> bool:
    """Whether the link still works for its holder: sealed to their current address, their standing, the leads."""
    return holds(raw, token.contact) and is_asked_about(token.contact, token.objective)
