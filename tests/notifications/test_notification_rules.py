"""The rules of who hears what, as plain data: recipients, choices, leads, RAG getting worse, what changed."""

import pytest

from scp_tracker.notifications import rules
from scp_tracker.plans.signals import ObjectiveSnapshot

PEOPLE = {
    1: rules.Person(1, agency_id=10),
    2: rules.Person(2, agency_id=10, choices={"objective_changed": "off"}),
    3: rules.Person(3, agency_id=20, has_email=False),
    4: rules.Person(4, agency_id=10, receives_reminders=False),
    5: rules.Person(5, agency_id=20, choices={"objective_changed": "email"}),
}


def test_the_person_who_acted_is_never_told():
    assert rules.addressees("objective_changed", [1, 5], PEOPLE, actor_contact_id=1) == [(5, "email")]


def test_each_person_is_told_once_in_order_with_their_choice_or_the_default():
    assert rules.addressees("objective_changed", [5, 1, 5, 1], PEOPLE, actor_contact_id=None) == [
        (5, "email"), (1, "digest")]


def test_off_means_not_told_and_unknown_people_are_skipped():
    assert rules.addressees("objective_changed", [2, 99, 1], PEOPLE, actor_contact_id=None) == [(1, "digest")]


def test_without_an_address_email_and_digest_become_the_app_only():
    assert rules.addressees("lead_assigned", [3], PEOPLE, actor_contact_id=None) == [(3, "app")]
    assert rules.addressees("objective_changed", [3], PEOPLE, actor_contact_id=None) == [(3, "app")]


def test_app_only_overrides_email():
    assert rules.addressees("email_failed", [1, 5], PEOPLE, actor_contact_id=None, app_only=[5]) == [
        (1, "email"), (5, "app")]


def test_defaults_are_at_once_for_red_requests_and_failures():
    at_once = {kind for kind, about in rules.KINDS.items() if about.default == "email"}
    assert {"progress_worse", "end_date_requested", "email_failed", "scheduler_stopped"} <= at_once
    assert rules.KINDS["progress_added"].default == "digest"
    assert all(about.default in rules.DELIVERIES for about in rules.KINDS.values())


def test_leads_choose_only_the_leads_kinds():
    assert rules.kinds_for(False) == ["lead_assigned", "objective_changed", "end_date_decided", "event_recorded"]
    assert rules.kinds_for(True) == list(rules.KINDS)


def test_leads_are_named_contacts_or_else_agency_contacts_who_receive_reminders():
    assert rules.lead_ids([], [10], PEOPLE) == [1, 2]  # 4 does not receive reminders
    assert rules.lead_ids([5], [10], PEOPLE) == [5]
    # A named contact who gets no reminders counts for nothing; nor, as for reminders, someone with no email address.
    assert rules.lead_ids([4], [20], PEOPLE) == [5]


def test_new_leads_are_made_lead_and_the_rest_hear_of_the_change():
    assert rules.lead_change_audience([1, 2], [2, 3]) == ([3], [1, 2])
    assert rules.lead_change_audience([], [1]) == ([1], [])


@pytest.mark.parametrize(("before", "after", "worse"), [
    ("green", "amber", True), ("amber", "red", True), ("green", "red", True), (None, "red", True),
    ("red", "red", False), ("amber", "green", False), (None, "amber", False), ("red", "amber", False),
    ("amber", None, False),
])
def test_a_rag_gets_worse_when_it_turns_red_or_moves_towards_red(before, after, worse):
    assert rules.rag_worsened(before, after) is worse
    assert rules.progress_kind(before, after) == ("progress_worse" if worse else "progress_added")


def test_changes_between_name_what_changed_in_words():
    before = ObjectiveSnapshot(end_date="30 April 2017", funding="£5,000 SCP", lead_agencies="CBC", agency_ids=(1,))
    after = ObjectiveSnapshot(end_date="31 May 2017", funding="£5,000 SCP", lead_agencies="CBC / EP",
                              agency_ids=(1, 2))
    assert rules.changes_between(before, after) == [
        ("End date", "30 April 2017", "31 May 2017"), ("Lead agencies", "CBC", "CBC / EP")]
    assert rules.changes_between(before, before) == []
