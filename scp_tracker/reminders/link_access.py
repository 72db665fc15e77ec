"""Who is asked about an objective, and whether an emailed update link may still be used: by the person it was sent
to, at the address it was sent to, while they are still asked about the objective (or coordinate the plan)."""

from scp_tracker.people.link_holders import holds, may_hold_links
from scp_tracker.people.models import Contact
from scp_tracker.plans.chasing_list import lead_recipients
from scp_tracker.plans.models import Objective, UpdateToken


def is_asked_about(contact: Contact, objective: Objective) -> bool:
    """Whether the reminders ask this contact about the objective, by the one rule (plans.leads): its leads, and
    while it has no lead agency the key priority's lead agencies' people, asked to propose one. Not the
    coordinator as such: "Your objectives" lists a contact's objectives with this."""
    return any(asked.id == contact.id for asked in lead_recipients(objective, with_proposers=True))


def _is_coordinator(contact: Contact) -> bool:
    user = contact.user
    return user is not None and user.is_enabled and "coordinator" in user.roles


def may_update(contact: Contact, objective: Objective) -> bool:
    """Whether an update link for the objective works for this contact: those asked about it, and a coordinator,
    who may update any objective."""
    return _is_coordinator(contact) or is_asked_about(contact, objective)


def may_send_link(contact: Contact, objective: Objective) -> bool:
    """Whether a new update link for the objective may be emailed to the contact's current address."""
    return may_hold_links(contact) and may_update(contact, objective)


def may_use(raw: str, token: UpdateToken) -> bool:
    """Whether the link still works for its holder: sealed to their current address, their standing, the leads."""
    return holds(raw, token.contact) and may_update(token.contact, token.objective)
