"""A round's steps on chosen dates: the call, the reminder, the last day, the escalation; once each, caught up after
downtime, never after a later step; plain data, no database."""

from dataclasses import replace
from datetime import date

import pytest

from scp_tracker.reminders.round_steps import RoundFacts, calling_leads, current_step, find_round_steps
from scp_tracker.reminders.rules import ContactFacts, ObjectiveFacts, People, ReminderSettings

LEAD, OTHER_LEAD, COORDINATOR, KP_LEAD, KP_PARTNER = 1, 2, 3, 4, 5
LEAD_AGENCY, OTHER_AGENCY, KP_AGENCY = 10, 11, 20
CONTACTS = (
    ContactFacts(LEAD, "lead@example.org", "Lee Lead", LEAD_AGENCY),
    ContactFacts(OTHER_LEAD, "other@example.org", "Olu Other", OTHER_AGENCY),
    ContactFacts(COORDINATOR, "cora@example.org", "Cora", 99, login_roles=frozenset({"coordinator"})),
    ContactFacts(KP_LEAD, "kim@example.org", "Kim Priority", KP_AGENCY),
    ContactFacts(KP_PARTNER, "pat@example.org", "Pat Partner", KP_AGENCY, login_roles=frozenset({"partner"})),
)
PEOPLE = People(CONTACTS, [COORDINATOR])
PLAN = 1
UPDATED = ObjectiveFacts(id=7, title="Updated", plan_id=PLAN, lead_status="set", lead_agency_ids=(LEAD_AGENCY,),
                         key_priority_lead_agency_ids=(KP_AGENCY,))
SILENT = replace(UPDATED, id=8, title="Silent", lead_agency_ids=(OTHER_AGENCY,))
# Deadline Friday 30 June 2017: call 9 June, reminder 23 June, last day 30 June.
ROUND = RoundFacts(id=3, plan_id=PLAN, name="June 2017 round", deadline=date(2017, 6, 30),
                   updated_objective_ids=frozenset({UPDATED.id}))
DEFAULTS = ReminderSettings()


def steps(on, *, round_=ROUND, settings=DEFAULTS, sent=frozenset(), objectives=(UPDATED, SILENT)):
    """The steps due on a date, as (objective, kind, recipient)."""
    return {(r.objective_id, r.kind, r.contact_id)
            for r in find_round_steps([round_], objectives, PEOPLE, on, settings, already_sent=sent)}


@pytest.mark.parametrize("on, step", [
    (date(2017, 6, 8), None),
    (date(2017, 6, 9), "round_call"),           # 21 days before the deadline
    (date(2017, 6, 22), "round_call"),          # a missed call is still sent up to the reminder's day
    (date(2017, 6, 23), "round_reminder"),      # 7 days before
    (date(2017, 6, 29), "round_reminder"),
    (date(2017, 6, 30), "round_last_day"),      # the deadline
    (date(2017, 7, 3), "round_escalation"),     # after it
    (date(2017, 7, 21), "round_escalation"),    # caught up for three weeks
    (date(2017, 7, 22), None),
])
def test_the_current_step_by_date(on, step):
    assert current_step(ROUND, on, DEFAULTS) == step


def test_steps_come_from_the_settings_and_a_step_on_a_day_off_goes_on_the_run_day_before():
    christmas = replace(ROUND, deadline=date(2016, 12, 31))  # the reminder's day is Saturday 24 December
    assert current_step(christmas, date(2016, 12, 23), DEFAULTS) == "round_reminder"
    assert current_step(christmas, date(2016, 12, 30), DEFAULTS) == "round_last_day"
    saturday = replace(ROUND, deadline=date(2017, 9, 30))
    assert current_step(saturday, date(2017, 9, 29), DEFAULTS) == "round_last_day"
    assert current_step(saturday, date(2017, 9, 29), replace(DEFAULTS, round_last_day=False)) == "round_reminder"
    assert current_step(ROUND, date(2017, 6, 2), replace(DEFAULTS, round_call_days=28)) == "round_call"
    assert current_step(ROUND, date(2017, 6, 20), replace(DEFAULTS, round_reminder_days=10)) == "round_reminder"


def test_the_call_goes_to_every_lead_the_reminders_only_to_those_who_have_not_updated():
    assert steps(date(2017, 6, 9)) == {(UPDATED.id, "round_call", LEAD), (SILENT.id, "round_call", OTHER_LEAD)}
    assert steps(date(2017, 6, 23)) == {(SILENT.id, "round_reminder", OTHER_LEAD)}
    assert steps(date(2017, 6, 30)) == {(SILENT.id, "round_last_day", OTHER_LEAD)}


def test_one_escalation_to_the_key_prioritys_lead_agency_and_the_coordinator_for_what_is_missing():
    # The partner login at the key priority's lead agency is not brought in by their agency.
    assert steps(date(2017, 7, 3)) == {(SILENT.id, "round_escalation", KP_LEAD),
                                       (SILENT.id, "round_escalation", COORDINATOR)}
    sent = {(SILENT.id, "round_escalation", "round:3", contact) for contact in (KP_LEAD, COORDINATOR)}
    assert steps(date(2017, 7, 4), sent=sent) == set()


def test_each_step_once_per_objective_round_and_person_and_a_stale_step_never_after_a_later_one():
    called = {(o.id, "round_call", "round:3", c) for o, c in ((UPDATED, LEAD), (SILENT, OTHER_LEAD))}
    assert steps(date(2017, 6, 12), sent=called) == set()
    # Down from the call's day to the reminder's: the reminder goes, the call never does.
    assert steps(date(2017, 6, 26)) == {(SILENT.id, "round_reminder", OTHER_LEAD)}
    # Another round's steps are other keys.
    assert steps(date(2017, 6, 12), sent=called, round_=replace(ROUND, id=4)) == {
        (UPDATED.id, "round_call", LEAD), (SILENT.id, "round_call", OTHER_LEAD)}


def test_only_open_objectives_of_the_rounds_plan():
    other_plan = replace(SILENT, plan_id=2)
    done = replace(SILENT, id=9, status="complete")
    assert steps(date(2017, 6, 9), objectives=(other_plan, done)) == set()


def test_the_leads_being_called_are_those_of_the_rounds_open_objectives_from_before_the_call_to_deadline():
    # From the week before the call: the weekly email waits for the call rather than come days before it.
    assert calling_leads([ROUND], [UPDATED, SILENT], PEOPLE, date(2017, 6, 2), DEFAULTS) == set()
    assert calling_leads([ROUND], [UPDATED, SILENT], PEOPLE, date(2017, 6, 3), DEFAULTS) == {LEAD, OTHER_LEAD}
    assert calling_leads([ROUND], [UPDATED, SILENT], PEOPLE, date(2017, 6, 30), DEFAULTS) == {LEAD, OTHER_LEAD}
    assert calling_leads([ROUND], [UPDATED, SILENT], PEOPLE, date(2017, 7, 3), DEFAULTS) == set()


def test_the_escalation_goes_to_whoever_holds_the_key_prioritys_lead_role_else_its_lead_agencys_people():
    kp, other_kp, priya = 40, 41, 6
    people = People([*CONTACTS, ContactFacts(priya, "priya@example.org", "Priya", OTHER_AGENCY,
                                             login_roles=frozenset({"key_priority_lead", "viewer"}),
                                             led_key_priority_ids=frozenset({kp}))], [COORDINATOR])
    led = replace(SILENT, key_priority_id=kp)
    elsewhere = replace(SILENT, id=9, key_priority_id=other_kp)
    found = {(r.objective_id, r.contact_id) for r in find_round_steps(
        [ROUND], [led, elsewhere], people, date(2017, 7, 3), DEFAULTS) if r.kind == "round_escalation"}
    assert found == {(led.id, priya), (led.id, COORDINATOR), (elsewhere.id, KP_LEAD), (elsewhere.id, COORDINATOR)}
