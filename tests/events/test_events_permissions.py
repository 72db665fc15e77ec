"""Who may do what on the events pages: every route for every role, and forged ids of other agencies' events."""

import pytest
from support.edits import opened

from scp_tracker.events.models import Event

# Role users (tests/support/people.py): coordinator and viewer at CBC, lead at EP, partner at EFRS.
READ = {"coordinator": 200, "lead": 200, "partner": 200, "viewer": 200, "anonymous": 302}
RECORD = {"coordinator": 200, "lead": 200, "partner": 200, "viewer": 403, "anonymous": 302}
# Editing the event organised by each agency: the coordinator any, a lead or partner only their own agency's.
EDIT = {
    "CBC": {"coordinator": 200, "lead": 403, "partner": 403, "viewer": 403, "anonymous": 302},
    "EP": {"coordinator": 200, "lead": 200, "partner": 403, "viewer": 403, "anonymous": 302},
    "EFRS": {"coordinator": 200, "lead": 403, "partner": 200, "viewer": 403, "anonymous": 302},
}
ROLES = ("coordinator", "lead", "partner", "viewer", "anonymous")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("path", ["/events", "/events/export.csv", "/events/export.xlsx", "/events/{EP}"])
def test_reading(client_as, agency_events, role, path):
    response = client_as(role).get(path.format(EP=agency_events["EP"].id))
    assert response.status_code == READ[role]
    if role == "anonymous":
        assert "/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("role", ROLES)
def test_new_event_page(client_as, agency_events, role):
    assert client_as(role).get("/events/new").status_code == RECORD[role]


@pytest.mark.parametrize("role", ROLES)
def test_recording_an_event(db, client_as, agency_events, event_form, known_agency, role):
    # Only the coordinator is offered a choice of organiser; the others' is ignored.
    data = event_form(title="Posted event", organising_agency_id=str(known_agency("CBC").id))
    response = client_as(role).post("/events/new", data=data)
    expected = {200: 302, 403: 403, 302: 302}[RECORD[role]]
    assert response.status_code == expected
    recorded = db.session.scalar(db.select(Event).filter_by(title="Posted event"))
    assert (recorded is not None) == (RECORD[role] == 200)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("organiser", ["CBC", "EP", "EFRS"])
def test_edit_page(client_as, agency_events, role, organiser):
    response = client_as(role).get(f"/events/{agency_events[organiser].id}/edit")
    assert response.status_code == EDIT[organiser][role]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("organiser", ["CBC", "EP", "EFRS"])
def test_saving_an_edit(db, client_as, agency_events, event_form, role, organiser):
    event = agency_events[organiser]
    client = client_as(role)
    response = client.post(f"/events/{event.id}/edit", data=event_form(
        title="Changed", organising_agency_id=str(event.organising_agency_id),
        **opened(client, f"/events/{event.id}/edit")))
    allowed = EDIT[organiser][role] == 200
    assert response.status_code == (302 if allowed or role == "anonymous" else 403)
    db.session.expire_all()
    assert (db.session.get(Event, event.id).title == "Changed") == allowed


def test_forged_id_of_another_agencys_event_is_refused(db, client_as, agency_events, event_form):
    """The partner at EFRS posts to the police's event: 403, and nothing changes."""
    police_event = agency_events["EP"]
    response = client_as("partner").post(f"/events/{police_event.id}/edit",
                                         data=event_form(title="Hijacked", attendance="0"))
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Event, police_event.id).title == "EP event"


def test_partner_cannot_record_for_another_agency(db, client_as, agency_events, event_form, known_agency):
    """A forged organiser is ignored: a partner's event is always their own agency's."""
    response = client_as("partner").post("/events/new", data=event_form(
        title="Forged organiser", organising_agency_id=str(known_agency("CBC").id)))
    assert response.status_code == 302
    event = db.session.scalar(db.select(Event).filter_by(title="Forged organiser"))
    assert event.organising_agency.abbreviation == "EFRS"


def test_lead_cannot_move_their_event_to_another_agency(db, client_as, agency_events, event_form, known_agency):
    event = agency_events["EP"]
    client = client_as("lead")
    response = client.post(f"/events/{event.id}/edit", data=event_form(
        organising_agency_id=str(known_agency("CBC").id), **opened(client, f"/events/{event.id}/edit")))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Event, event.id).organising_agency.abbreviation == "EP"


def test_coordinator_records_for_any_agency(db, client_as, agency_events, event_form, known_agency):
    response = client_as("coordinator").post("/events/new", data=event_form(
        title="For the fire service", organising_agency_id=str(known_agency("EFRS").id)))
    assert response.status_code == 302
    event = db.session.scalar(db.select(Event).filter_by(title="For the fire service"))
    assert event.organising_agency.abbreviation == "EFRS"


def test_missing_event_is_404(client_as, agency_events):
    client = client_as("coordinator")
    assert client.get("/events/99999").status_code == 404
    assert client.get("/events/99999/edit").status_code == 404


@pytest.mark.parametrize("role, can_edit", [("coordinator", True), ("lead", True), ("partner", False),
                                            ("viewer", False)])
def test_event_page_offers_a_change_link_only_to_those_who_may(client_as, agency_events, role, can_edit):
    event = agency_events["EP"]
    page = client_as(role).get(f"/events/{event.id}").get_data(as_text=True)
    assert (f"/events/{event.id}/edit" in page) == can_edit


@pytest.mark.parametrize("role, can_record", [("coordinator", True), ("lead", True), ("partner", True),
                                              ("viewer", False)])
def test_list_offers_recording_only_to_those_who_may(client_as, agency_events, role, can_record):
    page = client_as(role).get("/events").get_data(as_text=True)
    assert ('href="/events/new"' in page) == can_record
