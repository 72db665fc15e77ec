"""What is broken reaches the coordinator at once: an email that failed for good, a scheduler that stopped."""

from datetime import timedelta

import pytest
from sqlalchemy import select
from support.notifications import NOW

from scp_tracker.core.clock import utcnow
from scp_tracker.mail import services as mail
from scp_tracker.notifications.models import Notification
from scp_tracker.operations.models import SchedulerHeartbeat
from scp_tracker.plans.progress import ProgressValues, add_progress


@pytest.mark.smtp
def test_an_email_refused_for_good_tells_the_coordinator_at_once(db, notification_world, smtp_server, told,
                                                                 notification_emails):
    smtp_server.refuse("gone@example.org")
    mail.enqueue(to="gone@example.org", subject="Reminders for 18 April 2017", text_body="…", key="digest:1",
                 now=NOW)
    db.session.commit()
    assert mail.deliver_due(NOW).failed == 1
    assert told(notification_world.coordinator) == [("email_failed", "email")]
    [email] = notification_emails()
    assert email.subject == "An email to gone@example.org could not be delivered"
    assert "“Reminders for 18 April 2017”" in email.text_body and "550" in email.text_body
    assert "/emails?status=failed" in email.text_body


@pytest.mark.smtp
def test_a_retry_is_not_a_failure(db, notification_world, smtp_server, all_notifications):
    smtp_server.refuse("busy@example.org", 451)
    mail.enqueue(to="busy@example.org", subject="Reminders", text_body="…", key="digest:2", now=NOW)
    db.session.commit()
    assert mail.deliver_due(NOW).retrying == 1
    assert all_notifications() == []


@pytest.mark.smtp
def test_nobody_is_emailed_about_their_own_address_failing(db, notification_world, smtp_server, told):
    smtp_server.refuse("cora@example.org")
    mail.enqueue(to="cora@example.org", subject="Reminders", text_body="…", key="digest:3", now=NOW)
    db.session.commit()
    mail.deliver_due(NOW)
    assert told(notification_world.coordinator) == [("email_failed", "app")]


@pytest.mark.smtp
def test_a_failed_notification_email_is_shown_in_the_app_only_so_failures_cannot_loop(
        db, notification_world, make_user, smtp_server, told, notification_emails):
    w = notification_world
    second = make_user("coordinator", agency=w.cbc, name="Second Coordinator", email="second@example.org")
    smtp_server.refuse("second@example.org")
    add_progress(w.campaign, ProgressValues(text="Stalled", rag="red"), w.actor(w.lead), now=NOW)
    db.session.commit()
    report = mail.deliver_due(NOW + timedelta(minutes=5))
    assert (report.sent, report.failed) == (1, 1)
    assert told(w.coordinator) == [("progress_worse", "email"), ("email_failed", "app")]
    assert told(second) == [("progress_worse", "email"), ("email_failed", "app")]
    assert len(notification_emails()) == 2  # the two about the red objective, and no more


def _heartbeat(db, last_beat_at, key="host:1"):
    row = db.session.scalar(select(SchedulerHeartbeat).where(SchedulerHeartbeat.process_key == key))
    if row is None:
        row = SchedulerHeartbeat(process_key=key, hostname="host", pid=1, started_at=last_beat_at)
        db.session.add(row)
    row.last_beat_at = last_beat_at
    db.session.commit()


def test_a_coordinators_page_load_tells_every_coordinator_once_per_outage(
        db, notification_world, make_user, login, client, told):
    w = notification_world
    second = make_user("coordinator", agency=w.cbc, name="Second Coordinator", email="second@example.org")
    stopped_at = utcnow() - timedelta(minutes=10)
    _heartbeat(db, stopped_at)
    login(w.coordinator)
    assert client.get("/notifications").status_code == 200
    assert client.get("/notifications").status_code == 200
    assert told(w.coordinator) == [("scheduler_stopped", "email")]
    assert told(second) == [("scheduler_stopped", "email")]
    note = db.session.scalar(select(Notification).where(Notification.contact_id == w.coordinator.contact_id))
    assert note.title == "The scheduler has stopped: no reminders or emails are being sent"
    # It started again, then stopped again: a new outage.
    _heartbeat(db, utcnow() - timedelta(minutes=6))
    client.get("/notifications")
    assert told(w.coordinator) == [("scheduler_stopped", "email")] * 2


def test_a_running_or_never_started_scheduler_and_other_roles_tell_nobody(
        db, notification_world, login, client, all_notifications):
    w = notification_world
    login(w.coordinator)
    client.get("/notifications")  # never started: the banner says so; there is no outage to report
    _heartbeat(db, utcnow() - timedelta(minutes=1))
    client.get("/notifications")
    _heartbeat(db, utcnow() - timedelta(minutes=10))
    login(w.lead)
    client.get("/notifications")
    assert all_notifications() == []
