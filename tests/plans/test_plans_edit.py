"""Editing an objective and adding progress: every change recorded, dates guarded, text escaped, roles enforced."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from support.edits import hidden_stamp, objective_stamp, opened
from werkzeug.datastructures import MultiDict

from scp_tracker.core.history import Actor
from scp_tracker.core.models import ChangeRecord
from scp_tracker.extensions import db as _db
from scp_tracker.plans.models import Objective, ProgressUpdate
from scp_tracker.plans.progress import ProgressValues, add_progress
from scp_tracker.plans.services import FundingValues, ObjectiveValues, describe_funding, update_objective


def edit_form(objective: Objective, **changes) -> MultiDict:
    """The edit page's POST for an objective as it is, with some fields changed."""
    fields = {
        "title": objective.title,
        "text": objective.text,
        "status": objective.status,
        "rag": objective.rag or "",
        "end_date_status": objective.end_date_status,
        "end_date": [str(objective.end_date.day), str(objective.end_date.month), str(objective.end_date.year)]
        if objective.end_date else ["", "", ""],
        "lead_agencies": [str(link.agency_id) for link in objective.lead_links],
        "police_scope": objective.police_scope,
        "police_numbers": [str(n) for n in objective.police_numbers],
        "pcc_scope": objective.pcc_scope,
        "submit": "Save changes",
        **objective_stamp(objective),
    }
    for i, line in enumerate(objective.funding_lines):
        fields.update({
            f"funding-{i}-line_id": str(line.id),
            f"funding-{i}-amount": "" if line.amount_pence is None else str(line.amount_pence / 100),
            f"funding-{i}-source": line.source or "",
            f"funding-{i}-pot": line.pot or "",
            f"funding-{i}-status": line.status,
        })
    fields.update(changes)
    data = MultiDict()
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            data.add(name, item)
    return data


def history(objective_id: int) -> list[tuple]:
    """(entity, field, before, after) of an objective's recorded changes, oldest first."""
    return [(r.entity, r.field, r.before, r.after) for r in _db.session.scalars(
        _db.select(ChangeRecord).filter_by(objective_id=objective_id).order_by(ChangeRecord.id))]


@pytest.fixture
def objective(sample_plan, db):
    """Objective 0 of a small sample plan: led by EP, RAG red, funding TBC, progress 10 days ago."""
    sample = sample_plan(4)
    db.session.execute(db.delete(ChangeRecord))
    db.session.commit()
    return db.session.get(Objective, sample.objective_ids[0])


def test_edit_saves_and_records_every_changed_field(objective, plans_client, db):
    cbc = db.session.scalar(db.select(Objective).filter_by(title="Objective 1")).lead_links[0].agency_id
    end_date_before = objective.end_date.isoformat()
    response = plans_client("coordinator").post(f"/objectives/{objective.id}/edit", data=edit_form(
        objective, title="Social media campaign", rag="amber", end_date=["30", "4", "2017"],
        lead_agencies=[str(objective.lead_links[0].agency_id), str(cbc)], police_scope="multiple", police_numbers=[],
        **{"funding-0-amount": "5,000", "funding-0-status": "confirmed", "funding-0-pot": "15-16 allocation"},
    ))
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/objectives/{objective.id}")
    db.session.expire_all()
    changed = db.session.get(Objective, objective.id)
    assert changed.title == "Social media campaign"
    assert changed.rag == "amber"
    assert changed.end_date == date(2017, 4, 30)
    assert changed.end_date_text == "30 April 2017"
    assert [a.abbreviation for a in changed.lead_agencies] == ["EP", "CBC"]
    assert changed.lead_text == "EP / CBC"
    assert changed.police_scope == "multiple" and changed.police_numbers == [] and changed.police_text == "Multiple"
    line = changed.funding_lines[0]
    assert (line.amount_pence, line.status, line.pot, line.text) == (500000, "confirmed", "15-16 allocation",
                                                                    "£5,000 SCP (15-16 allocation)")
    records = history(objective.id)
    assert ("objective", "title", "Objective 0", "Social media campaign") in records
    assert ("objective", "rag", "red", "amber") in records
    assert ("objective", "end_date", end_date_before, "2017-04-30") in records
    assert ("lead", "lead_agencies", "EP", "EP, CBC") in records
    assert ("objective", "police_scope", "listed", "multiple") in records
    assert ("funding", "amount_pence", None, "500000") in records
    assert ("funding", "status", "tbc", "confirmed") in records
    assert all(r.actor_name == "Coordinator Person" for r in db.session.scalars(db.select(ChangeRecord)))
    page = plans_client("viewer").get(f"/objectives/{objective.id}").get_data(as_text=True)
    assert "Coordinator Person" in page and "Funding status" in page and "30 April 2017" in page


def test_edit_without_changes_records_nothing(objective, plans_client):
    response = plans_client("coordinator").post(f"/objectives/{objective.id}/edit", data=edit_form(objective))
    assert response.status_code == 302
    assert history(objective.id) == []


def test_edit_adds_and_removes_funding_lines(objective, plans_client, db):
    client = plans_client("lead")
    page = client.get(f"/objectives/{objective.id}/edit").get_data(as_text=True)
    assert 'name="funding-1-amount"' in page and "Add a funding line (optional)" in page
    blank = edit_form(objective, **{"funding-1-line_id": "", "funding-1-amount": "", "funding-1-status": ""})
    assert client.post(f"/objectives/{objective.id}/edit", data=blank).status_code == 302
    assert history(objective.id) == []  # the blank line left blank saves nothing
    response = client.post(f"/objectives/{objective.id}/edit", data=edit_form(objective, **{
        "funding-0-remove": "y",
        "funding-1-amount": "£1,250.50", "funding-1-source": "SCP", "funding-1-pot": "16-17 PCC funds",
        "funding-1-status": "confirmed",
    }))
    assert response.status_code == 302
    db.session.expire_all()
    lines = db.session.get(Objective, objective.id).funding_lines
    assert [(line.amount_pence, describe_funding(line)) for line in lines] == [
        (125050, "£1,250.50 SCP (16-17 PCC funds)")]
    records = history(objective.id)
    assert ("funding", "funding_line", "TBC", None) in records
    assert ("funding", "funding_line", None, "£1,250.50 SCP (16-17 PCC funds)") in records


def test_edit_lead_to_tbc_and_date_to_tbc(objective, plans_client, db):
    response = plans_client("coordinator").post(f"/objectives/{objective.id}/edit", data=edit_form(
        objective, lead_agencies=[], end_date_status="tbc", end_date=["", "", ""]))
    assert response.status_code == 302
    db.session.expire_all()
    changed = db.session.get(Objective, objective.id)
    assert (changed.lead_status, changed.lead_links, changed.end_date, changed.end_date_text) == (
        "tbc", [], None, "TBC")
    assert ("lead", "lead_status", "set", "tbc") in history(objective.id)


@pytest.mark.parametrize("end_date", [
    None,  # no end_date at all in the POST
    ["30"],  # one part
    ["30", "4"],  # no year
    ["30", "4", "2017", "extra"],  # too many parts
])
def test_crafted_post_missing_date_parts_is_an_error_not_500(objective, plans_client, end_date):
    form = edit_form(objective)
    form.poplist("end_date")
    for part in end_date or []:
        form.add("end_date", part)
    response = plans_client("coordinator").post(f"/objectives/{objective.id}/edit", data=form)
    if end_date and len(end_date) == 4:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "There is a problem" in body
    assert "End date must include" in body or "Enter the end date" in body


@pytest.mark.parametrize("parts, message", [
    (["31", "2", "2017"], "End date must be a real date"),
    (["1", "4", "17"], "Year must include 4 numbers"),
    (["x", "4", "2017"], "End date must be a real date"),
    (["", "4", "2017"], "End date must include a day"),
])
def test_invalid_dates_are_explained(objective, plans_client, parts, message):
    response = plans_client("coordinator").post(f"/objectives/{objective.id}/edit",
                                                 data=edit_form(objective, end_date=parts))
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


def test_progress_form_guards_its_date_too(objective, plans_client):
    response = plans_client("lead").post(f"/objectives/{objective.id}/progress",
                                         data={"text": "Done", "rag": "green", "requested_end_date": "5"})
    assert response.status_code == 200
    assert "New end date must include a month and a year" in response.get_data(as_text=True)


def test_edit_form_errors(objective, plans_client):
    response = plans_client("coordinator").post(f"/objectives/{objective.id}/edit", data=edit_form(
        objective, title="", police_scope="listed", police_numbers=[],
        **{"funding-0-status": "confirmed", "funding-0-amount": "lots", "funding-1-amount": "200",
           "funding-1-status": ""}))
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    for message in ("Enter the short title", "Tick the police priorities this objective serves",
                    "Enter the amount in pounds, like 5,000 or 1,250.50", "Choose the funding status"):
        assert message in body


def test_add_progress_updates_rag_status_and_last_update(objective, plans_client, db):
    before = objective.last_progress_at
    lead = plans_client("lead")
    response = lead.post(f"/objectives/{objective.id}/progress", data={
        "text": "Campaign launched", "rag": "green", "mark_complete": "y",
        "requested_end_date": ["31", "5", "2017"], **opened(lead, f"/objectives/{objective.id}/progress"),
    })
    assert response.status_code == 302
    db.session.expire_all()
    changed = db.session.get(Objective, objective.id)
    assert changed.rag == "green" and changed.status == "complete"
    assert changed.last_progress_at > before
    update = changed.latest_progress
    assert (update.text, update.rag, update.author_name, update.source) == ("Campaign launched", "green",
                                                                           "Lead Person", "web")
    assert update.marked_complete
    assert (update.requested_end_date, update.end_date_request_status) == (date(2017, 5, 31), "pending")
    assert ("objective", "rag", "red", "green") in history(objective.id)
    assert ("objective", "status", "open", "complete") in history(objective.id)
    page = plans_client("viewer").get(f"/objectives/{objective.id}").get_data(as_text=True)
    assert "Campaign launched" in page and "Asked to move the end date to 31 May 2017" in page


def test_add_progress_service_keeps_rag_when_none_given(objective, users_by_role, db):
    now = datetime.now(UTC)
    update = add_progress(objective, ProgressValues(text="Note", rag=None),
                          Actor.for_user(users_by_role["coordinator"]), now=now)
    db.session.commit()
    assert update.rag == "red" and objective.rag == "red"
    assert objective.last_progress_at == now
    assert objective.progress_updates[0] is update
    assert history(objective.id) == []


def test_update_objective_service_reorders_nothing_it_keeps(objective, users_by_role, known_agency, db):
    cbh = known_agency("CBH")
    values = ObjectiveValues(
        title=objective.title, text=objective.text, status="open", rag="red", end_date_status="set",
        end_date=objective.end_date, agency_ids=[cbh.id, objective.lead_links[0].agency_id], contact_ids=[],
        funding=[FundingValues(id=None, amount_pence=None, source=None, pot=None, status="nil_cost")],
        police_scope="listed", police_numbers=[3, 1, 3], pcc_scope="none", pcc_numbers=[],
    )
    changed = update_objective(objective, values, Actor.for_user(users_by_role["coordinator"]))
    db.session.commit()
    assert [a.abbreviation for a in objective.lead_agencies] == ["EP", "CBH"]  # kept first, new after
    assert objective.police_numbers == [1, 3]
    assert [line.status for line in objective.funding_lines] == ["nil_cost"]
    assert set(changed) == {"police_numbers", "lead_agencies", "funding_line"}


def test_named_lead_contacts(objective, plans_client, make_contact, known_agency, db):
    contact = make_contact(agency=known_agency("EP"), name="Named Officer", email="named@example.org")
    response = plans_client("coordinator").post(f"/objectives/{objective.id}/edit",
                                                data=edit_form(objective, lead_contacts=[str(contact.id)]))
    assert response.status_code == 302
    assert ("lead", "lead_contacts", "", "Named Officer") in history(objective.id)
    page = plans_client("viewer").get(f"/objectives/{objective.id}").get_data(as_text=True)
    assert "Named Officer" in page and "named@example.org" in page


WRITE_ROUTES = ("edit", "progress")


@pytest.mark.parametrize("route", WRITE_ROUTES)
def test_write_routes_refuse_other_roles(route, objective, plans_client, db):
    data = edit_form(objective, title="Hacked") if route == "edit" else {"text": "Hacked", "rag": "green"}
    for role, status in (("other_lead", 403), ("partner", 403), ("viewer", 403), ("anonymous", 302)):
        response = plans_client(role).post(f"/objectives/{objective.id}/{route}", data=data)
        assert response.status_code == status, role
    db.session.expire_all()
    assert db.session.get(Objective, objective.id).title == "Objective 0"
    assert db.session.scalar(db.select(db.func.count(ProgressUpdate.id)).filter_by(text="Hacked")) == 0
    assert history(objective.id) == []


def test_script_in_objective_progress_and_agency_is_escaped(objective, plans_client, db):
    script = "<script>alert(1)</script>"
    objective.text = f"Text {script}"
    objective.title = f"Title {script}"
    objective.lead_agencies[0].name = f"Agency {script}"
    objective.lead_agencies[0].abbreviation = f"EP{script}"
    objective.key_priority.title = f"Priority {script}"
    db.session.add(ProgressUpdate(objective=objective, text=f"Progress {script}", rag="red",
                                  author_name=f"Author {script}",
                                  recorded_at=datetime.now(UTC) - timedelta(days=1)))
    objective.funding_lines[0].source = f"Source {script}"
    objective.funding_lines[0].status = "confirmed"
    objective.funding_lines[0].amount_pence = 100
    db.session.commit()
    client = plans_client("coordinator")
    for path in ("/", "/plan", f"/objectives/{objective.id}", f"/objectives/{objective.id}/edit",
                 f"/objectives/{objective.id}/progress", "/report", "/chasing", "/plans/next"):
        body = client.get(path).get_data(as_text=True)
        assert script not in body, path
        assert "&lt;script&gt;" in body, path


def test_real_csrf_round_trip(objective, plans_client, app, db):
    app.config["WTF_CSRF_ENABLED"] = True
    client = plans_client("lead")
    page = client.get(f"/objectives/{objective.id}/progress").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    without = client.post(f"/objectives/{objective.id}/progress", data={"text": "No token", "rag": "green"})
    assert without.status_code == 400
    with_token = client.post(f"/objectives/{objective.id}/progress",
                             data={"text": "With token", "rag": "green", "csrf_token": token,
                                   **hidden_stamp(page)})
    assert with_token.status_code == 302
    assert db.session.scalar(db.select(db.func.count(ProgressUpdate.id)).filter_by(text="With token")) == 1
