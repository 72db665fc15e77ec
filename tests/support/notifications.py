"""Fixtures for the notifications tests: a small partnership, who was told what, and the edit page's values."""

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from scp_tracker.core.history import Actor
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.notifications.models import Notification
from scp_tracker.people.models import Agency, Contact, User
from scp_tracker.plans.models import Objective
from scp_tracker.plans.services import FundingValues, ObjectiveValues

NOW = datetime(2017, 4, 18, 9, 0, tzinfo=UTC)


@dataclass
class NotificationWorld:
    """Agencies, people and one objective whose notifications are known."""

    cbc: Agency
    ep: Agency
    coordinator: User  # at the partnership (SCP)
    lead: User  # a lead at CBC, which leads the campaign
    colleague: Contact  # also at CBC, receives reminders, no login
    quiet: Contact  # at CBC, does not receive reminders
    police_lead: User  # a lead at EP, which leads nothing yet
    campaign: Objective  # led by CBC, ends 30 April 2017, £5,000 SCP funding

    def actor(self, user: User) -> Actor:
        """The actor for one of the world's users."""
        return Actor.for_user(user)


@pytest.fixture
def notification_world(db, make_agency, make_contact, make_user, make_key_priority, make_objective):
    """A coordinator, two CBC leads (one with a login), a quiet CBC contact, an EP lead, and CBC's campaign."""
    scp = make_agency("SCP", "Safer Colchester Partnership")
    cbc = make_agency("CBC", "Colchester Borough Council")
    ep = make_agency("EP", "Essex Police")
    coordinator = make_user("coordinator", agency=scp, name="Cora Coordinator", email="cora@example.org")
    lead = make_user("lead", agency=cbc, name="Lee Lead", email="lee.lead@example.org")
    colleague = make_contact(cbc, "Col League", "col.league@example.org")
    quiet = make_contact(cbc, "Quinn Quiet", "quinn.quiet@example.org", receives_reminders=False)
    police_lead = make_user("lead", agency=ep, name="Pat Police", email="pat.police@example.org")
    kp = make_key_priority(number=1, title="To protect vulnerable people")
    campaign = make_objective(kp, "Social media campaign", leads=[cbc], end_date=date(2017, 4, 30),
                              funding=[{"amount_pence": 500000, "source": "SCP", "status": "confirmed",
                                        "text": "£5,000 SCP"}])
    db.session.commit()
    return NotificationWorld(cbc, ep, coordinator, lead, colleague, quiet, police_lead, campaign)


def _contact_id(who) -> int:
    """A contact's id, given the contact or their login."""
    return who.contact_id if isinstance(who, User) else who.id


@pytest.fixture
def told(db):
    """told(who): [(kind, delivery)] of the notifications written for a contact (or login), oldest first."""

    def _told(who) -> list[tuple[str, str]]:
        return [tuple(row) for row in db.session.execute(
            select(Notification.kind, Notification.delivery).where(Notification.contact_id == _contact_id(who))
            .order_by(Notification.id))]

    return _told


@pytest.fixture
def notification_emails(db):
    """notification_emails(): the notification emails in the outbox, oldest first."""

    def _emails() -> list[OutboxMessage]:
        return list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "notification")
                                       .order_by(OutboxMessage.id).execution_options(populate_existing=True)))

    return _emails


@pytest.fixture
def all_notifications(db):
    """all_notifications(): every notification written, oldest first."""

    def _all() -> list[Notification]:
        return list(db.session.scalars(select(Notification).order_by(Notification.id)))

    return _all


def objective_values(objective: Objective, **changes) -> ObjectiveValues:
    """The edit page's values for an objective as it is, with the given fields changed."""
    values = ObjectiveValues(
        title=objective.title, text=objective.text, status=objective.status, rag=objective.rag,
        end_date_status=objective.end_date_status, end_date=objective.end_date,
        agency_ids=[link.agency_id for link in objective.lead_links],
        contact_ids=[link.contact_id for link in objective.contact_links],
        funding=[FundingValues(id=line.id, amount_pence=line.amount_pence, source=line.source, pot=line.pot,
                               status=line.status) for line in objective.funding_lines],
        police_scope=objective.police_scope, police_numbers=list(objective.police_numbers or []),
        pcc_scope=objective.pcc_scope, pcc_numbers=list(objective.pcc_numbers or []),
    )
    return replace(values, **changes)


def contact_named(db, name: str) -> Contact:
    """The contact with this name."""
    return db.session.scalar(select(Contact).where(Contact.name == name))
