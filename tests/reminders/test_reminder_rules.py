"""The reminder rules on chosen dates: every kind and stage, month ends, the clock changes, pauses and opt-outs."""

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from scp_tracker.core.clock import today_in_london
from scp_tracker.reminders.rules import (
    ContactFacts,
    EventFacts,
    ObjectiveFacts,
    ReminderSettings,
    due_soon_stage,
    find_event_reminders,
    find_reminders,
    is_run_day,
    objectives_with_nobody_to_remind,
)

LEAD, COLLEAGUE, COORDINATOR, KP_LEAD, NAMED = 1, 2, 3, 4, 5
LEAD_AGENCY, KP_AGENCY, EMPTY_AGENCY, COORDINATOR_AGENCY, NAMED_AGENCY = 10, 20, 30, 99, 40

CONTACTS = (
    ContactFacts(LEAD, "lead@example.org", "Lee Lead", LEAD_AGENCY),
    ContactFacts(COLLEAGUE, "quiet@example.org", "Quinn Quiet", LEAD_AGENCY, receives_reminders=False),
    ContactFacts(COORDINATOR, "coordinator@example.org", "Cora Coordinator", COORDINATOR_AGENCY),
    ContactFacts(KP_LEAD, "kp@example.org", "Kim Priority", KP_AGENCY),
    ContactFacts(NAMED, "named@example.org", "Nia Named", NAMED_AGENCY),
)

BASE = ObjectiveFacts(
    id=7,
    title="Social media campaign",
    key_priority_number=1,
    key_priority_title="To protect vulnerable people",
    end_date=date(2017, 4, 30),
    end_date_status="set",
    lead_status="set",
    last_progress_at=datetime(2017, 4, 1, 9, tzinfo=UTC),
    latest_progress_text="Campaign planned",
    lead_agency_ids=(LEAD_AGENCY,),
    lead_agency_names=("CBC",),
    key_priority_lead_agency_ids=(KP_AGENCY,),
    created_on=date(2016, 4, 1),
)


DEFAULT_SETTINGS = ReminderSettings()
# Copies of leads' reminders to the coordinator are a preference, off by default.
COPYING = ReminderSettings(copy_coordinator=True)


def found(objective=BASE, on=date(2017, 4, 16), contacts=CONTACTS, settings=DEFAULT_SETTINGS):
    """The reminders due on a date, as a set of (kind, stage or period, recipient)."""
    return {(r.kind, r.stage_or_period, r.contact_id)
            for r in find_reminders([objective], contacts, [COORDINATOR], on, settings)}


@pytest.mark.parametrize("on, expected", [
    (date(2017, 4, 1), set()),  # 29 days left: no stage yet
    (date(2017, 4, 2), {("due_soon", "2017-04-30:28", LEAD)}),
    (date(2017, 4, 10), {("due_soon", "2017-04-30:28", LEAD)}),  # a missed stage is caught up
    (date(2017, 4, 16), {("due_soon", "2017-04-30:14", LEAD)}),
    (date(2017, 4, 20), {("due_soon", "2017-04-30:14", LEAD)}),
    (date(2017, 4, 23), {("due_soon", "2017-04-30:7", LEAD)}),
    (date(2017, 4, 29), {("due_soon", "2017-04-30:1", LEAD)}),
    (date(2017, 4, 30), {("due_soon", "2017-04-30:1", LEAD)}),  # due today
    (date(2017, 5, 1), {("overdue", "2017-04-30:0", LEAD)}),  # no copy to the coordinator by default
    (date(2017, 5, 12), {("overdue", "2017-04-30:0", LEAD)}),
    (date(2017, 5, 15), {("overdue", "2017-04-30:1", LEAD), ("stale", "2017-04-01:0", LEAD)}),  # a fortnight on
])
def test_due_soon_stages_and_fortnightly_overdue(on, expected):
    assert found(on=on) == expected


def test_a_later_stage_supersedes_an_earlier_unsent_one():
    # Run last on the 28-day stage's first day, then not again until 6 days are left: only stage 7 is sent.
    assert found(on=date(2017, 4, 24)) == {("due_soon", "2017-04-30:7", LEAD)}


@pytest.mark.parametrize("end, on, expected_stage", [
    (date(2017, 2, 28), date(2017, 1, 31), "2017-02-28:28"),   # across a month end
    (date(2016, 2, 29), date(2016, 2, 1), "2016-02-29:28"),    # leap day
    (date(2016, 9, 30), date(2016, 9, 29), "2016-09-30:1"),
    (date(2016, 12, 31), date(2016, 12, 17), "2016-12-31:14"),
])
def test_due_soon_on_month_ends(end, on, expected_stage):
    objective = replace(BASE, end_date=end, last_progress_at=datetime.combine(on, datetime.min.time(), UTC))
    assert found(objective, on) == {("due_soon", expected_stage, LEAD)}


def test_overdue_starts_the_day_after_a_month_end():
    objective = replace(BASE, end_date=date(2017, 2, 28), last_progress_at=datetime(2017, 2, 20, tzinfo=UTC))
    assert ("overdue", "2017-02-28:0", LEAD) in found(objective, date(2017, 3, 1))
    assert found(objective, date(2017, 2, 28)) == {("due_soon", "2017-02-28:1", LEAD)}


def test_an_end_date_moved_after_a_reminder_makes_a_new_one_due():
    before = found(on=date(2017, 4, 16))
    moved_earlier = found(replace(BASE, end_date=date(2017, 4, 25)), date(2017, 4, 16))
    assert before == {("due_soon", "2017-04-30:14", LEAD)}
    assert moved_earlier == {("due_soon", "2017-04-25:14", LEAD)}
    moved_later = found(replace(BASE, end_date=date(2017, 5, 31)), date(2017, 5, 3))
    assert ("due_soon", "2017-05-31:28", LEAD) in moved_later


@pytest.mark.parametrize("now, today", [
    (datetime(2016, 6, 30, 23, 30, tzinfo=UTC), date(2016, 7, 1)),    # 00:30 BST is the next day
    (datetime(2017, 3, 25, 23, 30, tzinfo=UTC), date(2017, 3, 25)),   # GMT: the same day
    (datetime(2017, 3, 26, 23, 30, tzinfo=UTC), date(2017, 3, 27)),   # first night of BST
    (datetime(2016, 10, 29, 23, 30, tzinfo=UTC), date(2016, 10, 30)),  # last night of BST
    (datetime(2016, 10, 30, 0, 30, tzinfo=UTC), date(2016, 10, 30)),   # 01:30 BST, before the change
    (datetime(2016, 10, 30, 23, 30, tzinfo=UTC), date(2016, 10, 30)),  # 23:30 GMT after the change
])
def test_today_is_the_date_in_london(now, today):
    assert today_in_london(now) == today


def test_a_run_just_after_midnight_bst_counts_the_next_day():
    objective = replace(BASE, end_date=date(2016, 7, 29), last_progress_at=datetime(2016, 6, 20, tzinfo=UTC))
    on = today_in_london(datetime(2016, 6, 30, 23, 30, tzinfo=UTC))
    assert found(objective, on) == {("due_soon", "2016-07-29:28", LEAD)}


STALE = replace(BASE, end_date=date(2017, 3, 31), last_progress_at=datetime(2016, 6, 30, 23, 30, tzinfo=UTC))


@pytest.mark.parametrize("on, expected", [
    (date(2016, 8, 11), set()),  # 41 days after 1 July (London), the day of the last update
    (date(2016, 8, 12), {("stale", "2016-07-01:0", LEAD)}),  # a Friday: the first period runs to the Monday after
    (date(2016, 8, 21), {("stale", "2016-07-01:0", LEAD)}),  # the next one (at least half a period)
    (date(2016, 8, 22), {("stale", "2016-07-01:1", LEAD)}),  # then every fourteen days from a Monday
    (date(2016, 9, 4), {("stale", "2016-07-01:1", LEAD)}),
    (date(2016, 9, 5), {("stale", "2016-07-01:2", LEAD)}),
])
def test_stale_every_fourteen_days_aligned_to_the_calendar(on, expected):
    assert found(STALE, on) == expected


def test_a_progress_update_ends_the_stale_series():
    updated = replace(STALE, last_progress_at=datetime(2016, 8, 20, 10, tzinfo=UTC))
    assert found(updated, date(2016, 8, 26)) == set()
    assert found(updated, date(2016, 9, 30)) == set()
    assert found(updated, date(2016, 10, 1)) == {("stale", "2016-08-20:0", LEAD)}


def test_an_objective_never_updated_is_stale_from_its_creation():
    never = replace(STALE, last_progress_at=None, created_on=date(2016, 4, 1))
    assert found(never, date(2016, 5, 13)) == {("stale", "2016-04-01:0", LEAD)}


def test_stale_thresholds_come_from_the_settings():
    settings = ReminderSettings(stale_days=10, stale_repeat_days=5)
    assert found(STALE, date(2016, 7, 11), settings=settings) == {("stale", "2016-07-01:0", LEAD)}
    assert found(STALE, date(2016, 7, 17), settings=settings) == {("stale", "2016-07-01:1", LEAD)}


TBC = replace(BASE, end_date=date(2017, 3, 31), last_progress_at=datetime(2016, 4, 1, tzinfo=UTC),
              has_tbc_funding=True)


@pytest.mark.parametrize("on, period", [
    (date(2016, 4, 1), "2016-04-01:0"),
    (date(2016, 5, 1), "2016-04-01:0"),
    (date(2016, 5, 2), "2016-04-01:1"),  # every 28 days from a Monday
    (date(2016, 5, 30), "2016-04-01:2"),
])
def test_tbc_funding_every_28_days_to_leads_with_a_copy_to_the_coordinator_when_chosen(on, period):
    assert {f for f in found(TBC, on, settings=COPYING) if f[0] == "tbc_funding"} == {
        ("tbc_funding", period, LEAD), ("tbc_funding", period, COORDINATOR)}
    assert {f for f in found(TBC, on) if f[0] == "tbc_funding"} == {("tbc_funding", period, LEAD)}


def test_funding_tbc_asks_for_the_amount_source_and_pot():
    (reminder,) = [r for r in find_reminders([TBC], CONTACTS, [COORDINATOR], date(2016, 4, 1))
                   if r.kind == "tbc_funding"]
    assert "amount, its source and the pot" in reminder.detail


def test_the_coordinators_copy_says_it_is_a_copy():
    reminders = find_reminders([TBC], CONTACTS, [COORDINATOR], date(2016, 4, 1), COPYING)
    details = {r.contact_id: r.detail for r in reminders}
    assert details[COORDINATOR].startswith("Copy to the coordinator:")
    assert "Funding is still to be confirmed" in details[LEAD]


@pytest.mark.parametrize("lead_status", ["tbc", "missing"])
def test_a_lead_to_be_confirmed_goes_to_the_coordinator_and_the_key_prioritys_lead(lead_status):
    objective = replace(TBC, has_tbc_funding=False, lead_status=lead_status, lead_agency_ids=(), lead_agency_names=())
    assert found(objective, date(2016, 4, 1)) == {("tbc_lead", "2016-04-01:0", COORDINATOR),
                                                  ("tbc_lead", "2016-04-01:0", KP_LEAD)}
    assert found(objective, date(2016, 5, 2)) == {("tbc_lead", "2016-04-01:1", COORDINATOR),
                                                  ("tbc_lead", "2016-04-01:1", KP_LEAD)}


def test_a_lead_agency_with_nobody_to_remind_is_reported_to_the_coordinator():
    objective = replace(TBC, has_tbc_funding=False, lead_agency_ids=(LEAD_AGENCY, EMPTY_AGENCY),
                        lead_agency_names=("CBC", "Catch 22"))
    reminders = find_reminders([objective], CONTACTS, [COORDINATOR], date(2016, 5, 1))
    assert [(r.kind, r.contact_id) for r in reminders] == [("no_contact", COORDINATOR)]
    assert "Nobody at Catch 22 receives reminders" in reminders[0].detail


def test_no_contact_is_not_reported_when_a_lead_is_named():
    objective = replace(TBC, has_tbc_funding=False, lead_agency_ids=(EMPTY_AGENCY,), named_contact_ids=(NAMED,))
    assert found(objective, date(2016, 5, 1)) == set()


@pytest.mark.parametrize("status", ["tbc", "missing"])
def test_an_end_date_missing_goes_to_leads_and_a_copy_to_the_coordinator_when_chosen(status):
    objective = replace(TBC, has_tbc_funding=False, end_date=None, end_date_status=status)
    assert found(objective, date(2016, 5, 2)) == {("end_date_missing", "2016-04-01:1", LEAD)}
    assert found(objective, date(2016, 5, 2), settings=COPYING) == {("end_date_missing", "2016-04-01:1", LEAD),
                                                                    ("end_date_missing", "2016-04-01:1", COORDINATOR)}


def test_named_contacts_are_the_leads_instead_of_the_agencys_contacts():
    objective = replace(BASE, named_contact_ids=(NAMED,))
    assert found(objective) == {("due_soon", "2017-04-30:14", NAMED)}


def test_named_contacts_who_receive_no_reminders_fall_back_to_the_agencys_contacts():
    objective = replace(BASE, named_contact_ids=(COLLEAGUE,))
    assert found(objective) == {("due_soon", "2017-04-30:14", LEAD)}


def test_contacts_who_receive_no_reminders_get_none():
    quiet = tuple(replace(c, receives_reminders=False) if c.id == LEAD else c for c in CONTACTS)
    assert found(contacts=quiet) == {("no_contact", "2016-04-01:13", COORDINATOR)}  # the 14th 28 days
    assert [o.id for o in objectives_with_nobody_to_remind([BASE], quiet)] == [BASE.id]
    assert objectives_with_nobody_to_remind([BASE], CONTACTS) == []


def test_a_paused_contact_gets_nothing_until_the_pause_ends_then_catches_up():
    paused = tuple(replace(c, paused_until=date(2017, 4, 20)) if c.id == LEAD else c for c in CONTACTS)
    assert found(on=date(2017, 4, 16), contacts=paused) == set()
    assert found(on=date(2017, 4, 20), contacts=paused) == set()
    assert found(on=date(2017, 4, 21), contacts=paused) == {("due_soon", "2017-04-30:14", LEAD)}


def test_a_paused_coordinator_gets_nothing_but_the_leads_still_do():
    paused = tuple(replace(c, paused_until=date(2017, 5, 31)) if c.id == COORDINATOR else c for c in CONTACTS)
    assert found(on=date(2017, 5, 1), contacts=paused) == {("overdue", "2017-04-30:0", LEAD)}


def test_optional_kinds_can_be_opted_out_of_but_not_due_soon_or_overdue():
    objective = replace(STALE, end_date=date(2016, 8, 20))
    choosy = tuple(replace(c, opted_out_kinds=frozenset({"stale", "due_soon", "overdue"})) if c.id == LEAD else c
                   for c in CONTACTS)
    assert found(objective, date(2016, 8, 12), contacts=CONTACTS) == {
        ("stale", "2016-07-01:0", LEAD), ("due_soon", "2016-08-20:14", LEAD)}
    assert found(objective, date(2016, 8, 12), contacts=choosy) == {("due_soon", "2016-08-20:14", LEAD)}
    assert ("overdue", "2016-08-20:0", LEAD) in found(objective, date(2016, 8, 21), contacts=choosy)


@pytest.mark.parametrize("change", [
    {"status": "complete"},
    {"status": "cancelled"},
    {"plan_status": "archived"},
])
def test_no_reminders_for_complete_cancelled_or_archived(change):
    everything = replace(TBC, lead_status="tbc", end_date=date(2016, 4, 10), last_progress_at=None, **change)
    for on in (date(2016, 4, 1), date(2016, 5, 1), date(2016, 9, 1)):
        assert found(everything, on) == set()


def test_a_coordinator_who_also_leads_gets_one_reminder_per_item():
    contacts = tuple(replace(c, agency_id=LEAD_AGENCY) if c.id == COORDINATOR else c for c in CONTACTS)
    assert found(on=date(2017, 5, 1), contacts=contacts) == {
        ("overdue", "2017-04-30:0", LEAD), ("overdue", "2017-04-30:0", COORDINATOR)}
    reminders = find_reminders([TBC], contacts, [COORDINATOR], date(2016, 4, 1), COPYING)
    assert [(r.kind, r.contact_id, r.detail.startswith("Copy")) for r in reminders] == [
        ("tbc_funding", LEAD, False), ("tbc_funding", COORDINATOR, False)]


def test_details_say_what_is_asked_with_gov_uk_dates():
    (reminder,) = find_reminders([BASE], CONTACTS, [COORDINATOR], date(2017, 4, 16))
    assert reminder.detail.startswith("Due in 14 days, on 30 April 2017.")
    (today,) = find_reminders([BASE], CONTACTS, [COORDINATOR], date(2017, 4, 30))
    assert today.detail.startswith("Due today, on 30 April 2017.")


def test_results_are_sorted_and_unique():
    objectives = [BASE, replace(BASE, id=3), TBC]
    reminders = find_reminders(objectives, CONTACTS, [COORDINATOR, COORDINATOR], date(2017, 5, 1))
    assert reminders == sorted(reminders)
    assert len({r.key for r in reminders}) == len(reminders)


@pytest.mark.parametrize("days_left, stage", [(30, None), (29, None), (28, 28), (15, 28), (14, 14), (8, 14),
                                              (7, 7), (2, 7), (1, 1), (0, 1), (-1, None)])
def test_due_soon_stage(days_left, stage):
    assert due_soon_stage(days_left, (1, 7, 14, 28)) == stage


@pytest.mark.parametrize("on, settings, runs", [
    (date(2017, 4, 13), ReminderSettings(), True),
    (date(2017, 4, 14), ReminderSettings(), False),  # Good Friday
    (date(2017, 4, 15), ReminderSettings(), False),  # Saturday
    (date(2017, 4, 17), ReminderSettings(), False),  # Easter Monday
    (date(2017, 4, 15), ReminderSettings(skip_weekends=False), True),
    (date(2017, 4, 14), ReminderSettings(skip_bank_holidays=False), True),
])
def test_run_days(on, settings, runs):
    assert is_run_day(on, settings) is runs


# --- event_outcome: an event whose day passed with no attendance or outcome -------------------------

EVENT = EventFacts(id=7, title="Crucial Crew", held_on=date(2017, 4, 10), agency_name="ECFRS",
                   agency_id=LEAD_AGENCY)


@pytest.mark.parametrize("on, expected_period", [
    (date(2017, 4, 10), None),              # the day itself: nothing yet
    (date(2017, 4, 11), "2017-04-10:0"),    # the day after
    (date(2017, 4, 24), "2017-04-10:0"),    # same fortnight: the same key, so nothing new once sent
    (date(2017, 4, 25), "2017-04-10:1"),    # a fortnight later (as often as overdue): asked again
])
def test_event_outcome_the_day_after_then_as_often_as_overdue(on, expected_period):
    reminders = find_event_reminders([EVENT], CONTACTS, on)
    periods = {r.period for r in reminders}
    assert periods == ({expected_period} if expected_period else set())
    assert all(r.kind == "event_outcome" and r.event_id == 7 for r in reminders)
    # The organising agency's contacts who receive reminders: not its colleague who does not, nor other agencies.
    assert {r.contact_id for r in reminders} == ({LEAD} if expected_period else set())


def test_event_outcome_respects_opt_outs_and_pauses():
    opted_out = replace(CONTACTS[0], opted_out_kinds=frozenset({"event_outcome"}))
    paused = replace(CONTACTS[1], receives_reminders=True, paused_until=date(2017, 4, 30))
    assert find_event_reminders([EVENT], (opted_out, paused), date(2017, 4, 11)) == []
    assert [r.contact_id for r in find_event_reminders([EVENT], (paused,), date(2017, 5, 1))] == [COLLEAGUE]


def test_moving_an_event_to_a_later_day_starts_again():
    moved = replace(EVENT, held_on=date(2017, 4, 12))
    assert {r.period for r in find_event_reminders([moved], CONTACTS, date(2017, 4, 13))} == {"2017-04-12:0"}
