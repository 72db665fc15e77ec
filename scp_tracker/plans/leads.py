"""Who an objective's leads are when someone has to be asked or told: one rule for reminders, notifications, the
chasing list and the links that open "Your objectives", so each of them names the same people.

The rule: the contacts named on the objective who receive reminders, else the contacts of its lead agencies who
receive reminders. A login role alone never brings update links: a contact whose login is only a partner or a viewer
is not brought in by their agency (named on the objective, they are). A key priority's leads are the people holding
the key priority lead role for it, or while nobody does, the people of its lead agencies: they are told when an
objective of theirs misses a round's deadline. While an objective has no lead agency, the people of its key
priority's lead agencies are asked to propose one.
"""

from collections.abc import Collection, Iterable

# Logins whose holders are not asked for updates just because their agency leads (they read, or record events):
# a login holding only these roles. A login that also holds another (a lead who sits on the board) is asked.
NOT_ASKED_BY_AGENCY = frozenset({"partner", "viewer"})

# (contact id, agency id[, login roles[, ids of the key priorities they lead]])
Person = (tuple[int, int | None] | tuple[int, int | None, Collection[str]]
          | tuple[int, int | None, Collection[str], Collection[int]])


def is_asked_by_agency(login_roles: Collection[str]) -> bool:
    """Whether a person's agency leading an objective brings them in: no login, or one with a role beyond reading."""
    return not login_roles or not set(login_roles) <= NOT_ASKED_BY_AGENCY


class Remindable:
    """The people who receive reminders (active, with an email address), by id and by agency."""

    def __init__(self, people: Iterable[Person]):
        """people: (contact id, agency id[, login roles[, key priorities led]]) of each person who receives
        reminders."""
        self.agency_of: dict[int, int | None] = {}
        self.by_agency: dict[int | None, list[int]] = {}
        self.asked_by_agency: dict[int | None, list[int]] = {}
        self.by_key_priority: dict[int, list[int]] = {}
        for person in sorted(people, key=lambda person: person[0]):
            contact_id, agency_id = person[0], person[1]
            self.agency_of[contact_id] = agency_id
            self.by_agency.setdefault(agency_id, []).append(contact_id)
            if is_asked_by_agency(person[2] if len(person) > 2 else ()):  # type: ignore[misc]
                self.asked_by_agency.setdefault(agency_id, []).append(contact_id)
            for key_priority_id in person[3] if len(person) > 3 else ():  # type: ignore[misc]
                self.by_key_priority.setdefault(key_priority_id, []).append(contact_id)

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

    def key_priority_leads(self, key_priority_id: int | None, agency_ids: Iterable[int]) -> list[int]:
        """A key priority's leads: the holders of its key priority lead role who receive reminders, or while there
        are none, the people of its lead agencies whom their agency's role brings in."""
        holders = self.by_key_priority.get(key_priority_id, []) if key_priority_id is not None else []
        return list(holders) or self.asked_of_agencies(agency_ids)

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
