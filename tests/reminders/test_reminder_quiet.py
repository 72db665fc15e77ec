"""Quiet by default, on chosen dates: one reminder email a week between rounds on the chosen weekday, the round's
steps carrying the rest, the last reminder before an end date on its own day; and who is asked (plans.leads)."""

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from scp_tracker.plans.leads import Remindable
from scp_tracker.reminders.quiet import weekly_day, within_budget
from scp_tracker.reminders.rules import (
    ContactFacts,
    EventReminder,
    ObjectiveFacts,
    Reminder,
    ReminderSettings,
    find_reminders,
)

LEE, KIM = 1, 2
DEFAULTS = ReminderSettings()  # weekly on Tuesdays
STALE = Reminder(7, "stale", "2017-03-01:0", LEE)
DUE_IN_14 = Reminder(8, "due_soon", "2017-05-15:14", LEE)
DUE_TOMORROW = Reminder(9, "due_soon", "2017-05-03:1", KIM)
CALL = Reminder(9, "round_call", "round:3", KIM)
EVENT = EventReminder(5, "2017-04-20:0", KIM)
KIMS_STALE = Reminder(10, "stale", "2017-03-01:0", KIM)


def going(on, due, **budget):
    return {(r.kind, r.contact_id) for r in within_budget(due, on, DEFAULTS, **budget)}


@pytest.mark.parametrize("on, expected", [
    (date(2017, 5, 1), date(2017, 5, 2)),  # the weekly day is Tuesday, whatever day of the week it is asked on
    (date(2017, 5, 2), date(2017, 5, 2)),
    (date(2017, 5, 7), date(2017, 5, 2)),
    (date(2017, 4, 11), date(2017, 4, 11)),
])
def test_the_weekly_day(on, expected):
    assert weekly_day(on, DEFAULTS) == expected


def test_a_weekly_day_on_a_bank_holiday_moves_to_the_next_run_day_that_week_or_else_the_one_before():
    mondays = replace(DEFAULTS, weekly_day=0)
    assert weekly_day(date(2017, 5, 3), mondays) == date(2017, 5, 2)  # Early May bank holiday
    assert weekly_day(date(2017, 4, 12), replace(DEFAULTS, weekly_day=4)) == date(2017, 4, 13)  # Good Friday
    assert weekly_day(date(2016, 12, 28), replace(DEFAULTS, weekly_day=1)) == date(2016, 12, 28)  # Boxing Day week


@pytest.mark.parametrize("on, budget, expected", [
    # Before the weekly day, only what goes on its own day (and what rides with it in the same email).
    (date(2017, 5, 1), {}, {("due_soon", KIM), ("round_call", KIM), ("event_outcome", KIM), ("stale", KIM)}),
    # On the weekly day, everyone's, merged into one email each.
    (date(2017, 5, 2), {}, {("stale", LEE), ("due_soon", LEE), ("due_soon", KIM), ("round_call", KIM),
                            ("event_outcome", KIM), ("stale", KIM)}),
    # Caught up later in the week by someone who had no weekly email yet (the run was down on Tuesday).
    (date(2017, 5, 4), {}, {("stale", LEE), ("due_soon", LEE), ("due_soon", KIM), ("round_call", KIM),
                            ("event_outcome", KIM), ("stale", KIM)}),
    # Lee had this week's already: the new ones wait for next week.
    (date(2017, 5, 4), {"recently_emailed": {LEE}}, {("due_soon", KIM), ("round_call", KIM), ("event_outcome", KIM),
                                                ("stale", KIM)}),
    # Between a round's call and its deadline, no weekly email: the round's steps carry it.
    (date(2017, 5, 2), {"calling": {LEE}}, {("due_soon", KIM), ("round_call", KIM), ("event_outcome", KIM),
                                            ("stale", KIM)}),
    # The coordinator's summary day: their items come with it.
    (date(2017, 5, 1), {"emailed_anyway": {LEE}}, {("stale", LEE), ("due_soon", LEE), ("due_soon", KIM),
                                                   ("round_call", KIM), ("event_outcome", KIM), ("stale", KIM)}),
])
def test_what_goes_today_and_what_waits(on, budget, expected):
    assert going(on, [STALE, DUE_IN_14, DUE_TOMORROW, CALL, EVENT, KIMS_STALE], **budget) == expected


def test_nothing_but_the_day_before_reminder_and_round_steps_goes_outside_the_weekly_day():
    assert going(date(2017, 5, 3), [STALE, DUE_IN_14], recently_emailed={LEE}) == set()
    assert going(date(2017, 5, 3), [DUE_TOMORROW], recently_emailed={KIM}) == {("due_soon", KIM)}
    assert going(date(2017, 5, 3), [CALL], recently_emailed={KIM}, calling={KIM}) == {("round_call", KIM)}
    # With stages ending at 3 days, the 3-day reminder is the last before the end date: it goes on its day.
    three = Reminder(9, "due_soon", "2017-05-06:3", KIM)
    assert within_budget([three], date(2017, 5, 3), replace(DEFAULTS, due_soon_stages=(40, 3)),
                         recently_emailed={KIM}) == [three]


OBJECTIVE = ObjectiveFacts(id=7, title="Campaign", end_date=date(2017, 4, 30), end_date_status="set",
                           lead_status="set", lead_agency_ids=(10,), last_progress_at=datetime(2017, 4, 1, tzinfo=UTC),
                           created_on=date(2016, 4, 1))
LEAD_CONTACT = ContactFacts(LEE, "lee@example.org", "Lee", 10)


def test_overdue_chasing_stops_once_there_is_progress_since_the_end_date_then_stale_governs():
    def kinds(objective, on):
        return {r.kind for r in find_reminders([objective], [LEAD_CONTACT], [], on)}

    assert kinds(OBJECTIVE, date(2017, 5, 2)) == {"overdue"}
    answered = replace(OBJECTIVE, last_progress_at=datetime(2017, 5, 3, 9, tzinfo=UTC))  # "delayed, waiting on X"
    assert kinds(answered, date(2017, 5, 16)) == set()
    assert kinds(answered, date(2017, 6, 14)) == {"stale"}  # 42 days after that update
    on_the_day = replace(OBJECTIVE, last_progress_at=datetime(2017, 4, 30, 9, tzinfo=UTC))
    assert kinds(on_the_day, date(2017, 5, 2)) == {"overdue"}  # progress on the end date is not since it


@pytest.mark.parametrize("people, named, agencies, has_lead, kp_agencies, asked", [
    # Named contacts who receive reminders are the leads, whatever their login.
    ([(1, 10, ()), (2, 10, {"partner"})], [2], [10], True, [], [2]),
    # Else the lead agencies' people, but not partner or viewer logins: their agency alone does not bring them in.
    ([(1, 10, ()), (2, 10, {"partner"}), (3, 10, {"viewer"}), (4, 10, {"lead"}), (5, 10, {"coordinator"})], [], [10],
     True, [], [1, 4, 5]),
    # Named contacts who do not receive reminders fall back to the agencies.
    ([(1, 10, ())], [9], [10], True, [], [1]),
    # With no lead agency, the key priority's lead agencies' people are asked to propose one.
    ([(1, 10, ()), (2, 20, ()), (3, 20, {"viewer"})], [], [], False, [20], [2]),
    ([(1, 10, ()), (2, 20, ())], [], [10], True, [20], [1]),
])
def test_who_is_asked_one_rule(people, named, agencies, has_lead, kp_agencies, asked):
    remindable = Remindable(people)
    assert remindable.asked_about(named, agencies, has_lead=has_lead, key_priority_agency_ids=kp_agencies) == asked


def test_the_day_before_reminder_waits_for_a_round_step_that_comes_before_the_end_date():
    due_on_deadline = Reminder(9, "due_soon", "2017-06-30:1", KIM)  # the end date is the round's deadline
    round_ = {"calling": {KIM}}
    assert going(date(2017, 6, 29), [due_on_deadline], next_step_on={KIM: date(2017, 6, 30)}, **round_) == set()
    assert going(date(2017, 6, 30), [due_on_deadline, Reminder(9, "round_last_day", "round:3", KIM)],
                 next_step_on={KIM: date(2017, 6, 30)}, **round_) == {("due_soon", KIM), ("round_last_day", KIM)}
    # A step after the end date cannot carry it: it goes on its own day.
    assert going(date(2017, 6, 29), [due_on_deadline], next_step_on={KIM: date(2017, 7, 3)},
                 **round_) == {("due_soon", KIM)}


def test_the_escalation_after_a_deadline_comes_with_the_weekly_email():
    escalation = Reminder(9, "round_escalation", "round:3", KIM)
    assert going(date(2017, 7, 3), [escalation]) == set()  # Monday
    assert going(date(2017, 7, 4), [escalation]) == {("round_escalation", KIM)}
