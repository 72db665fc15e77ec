"""The facts the run reads with plain column queries: the same as the objects say, unsaved changes included."""

from datetime import UTC, date, datetime

from scp_tracker.plans.models import FundingLine
from scp_tracker.reminders.facts import load_facts


def test_the_facts_of_an_objective_are_read_as_stored(db, reminder_world, progress_at):
    progress_at(reminder_world.campaign, datetime(2017, 4, 12, 23, 30, tzinfo=UTC), "Newest")
    facts = {o.id: o for o in load_facts().objectives}

    campaign, keep_safe = facts[reminder_world.campaign.id], facts[reminder_world.keep_safe.id]
    assert (campaign.latest_progress_text, campaign.last_progress_at) == (
        "Newest", datetime(2017, 4, 12, 23, 30, tzinfo=UTC))
    assert (campaign.has_tbc_funding, keep_safe.has_tbc_funding) == (False, True)
    assert campaign.created_on == date(2016, 4, 1)
    assert campaign.lead_agency_ids == (reminder_world.cbc.id,)
    assert campaign.lead_agency_names == ("Colchester Borough Council",)
    assert facts[reminder_world.gangs.id].lead_agency_ids == ()
    assert campaign.key_priority_lead_agency_ids == (reminder_world.cbh.id,)


def test_changes_not_yet_flushed_are_seen(db, reminder_world):
    # The session's autoflush used to do this; plain column queries on its connection need the explicit flush.
    reminder_world.campaign.end_date = date(2017, 5, 31)
    db.session.add(FundingLine(objective=reminder_world.campaign, status="tbc", text="TBC"))
    campaign = next(o for o in load_facts().objectives if o.id == reminder_world.campaign.id)
    assert (campaign.end_date, campaign.has_tbc_funding) == (date(2017, 5, 31), True)
