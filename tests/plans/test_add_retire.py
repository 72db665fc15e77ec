"""Adding key priorities and objectives on pages, and retiring them: history written, lists, pickers and the
reminders' open objectives follow, and only the coordinator does it."""

import re

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session
from werkzeug.datastructures import MultiDict

from scp_tracker.core.clock import today_in_london
from scp_tracker.core.models import ChangeRecord
from scp_tracker.plans.models import KeyPriority, Objective, Plan
from scp_tracker.reminders.facts import open_objectives

ROLES_REFUSED = (("lead", 403), ("other_lead", 403), ("partner", 403), ("viewer", 403), ("anonymous", 302))


def reminded_ids(db) -> set[int]:
    """The objectives a reminder run looks at (reminders.facts)."""
    return set(db.session.scalars(open_objectives(Objective.id)))


def option_labels(page: str, name: str) -> list[str]:
    """The labels a select or a set of radios named `name` offers."""
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S)
    if select:
        return [label.strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", select[1], re.S)]
    ids = re.findall(rf'<input[^>]*name="{name}"[^>]*id="([^"]+)"', page) + re.findall(
        rf'<input[^>]*id="([^"]+)"[^>]*name="{name}"', page)
    return [re.search(rf'<label[^>]*for="{i}"[^>]*>(.*?)</label>', page, re.S)[1].strip() for i in ids]


def history(db, **filters) -> list[tuple]:
    """(entity, field, before, after) of recorded changes matching the filters, oldest first."""
    return [(r.entity, r.field, r.before, r.after) for r in db.session.scalars(
        db.select(ChangeRecord).filter_by(**filters).order_by(ChangeRecord.id))]


def new_objective_form(key_priority_id: int, **changes) -> MultiDict:
    """The add objective page's POST: a title, text, end date TBC, funding TBC, lead TBC."""
    fields = {"key_priority": str(key_priority_id), "title": "Launch a scam awareness week",
              "text": "Run a week of scam awareness events", "end_date_status": "tbc",
              "end_date": ["", "", ""], "funding-0-status": "tbc", "police_scope": "none", "pcc_scope": "none",
              **changes}
    data = MultiDict()
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            data.add(name, item)
    return data


def test_add_a_key_priority_numbered_next(db, sample_plan, plans_client):
    sample = sample_plan(2)
    client = plans_client("coordinator")
    page = client.get("/plans/2016-17/key-priorities/new").get_data(as_text=True)
    assert 'name="number" type="text" value="5"' in page or 'value="5"' in page
    response = client.post("/plans/2016-17/key-priorities/new", data=MultiDict([
        ("number", "5"), ("title", "Tackle fraud"), ("description", "Scams against older people"),
        ("lead_agencies", str(sample.agencies["EP"].id)), ("lead_agencies", str(sample.agencies["CBC"].id))]))
    assert response.status_code == 302
    key_priority = db.session.scalar(db.select(KeyPriority).filter_by(plan_id=sample.plan.id, number=5))
    assert (key_priority.title, key_priority.description, key_priority.lead_text) == (
        "Tackle fraud", "Scams against older people", "EP / CBC")
    assert [a.abbreviation for a in key_priority.lead_agencies] == ["EP", "CBC"]
    assert history(db, entity="key_priority", entity_id=key_priority.id) == [
        ("key_priority", "created", None, "5. Tackle fraud"), ("key_priority", "lead_agencies", "", "EP, CBC")]
    plan_page = client.get("/plan").get_data(as_text=True)
    assert "Key priority 5" in plan_page and "5. Tackle fraud" in option_labels(plan_page, "key_priority")
    # A number taken is refused, with the form kept.
    again = client.post("/plans/2016-17/key-priorities/new", data={"number": "5", "title": "Again"})
    assert again.status_code == 200 and "The plan already has a key priority 5" in again.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(KeyPriority.id)).filter_by(plan_id=sample.plan.id)) == 5


def test_a_number_taken_between_the_check_and_the_insert_is_a_form_message(db, sample_plan, plans_client):
    sample = sample_plan(1)
    client = plans_client("coordinator")
    taken = []

    def commit_elsewhere(session, _context, _instances):
        """The other request of the race commits key priority 5 just before this one's INSERT."""
        if not taken:
            taken.append(True)
            with db.engine.begin() as other:
                other.execute(KeyPriority.__table__.insert().values(plan_id=sample.plan.id, number=5, title="Theirs"))

    event.listen(Session, "before_flush", commit_elsewhere)
    try:
        response = client.post("/plans/2016-17/key-priorities/new", data={"number": "5", "title": "Mine"})
    finally:
        event.remove(Session, "before_flush", commit_elsewhere)
    assert response.status_code == 200
    assert "The plan already has a key priority 5" in response.get_data(as_text=True)
    db.session.rollback()
    assert db.session.scalars(db.select(KeyPriority.title).filter_by(number=5)).all() == ["Theirs"]


def test_add_an_objective_on_the_edit_pages_form(db, sample_plan, plans_client):
    sample = sample_plan(6)
    kp = sample.key_priorities[1]  # objectives 1 and 5
    client = plans_client("coordinator")
    page = client.get(f"/plans/2016-17/objectives/new?key_priority={kp.id}").get_data(as_text=True)
    assert "Add an objective" in page and f'value="{kp.id}" checked' in page
    assert 'name="lead_agencies"' in page and 'name="funding-0-amount"' in page and 'name="rag"' not in page
    # What is posted as status or RAG is ignored: a new objective is open, with no RAG until its lead reports.
    response = client.post("/plans/2016-17/objectives/new", data=new_objective_form(
        kp.id, status="complete", rag="red"))
    assert response.status_code == 302
    objective = db.session.scalar(db.select(Objective).filter_by(title="Launch a scam awareness week"))
    assert response.headers["Location"].endswith(f"/objectives/{objective.id}")
    assert (objective.key_priority_id, objective.status, objective.rag, objective.lead_status,
            objective.end_date_status, [f.status for f in objective.funding_lines]) == (
        kp.id, "open", None, "tbc", "tbc", ["tbc"])
    assert objective.position > db.session.get(Objective, sample.objective_ids[5]).position
    assert history(db, objective_id=objective.id)[0] == (
        "objective", "created", None, "Launch a scam awareness week")
    assert ("funding", "funding_line", None, "TBC") in history(db, objective_id=objective.id)
    assert objective.id in reminded_ids(db)
    assert "Launch a scam awareness week" in client.get(f"/plan?key_priority={kp.id}").get_data(as_text=True)


def test_add_an_objective_with_an_amount_and_leads(db, sample_plan, plans_client):
    sample = sample_plan(1)
    kp = sample.key_priorities[0]
    response = plans_client("coordinator").post("/plans/2016-17/objectives/new", data=new_objective_form(
        kp.id, lead_agencies=[str(sample.agencies["EP"].id)], end_date_status="set", end_date=["30", "4", "2017"],
        **{"funding-0-status": "confirmed", "funding-0-amount": "5,000", "funding-0-source": "SCP"}))
    assert response.status_code == 302
    objective = db.session.scalar(db.select(Objective).filter_by(title="Launch a scam awareness week"))
    assert (objective.lead_status, objective.lead_text, objective.end_date.isoformat(), objective.end_date_text) == (
        "set", "EP", "2017-04-30", "30 April 2017")
    assert [(f.amount_pence, f.source, f.status) for f in objective.funding_lines] == [(500000, "SCP", "confirmed")]


def test_an_objective_needs_a_title_and_a_key_priority_in_use(db, sample_plan, plans_client):
    sample = sample_plan(1)
    kp = sample.key_priorities[3]
    kp.retired_on = today_in_london()
    db.session.commit()
    client = plans_client("coordinator")
    page = client.get("/plans/2016-17/objectives/new").get_data(as_text=True)
    assert option_labels(page, "key_priority") == ["1. Key priority 1", "2. Key priority 2", "3. Key priority 3"]
    for data, message in ((new_objective_form(kp.id), "Choose the key priority"),
                          (new_objective_form(sample.key_priorities[0].id, title=""), "Enter the short title")):
        response = client.post("/plans/2016-17/objectives/new", data=data)
        assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Objective.id))) == 1


def test_retire_an_objective(db, sample_plan, plans_client):
    sample = sample_plan(4)
    objective_id = sample.objective_ids[0]
    client = plans_client("coordinator")
    assert "Retire this objective" in client.get(f"/objectives/{objective_id}").get_data(as_text=True)
    page = client.get(f"/objectives/{objective_id}/retire").get_data(as_text=True)
    assert "Retire “Objective 0”?" in page and db.session.get(Objective, objective_id).status == "open"
    assert objective_id in reminded_ids(db)

    assert client.post(f"/objectives/{objective_id}/retire", data={}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Objective, objective_id).status == "cancelled"
    today = today_in_london()
    assert history(db, objective_id=objective_id, actor_name="Coordinator Person") == [
        ("objective", "status", "open", "cancelled"), ("objective", "retired", None, today.isoformat())]
    shown = client.get(f"/objectives/{objective_id}").get_data(as_text=True)
    assert "Retire this objective" not in shown and "Retired" in shown
    assert objective_id not in reminded_ids(db)
    assert "Objective 0" not in client.get("/plan?status=open").get_data(as_text=True)
    again = client.post(f"/objectives/{objective_id}/retire", data={})
    assert again.status_code == 409 and "already cancelled" in again.get_data(as_text=True)


def test_retire_a_key_priority_with_its_open_objectives(db, sample_plan, plans_client):
    sample = sample_plan(8)
    kp = sample.key_priorities[0]  # objectives 0 and 4
    done = db.session.get(Objective, sample.objective_ids[4])
    done.status = "complete"
    db.session.commit()
    client = plans_client("coordinator")
    page = client.get(f"/key-priorities/{kp.id}/retire").get_data(as_text=True)
    assert "Its 1 open objective will be retired with it" in page and "<li>Objective 0</li>" in page

    assert client.post(f"/key-priorities/{kp.id}/retire", data={}).status_code == 302
    db.session.expire_all()
    assert db.session.get(KeyPriority, kp.id).retired_on == today_in_london()
    assert [db.session.get(Objective, i).status for i in sample.objective_ids[:5:4]] == ["cancelled", "complete"]
    assert history(db, entity="key_priority", entity_id=kp.id) == [
        ("key_priority", "retired_on", None, today_in_london().isoformat())]
    assert ("objective", "retired", None, today_in_london().isoformat()) in history(
        db, objective_id=sample.objective_ids[0])
    assert not {sample.objective_ids[0], sample.objective_ids[4]} & reminded_ids(db)
    # Shown as retired; out of the filter and the add objective picker; its objectives still listed as cancelled.
    plan_page = client.get("/plan").get_data(as_text=True)
    assert "Key priority 1: Key priority 1 (retired)" in plan_page and "Retired</strong> on" in plan_page
    assert "1. Key priority 1" not in " ".join(option_labels(plan_page, "key_priority"))
    picker = option_labels(client.get("/plans/2016-17/objectives/new").get_data(as_text=True), "key_priority")
    assert "1. Key priority 1" not in picker and len(picker) == 3
    # A link to its objectives (the objective page's breadcrumb) still reads, without an error.
    linked = client.get(f"/plan?key_priority={kp.id}").get_data(as_text=True)
    assert "Not a valid choice" not in linked and "Objective 0" in linked
    again = client.post(f"/key-priorities/{kp.id}/retire", data={})
    assert again.status_code == 409 and "was already retired on" in again.get_data(as_text=True)
    # Next year's plan leaves it behind.
    client.post("/plans/next", data={"title": "Next", "objectives": []})
    new_plan = db.session.scalar(db.select(Plan).filter_by(year="2017-18"))
    assert [k.number for k in new_plan.key_priorities] == [2, 3, 4]


def test_an_archived_plan_is_not_changed(db, sample_plan, plans_client):
    sample = sample_plan(2)
    sample.plan.status = "archived"
    db.session.commit()
    client = plans_client("coordinator")
    kp = sample.key_priorities[0]
    for path, data in (("/plans/2016-17/key-priorities/new", {"number": "9", "title": "Late"}),
                       ("/plans/2016-17/objectives/new", new_objective_form(kp.id)),
                       (f"/objectives/{sample.objective_ids[0]}/retire", {}),
                       (f"/key-priorities/{kp.id}/retire", {})):
        response = client.post(path, data=data)
        assert response.status_code in (200, 409) and "plan is archived" in response.get_data(as_text=True), path
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(Objective.id))) == 2
    assert {o.status for o in db.session.scalars(db.select(Objective))} == {"open"}
    assert db.session.get(KeyPriority, kp.id).retired_on is None


@pytest.mark.parametrize(("role", "status"), ROLES_REFUSED)
def test_only_the_coordinator_adds_or_retires(db, sample_plan, plans_client, role, status):
    sample = sample_plan(2)
    kp = sample.key_priorities[0]
    client = plans_client(role)
    for path, data in (("/plans/2016-17/key-priorities/new", {"number": "9", "title": "Mine"}),
                       ("/plans/2016-17/objectives/new", new_objective_form(kp.id)),
                       (f"/objectives/{sample.objective_ids[0]}/retire", {}),
                       (f"/key-priorities/{kp.id}/retire", {})):
        assert client.get(path).status_code == status, path
        assert client.post(path, data=data).status_code == status, path
    db.session.expire_all()
    assert db.session.scalar(db.select(db.func.count(KeyPriority.id))) == 4
    assert {o.status for o in db.session.scalars(db.select(Objective))} == {"open"}
    assert db.session.get(KeyPriority, kp.id).retired_on is None
    if role != "anonymous":
        page = client.get("/plan").get_data(as_text=True)
        assert "Add a key priority" not in page and "Add an objective" not in page
        assert "Retire this objective" not in client.get(f"/objectives/{sample.objective_ids[0]}").get_data(
            as_text=True)
