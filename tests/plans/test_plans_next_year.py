"""Starting next year's plan: key priorities and lists copied, chosen open objectives carried forward."""

from scp_tracker.core.models import ChangeRecord
from scp_tracker.plans.models import Objective, Plan
from scp_tracker.plans.next_plan import next_year, suggested_title


def test_next_year_and_title():
    assert next_year("2016-17") == "2017-18"
    assert next_year("2099-00") == "2100-01"
    plan = Plan(year="2016-17", title="Draft Annual Partnership Plan 2016-2017")
    assert suggested_title(plan) == "Draft Annual Partnership Plan 2017-2018"
    assert suggested_title(Plan(year="2016-17", title="Plan 2016-17")) == "Plan 2017-18"
    assert suggested_title(Plan(year="2016-17", title="Our plan")) == "Our plan (2017-18)"


def test_carry_forward_chosen_open_objectives(sample_plan, plans_client, db):
    sample = sample_plan(6)
    db.session.get(Objective, sample.objective_ids[5]).status = "complete"
    db.session.commit()
    client = plans_client("coordinator")
    page = client.get("/plans/next").get_data(as_text=True)
    assert "Annual Partnership Plan 2017-18" in page
    assert "Objective 5" not in page  # complete: not offered
    chosen = sample.objective_ids[:3]
    response = client.post("/plans/next?year=2016-17", data={
        "title": "Annual Partnership Plan 2017-18", "objectives": [str(i) for i in chosen]})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/plan?year=2017-18")

    new_plan = db.session.scalar(db.select(Plan).filter_by(year="2017-18"))
    assert (new_plan.status, new_plan.starts_on.isoformat(), new_plan.ends_on.isoformat()) == (
        "draft", "2017-04-01", "2018-03-31")
    assert [kp.title for kp in new_plan.key_priorities] == [f"Key priority {k}" for k in range(1, 5)]
    assert [a.abbreviation for a in new_plan.key_priorities[0].lead_agencies] == ["CBH"]
    assert len(new_plan.priority_items) == 11
    copies = [o for kp in new_plan.key_priorities for o in kp.objectives]
    assert sorted(o.carried_from_id for o in copies) == sorted(chosen)
    for copy in copies:
        original = db.session.get(Objective, copy.carried_from_id)
        assert (copy.title, copy.status, copy.end_date, copy.police_numbers) == (
            original.title, "open", original.end_date, original.police_numbers)
        assert [a.id for a in copy.lead_agencies] == [a.id for a in original.lead_agencies]
        assert [(f.amount_pence, f.status) for f in copy.funding_lines] == [
            (f.amount_pence, f.status) for f in original.funding_lines]
        assert copy.progress_updates == [] and copy.last_progress_at is None
        record = db.session.scalar(db.select(ChangeRecord).filter_by(objective_id=copy.id))
        assert (record.field, record.after, record.actor_name) == (
            "carried_from", f"2016-17: {original.title}", "Coordinator Person")
    # The new draft opens by its year; this year's agreed plan stays "the plan" until the draft is agreed.
    body = client.get("/plan?year=2017-18").get_data(as_text=True)
    assert "Annual Partnership Plan 2017-18" in body and "3 objectives" in body
    assert "6 objectives" in client.get("/plan").get_data(as_text=True)
    page = client.get(f"/objectives/{copies[0].id}").get_data(as_text=True)
    assert "Carried forward from" in page and "(plan 2016-17)" in page


def test_carry_forward_refuses_a_year_that_exists(sample_plan, plans_client, db):
    sample_plan(2, year="2016-17")
    sample_plan(1, year="2017-18")
    response = plans_client("coordinator").post("/plans/next?year=2016-17", data={"title": "Again", "objectives": []})
    assert response.status_code == 200
    assert "There is already a plan for 2017-18" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Plan.id))) == 2


def test_only_the_coordinator_starts_next_year(sample_plan, plans_client, db):
    sample_plan(2)
    for role, status in (("lead", 403), ("partner", 403), ("viewer", 403), ("other_lead", 403), ("anonymous", 302)):
        response = plans_client(role).post("/plans/next", data={"title": "Mine", "objectives": []})
        assert response.status_code == status, role
    assert db.session.scalar(db.select(db.func.count(Plan.id))) == 1
