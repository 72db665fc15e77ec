"""The event form: defaults, clear messages for what people get wrong, crafted posts, and escaping."""

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.edits import opened

from scp_tracker.core.clock import today_in_london
from scp_tracker.events.models import Event


def recorded(db, title="Crucial Crew"):
    """The event with this title, if it was saved."""
    return db.session.scalar(db.select(Event).filter_by(title=title))


def test_new_event_starts_with_today_and_my_agency(client_as, users_by_role):
    page = client_as("partner").get("/events/new").get_data(as_text=True)
    today = today_in_london()
    assert re.search(rf'id="starts_on-day"[^>]*value="0?{today.day}"', page)
    assert re.search(rf'id="starts_on-month"[^>]*value="0?{today.month}"', page)
    assert re.search(rf'id="starts_on-year"[^>]*value="{today.year}"', page)
    assert "Organised by EFRS" in page  # a partner records for their own agency, without choosing
    assert 'name="organising_agency_id"' not in page
    assert re.search(r'value="held"\s+checked', page)


def test_coordinator_chooses_the_organiser_starting_with_their_own(client_as, users_by_role):
    page = client_as("coordinator").get("/events/new").get_data(as_text=True)
    cbc = users_by_role["coordinator"].contact.agency_id
    assert re.search(rf'<option value="{cbc}" selected>', page)


def test_objectives_are_offered_by_key_priority_and_preselected_from_the_objective_page(
        client_as, users_by_role, make_key_priority, make_objective):
    first_kp = make_key_priority(title="Reduce harm")
    second_kp = make_key_priority(plan=first_kp.plan, title="Safer night-time economy")
    crew = make_objective(first_kp, title="Crucial Crew")
    make_objective(second_kp, title="Best Bar None")
    page = client_as("lead").get(f"/events/new?objective={crew.id}").get_data(as_text=True)
    assert "Key priority 1: Reduce harm" in page and "Key priority 2: Safer night-time economy" in page
    assert page.index("Crucial Crew") < page.index("Best Bar None")
    assert re.search(rf'value="{crew.id}"\s+checked', page)


def test_a_valid_event_is_saved_with_everything_typed(db, client_as, users_by_role, event_form, make_objective,
                                                      known_agency):
    objective = make_objective(title="Crucial Crew days")
    police = known_agency("EP")
    response = client_as("partner").post("/events/new", data=event_form(
        attendance="1,500", cost="£1,250.50", ends_on=["15", "4", "2016"], objective_ids=[str(objective.id)],
        partner_agency_ids=[str(police.id)]))
    assert response.status_code == 302
    event = recorded(db)
    assert response.headers["Location"].endswith(f"/events/{event.id}")
    assert (event.attendance, event.cost_pence, event.ends_on) == (1500, 125050, date(2016, 4, 15))
    assert [o.id for o in event.objectives] == [objective.id]
    assert [a.abbreviation for a in event.partner_agencies] == ["EP"]
    assert event.recorded_by.contact.email == "partner@example.org"


def errors_of(response) -> str:
    """The page's error summary and messages, as text."""
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    return page


@pytest.mark.parametrize("overrides, message", [
    ({"starts_on": ["1", "1", "2099"]}, "cannot have been held yet"),
    ({"attendance": "-3"}, "Number of people who attended must be 0 or more"),
    ({"attendance": "12.5"}, "Number of people who attended must be a whole number, like 150"),
    ({"attendance": "lots"}, "Number of people who attended must be a whole number, like 150"),
    ({"attendance": "99999999999"}, "Number of people who attended must be 1,000,000 or fewer"),
    ({"ends_on": ["13", "4", "2016"]}, "End date must be the same as or after the date the event started"),
    ({"starts_on": ["14", "", "2016"]}, "Date must include a month"),
    ({"starts_on": ["", "", ""]}, "Enter the date of the event"),
    ({"starts_on": ["31", "2", "2016"]}, "Date must be a real date"),
    ({"title": ""}, "Enter the name of the event"),
    ({"kind": None}, "Choose the kind of event"),
    ({"kind": "party"}, "Choose the kind of event"),
    ({"status": None}, "Choose whether the event was held, is planned or was cancelled"),
    ({"cost": "a lot"}, "Enter the amount in pounds"),
    ({"cost": "1e30"}, "Cost must be"),
])
def test_mistakes_get_a_clear_message(db, client_as, users_by_role, event_form, overrides, message):
    page = errors_of(client_as("partner").post("/events/new", data=event_form(**overrides)))
    assert message in page
    assert recorded(db) is None


def test_a_future_planned_event_is_fine(db, client_as, users_by_role, event_form):
    response = client_as("partner").post("/events/new", data=event_form(
        starts_on=["1", "1", "2099"], status="planned", attendance=""))
    assert response.status_code == 302
    assert recorded(db).attendance is None


@pytest.mark.parametrize("parts", [None, [], ["14"], ["14", "4"], ["14", "4", "2016", "extra"]])
def test_a_post_missing_date_parts_never_breaks_the_page(db, client_as, users_by_role, event_form, parts):
    """PITFALLS: GovDateInput re-rendering a POST without three date parts answered 500."""
    data = event_form(starts_on=None, ends_on=parts)
    if parts is not None:
        data["starts_on"] = parts
    response = client_as("partner").post("/events/new", data=data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "There is a problem" in response.get_data(as_text=True)


@pytest.mark.parametrize("field", ["objective_ids", "partner_agency_ids", "organising_agency_id"])
def test_junk_in_choice_fields_is_a_message_not_an_error(client_as, users_by_role, event_form, field):
    response = client_as("coordinator").post("/events/new", data=event_form(**{field: ["abc", "999999"]}))
    assert response.status_code == 200


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(
    st.sampled_from(["title", "kind", "status", "starts_on", "ends_on", "attendance", "cost", "objective_ids",
                     "partner_agency_ids", "organising_agency_id", "place", "outcome"]),
    st.lists(st.text(max_size=12), max_size=4),
))
def test_fuzzed_posts_answer_with_a_page_or_a_redirect(client_as, users_by_role, data):
    response = client_as("coordinator").post("/events/new", data=data)
    assert response.status_code in (200, 302)


def test_titles_are_escaped_everywhere(db, client_as, users_by_role, event_form, make_objective):
    objective = make_objective(title="<b>Objective</b>")
    response = client_as("partner").post("/events/new", data=event_form(
        title="<script>alert(1)</script>", place="<img src=x>", outcome="<script>x</script>\nline two",
        objective_ids=[str(objective.id)]))
    assert response.status_code == 302
    client = client_as("partner")
    event = recorded(db, "<script>alert(1)</script>")
    for path in ("/events", f"/events/{event.id}", f"/events/{event.id}/edit"):
        page = client.get(path).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in page, path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page, path
        assert "<img src=x>" not in page and "<b>Objective</b>" not in page, path
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "&lt;script&gt;x&lt;/script&gt;<br>line two" in page


def test_edit_shows_what_was_recorded_and_saves_the_outcome(db, client_as, users_by_role, make_event,
                                                            known_agency, event_form):
    event = make_event(known_agency("EFRS"), title="Crucial Crew", status="planned", cost_pence=25050)
    client = client_as("partner")
    page = client.get(f"/events/{event.id}/edit").get_data(as_text=True)
    assert 'value="Crucial Crew"' in page and 'value="250.50"' in page
    response = client.post(f"/events/{event.id}/edit", data=event_form(
        status="held", attendance="87", cost="250.50", **opened(client, f"/events/{event.id}/edit")))
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Event, event.id)
    assert (saved.status, saved.attendance, saved.cost_pence) == ("held", 87, 25050)
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "Change history" in page and "Number of people who attended set to 87" in page
