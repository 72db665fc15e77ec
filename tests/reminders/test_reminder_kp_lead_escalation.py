"""A round's escalation reaches the key priority lead's login (the one rule of plans.leads): the person who holds the
key priority lead role for the objective's key priority, not everyone at its lead agencies; while nobody holds it
(or their login is disabled), the lead agencies' people, as before."""

from datetime import UTC, datetime, time, timedelta

import pytest
from sqlalchemy import select
from support.reminders import MAY_DEADLINE

from scp_tracker.mail.models import OutboxMessage
from scp_tracker.reminders.facts import load_facts
from scp_tracker.reminders.models import ReminderRecord
from scp_tracker.reminders.services import run_reminders

DEADLINE = MAY_DEADLINE  # tests.support.reminders: the May round



@pytest.fixture
def priya(reminder_world, make_user, make_agency):
    """The key priority lead of key priority 1, at an agency that leads nothing (a login of that role only)."""
    kp = reminder_world.campaign.key_priority
    return make_user(roles=("key_priority_lead",), key_priority_ids=(kp.id,), agency=make_agency("EP", "Essex Police"),
                     name="Priya Priority", email="priya@example.org")


def _escalated(db) -> set[tuple[int, int]]:
    _run_after_the_deadline(db)
    return {(objective_id, contact_id) for objective_id, contact_id in db.session.execute(
        select(ReminderRecord.objective_id, ReminderRecord.contact_id)
        .where(ReminderRecord.kind == "round_escalation"))}


def _run_after_the_deadline(db) -> None:
    day = DEADLINE + timedelta(days=1)
    while day <= DEADLINE + timedelta(days=9):
        run_reminders(day, now=datetime.combine(day, time(6), UTC))
        db.session.commit()
        day += timedelta(days=1)


def test_the_reminder_run_knows_who_leads_each_key_priority(db, reminder_world, priya):
    facts = load_facts()
    assert facts.contacts[priya.contact_id].led_key_priority_ids == {reminder_world.campaign.key_priority_id}
    assert facts.contacts[priya.contact_id].login_roles == {"key_priority_lead"}
    assert facts.contacts[reminder_world.kp_lead.id].led_key_priority_ids == frozenset()
    campaign = next(o for o in facts.objectives if o.id == reminder_world.campaign.id)
    assert campaign.key_priority_id == reminder_world.campaign.key_priority_id


def test_the_escalation_goes_to_the_key_priority_leads_login_and_the_coordinator(db, reminder_world, may_round,
                                                                               priya):
    w = reminder_world
    escalated = _escalated(db)
    missing = {w.campaign.id, w.keep_safe.id, w.walk_and_talk.id, w.gangs.id}
    assert escalated == {(objective, person) for objective in missing
                         for person in (priya.contact_id, w.coordinator.id)}
    email = next(m for m in db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address ==
                                                                           "priya@example.org"))
                 if "No update by the deadline" in m.text_body)
    assert f"/objectives/{w.campaign.id}" in email.text_body  # a sign-in link: Priya may update it there


def test_without_a_key_priority_lead_login_the_lead_agencys_people_are_told(db, reminder_world, may_round, priya):
    w = reminder_world
    priya.is_enabled = False
    db.session.commit()
    escalated = _escalated(db)
    assert {person for _, person in escalated} == {w.kp_lead.id, w.coordinator.id}
