"""Who provides a round's late indicator figures, so "remind now" can ask them and the round page can show when they
were reminded: the indicator's provider contact, or else its agency's people (the one rule of plans.leads)."""

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from scp_tracker.extensions import db
from scp_tracker.indicators.chasing import LateFigure
from scp_tracker.people.models import Contact
from scp_tracker.plans.leads import Remindable


@dataclass(frozen=True)
class ProvidedFigure:
    """A late figure and the people asked for it (none: nobody who receives reminders provides it)."""

    late: LateFigure
    providers: list[Contact]


def with_providers(late: list[LateFigure]) -> list[ProvidedFigure]:
    """Each late figure with the people asked for it, by name (one query)."""
    contact_ids = {item.indicator.provider_contact_id for item in late} - {None}
    agency_ids = {item.indicator.provider_agency_id for item in late} - {None}
    if not (contact_ids or agency_ids):
        return [ProvidedFigure(item, []) for item in late]
    candidates = {contact.id: contact for contact in db.session.scalars(
        select(Contact).options(joinedload(Contact.user), joinedload(Contact.agency))
        .where(or_(Contact.id.in_(contact_ids), Contact.agency_id.in_(agency_ids)), Contact.is_active.is_(True),
               Contact.receives_reminders.is_(True), Contact.email.is_not(None), Contact.email != ""))}
    remindable = Remindable(
        (contact.id, contact.agency_id,
         contact.user.roles if contact.user is not None and contact.user.is_enabled else frozenset())
        for contact in candidates.values())
    found = []
    for item in late:
        indicator = item.indicator
        asked = remindable.leads([indicator.provider_contact_id] if indicator.provider_contact_id else [],
                                 [indicator.provider_agency_id] if indicator.provider_agency_id else [])
        found.append(ProvidedFigure(item, sorted((candidates[contact_id] for contact_id in asked),
                                                 key=lambda contact: (contact.name.lower(), contact.id))))
    return found


def providers_to_remind(figures: list[ProvidedFigure]) -> list[Contact]:
    """Everyone asked for one of the figures, each once."""
    return list({contact.id: contact for item in figures for contact in item.providers}.values())
