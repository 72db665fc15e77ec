"""Who an objective's leads are when someone has to be asked or told: one rule for reminders, notifications, the
chasing list and the links that open "Your objectives", so each of them names the same people.

The rule: the contacts named on the objective who receive reminders, else the contacts of its lead agencies who
receive reminders. A login role alone never brings update links: a contact whose login is a partner or a viewer is
not brought in by their agency (named on the objective, they are). While an objective has no lead agency, the people
of its key priority's lead agencies are asked to propose one.
"""

from collections.abc import Iterable

# Logins whose holders are not asked for updates just because their agency leads (they read, or record events).
NOT_ASKED_BY_AGENCY = frozenset({"partner", "viewer"})


class Remindable:
    """The people who receive reminders (active, with an email address), by id and by agency."""

    def __init__(self, people: Iterable[tuple[int, int | None] | tuple[int, int | None, str | None]]):
        """people: (contact id, agency id[, login role]) of each person who receives reminders."""
        self.agency_of: dict[int, int | None] = {}
        self.by_agency: dict[int | None, list[int]] = {}
        self.asked_by_agency: dict[int | None, list[int]] = {}
        for contact_id, agency_id, *role in sorted(people, key=lambda person: person[0]):
            self.agency_of[contact_id] = agency_id
            self.by_agency.setdefault(agency_id, []).append(contact_id)
            if not role or role[0] not in NOT_ASKED_BY_AGENCY:
                self.asked_by_agency.setdefault(agency_id, []).append(contact_id)

    def of_agencies(self, agency_ids: Iterable[int]) -> list[int]:
        """The people of these agencies, in agency order, then by id."""
        return list(dict.fromkeys(cid for agency_id in agency_ids for cid in self.by_agency.get(agency_id, ())))

    def asked_of_agencies(self, agency_ids: Iterable[int]) -> list[int]:
        """The people of these agencies whom their agency's role brings in (no partner or viewer logins)."""
        return list(dict.fromkeys(cid for agency_id in agency_ids for cid in self.asked_by_agency.get(agency_id, ())))

    def leads(self, named_contact_ids: Iterable[int], agency_ids: Iterable[int]) -> list[int]:
        """The contacts named on the objective who receive reminders, or else its lead agencies' people who do."""
        named = [cid for cid in dict.fromkeys(named_contact_ids) if cid in self.agency_of]
        return named or self.asked_of_agencies(agency_ids)

    def asked_about(self, named_contact_ids: Iterable[int], agency_ids: Iterable[int], *, has_lead: bool,
                    key_priority_agency_ids: Iterable[int]) -> list[int]:
        """Everyone asked about the objective: its leads, and while it has no lead agency, the people of its key
        priority's lead agencies, who are asked to propose one."""
        asked = self.leads(named_contact_ids, agency_ids)
        if has_lead:
            return asked
        return list(dict.fromkeys([*asked, *self.asked_of_agencies(key_priority_agency_ids)]))


def has_lead_agency(lead_status: str, lead_agency_ids: Iterable[int]) -> bool:
    """Whether an objective's lead is settled: marked set, with at least one lead agency."""
    return lead_status == "set" and any(True for _ in lead_agency_ids)
