"""Fixtures for the reminders tests: a small partnership with leads and a coordinator."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from scp_tracker.people.models import Agency, Contact, User
from scp_tracker.plans.models import KeyPriorityLead, Objective, ProgressUpdate
from scp_tracker.rounds.models import ReportingRound

# Objectives in these tests were added at the start of the plan year, as an import would have done.
PLAN_START = datetime(2016, 4, 1, 9, 0, tzinfo=UTC)


@dataclass
class ReminderWorld:
    """Agencies, people and objectives whose reminders on 18 April 2017 are known."""

    cbc: Agency
    cbh: Agency
    catch22: Agency
    lead: Contact  # CBC: leads the social media campaign
    kp_lead: Contact  # CBH: leads key priority 1
    coordinator: Contact
    coordinator_user: User
    campaign: Objective  # due 30 April 2017: due_soon stage 14 on 18 April
    keep_safe: Objective  # funding TBC, led by CBC
    gangs: Objective  # lead TBC
    walk_and_talk: Objective  # led by Catch 22, which has nobody who receives reminders


@pytest.fixture
def progress_at(db):
    """progress_at(objective, when, text): record a progress update as the plans area does."""

    def _progress(objective, when: datetime, text: str = "Work is going well"):
        objective.progress_updates.insert(0, ProgressUpdate(text=text, rag="green", recorded_at=when, source="web"))
        objective.last_progress_at = when
        db.session.commit()

    return _progress


@pytest.fixture
def reminder_world(db, make_agency, make_contact, make_user, make_plan, make_key_priority, make_objective,
                   progress_at) -> ReminderWorld:
    """A plan whose reminders on 18 April 2017 go to the lead, the key priority's lead and the coordinator."""
    cbc = make_agency("CBC", "Colchester Borough Council")
    cbh = make_agency("CBH", "Colchester Borough Homes")
    catch22 = make_agency("Catch 22", "Catch 22")
    scp = make_agency("SCP", "Safer Colchester Partnership")
    lead = make_contact(cbc, "Lee Lead", "lee.lead@example.org")
    kp_lead = make_contact(cbh, "Kim Priority", "kim.priority@example.org")
    make_contact(catch22, "Quinn Quiet", "quinn.quiet@example.org", receives_reminders=False)
    coordinator_user = make_user("coordinator", agency=scp, name="Cora Coordinator", email="cora@example.org")
    plan = make_plan("2016-17")
    # Its last round closed in March: 18 April 2017 is between rounds (tests of rounds set their own).
    db.session.add(ReportingRound(plan=plan, name="March 2017 round", meeting_on=date(2017, 3, 15),
                                  deadline=date(2017, 3, 1)))
    kp = make_key_priority(plan, 1, "To protect vulnerable people")
    kp.lead_links = [KeyPriorityLead(agency=cbh, position=0)]
    recent = datetime(2017, 4, 10, 9, 0, tzinfo=UTC)
    campaign = make_objective(kp, "Social media campaign", leads=[cbc], end_date=date(2017, 4, 30),
                              created_at=PLAN_START)
    keep_safe = make_objective(kp, "Keep Safe scheme", leads=[cbc], end_date=date(2017, 6, 30),
                               funding=[{"status": "tbc", "text": "TBC"}], created_at=PLAN_START)
    gangs = make_objective(kp, "Gangs awareness training", end_date=date(2017, 6, 30), lead_status="tbc",
                           created_at=PLAN_START)
    walk_and_talk = make_objective(kp, "Walk and talk event", leads=[catch22], end_date=date(2017, 6, 30),
                                   created_at=PLAN_START)
    for objective in (campaign, keep_safe, gangs, walk_and_talk):
        progress_at(objective, recent, f"Progress on {objective.title}")
    return ReminderWorld(cbc, cbh, catch22, lead, kp_lead, coordinator_user.contact, coordinator_user,
                         campaign, keep_safe, gangs, walk_and_talk)


def make_weekly_day(db, today: date) -> None:
    """Make this date the weekly email's day, for tests that run the reminders on the real date (any weekday)."""
    from scp_tracker.reminders.rules import ReminderSettings
    from scp_tracker.reminders.settings import save_settings

    save_settings(ReminderSettings(weekly_day=today.weekday(), skip_weekends=False, skip_bank_holidays=False),
                  user_id=None, now=datetime.now(UTC))
    db.session.commit()


# The May 2017 round: deadline Wednesday 31 May; call 10 May, reminder 24 May; 29 May is a bank holiday.
MAY_DEADLINE = date(2017, 5, 31)


@pytest.fixture
def may_round(db, reminder_world):
    """The reminder world's plan with an April round (its window closes before May's: the updates of 10 April count
    for April) and the May round, which is returned."""
    plan = reminder_world.campaign.key_priority.plan
    db.session.add(ReportingRound(plan=plan, name="April 2017 round", deadline=date(2017, 4, 12)))
    round_ = ReportingRound(plan=plan, name="May 2017 round", meeting_on=date(2017, 6, 14), deadline=MAY_DEADLINE)
    db.session.add(round_)
    db.session.commit()
    return round_
