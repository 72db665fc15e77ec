"""Events on other pages: dashboard figures, the board report, events awaiting their outcome, and the partials."""

from datetime import UTC, date, datetime

import pytest
from flask import render_template_string
from support.edits import opened

from scp_tracker.core.history import Actor
from scp_tracker.events.figures import dashboard_figures, held_since, work_out_dashboard_figures
from scp_tracker.events.models import Event
from scp_tracker.events.outcomes_due import EventOutcomeDue, events_awaiting_outcome
from scp_tracker.events.recording import EventValues, record_event
from scp_tracker.extensions import db

TODAY = date(2016, 7, 15)


@pytest.fixture
def plan_with_events(known_agency, make_key_priority, make_objective, make_event, make_plan):
    """A 2016-17 plan with two key priorities, and events held, planned, cancelled and unlinked."""
    fire, police = known_agency("EFRS"), known_agency("EP")
    kp1 = make_key_priority(title="Reduce harm")
    kp2 = make_key_priority(plan=kp1.plan, title="Safer night-time economy")
    crew, bar = make_objective(kp1, title="Crucial Crew"), make_objective(kp2, title="Best Bar None")
    other_year = make_objective(make_key_priority(plan=make_plan(year="2015-16")), title="Last year's objective")
    make_event(fire, title="Crew day 1", starts_on=date(2016, 4, 5), objectives=[crew], attendance=100)
    make_event(fire, title="Crew day 2", starts_on=date(2016, 4, 20), objectives=[crew])  # attendance unknown
    make_event(police, title="Conference", starts_on=date(2016, 6, 1), objectives=[crew, bar], attendance=150)
    make_event(police, title="Unlinked talk", starts_on=date(2016, 6, 10), attendance=20)
    make_event(police, title="Cancelled", starts_on=date(2016, 5, 1), status="cancelled", objectives=[bar])
    make_event(police, title="Coming up", starts_on=date(2016, 8, 1), status="planned", objectives=[bar])
    make_event(police, title="Awaiting", starts_on=date(2016, 7, 1), status="planned", objectives=[bar])
    make_event(police, title="Other plan's", starts_on=date(2015, 6, 1), objectives=[other_year], attendance=999)
    make_event(police, title="Unlinked last year", starts_on=date(2015, 6, 1), attendance=999)
    return kp1.plan


def test_dashboard_figures_per_key_priority_and_month(plan_with_events, count_queries):
    with count_queries() as statements:
        figures = work_out_dashboard_figures(plan_with_events, TODAY)
    assert len(statements) == 4
    assert (figures["held"], figures["attendance"], figures["attendance_unknown"]) == (4, 270, 1)
    assert (figures["planned_upcoming"], figures["awaiting_outcome"]) == (1, 1)
    rows = {row["number"]: row for row in figures["by_key_priority"]}
    assert (rows[1]["held"], rows[1]["attendance"], rows[1]["attendance_unknown"]) == (3, 250, 1)
    assert (rows[2]["held"], rows[2]["attendance"]) == (1, 150)  # the conference counts in both priorities
    assert figures["not_linked"] == {"held": 1, "attendance": 20, "attendance_unknown": 0}
    assert [(m["month"], m["held"], m["attendance"]) for m in figures["by_month"]] == [
        (date(2016, 4, 1), 2, 100), (date(2016, 5, 1), 0, 0), (date(2016, 6, 1), 2, 170), (date(2016, 7, 1), 0, 0)]


def test_dashboard_figures_of_an_empty_plan(make_plan):
    figures = dashboard_figures(make_plan(), TODAY)
    assert figures["held"] == 0 and figures["by_key_priority"] == []
    assert figures["by_month"] == []  # twelve months of noughts say less than "0 events held"


def test_dashboard_figures_are_kept_until_any_change(plan_with_events, known_agency, users_by_role, count_queries):
    first = dashboard_figures(plan_with_events, TODAY)
    with count_queries() as statements:
        assert dashboard_figures(plan_with_events, TODAY) == first
    assert len(statements) == 1  # only the data version
    crew = plan_with_events.key_priorities[0].objectives[0]
    record_event(Actor.for_user(users_by_role["coordinator"]), EventValues(
        title="Crew day 3", kind="awareness_session", status="held", starts_on=date(2016, 7, 1),
        organising_agency_id=known_agency("EFRS").id, attendance=30, objective_ids=(crew.id,)),
        today=TODAY, now=datetime(2016, 7, 15, 9, tzinfo=UTC))
    db.session.commit()
    figures = dashboard_figures(plan_with_events, TODAY)
    assert (figures["held"], figures["attendance"]) == (5, 300)
    # A change behind the services, through the session, shows at once too.
    db.session.scalar(db.select(Event).filter_by(title="Crew day 1")).attendance = 200
    db.session.commit()
    assert dashboard_figures(plan_with_events, TODAY)["attendance"] == 400
    assert dashboard_figures(plan_with_events, date(2016, 8, 2))["planned_upcoming"] == 0  # a new day


def test_held_since_for_the_board_report(plan_with_events):
    report = held_since(plan_with_events, date(2016, 4, 20))
    assert [e.title for e in report.events] == ["Crew day 2", "Conference", "Unlinked talk"]
    assert (report.held, report.attendance, report.attendance_unknown) == (3, 170, 1)


def test_a_planned_event_yesterday_without_attendance_awaits_its_outcome(db, known_agency, make_contact, make_event,
                                                                         count_queries):
    police = known_agency("EP")
    reminded = make_contact(agency=police, name="Reminded")
    make_contact(agency=police, receives_reminders=False)
    make_contact(agency=police, is_active=False)
    make_contact(agency=known_agency("CBC"))  # another agency's
    yesterday = make_event(police, title="Yesterday", starts_on=date(2016, 7, 14), status="planned")
    make_event(police, title="Today", starts_on=TODAY, status="planned")
    make_event(police, title="Future", starts_on=date(2016, 8, 1), status="planned")
    make_event(police, title="Cancelled", starts_on=date(2016, 7, 1), status="cancelled")
    make_event(police, title="Still running", starts_on=date(2016, 7, 14), ends_on=TODAY, status="planned")
    make_event(police, title="Outcome noted", starts_on=date(2016, 7, 1), status="planned", outcome="Went well")

    with count_queries() as statements:
        due = events_awaiting_outcome(TODAY)
    assert len(statements) == 2
    assert due == [EventOutcomeDue(
        event_id=yesterday.id, title="Yesterday", date=date(2016, 7, 14), organising_agency_id=police.id,
        organising_agency_name="Essex Police", recipient_contact_ids=(reminded.id,))]

    yesterday.attendance = 0  # recording attendance, even of nobody, ends the reminder
    db.session.commit()
    assert events_awaiting_outcome(TODAY) == []


def test_recording_the_outcome_through_the_form_ends_the_reminder(db, client_as, users_by_role, make_event,
                                                                  known_agency, event_form):
    event = make_event(known_agency("EFRS"), title="Crucial Crew", starts_on=date(2016, 7, 1), status="planned")
    assert [d.event_id for d in events_awaiting_outcome(TODAY)] == [event.id]
    client = client_as("partner")
    client.post(f"/events/{event.id}/edit", data=event_form(
        starts_on=["1", "7", "2016"], status="held", attendance="", **opened(client, f"/events/{event.id}/edit")))
    assert events_awaiting_outcome(TODAY) == []


def test_agency_with_nobody_to_remind_still_appears(known_agency, make_event):
    make_event(known_agency("EP"), starts_on=date(2016, 7, 1), status="planned")
    assert events_awaiting_outcome(TODAY)[0].recipient_contact_ids == ()


def render(template: str, **context) -> str:
    """A partial as another area's page includes it."""
    return render_template_string('{% include "' + template + '" %}', **context)


def test_dashboard_partial(app, users_by_role, plan_with_events):
    with app.test_request_context():
        html = render("events/_dashboard.html", plan=plan_with_events, today=TODAY)
    assert "4 events held" in html and "270 people attended" in html
    assert "Key priority 1: Reduce harm" in html and "Not linked to an objective" in html and "June 2016" in html
    assert "1. Reduce harm" not in html.replace("Key priority 1: Reduce harm", "")


def test_dashboard_partial_of_a_plan_with_no_event_held_draws_no_table(app, make_key_priority, make_event,
                                                                       known_agency):
    kp = make_key_priority(title="Reduce harm")
    make_event(known_agency("EP"), title="Coming up", starts_on=date(2016, 8, 1), status="planned")
    with app.test_request_context():
        html = render("events/_dashboard.html", plan=kp.plan, today=TODAY)
    assert "0 events held" in html and "1 planned" in html
    assert "<table" not in html and "April 2016" not in html


def test_board_report_partial(app, plan_with_events):
    with app.test_request_context():
        html = render("events/_board_report.html", plan=plan_with_events, since=date(2016, 6, 1))
    assert "Events held since 1 June 2016" in html
    assert "Conference" in html and "Unlinked talk" in html and "Crew day 1" not in html


def test_chasing_partial(app, known_agency, make_event):
    make_event(known_agency("EP"), title="<script>x</script>", starts_on=date(2016, 7, 1), status="planned")
    with app.test_request_context():
        html = render("events/_chasing.html", today=TODAY)
        empty = render("events/_chasing.html", today=date(2016, 6, 30))
    assert "&lt;script&gt;x&lt;/script&gt;" in html and "1 July 2016" in html and "Nobody" in html
    assert "Every event whose day has passed" in empty


def test_plans_pages_include_the_event_figures(client_as, plan_with_events, known_agency, make_event):
    """The dashboard, board report and chasing page show this area's partials."""
    make_event(known_agency("EP"), title="Awaited talk", starts_on=date(2016, 7, 1), status="planned")
    coordinator = client_as("coordinator")
    assert "Events held" in coordinator.get(f"/?year={plan_with_events.year}").get_data(as_text=True)
    assert "Events held since" in coordinator.get(f"/report?year={plan_with_events.year}").get_data(as_text=True)
    assert "Awaited talk" in coordinator.get(f"/chasing?year={plan_with_events.year}").get_data(as_text=True)


def test_objective_partial_lists_its_events_and_offers_recording(app, plan_with_events):
    objective = plan_with_events.key_priorities[0].objectives[0]
    with app.test_request_context():
        html = render("plans/_objective_events.html", objective=objective, can_record_event=True)
        assert "/events/new" not in render("plans/_objective_events.html", objective=objective, can_record_event=False)
    assert "3 events held" in html and "250 people attended" in html and "(attendance not known for 1)" in html
    assert html.index("Conference") < html.index("Crew day 1")  # newest first
    assert f"/events/new?objective={objective.id}" in html


def test_the_objective_page_offers_recording_an_event_to_those_who_may(client_as, plan_with_events):
    """The page is kept between requests and viewers: each still sees only what they may do."""
    path = f"/objectives/{plan_with_events.key_priorities[0].objectives[0].id}"
    for role, offered in (("viewer", False), ("partner", True), ("viewer", False), ("coordinator", True)):
        assert ("/events/new?objective=" in client_as(role).get(path).get_data(as_text=True)) is offered, role
