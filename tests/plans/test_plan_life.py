"""A plan's life: the plan in use and "the plan" across draft, agreed and archived; agreeing and archiving on pages."""

from datetime import date, timedelta

import pytest

from scp_tracker.core.clock import today_in_london
from scp_tracker.core.models import ChangeRecord
from scp_tracker.plans.lookup import current_plan, in_use
from scp_tracker.plans.models import Plan

ROLES_REFUSED = (("lead", 403), ("other_lead", 403), ("partner", 403), ("viewer", 403), ("anonymous", 302))


def in_use_years(db) -> set[str]:
    """The years of the plans whose rounds and reminders run."""
    return set(db.session.scalars(db.select(Plan.year).where(in_use())))


def plan_history(db, plan: Plan) -> list[tuple]:
    """(field, before, after) of the plan's recorded changes, oldest first."""
    return [(r.field, r.before, r.after) for r in db.session.scalars(
        db.select(ChangeRecord).filter_by(entity="plan", entity_id=plan.id).order_by(ChangeRecord.id))]


@pytest.mark.parametrize(("statuses", "current", "running"), [
    # A first import, a draft alone: it is the plan, and its reminders run.
    ({"2016-17": "draft"}, "2016-17", {"2016-17"}),
    # Next year's draft started: this year's agreed plan is still "the plan"; the draft is quiet.
    ({"2016-17": "agreed", "2017-18": "draft"}, "2016-17", {"2016-17"}),
    # Next year's agreed: it is the plan; last year's keeps its rounds until archived.
    ({"2016-17": "agreed", "2017-18": "agreed"}, "2017-18", {"2016-17", "2017-18"}),
    ({"2016-17": "archived", "2017-18": "agreed"}, "2017-18", {"2017-18"}),
    # Last year's archived before next year's was agreed: the draft runs (nothing else does), and is the plan.
    ({"2016-17": "archived", "2017-18": "draft"}, "2017-18", {"2017-18"}),
    # Everything archived: the newest is still shown.
    ({"2015-16": "archived", "2016-17": "archived"}, "2016-17", set()),
    # An older agreed plan beats a newer draft, even with an archived one in between.
    ({"2015-16": "agreed", "2016-17": "archived", "2017-18": "draft"}, "2015-16", {"2015-16"}),
])
def test_the_plan_is_the_newest_in_use(db, make_plan, statuses, current, running):
    for year, status in statuses.items():
        make_plan(year=year, status=status)
    db.session.commit()
    assert current_plan().year == current
    assert in_use_years(db) == running


def test_next_years_draft_is_not_the_plan_on_pages_until_agreed(db, sample_plan, plans_client):
    sample_plan(3, year="2016-17")
    sample_plan(2, year="2017-18")
    db.session.execute(db.update(Plan).where(Plan.year == "2017-18").values(status="draft"))
    db.session.commit()
    client = plans_client("viewer")
    for path in ("/plan", "/", "/priorities"):
        assert "Plan 2016-17" in client.get(path).get_data(as_text=True), path
    assert "3 objectives" in client.get("/plan").get_data(as_text=True)
    # The draft still opens by its year, and the exports default to the plan in use.
    draft = client.get("/plan?year=2017-18").get_data(as_text=True)
    assert "2 objectives" in draft and "Draft" in draft
    assert "2016-17" in client.get("/export/json").get_data(as_text=True)[:400]

    coordinator = plans_client("coordinator")
    response = coordinator.post("/plans/2017-18/agree", data={
        "agreed_on": ["12", "5", "2017"], "meeting": "Partnership board"})
    assert response.status_code == 302
    assert "2 objectives" in client.get("/plan").get_data(as_text=True)


def test_the_coordinator_marks_a_plan_agreed(db, sample_plan, plans_client):
    sample = sample_plan(2, year="2016-17")
    sample.plan.status = "draft"
    db.session.commit()
    client = plans_client("coordinator")
    page = client.get("/plans/2016-17/agree").get_data(as_text=True)
    assert "Mark the plan as agreed" in page and 'name="agreed_on"' in page
    response = client.post("/plans/2016-17/agree", data={
        "agreed_on": ["12", "5", "2016"], "meeting": " Partnership board "})
    assert response.status_code == 302 and response.headers["Location"].endswith("/plan?year=2016-17")
    plan = db.session.get(Plan, sample.plan.id)
    assert (plan.status, plan.agreed_on, plan.agreed_at_meeting) == ("agreed", date(2016, 5, 12), "Partnership board")
    assert plan_history(db, plan) == [("status", "draft", "agreed"), ("agreed_on", None, "2016-05-12"),
                                      ("agreed_at_meeting", "", "Partnership board")]
    assert db.session.scalar(db.select(ChangeRecord.actor_name).filter_by(entity="plan")) == "Coordinator Person"
    shown = client.get("/plan").get_data(as_text=True)
    assert "Agreed</strong> on 12 May 2016 at Partnership board" in shown
    assert "Agreed</strong> on 12 May 2016 at Partnership board" in client.get("/plans").get_data(as_text=True)


@pytest.mark.parametrize(("status", "day", "meeting", "message"), [
    ("archived", date(2016, 5, 12), "Board", "an archived plan cannot be agreed"),
    ("draft", "tomorrow", "Board", "must be today or in the past"),
    ("draft", date(2015, 3, 31), "Board", "on or after 1 April 2015, a year before the plan starts"),
    ("draft", None, "Board", "Enter the date the plan was agreed"),
    ("draft", date(2016, 5, 12), "   ", "Enter the meeting that agreed the plan"),
])
def test_agreeing_refuses_what_makes_no_sense(db, make_plan, plans_client, status, day, meeting, message):
    plan = make_plan(year="2016-17", status=status)
    db.session.commit()
    day = today_in_london() + timedelta(days=1) if day == "tomorrow" else day
    parts = {"agreed_on": [str(day.day), str(day.month), str(day.year)] if day else ["", "", ""]}
    client = plans_client("coordinator")
    if status == "archived":  # the page says so rather than offer the form
        page = client.get("/plans/2016-17/agree").get_data(as_text=True)
        assert "an archived plan is not agreed again" in page and 'name="meeting"' not in page
    response = client.post("/plans/2016-17/agree", data={**parts, "meeting": meeting})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert (plan.status, plan.agreed_on) == (status, None)
    assert plan_history(db, plan) == []


def test_archiving_stops_the_plan_and_says_so(db, make_plan, plans_client):
    old = make_plan(year="2016-17", status="agreed")
    make_plan(year="2017-18", status="agreed")
    db.session.commit()
    client = plans_client("coordinator")
    page = client.get("/plans/2016-17/archive").get_data(as_text=True)
    assert "Archive the 2016-17 plan?" in page and "No other plan is agreed" not in page
    response = client.post("/plans/2016-17/archive", data={})
    assert response.status_code == 302
    db.session.expire_all()
    assert (old.status, old.archived_on) == ("archived", today_in_london())
    assert plan_history(db, old) == [("status", "agreed", "archived"),
                                     ("archived_on", None, today_in_london().isoformat())]
    assert in_use_years(db) == {"2017-18"}
    assert f"Archived</strong> on {today_in_london().day} " in client.get("/plans").get_data(as_text=True)
    # Archived once is enough; the last agreed plan is archived only knowing the reminders stop.
    again = client.post("/plans/2016-17/archive", data={})
    assert again.status_code == 409 and "was already archived on" in again.get_data(as_text=True)
    assert "No other plan is agreed" in client.get("/plans/2017-18/archive").get_data(as_text=True)


def test_a_draft_is_not_archived(db, make_plan, plans_client):
    plan = make_plan(year="2016-17", status="draft")
    db.session.commit()
    response = plans_client("coordinator").post("/plans/2016-17/archive", data={})
    assert response.status_code == 409 and "only an agreed plan is archived" in response.get_data(as_text=True)
    db.session.expire_all()
    assert plan.status == "draft" and plan_history(db, plan) == []


@pytest.mark.parametrize(("role", "status"), ROLES_REFUSED)
def test_only_the_coordinator_agrees_or_archives(db, make_plan, plans_client, role, status):
    make_plan(year="2016-17", status="draft")
    make_plan(year="2015-16", status="agreed")
    db.session.commit()
    client = plans_client(role)
    for path, data in (("/plans/2016-17/agree", {"agreed_on": ["1", "5", "2016"], "meeting": "Board"}),
                       ("/plans/2015-16/archive", {})):
        assert client.get(path).status_code == status, path
        assert client.post(path, data=data).status_code == status, path
    statuses = dict(db.session.execute(db.select(Plan.year, Plan.status)).all())
    assert statuses == {"2016-17": "draft", "2015-16": "agreed"}
    assert db.session.scalar(db.select(db.func.count(ChangeRecord.id))) == 0


def test_an_unknown_year_is_not_found(db, make_plan, plans_client):
    make_plan(year="2016-17")
    db.session.commit()
    client = plans_client("coordinator")
    for path in ("/plans/2099-00/agree", "/plans/2099-00/archive", "/plans/2099-00/key-priorities/new",
                 "/plans/2099-00/objectives/new"):
        assert client.get(path).status_code == 404, path


def test_the_plan_page_offers_the_coordinator_its_next_step(db, make_plan, plans_client):
    make_plan(year="2016-17", status="draft")
    make_plan(year="2015-16", status="agreed")
    make_plan(year="2014-15", status="archived")
    db.session.commit()
    client = plans_client("coordinator")
    draft = client.get("/plan?year=2016-17").get_data(as_text=True)
    assert "Mark as agreed" in draft and "Archive this plan" not in draft
    agreed = client.get("/plan?year=2015-16").get_data(as_text=True)
    assert "Change when the plan was agreed" in agreed and "Archive this plan" in agreed
    archived = client.get("/plan?year=2014-15").get_data(as_text=True)
    assert "Mark as agreed" not in archived and "Add a key priority" not in archived
    viewer = plans_client("viewer").get("/plan?year=2016-17").get_data(as_text=True)
    assert "Draft" in viewer and "Mark as agreed" not in viewer and "Add a key priority" not in viewer
