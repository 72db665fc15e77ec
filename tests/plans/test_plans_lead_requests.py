"""Only the coordinator changes an objective's lead agencies; a lead asks, with a progress update, and the
coordinator approves or declines the request on the requests page, as for an end date."""

from sqlalchemy import select
from support.edits import opened

from scp_tracker.core.models import ChangeRecord
from scp_tracker.people.models import Agency
from scp_tracker.plans.models import Objective, ProgressUpdate


def _leads(db, objective_id: int) -> list[str]:
    db.session.expire_all()
    return [agency.abbreviation for agency in db.session.get(Objective, objective_id).lead_agencies]


def _agency(db, abbreviation: str) -> int:
    return db.session.scalar(select(Agency.id).where(Agency.abbreviation == abbreviation))


def _ask(client, objective_id: int, agency_ids: list[int], text: str = "The police lead this now"):
    path = f"/objectives/{objective_id}/progress"
    return client.post(path, data={"text": text, "rag": "green",
                                   "requested_lead_agencies": [str(i) for i in agency_ids],
                                   **opened(client, path)})


def test_a_lead_asks_and_the_coordinator_approves(app, world, db, login):
    objective_id = world.params["lead_objective"]
    lead = login(world.users["lead"], app.test_client())
    page = lead.get(f"/objectives/{objective_id}/progress").get_data(as_text=True)
    assert 'name="requested_lead_agencies"' in page
    response = _ask(lead, objective_id, [_agency(db, "CBC")])
    assert response.status_code == 302
    assert _leads(db, objective_id) == ["EP"]  # nothing moves until the coordinator agrees
    update = db.session.scalar(select(ProgressUpdate).where(ProgressUpdate.lead_request_status == "pending"))
    assert update.requested_agency_ids == [_agency(db, "CBC")]

    coordinator = login(world.users["coordinator"], app.test_client())
    requests_page = coordinator.get("/end-date-requests").get_data(as_text=True)
    assert "1 request to change the lead agencies waiting" in requests_page and "CBC" in requests_page
    done = coordinator.post(f"/lead-requests/{update.id}", data={"decision": "approve"}, follow_redirects=True)
    assert "The lead agencies of Social media campaign are now CBC" in done.get_data(as_text=True)
    assert _leads(db, objective_id) == ["CBC"]
    history = {(r.field, r.before, r.after) for r in db.session.scalars(select(ChangeRecord))}
    assert ("lead_agencies", "EP", "CBC") in history and ("lead_request", "Asked for CBC", "Approved") in history


def test_declined_requests_change_nothing_and_unchanged_ticks_ask_nothing(app, world, db, login):
    objective_id = world.params["lead_objective"]
    lead = login(world.users["lead"], app.test_client())
    _ask(lead, objective_id, [_agency(db, "EP")], text="Same leads")
    assert db.session.scalar(select(ProgressUpdate).where(ProgressUpdate.text == "Same leads")).lead_request_status \
        is None
    _ask(lead, objective_id, [_agency(db, "CBC")])
    update = db.session.scalar(select(ProgressUpdate).where(ProgressUpdate.lead_request_status == "pending"))
    coordinator = login(world.users["coordinator"], app.test_client())
    coordinator.post(f"/lead-requests/{update.id}", data={"decision": "decline"})
    assert _leads(db, objective_id) == ["EP"]
    assert db.session.get(ProgressUpdate, update.id).lead_request_status == "declined"


def test_a_newer_request_supersedes_an_older_one(app, world, db, login):
    objective_id = world.params["lead_objective"]
    lead = login(world.users["lead"], app.test_client())
    _ask(lead, objective_id, [_agency(db, "CBC")], text="First ask")
    _ask(lead, objective_id, [_agency(db, "EP"), _agency(db, "EFRS")], text="Second ask")
    first, second = (db.session.scalar(select(ProgressUpdate).where(ProgressUpdate.text == text))
                     for text in ("First ask", "Second ask"))
    coordinator = login(world.users["coordinator"], app.test_client())
    coordinator.post(f"/lead-requests/{second.id}", data={"decision": "approve"})
    refused = coordinator.post(f"/lead-requests/{first.id}", data={"decision": "approve"}, follow_redirects=True)
    assert "A newer request to change the lead agencies of Social media campaign replaced this one" in \
        refused.get_data(as_text=True)
    assert _leads(db, objective_id) == ["EP", "EFRS"]
    assert db.session.get(ProgressUpdate, first.id).lead_request_status == "superseded"


def test_the_coordinator_changes_leads_directly_and_is_offered_no_request(app, world, db, login):
    coordinator = login(world.users["coordinator"], app.test_client())
    page = coordinator.get(f"/objectives/{world.params['lead_objective']}/progress").get_data(as_text=True)
    assert 'name="requested_lead_agencies"' not in page
    assert 'name="lead_agencies"' in coordinator.get(
        f"/objectives/{world.params['lead_objective']}/edit").get_data(as_text=True)
