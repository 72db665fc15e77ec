"""Fixtures for the plans tests: counting SQL statements, and a plan of any size built with bulk inserts."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import insert

from scp_tracker.core.clock import LONDON, today_in_london, utcnow
from scp_tracker.core.models import ChangeRecord
from scp_tracker.people.models import Agency, Contact
from scp_tracker.plans.models import (
    FundingLine,
    KeyPriority,
    KeyPriorityLead,
    Objective,
    ObjectiveLead,
    Plan,
    PriorityListItem,
    ProgressUpdate,
)

RAG_CYCLE = ("red", "amber", "green", None)


@dataclass
class SamplePlan:
    """A plan built by sample_plan, with the pieces tests look up."""

    plan: Plan
    agencies: dict[str, Agency]
    key_priorities: list[KeyPriority]
    objective_ids: list[int]


@pytest.fixture
def sample_plan(db, known_agency):
    """sample_plan(n=10): a plan of 4 key priorities and n objectives, made with bulk inserts.

    Objective i: key priority i % 4 + 1; led by EP when i is even, CBC when odd, except every fifth,
    whose lead is TBC; RAG cycles red, amber, green, not set; end dates spread from 30 days ago;
    funding £1,000 SCP (16-17 allocation) confirmed, or TBC when i % 3 == 0; progress on even
    objectives 10 days ago, none on odd ones (added 60 days ago, so stale); one change record each.
    """

    def _make(n: int = 10, year: str = "2016-17") -> SamplePlan:
        now = utcnow()
        today = today_in_london(now)
        start = int(year[:4])
        agencies = {abbr: known_agency(abbr) for abbr in ("CBC", "EP", "CBH")}
        for agency in agencies.values():
            email = f"lead.{agency.abbreviation.lower()}@example.org"
            if not db.session.scalar(db.select(Contact.id).filter_by(email=email)):
                db.session.add(Contact(name=f"{agency.abbreviation} Lead", email=email, agency=agency))
        plan = Plan(year=year, title=f"Annual Partnership Plan {year}", status="agreed",
                    starts_on=today.replace(month=4, day=1, year=start),
                    ends_on=today.replace(year=start + 1, month=3, day=31))
        plan.key_priorities = [
            KeyPriority(number=k, title=f"Key priority {k}",
                        lead_links=[KeyPriorityLead(agency=agencies["CBH"], position=0)])
            for k in range(1, 5)
        ]
        plan.priority_items = [PriorityListItem(list_name="police", number=k, title=f"Police priority {k}")
                               for k in range(1, 8)]
        plan.priority_items += [PriorityListItem(list_name="pcc", number=k, title=f"PCC priority {k}")
                                for k in range(1, 5)]
        db.session.add(plan)
        db.session.flush()

        rows = []
        for i in range(n):
            tbc_lead = i % 5 == 4
            rows.append({
                "key_priority_id": plan.key_priorities[i % 4].id,
                "position": i,
                "title": f"Objective {i}",
                "text": f"Deliver objective {i}",
                "status": "open",
                "rag": RAG_CYCLE[i % 4],
                "end_date": today + timedelta(days=i - 30),
                "end_date_text": "",
                "end_date_status": "set",
                "lead_status": "tbc" if tbc_lead else "set",
                "police_scope": "listed",
                "police_numbers": [i % 7 + 1],
                "pcc_scope": "all" if i % 2 else "none",
                "pcc_numbers": [],
                "last_progress_at": now - timedelta(days=10) if i % 2 == 0 else None,
                "created_at": now - timedelta(days=60),
                "updated_at": now,
            })
        ids = list(db.session.scalars(insert(Objective).returning(Objective.id, sort_by_parameter_order=True), rows))
        leads = [{"objective_id": oid, "agency_id": agencies["EP" if i % 2 == 0 else "CBC"].id, "position": 0}
                 for i, oid in enumerate(ids) if i % 5 != 4]
        if leads:
            db.session.execute(insert(ObjectiveLead), leads)
        if ids:
            db.session.execute(insert(FundingLine), [
                {"objective_id": oid, "position": 0, "amount_pence": None if i % 3 == 0 else 100000, "source": "SCP",
                 "pot": "16-17 allocation", "status": "tbc" if i % 3 == 0 else "confirmed",
                 "text": "TBC" if i % 3 == 0 else "£1000 SCP (16-17 allocation)"}
                for i, oid in enumerate(ids)
            ])
            db.session.execute(insert(ProgressUpdate), [
                {"objective_id": oid, "text": f"Progress on objective {i}", "rag": RAG_CYCLE[i % 4],
                 "recorded_at": now - timedelta(days=10), "author_name": "Sample Lead", "source": "web"}
                for i, oid in enumerate(ids) if i % 2 == 0
            ])
            db.session.execute(insert(ChangeRecord), [
                {"objective_id": oid, "entity": "objective", "entity_id": oid, "field": "rag", "before": None,
                 "after": RAG_CYCLE[i % 4], "actor_name": "Sample Coordinator", "source": "web",
                 "changed_at": now - timedelta(days=5)}
                for i, oid in enumerate(ids)
            ])
        db.session.commit()
        return SamplePlan(plan=plan, agencies=agencies, key_priorities=list(plan.key_priorities), objective_ids=ids)

    return _make


# Who the plans pages are tested as: the people fixtures' roles, plus a lead of an agency leading nothing.
PAGE_ROLES = ("coordinator", "lead", "other_lead", "partner", "viewer", "anonymous")


@pytest.fixture
def plans_client(app, client_as, make_user, known_agency, login):
    """plans_client(role): a fresh client signed in as that role; "other_lead" is a lead at CBH.

    In sample_plan, the "lead" (at EP) leads the even objectives; CBH leads key priorities but no objective.
    """
    other_lead = None

    def _client(role):
        nonlocal other_lead
        if role != "other_lead":
            return client_as(role)
        if other_lead is None:
            other_lead = make_user(role="lead", agency=known_agency("CBH"), name="Other Lead",
                                   email="other.lead@example.org")
        return login(other_lead, on_client=app.test_client())

    return _client


@pytest.fixture
def sample_plan_once(sample_plan, plans_client):
    """(coordinator's client, first objective's id) on a small sample plan; shared by every example of a
    hypothesis test, so only the test function pays for building it."""
    sample = sample_plan(6)
    return plans_client("coordinator"), sample.objective_ids[0]


@pytest.fixture
def ending_tonight(db, sample_plan):
    """(objective id, next midnight in London): a plan of one objective whose end date is the day before that
    midnight, so it is due until then and overdue after; for pages that must move with the date."""
    sample = sample_plan(1)
    midnight = datetime.combine(today_in_london() + timedelta(days=1), time.min, tzinfo=LONDON)
    db.session.get(Objective, sample.objective_ids[0]).end_date = (midnight - timedelta(days=1)).date()
    db.session.commit()
    return sample.objective_ids[0], midnight
