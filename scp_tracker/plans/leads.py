"""Who an objective's leads are when someone has to be asked or told: one rule for reminders, notifications and
the chasing list, so each of them names the same people."""

from collections.abc import Iterable


class Remindable:
    """The people who receive reminders (active, with an email address), by id and by agency."""

    def __init__(self, people: Iterable[tuple[int, int | None]]):
        """people: (contact id, agency id) of each person who receives reminders."""
        self.agency_of: dict[int, int | None] = {}
        self.by_agency: dict[int | None, list[int]] = {}
        for contact_id, agency_id in sorted(people, key=lambda person: person[0]):
            self.agency_of[contact_id] = agency_id
            self.by_agency.setdefault(agency_id, []).append(contact_id)

    def of_agencies(self, agency_ids: Iterable[int]) -> list[int]:
        """The people of these agencies, in agency order, then by id."""
        return list(dict.fromkeys(cid for agency_id in agency_ids for cid in self.by_agency.get(agency_id, ())))

    def leads(self, named_contact_ids: Iterable[int], agency_ids: Iterable[int]) -> list[int]:
        """The contacts named on the objective who receive reminders, or else its lead agencies' people who do."""
        named = [cid for cid in dict.fromkeys(named_contact_ids) if cid in self.agency_of]
        return named or self.of_agencies(agency_ids)
