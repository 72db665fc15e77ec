"""Notifications chosen for the daily email go out with the reminders, once, and are kept for a year."""

from datetime import date, timedelta

from sqlalchemy import func, insert, select
from support.notifications import NOW, objective_values

from scp_tracker.mail.models import OutboxMessage
from scp_tracker.notifications.models import Notification
from scp_tracker.notifications.services import prune
from scp_tracker.plans.progress import ProgressValues, add_progress
from scp_tracker.plans.services import update_objective
from scp_tracker.reminders.services import run_reminders

RUN_DAY = date(2017, 4, 18)  # a Tuesday: the campaign is due in 12 days, so its leads have a reminder too


def _digest_to(db, address) -> OutboxMessage:
    return db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "reminder_digest",
                                                         OutboxMessage.to_address == address))


def test_the_daily_email_carries_the_notifications_and_takes_them(db, notification_world):
    w = notification_world
    update_objective(w.campaign, objective_values(w.campaign, agency_ids=[w.cbc.id, w.ep.id]),
                     w.actor(w.coordinator))
    db.session.commit()
    report = run_reminders(RUN_DAY, now=NOW)
    db.session.commit()
    digest = next(d for d in report.digests if d.contact.id == w.lead.contact_id)
    assert [n.title for n in digest.notifications] == ["Social media campaign: lead agencies changed"]
    email = _digest_to(db, "lee.lead@example.org")
    assert "Changes in the plan" in email.text_body
    assert "Lead agencies: CBC → CBC / EP" in email.text_body and "By Cora Coordinator" in email.text_body
    assert "/notifications/settings" in email.text_body and "Changes in the plan" in email.html_body
    assert email.subject.endswith("and 1 change to know about")
    note = db.session.scalar(select(Notification).where(Notification.contact_id == w.lead.contact_id))
    assert note.digested_at == NOW and note.email_key == email.key
    # The next run has nothing new for them.
    again = run_reminders(RUN_DAY + timedelta(days=1), now=NOW + timedelta(days=1))
    assert all(not d.notifications for d in again.digests)


def test_someone_with_only_notifications_gets_a_daily_email_and_no_run_summary(db, notification_world):
    w = notification_world
    w.campaign.end_date = date(2017, 12, 31)  # nothing due: no reminders this run
    db.session.commit()
    # The coordinator's weekly run summary went on Tuesday 25 April (past the March round's escalation).
    run_reminders(date(2017, 4, 25), now=NOW + timedelta(days=7))
    db.session.commit()
    later = NOW + timedelta(days=8)
    add_progress(w.campaign, ProgressValues(text="Going well", rag="green"), w.actor(w.lead), now=later)
    db.session.commit()
    report = run_reminders(date(2017, 4, 26), now=later)
    db.session.commit()
    assert report.reminder_count == 0
    assert [d.contact.id for d in report.digests] == [w.coordinator.contact_id]
    email = _digest_to(db, "cora@example.org")
    assert email.subject == "Your daily email for 26 April 2017: 1 change to know about"
    assert "Here is what changed in the plan that concerns you." in email.text_body
    assert "Progress on Social media campaign" in email.text_body
    assert report.summaries_queued == 0
    assert report.as_json() == [{"to": "cora@example.org", "kinds": [], "items": [],
                                 "notifications": ["Progress on Social media campaign"], "summary": False}]


def test_a_preview_takes_nothing(db, notification_world):
    w = notification_world
    add_progress(w.campaign, ProgressValues(text="Going well", rag="green"), w.actor(w.lead), now=NOW)
    db.session.commit()
    preview = run_reminders(RUN_DAY, now=NOW, dry_run=True)
    db.session.rollback()
    assert any(d.notifications for d in preview.digests)
    assert db.session.scalar(select(func.count(Notification.id)).where(Notification.digested_at.is_not(None))) == 0


def test_a_paused_persons_notifications_wait_for_the_pause_to_end(db, notification_world):
    w = notification_world
    w.lead.contact.reminders_paused_until = RUN_DAY
    update_objective(w.campaign, objective_values(w.campaign, end_date=date(2017, 5, 31)), w.actor(w.coordinator))
    db.session.commit()
    first = run_reminders(RUN_DAY, now=NOW)
    db.session.commit()
    assert all(d.contact.id != w.lead.contact_id for d in first.digests)
    later = run_reminders(RUN_DAY + timedelta(days=1), now=NOW + timedelta(days=1))
    db.session.commit()
    lead = next(d for d in later.digests if d.contact.id == w.lead.contact_id)
    assert [n.title for n in lead.notifications] == ["Social media campaign: end date changed"]


def test_notifications_at_once_or_in_the_app_stay_out_of_the_daily_email(db, notification_world):
    w = notification_world
    add_progress(w.campaign, ProgressValues(text="Stalled", rag="red"), w.actor(w.lead), now=NOW)
    db.session.commit()
    report = run_reminders(RUN_DAY, now=NOW)
    assert all(not d.notifications for d in report.digests)


def test_notifications_are_kept_for_a_year(db, notification_world):
    w = notification_world
    db.session.execute(insert(Notification), [
        {"contact_id": w.lead.contact_id, "kind": "objective_changed", "title": title, "delivery": "app",
         "created_at": NOW - timedelta(days=days)}
        for title, days in (("old", 366), ("kept", 364))])
    db.session.commit()
    assert prune(NOW) == 1
    db.session.commit()
    assert db.session.scalars(select(Notification.title)).all() == ["kept"]


def test_notifications_alone_make_at_most_one_daily_email_a_day(db, notification_world):
    w = notification_world
    first = run_reminders(RUN_DAY, now=NOW)  # the lead's reminders: their daily email for today
    db.session.commit()
    assert any(d.contact.id == w.lead.contact_id for d in first.digests)
    update_objective(w.campaign, objective_values(w.campaign, agency_ids=[w.cbc.id, w.ep.id]), w.actor(w.coordinator))
    db.session.commit()
    again = run_reminders(RUN_DAY, now=NOW + timedelta(hours=6))  # "Send now" in the afternoon
    db.session.commit()
    assert all(d.contact.id != w.lead.contact_id for d in again.digests)
    tomorrow = run_reminders(RUN_DAY + timedelta(days=1), now=NOW + timedelta(days=1))
    lead = next(d for d in tomorrow.digests if d.contact.id == w.lead.contact_id)
    assert [n.title for n in lead.notifications] == ["Social media campaign: lead agencies changed"]


def test_a_run_that_sends_new_reminders_anyway_carries_the_notifications_too(db, notification_world):
    w = notification_world
    run_reminders(RUN_DAY, now=NOW)
    db.session.commit()
    # A new end date is a new due-date reminder (its key holds the date); tomorrow's goes outside the weekly budget,
    # so the lead gets a second email today.
    update_objective(w.campaign, objective_values(w.campaign, end_date=date(2017, 4, 19)), w.actor(w.coordinator))
    db.session.commit()
    again = run_reminders(RUN_DAY, now=NOW + timedelta(hours=6))
    lead = next(d for d in again.digests if d.contact.id == w.lead.contact_id)
    assert [n.title for n in lead.notifications] == ["Social media campaign: end date changed"]
