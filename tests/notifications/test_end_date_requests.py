"""A lead asks to move an end date; the coordinator approves or declines it in the app; the lead hears."""

from datetime import date

from sqlalchemy import select
from support.notifications import NOW

from scp_tracker.core.models import ChangeRecord
from scp_tracker.plans.models import ProgressUpdate
from scp_tracker.plans.progress import ProgressValues, add_progress
from scp_tracker.reminders.services import run_reminders


def _ask(db, world, to=date(2017, 6, 30)) -> ProgressUpdate:
    update = add_progress(world.campaign, ProgressValues(text="Needs longer", rag=None, requested_end_date=to),
                          world.actor(world.lead), now=NOW)
    db.session.commit()
    return update


def test_the_page_lists_the_requests_waiting(db, notification_world, login, client):
    w = notification_world
    _ask(db, w)
    page = login(w.coordinator).get("/end-date-requests").get_data(as_text=True)
    assert "1 request waiting for a decision" in page
    assert "Social media campaign" in page and "30 June 2017" in page and "Lee Lead" in page
    assert "30 April 2017" in page  # the end date now


def test_approving_moves_the_end_date_records_it_and_tells_the_leads(db, notification_world, login, client, told):
    w = notification_world
    update = _ask(db, w)
    response = login(w.coordinator).post(f"/end-date-requests/{update.id}", data={"decision": "approve"},
                                         follow_redirects=True)
    assert "The end date of Social media campaign is now 30 June 2017" in response.get_data(as_text=True)
    db.session.expire_all()
    assert w.campaign.end_date == date(2017, 6, 30) and w.campaign.end_date_text == "30 June 2017"
    assert update.end_date_request_status == "approved"
    history = {(r.field, r.before, r.after) for r in db.session.scalars(select(ChangeRecord))}
    assert ("end_date", "2017-04-30", "2017-06-30") in history
    assert ("end_date_request", "Asked for 30 June 2017", "Approved") in history
    assert told(w.lead) == [("end_date_decided", "email")]
    assert told(w.colleague) == [("objective_changed", "digest")]
    assert ("end_date_requested", "email") in told(w.coordinator)
    assert ("objective_changed", "digest") not in told(w.coordinator)
    assert "There are no requests waiting for a decision" in client.get("/end-date-requests").get_data(as_text=True)


def test_declining_keeps_the_end_date_and_tells_the_lead_who_asked(db, notification_world, login, client, told):
    w = notification_world
    update = _ask(db, w)
    response = login(w.coordinator).post(f"/end-date-requests/{update.id}", data={"decision": "decline"},
                                         follow_redirects=True)
    assert "was declined" in response.get_data(as_text=True)
    db.session.expire_all()
    assert (w.campaign.end_date, update.end_date_request_status) == (date(2017, 4, 30), "declined")
    assert told(w.lead) == [("end_date_decided", "email")]
    assert told(w.colleague) == []
    from scp_tracker.notifications.models import Notification

    answer = db.session.scalar(select(Notification).where(Notification.kind == "end_date_decided"))
    assert answer.title == "Your request to move the end date of Social media campaign was declined"
    assert answer.detail_lines == ["The end date stays 30 April 2017"]


def test_a_request_is_decided_once(db, notification_world, login, client):
    w = notification_world
    update = _ask(db, w)
    login(w.coordinator)
    client.post(f"/end-date-requests/{update.id}", data={"decision": "decline"})
    response = client.post(f"/end-date-requests/{update.id}", data={"decision": "approve"}, follow_redirects=True)
    assert "already been approved or declined" in response.get_data(as_text=True)
    db.session.expire_all()
    assert (w.campaign.end_date, update.end_date_request_status) == (date(2017, 4, 30), "declined")


def test_only_real_requests_and_decisions_are_accepted(db, notification_world, login, client):
    w = notification_world
    plain = add_progress(w.campaign, ProgressValues(text="Fine", rag="green"), w.actor(w.lead), now=NOW)
    update = _ask(db, w)
    login(w.coordinator)
    assert client.post(f"/end-date-requests/{plain.id}", data={"decision": "approve"}).status_code == 404
    assert client.post("/end-date-requests/999", data={"decision": "approve"}).status_code == 404
    assert client.post(f"/end-date-requests/{update.id}", data={"decision": "maybe"}).status_code == 400
    assert client.post(f"/end-date-requests/{update.id}").status_code == 400


def test_the_end_date_reminders_follow_the_approved_date(db, notification_world, login, client):
    w = notification_world
    update = _ask(db, w)
    login(w.coordinator).post(f"/end-date-requests/{update.id}", data={"decision": "approve"})
    report = run_reminders(date(2017, 6, 2), now=NOW, dry_run=True)  # 28 days before 30 June
    kinds = {(item.reminder.kind, item.reminder.stage_or_period) for d in report.digests for item in d.items
             if item.objective.id == w.campaign.id}
    assert ("due_soon", "2017-06-30:28") in kinds
    assert not any(kind == "overdue" for kind, _ in kinds)


def test_a_newer_request_supersedes_older_pending_ones(db, notification_world, login, client):
    w = notification_world
    older = _ask(db, w, to=date(2017, 9, 30))
    newer = _ask(db, w, to=date(2017, 6, 30))
    coordinator = login(w.coordinator)
    page = coordinator.get("/end-date-requests").get_data(as_text=True)
    assert "1 request waiting for a decision" in page and "30 September 2017" not in page
    coordinator.post(f"/end-date-requests/{newer.id}", data={"decision": "approve"})
    # The older request, approved after the newer one (a page left open), cannot move the date back.
    response = coordinator.post(f"/end-date-requests/{older.id}", data={"decision": "approve"}, follow_redirects=True)
    assert "A newer request to change the end date of Social media campaign replaced this one" in response.get_data(
        as_text=True)
    db.session.expire_all()
    assert w.campaign.end_date == date(2017, 6, 30)
    assert (older.end_date_request_status, newer.end_date_request_status) == ("superseded", "approved")
    assert "(superseded)" in coordinator.get(f"/objectives/{w.campaign.id}").get_data(as_text=True)
