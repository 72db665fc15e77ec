"""Emails sent at once are batched: changes within a few minutes make one email, held back in the outbox."""

from datetime import date, timedelta

import pytest
import time_machine
from sqlalchemy import select
from support.notifications import NOW, objective_values

from scp_tracker.mail import services as mail
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.notifications.emails import BATCH_WINDOW
from scp_tracker.notifications.models import Notification
from scp_tracker.notifications.services import save_choices
from scp_tracker.plans.progress import ProgressValues, add_progress
from scp_tracker.plans.services import update_objective


def test_an_email_at_once_is_held_back_for_the_batching_window(db, notification_world, notification_emails):
    w = notification_world
    add_progress(w.campaign, ProgressValues(text="Stalled", rag="red"), w.actor(w.lead), now=NOW)
    db.session.commit()
    [email] = notification_emails()
    assert email.next_attempt_at == NOW + BATCH_WINDOW
    assert email.status == "queued"


def test_changes_within_the_window_make_one_email(db, notification_world, notification_emails):
    w = notification_world
    add_progress(w.campaign, ProgressValues(text="Stalled", rag="red"), w.actor(w.lead), now=NOW)
    db.session.commit()
    add_progress(w.campaign, ProgressValues(text="Needs longer", rag=None, requested_end_date=date(2017, 6, 30)),
                 w.actor(w.lead), now=NOW + timedelta(minutes=3))
    db.session.commit()
    [email] = notification_emails()
    assert email.subject == "Social media campaign: 2 changes"
    assert "Social media campaign is now Red" in email.text_body
    assert "Lee Lead asks to move the end date of Social media campaign" in email.text_body
    assert email.text_body.count("Open it (sign in first)") == 2
    assert "Lee Lead asks to move" in email.html_body
    assert email.next_attempt_at == NOW + BATCH_WINDOW  # the first change's window: never later than promised
    keys = set(db.session.scalars(select(Notification.email_key).where(Notification.delivery == "email")))
    assert keys == {email.key}


def test_changes_to_different_objectives_for_one_person_share_the_email(
        db, notification_world, make_objective, notification_emails):
    w = notification_world
    other = make_objective(w.campaign.key_priority, "Keep Safe scheme", leads=[w.cbc])
    add_progress(w.campaign, ProgressValues(text="Stalled", rag="red"), w.actor(w.lead), now=NOW)
    add_progress(other, ProgressValues(text="Stalled too", rag="red"), w.actor(w.lead), now=NOW + timedelta(minutes=1))
    db.session.commit()
    [email] = notification_emails()
    assert email.subject == "2 changes in SCP Tracker"


def test_a_change_after_the_window_starts_a_new_email(db, notification_world, notification_emails):
    w = notification_world
    add_progress(w.campaign, ProgressValues(text="Stalled", rag="red"), w.actor(w.lead), now=NOW)
    db.session.commit()
    add_progress(w.campaign, ProgressValues(text="Worse", rag="green"), w.actor(w.lead), now=NOW)
    add_progress(w.campaign, ProgressValues(text="Red again", rag="red"), w.actor(w.lead),
                 now=NOW + BATCH_WINDOW + timedelta(seconds=1))
    db.session.commit()
    first, second = notification_emails()
    assert "Red again" not in first.text_body and "Red again" in second.text_body
    assert second.next_attempt_at == NOW + 2 * BATCH_WINDOW + timedelta(seconds=1)


def test_each_person_gets_their_own_email(db, notification_world, make_user, notification_emails):
    w = notification_world
    make_user("coordinator", agency=w.cbc, name="Second Coordinator", email="second@example.org")
    add_progress(w.campaign, ProgressValues(text="Stalled", rag="red"), w.actor(w.lead), now=NOW)
    db.session.commit()
    assert sorted(email.to_address for email in notification_emails()) == ["cora@example.org", "second@example.org"]


def test_the_window_is_independent_of_other_emails_to_the_same_person(db, notification_world, notification_emails):
    w = notification_world
    mail.enqueue(to="cora@example.org", subject="Something else", text_body="…", key="other", now=NOW)
    add_progress(w.campaign, ProgressValues(text="Stalled", rag="red"), w.actor(w.lead), now=NOW)
    db.session.commit()
    assert len(notification_emails()) == 1


@pytest.mark.smtp
def test_the_outbox_sends_the_batch_once_the_window_has_passed(db, notification_world, smtp_server):
    w = notification_world
    save_choices(w.lead.contact_id, {"objective_changed": "email"}, now=NOW)
    add_progress(w.campaign, ProgressValues(text="Stalled", rag="red"), w.actor(w.lead), now=NOW)
    with time_machine.travel(NOW + timedelta(minutes=2), tick=False):  # editing takes the time from the clock
        update_objective(w.campaign, objective_values(w.campaign, end_date=date(2017, 6, 30)),
                         w.actor(w.coordinator))
    db.session.commit()
    assert mail.deliver_due(NOW + timedelta(minutes=1)).sent == 0
    assert mail.deliver_due(NOW + BATCH_WINDOW).sent == 1  # the coordinator's
    assert mail.deliver_due(NOW + timedelta(minutes=2) + BATCH_WINDOW).sent == 1  # the CBC lead's
    [lead_email] = smtp_server.received_by("lee.lead@example.org")
    assert lead_email.message["Subject"] == "Social media campaign: end date changed"
    [received] = smtp_server.received_by("cora@example.org")
    assert received.message["Subject"] == "Social media campaign is now Red"
    # A change once the email has gone starts another one.
    add_progress(w.campaign, ProgressValues(text="Worse", rag="amber"), w.actor(w.lead), now=NOW + BATCH_WINDOW)
    add_progress(w.campaign, ProgressValues(text="Red", rag="red"), w.actor(w.lead), now=NOW + BATCH_WINDOW)
    db.session.commit()
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.status == "queued",
                                                         OutboxMessage.kind == "notification")) is not None
