"""What a lead has answered is not asked again: a proposal waiting on the coordinator quiets its TBC reminder, and
an objective updated for the last round is not chased as "no recent update" before the next round's call."""

from datetime import UTC, date, datetime, timedelta

import pytest

from scp_tracker.plans.models import ProgressUpdate
from scp_tracker.reminders.facts import load_facts
from scp_tracker.reminders.rules import ContactFacts, ObjectiveFacts, ReminderSettings, find_reminders
from scp_tracker.rounds.windows import plan_windows, updated_objective_ids

LEE, COORDINATOR = 1, 2
PEOPLE = [ContactFacts(LEE, "lee@example.org", agency_id=10), ContactFacts(COORDINATOR, "c@example.org", agency_id=99)]
TODAY = date(2017, 2, 7)


def kinds(objective: ObjectiveFacts) -> set[str]:
    return {r.kind for r in find_reminders([objective], PEOPLE, [COORDINATOR], TODAY, ReminderSettings())}


@pytest.mark.parametrize("tbc, pending, kind", [
    ({"has_tbc_funding": True}, "funding", "tbc_funding"),
    ({"end_date_status": "tbc"}, "end_date", "end_date_missing"),
    ({"lead_status": "tbc", "lead_agency_ids": (), "key_priority_lead_agency_ids": (10,)}, "lead", "tbc_lead"),
])
def test_a_proposal_waiting_on_the_coordinator_quiets_its_tbc_reminder_only(tbc, pending, kind):
    base = dict(id=5, title="Street drinking", lead_status="set", lead_agency_ids=(10,),
                created_on=date(2016, 4, 1), last_progress_at=datetime(2017, 2, 1, tzinfo=UTC))
    base.update(tbc)
    assert kind in kinds(ObjectiveFacts(**base))
    quiet = kinds(ObjectiveFacts(**base, pending_requests=frozenset({pending})))
    assert kind not in quiet
    other = {"funding", "end_date", "lead"} - {pending}
    assert kind in kinds(ObjectiveFacts(**base, pending_requests=frozenset(other)))  # another proposal: still asked


@pytest.mark.parametrize("answered, expected", [(False, {"stale"}), (True, set())])
def test_an_objective_answered_for_the_last_round_is_not_chased_as_stale(answered, expected):
    objective = ObjectiveFacts(id=5, title="Street drinking", lead_status="set", lead_agency_ids=(10,),
                               end_date=date(2017, 9, 30), end_date_status="set", created_on=date(2016, 4, 1),
                               last_progress_at=datetime(2016, 12, 1, tzinfo=UTC), answered_last_round=answered)
    assert kinds(objective) & {"stale"} == expected


def test_facts_know_pending_proposals_and_updates_for_the_last_round_but_not_imported_notes(
        db, make_plan, make_key_priority, make_objective):
    plan = make_plan()
    key_priority = make_key_priority(plan=plan)
    answered, imported, proposed = (make_objective(key_priority=key_priority, title=t)
                                    for t in ("Answered", "Imported", "Proposed"))
    june = datetime(2016, 6, 10, 9, tzinfo=UTC)
    db.session.add_all([
        ProgressUpdate(objective_id=answered.id, text="Done for June", recorded_at=june, source="email_link"),
        ProgressUpdate(objective_id=imported.id, text="As the plan says", recorded_at=june, source="import"),
        ProgressUpdate(objective_id=proposed.id, text="SCP pays", recorded_at=june, source="web",
                       requested_funding={"amount_pence": 100, "source": "SCP", "pot": ""},
                       funding_request_status="pending"),
    ])
    db.session.flush()
    june_window = plan_windows(plan)[0]
    assert updated_objective_ids(june_window) == {answered.id, proposed.id}  # the import's note is no update
    facts = {o.id: o for o in load_facts(june_window.deadline + timedelta(days=1)).objectives}
    assert facts[answered.id].answered_last_round and facts[proposed.id].answered_last_round
    assert not facts[imported.id].answered_last_round
    assert facts[proposed.id].pending_requests == frozenset({"funding"})
    assert facts[answered.id].pending_requests == frozenset()
