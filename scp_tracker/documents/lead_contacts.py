"""Named officers of an imported plan as the objectives' named lead contacts, matched by name under their agency."""

from sqlalchemy import select

from scp_tracker.core.history import Actor, record_change
from scp_tracker.documents.cells import name_key
from scp_tracker.documents.plan_data import PlanData
from scp_tracker.extensions import db
from scp_tracker.people.models import Agency, Contact
from scp_tracker.plans.models import Objective, ObjectiveContact


class ContactBook:
    """The contacts of the agencies a plan names, found by name under their agency; those missing are added."""

    def __init__(self, data: PlanData, agencies: dict[str, Agency]):
        self._agencies = agencies
        wanted = {agencies[c.agency].id for o in data.objectives() for c in o.lead_contacts if c.agency in agencies
                  and agencies[c.agency].id is not None}
        known = db.session.scalars(select(Contact).where(Contact.agency_id.in_(wanted))).all() if wanted else []
        self._by_name = {(contact.agency_id, name_key(contact.name)): contact for contact in known}
        self.created: list[Contact] = []

    def find_or_add(self, name: str, abbreviation: str) -> Contact:
        """The contact of this name at this agency, added (without an email address) if the partnership has none."""
        agency = self._agencies[abbreviation]
        key = (agency.id, name_key(name))
        if (contact := self._by_name.get(key)) is None:
            contact = Contact(name=name, agency=agency, email=None)
            db.session.add(contact)
            self._by_name[key] = contact
            self.created.append(contact)
        return contact

    def record_created(self, actor: Actor) -> list[str]:
        """Record each contact added (after the flush that gives them ids); their names, for the report."""
        for contact in self.created:
            record_change(actor, entity="contact", entity_id=contact.id, field="created", before=None,
                          after=contact.name)
        return [f"{contact.name} ({contact.agency.abbreviation})" for contact in self.created]


def set_lead_contacts(objective: Objective, names: list[tuple[str, str]], book: ContactBook, actor: Actor,
                      *, is_new: bool) -> str | None:
    """Make the officers the file names the objective's named lead contacts; the change in words, if any.

    A file naming no officer leaves the contacts chosen in the app alone.
    """
    if not names:
        return None
    contacts = list(dict.fromkeys(book.find_or_add(name, agency) for name, agency in names))
    before = [link.contact.name for link in objective.contact_links]
    after = [contact.name for contact in contacts]
    if before == after:
        return None
    objective.contact_links = [ObjectiveContact(contact=contact) for contact in contacts]
    if is_new:
        return None  # recorded with the objective's creation
    record_change(actor, entity="lead", entity_id=objective.id, objective_id=objective.id, field="lead_contacts",
                  before=before, after=after)
    return f"named lead contacts “{', '.join(before) or 'blank'}” → “{', '.join(after)}”"
