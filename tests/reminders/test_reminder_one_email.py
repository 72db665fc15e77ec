"""One email, one page: each objective once with every reason, the subject's count matching the list, one link to
"Your objectives" for what the person is asked about and sign-in links for the rest; partner and viewer logins are
not sent update links by their agency; the coordinator gets one email a day."""

import re
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from scp_tracker.mail.models import OutboxMessage
from scp_tracker.notifications.models import Notification
from scp_tracker.plans.models import ObjectiveContact
from scp_tracker.reminders.lead_links import find_lead_link
from scp_tracker.reminders.link_access import is_asked_about, may_update
from scp_tracker.reminders.rules import ReminderSettings
from scp_tracker.reminders.services import run_reminders
from scp_tracker.reminders.settings import save_settings

RUN_DAY = date(2017, 4, 18)  # a Tuesday, the weekly day
NOW = datetime(2017, 4, 18, 6, 0, tzinfo=UTC)


def _email_to(db, address):
    return db.session.scalar(select(OutboxMessage).where(OutboxMessage.to_address == address))


def test_an_objective_due_under_several_kinds_is_listed_once_and_the_subject_counts_the_list(
        db, reminder_world, make_event):
    w = reminder_world
    # Keep Safe: funding TBC, and now also stale (no update for 42 days) and its end date near.
    w.keep_safe.progress_updates.clear()
    w.keep_safe.last_progress_at = datetime(2017, 3, 1, 9, tzinfo=UTC)
    w.keep_safe.end_date = date(2017, 5, 10)
    make_event(w.cbc, title="Crucial Crew", starts_on=date(2017, 4, 12), status="planned")
    db.session.add(Notification(contact_id=w.lead.id, kind="progress_added", title="New progress on Gangs",
                                delivery="digest", link_path=f"/objectives/{w.gangs.id}"))
    db.session.commit()
    report = run_reminders(RUN_DAY, now=NOW)
    db.session.commit()

    lee = next(d for d in report.digests if d.contact.id == w.lead.id)
    assert sorted(i.reminder.kind for i in lee.items) == ["due_soon", "due_soon", "stale", "tbc_funding"]
    assert [(e.objective.title, e.kinds) for e in lee.entries] == [
        ("Keep Safe scheme", ["due_soon", "stale", "tbc_funding"]), ("Social media campaign", ["due_soon"])]
    message = _email_to(db, "lee.lead@example.org")
    assert message.subject == ("Reminders for 18 April 2017: 2 objectives to update, 1 event to record and "
                               "1 change to know about")
    text = message.text_body
    assert text.count("Keep Safe scheme\nKey priority") == 1 and text.count("Social media campaign\nKey") == 1
    reasons = text.split("Keep Safe scheme\nKey priority")[1].split("Social media campaign")[0]
    for words in ("- End date coming up: Due in 22 days", "- No recent progress update: No progress update since",
                  "- Funding to be confirmed: Funding is still to be confirmed (TBC). Please give the amount, its "
                  "source and the pot."):
        assert words in reasons
    # One link to "Your objectives" in each part, however many objectives and reasons.
    for body in (text, message.html_body):
        assert len(set(re.findall(r"/your-objectives/[A-Za-z0-9_-]+", body))) == 1
        assert "/update/" not in body
    assert "New progress on Gangs" in text and "Crucial Crew" in text


def test_people_not_asked_about_an_objective_get_a_sign_in_link_to_it_not_an_update_link(db, reminder_world):
    w = reminder_world
    run_reminders(RUN_DAY, now=NOW)
    db.session.commit()
    cora = _email_to(db, "cora@example.org").text_body
    assert "/your-objectives/" not in cora
    assert f"Open it (sign in first): http://localhost/objectives/{w.gangs.id}" in cora.replace("https://", "http://") \
        or f"/objectives/{w.gangs.id}" in cora
    # Kim is asked to propose a lead for Gangs (lead TBC): that is on her "Your objectives" page.
    kim = _email_to(db, "kim.priority@example.org").text_body
    (raw,) = set(re.findall(r"/your-objectives/([A-Za-z0-9_-]+)", kim))
    assert find_lead_link(raw).contact_id == w.kp_lead.id
    assert is_asked_about(w.kp_lead, w.gangs) and not is_asked_about(w.kp_lead, w.campaign)
    # The coordinator is not asked as such (their page lists nothing), but may still use an update link.
    assert not is_asked_about(w.coordinator, w.gangs) and may_update(w.coordinator, w.gangs)


def test_partner_and_viewer_logins_are_not_sent_update_links_by_their_agency_but_are_when_named(
        db, reminder_world, make_user, make_objective):
    w = reminder_world
    partner = make_user("partner", agency=w.cbc, name="Pat Partner", email="pat@example.org").contact
    viewer = make_user("viewer", agency=w.cbc, name="Vic Viewer", email="vic@example.org").contact
    report = run_reminders(RUN_DAY, now=NOW, dry_run=True)
    assert {d.contact.email for d in report.digests}.isdisjoint({"pat@example.org", "vic@example.org"})
    assert not is_asked_about(partner, w.campaign) and not is_asked_about(viewer, w.campaign)

    named = make_objective(w.campaign.key_priority, "Named partner's objective", leads=[w.cbc],
                           end_date=date(2017, 4, 19), created_at=NOW - timedelta(days=300), last_progress_at=NOW)
    db.session.add(ObjectiveContact(objective_id=named.id, contact_id=partner.id))
    db.session.commit()
    report = run_reminders(RUN_DAY, now=NOW)
    db.session.commit()
    pat = next(d for d in report.digests if d.contact.email == "pat@example.org")
    assert [i.objective.title for i in pat.items] == ["Named partner's objective"]
    assert pat.lead_link and is_asked_about(partner, named)


def test_the_coordinator_gets_at_most_one_email_a_day_and_the_summary_weekly_by_default(db, reminder_world):
    w = reminder_world

    def run_weeks(weeks, start=RUN_DAY):
        for day in (start + timedelta(days=n) for n in range(7 * weeks)):
            run_reminders(day, now=datetime.combine(day, time(6), UTC))
            db.session.commit()
        return db.session.execute(select(OutboxMessage.key, OutboxMessage.kind)
                                  .where(OutboxMessage.to_address == "cora@example.org")).all()

    sent = run_weeks(4)
    days = [key.split(":")[1] for key, _ in sent]
    assert len(days) == len(set(days))  # one a day at most
    summaries = sorted(key.split(":")[1] for key, kind in sent if kind == "reminder_summary")
    assert summaries == ["2017-04-18", "2017-04-25", "2017-05-02", "2017-05-09"]

    save_settings(ReminderSettings(summary_daily=True), user_id=w.coordinator_user.id, now=NOW)
    db.session.commit()
    daily = run_weeks(1, start=date(2017, 5, 15))
    summaries = sorted(key.split(":")[1] for key, kind in daily if kind == "reminder_summary")
    assert summaries[-5:] == ["2017-05-15", "2017-05-16", "2017-05-17", "2017-05-18", "2017-05-19"]
    days = [key.split(":")[1] for key, _ in daily]
    assert len(days) == len(set(days))
