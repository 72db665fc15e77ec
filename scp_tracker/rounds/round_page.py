"""Reading a round for the coordinator: each open objective in it, whom to ask, and whether it was updated."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from scp_tracker.extensions import db
from scp_tracker.people.models import Agency, Contact
from scp_tracker.plans.chasing_list import lead_recipients
from scp_tracker.plans.models import KeyPriority, Objective, ObjectiveContact, ObjectiveLead
from scp_tracker.rounds.board_paper import round_rows
from scp_tracker.rounds.models import ReportingRound
from scp_tracker.rounds.windows import RoundWindow, window_for


@dataclass(frozen=True)
class RoundObjective:
    """An open objective of the round: its leads and when it was last updated in the window (None: not yet)."""

    objective: Objective
    leads: list[Contact]
    updated_at: datetime | None


@dataclass(frozen=True)
class RoundProgress:
    """A round as the coordinator follows it."""

    window: RoundWindow
    objectives: list[RoundObjective]

    @property
    def round(self) -> ReportingRound:
        return self.window.round

    @property
    def not_updated(self) -> list[RoundObjective]:
        """The open objectives with no update in the window."""
        return [item for item in self.objectives if item.updated_at is None]

    @property
    def leads_to_remind(self) -> list[Contact]:
        """The leads of the objectives not yet updated, each once, by name."""
        found = {lead.id: lead for item in self.not_updated for lead in item.leads}
        return sorted(found.values(), key=lambda contact: (contact.name.lower(), contact.id))


def round_progress(round_: ReportingRound) -> RoundProgress:
    """Who has updated and who has not in one round (a fixed number of queries)."""
    window = window_for(round_)
    rows = {row["objective_id"]: row for row in round_rows(window) if row["status"] == "open"}
    objectives = db.session.scalars(
        select(Objective).join(Objective.key_priority).where(Objective.id.in_(rows))
        .options(
            # The leads with their logins (a partner's or viewer's login is not asked through the agency).
            selectinload(Objective.lead_links).joinedload(ObjectiveLead.agency).selectinload(Agency.contacts)
            .joinedload(Contact.user),
            selectinload(Objective.contact_links).joinedload(ObjectiveContact.contact).joinedload(Contact.user),
        )
        .order_by(KeyPriority.number, Objective.position, Objective.id)).all()
    return RoundProgress(window, [
        RoundObjective(objective, lead_recipients(objective),
                       rows[objective.id]["progress_at"] if rows[objective.id]["updated_in_round"] else None)
        for objective in objectives])
