"""The notification pages: the list with its unread count, marking read, the choices, and who may see what."""

from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select
from support.notifications import NOW, objective_values

from scp_tracker.notifications.models import Notification, NotificationPreference
from scp_tracker.notifications.preference_links import preferences_token
from scp_tracker.plans.services import update_objective


def _notes(db, contact_id, count, start=NOW, read=False):
    """Write count notifications for a contact, one a minute from start (one statement)."""
    db.session.execute(insert(Notification), [
        {"contact_id": contact_id, "kind": "objective_changed", "title": f"Change {n}", "detail": f"Line {n}",
         "link_path": "/objectives/1", "delivery": "app", "created_at": start + timedelta(minutes=n),
         "read_at": start if read else None, "actor_name": "Cora Coordinator"}
        for n in range(count)])
    db.session.commit()


@pytest.mark.parametrize("path", ["/notifications", "/notifications/settings"])
def test_the_pages_ask_anonymous_people_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302 and "/sign-in" in response.location


def test_marking_read_needs_a_sign_in(client, db, notification_world):
    _notes(db, notification_world.lead.contact_id, 1)
    assert client.post("/notifications/read").status_code == 302
    assert db.session.scalar(select(Notification.read_at)) is None


def test_the_list_is_newest_first_and_only_the_persons_own(db, notification_world, login, client):
    w = notification_world
    _notes(db, w.lead.contact_id, 3)
    _notes(db, w.police_lead.contact_id, 1, start=NOW + timedelta(hours=1))
    page = login(w.lead).get("/notifications").get_data(as_text=True)
    assert page.index("Change 2") < page.index("Change 1") < page.index("Change 0")
    assert page.count("Mark as read") == 3
    assert "By Cora Coordinator" in page and 'href="/objectives/1"' in page
    assert "Notifications (3<span class=\"govuk-visually-hidden\"> unread</span>)" in page


def test_the_header_shows_no_count_when_all_are_read(db, notification_world, login, client):
    w = notification_world
    _notes(db, w.lead.contact_id, 2, read=True)
    page = login(w.lead).get("/notifications").get_data(as_text=True)
    assert ">Notifications</a>" in page and "Mark as read" not in page and "Mark all as read" not in page


def test_mark_one_read_then_all(db, notification_world, login, client):
    w = notification_world
    _notes(db, w.lead.contact_id, 3)
    first = db.session.scalar(select(Notification.id).order_by(Notification.id))
    login(w.lead)
    assert client.post(f"/notifications/{first}/read").status_code == 302
    page = client.get("/notifications").get_data(as_text=True)
    assert "Notifications (2<span" in page
    response = client.post("/notifications/read", follow_redirects=True)
    assert "2 notifications marked as read" in response.get_data(as_text=True)
    assert db.session.scalars(select(Notification.read_at).where(Notification.read_at.is_(None))).all() == []


def test_nobody_can_mark_another_persons_notification(db, notification_world, login, client):
    w = notification_world
    _notes(db, w.police_lead.contact_id, 1)
    other = db.session.scalar(select(Notification.id))
    assert login(w.lead).post(f"/notifications/{other}/read").status_code == 404
    assert login(w.lead).post("/notifications/999/read").status_code == 404
    assert db.session.scalar(select(Notification.read_at)) is None


def test_the_list_runs_a_fixed_number_of_queries(db, notification_world, login, client, count_queries):
    w = notification_world
    login(w.lead)
    counts = []
    for count in (5, 195):
        _notes(db, w.lead.contact_id, count)
        assert client.get("/notifications").status_code == 200
        with count_queries() as statements:
            assert client.get("/notifications?page=2").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 6, counts


def test_a_lead_chooses_among_the_leads_kinds(db, notification_world, login, client):
    page = login(notification_world.lead).get("/notifications/settings").get_data(as_text=True)
    assert "You are made a lead" in page and "Changes to objectives you lead" in page
    assert "Requests to move an end date" not in page and "Emails that could not be delivered" not in page


def test_the_coordinator_chooses_among_every_kind(db, notification_world, login, client):
    page = login(notification_world.coordinator).get("/notifications/settings").get_data(as_text=True)
    assert "Requests to move an end date" in page and "The scheduler stopping" in page and "Proposed funding" in page
    assert page.count('value="email"') == 10


def test_a_choice_is_saved_and_followed(db, notification_world, login, client, told):
    w = notification_world
    login(w.lead)
    form = {"lead_assigned": "app", "objective_changed": "off", "end_date_decided": "digest",
            "event_recorded": "email"}
    response = client.post("/notifications/settings", data=form, follow_redirects=True)
    assert "Your notification settings have been saved" in response.get_data(as_text=True)
    saved = dict(db.session.execute(select(NotificationPreference.kind, NotificationPreference.delivery)
                                    .where(NotificationPreference.contact_id == w.lead.contact_id)).all())
    assert saved == form
    page = client.get("/notifications/settings").get_data(as_text=True)
    assert 'name="objective_changed" type="radio" value="off" checked' in page
    update_objective(w.campaign, objective_values(w.campaign, end_date=date(2017, 5, 31)), w.actor(w.coordinator))
    db.session.commit()
    assert told(w.lead) == []  # turned off
    assert told(w.colleague) == [("objective_changed", "digest")]  # the default


def test_an_unknown_choice_is_refused(db, notification_world, login, client):
    response = login(notification_world.lead).post("/notifications/settings", data={
        "lead_assigned": "pigeon", "objective_changed": "off", "end_date_decided": "digest",
        "event_recorded": "email"})
    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)
    assert db.session.scalar(select(NotificationPreference.kind)) is None


def test_a_lead_cannot_choose_the_coordinators_kinds(db, notification_world, login, client):
    login(notification_world.lead).post("/notifications/settings", data={
        "lead_assigned": "app", "objective_changed": "off", "end_date_decided": "digest",
        "event_recorded": "email", "email_failed": "off"})
    assert db.session.scalar(select(NotificationPreference).where(NotificationPreference.kind == "email_failed")) \
        is None


@pytest.mark.parametrize(("role", "status"), [("coordinator", 200), ("lead", 403), ("partner", 403),
                                              ("viewer", 403), ("anonymous", 302)])
def test_only_the_coordinator_sees_end_date_requests(client_as, role, status):
    assert client_as(role).get("/end-date-requests").status_code == status


@pytest.mark.parametrize(("role", "status"), [("lead", 403), ("partner", 403), ("viewer", 403), ("anonymous", 302)])
def test_only_the_coordinator_decides_end_date_requests(client_as, role, status):
    assert client_as(role).post("/end-date-requests/1", data={"decision": "approve"}).status_code == status


@pytest.mark.parametrize("role", ["coordinator", "lead", "partner", "viewer"])
def test_every_signed_in_person_has_notifications(client_as, role):
    assert client_as(role).get("/notifications").status_code == 200
    assert client_as(role).get("/notifications/settings").status_code == 200


def test_a_contact_without_a_login_chooses_from_the_emailed_link(db, notification_world, client, told):
    """The signed link in the daily email opens the same choices, no sign-in; a forged one is refused."""
    w = notification_world
    link = f"/notifications/settings/{preferences_token(w.colleague.id)}"
    page = client.get(link)
    assert page.status_code == 200 and page.headers["Referrer-Policy"] == "no-referrer"
    form = {"lead_assigned": "email", "objective_changed": "off", "end_date_decided": "digest",
            "event_recorded": "digest"}
    assert client.post(link, data=form).headers["Location"] == link
    update_objective(w.campaign, objective_values(w.campaign, end_date=date(2017, 5, 31)), w.actor(w.coordinator))
    db.session.commit()
    assert told(w.colleague) == []  # turned off from the link
    assert client.get(link[:-3] + "abc").status_code == 404
