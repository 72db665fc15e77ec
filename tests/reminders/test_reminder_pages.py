"""The coordinator's reminder pages, a contact's preferences, and the private calendar of end dates."""

import re
from datetime import date, timedelta

import pytest
import time_machine
from icalendar import Calendar
from sqlalchemy import func, select
from support.edits import opened
from support.reminders import make_weekly_day

from scp_tracker.core.clock import today_in_london, utcnow
from scp_tracker.core.models import ChangeRecord
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.notifications.preference_links import preferences_url
from scp_tracker.plans.models import ObjectiveContact
from scp_tracker.reminders.models import ContactPreference, ReminderRecord, ReminderSetting
from scp_tracker.reminders.services import run_reminders
from scp_tracker.reminders.settings import load_settings


@pytest.fixture
def coordinator(login, reminder_world):
    """The test client, signed in as the coordinator."""
    return login(reminder_world.coordinator_user)


@pytest.fixture
def lead_user(make_user, reminder_world):
    """A login for the lead contact."""
    return make_user("lead", contact=reminder_world.lead)


def text(response) -> str:
    return response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/reminders/preview", "/reminders/settings", "/reminders/paused"])
def test_coordinator_pages_need_the_coordinator(client, login, lead_user, path):
    assert client.get(path).status_code == 302  # to sign in
    login(lead_user)
    assert client.get(path).status_code == 403


def test_preview_shows_what_a_run_would_send_and_writes_nothing(coordinator, db):
    response = coordinator.get("/reminders/preview?on=18&on=4&on=2017")
    assert response.status_code == 200
    page = text(response)
    assert "Due in 12 days, on 30 April 2017." in page
    # One row an email, what it asks folded so the page stays short, each objective once with all its reasons.
    table = page.split("Emails, one a person", 1)[1].split("</table>", 1)[0]
    rows = table.split('<tr class="govuk-table__row">')[2:]  # after the heading row
    assert rows and all(row.count("<details") == 1 for row in rows)
    (lees,) = [row for row in rows if "lee.lead@example.org" in row]
    assert "Lee Lead" in lees and lees.count("Social media campaign") == 1
    assert "Walk and talk event" in page.split("Objectives with nobody to remind")[1]
    assert "Send now" not in page  # only today's run can be sent
    assert db.session.scalar(select(func.count()).select_from(ReminderRecord)) == 0


def test_send_now_queues_todays_run_once(coordinator, db):
    make_weekly_day(db, today_in_london())  # whatever weekday the test runs on
    page = text(coordinator.get("/reminders/preview"))
    assert "Send now" in page
    response = coordinator.post("/reminders/send", follow_redirects=True)
    assert "reminder emails with" in text(response)
    queued = db.session.scalar(select(func.count()).select_from(OutboxMessage))
    assert queued > 0
    again = coordinator.post("/reminders/send", follow_redirects=True)
    assert "There was nothing new to send" in text(again)
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == queued


def test_settings_are_shown_validated_and_saved(coordinator, db):
    page = text(coordinator.get("/reminders/settings"))
    assert 'value="28, 14, 7, 1"' in page and 'value="07:00"' in page
    assert 'name="round_call_days" type="text" value="21"' in page or 'value="21"' in page
    assert 'name="weekly_day" type="radio" value="1" checked' in page
    assert "Day of the weekly reminder email</legend>" in page.replace("\n", "").replace("  ", "") or \
        "Day of the weekly reminder email" in page.split("<legend")[1].split("</legend>")[0]
    assert "How often the coordinator gets the run summary" in page.split("<legend")[2].split("</legend>")[0]
    assert 'name="summary_daily" type="radio" value="weekly" checked' in page
    bad = coordinator.post("/reminders/settings", data={
        "due_soon_stages": "28, soon", "overdue_repeat_days": "0", "stale_days": "42", "stale_repeat_days": "14",
        "tbc_repeat_days": "28", "run_time": "25:00", "skip_weekends": "y", "round_call_days": "7",
        "round_reminder_days": "7", "weekly_day": "9",
        **opened(coordinator, "/reminders/settings")})
    assert bad.status_code == 200
    page = text(bad)
    for message in ("Enter whole numbers of days separated by commas", "must be between 1 and 365 days",
                    "Enter the time of the daily run like 07:00",
                    "The reminder must come fewer days before the deadline than the call for updates",
                    "Choose the day of the weekly reminder email",
                    "Choose how often the coordinator gets the run summary"):
        assert message in page
    assert "Not a valid choice" not in page
    assert db.session.scalar(select(func.count()).select_from(ReminderSetting)) == 0

    good = coordinator.post("/reminders/settings", data={
        "due_soon_stages": "30 14 7", "overdue_repeat_days": "7", "stale_days": "60", "stale_repeat_days": "14",
        "tbc_repeat_days": "28", "run_time": "8.30", "skip_weekends": "y", "round_call_days": "28",
        "round_reminder_days": "10", "weekly_day": "3", "summary_daily": "daily", "copy_coordinator": "y",
        **opened(coordinator, "/reminders/settings"),
    }, follow_redirects=True)
    assert "Reminder settings saved" in text(good)
    settings = load_settings()
    assert (settings.due_soon_stages, settings.stale_days, settings.run_hour, settings.run_minute,
            settings.skip_weekends, settings.skip_bank_holidays) == ((30, 14, 7), 60, 8, 30, True, False)
    assert (settings.round_call_days, settings.round_reminder_days, settings.round_last_day, settings.weekly_day,
            settings.summary_daily, settings.copy_coordinator) == (28, 10, False, 3, True, True)


def test_paused_page_lists_who_paused_and_until_when(coordinator, db, reminder_world):
    reminder_world.lead.reminders_paused_until = today_in_london() + timedelta(days=10)
    reminder_world.kp_lead.reminders_paused_until = today_in_london() - timedelta(days=1)  # already back
    db.session.commit()
    page = text(coordinator.get("/reminders/paused"))
    assert "Lee Lead" in page and "Kim Priority" not in page
    assert "1 person has paused their reminders" in page


def test_a_signed_in_contact_pauses_and_chooses_kinds(client, login, db, lead_user, reminder_world):
    assert client.get("/preferences").status_code == 302
    login(lead_user)
    page = text(client.get("/preferences"))
    assert "Your reminder preferences" in page and "No recent progress update" in page
    legends = [" ".join(text.split()) for text in re.findall(r"<legend[^>]*>(.*?)</legend>", page, re.S)]
    assert legends == ["Pause my reminders until (optional)", "Reminders I want"]
    until = today_in_london() + timedelta(days=14)
    response = client.post("/preferences", data={
        "paused_until": [str(until.day), str(until.month), str(until.year)],
        "kinds": ["tbc_funding", "tbc_lead", "no_contact", "end_date_missing", "event_outcome"]}, follow_redirects=True)
    assert "Your reminder preferences have been saved" in text(response)
    db.session.expire_all()
    assert reminder_world.lead.reminders_paused_until == until
    assert db.session.get(ContactPreference, reminder_world.lead.id).opted_out_kinds == ["stale"]
    change = db.session.scalar(select(ChangeRecord).where(ChangeRecord.entity == "contact"))
    assert (change.field, change.after, change.actor_user_id) == ("reminders_paused_until", until.isoformat(),
                                                                  lead_user.id)


def test_a_pause_in_the_past_is_refused(client, login, db, lead_user):
    login(lead_user)
    response = client.post("/preferences", data={"paused_until": ["1", "1", "2017"], "kinds": []})
    assert response.status_code == 200
    assert "must be today or in the future" in text(response)
    db.session.expire_all()
    assert lead_user.contact.reminders_paused_until is None


def test_preferences_from_the_emailed_link(client, db, reminder_world):
    url = preferences_url(reminder_world.lead.id)
    path = url.split("5000", 1)[1]
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert "Lee Lead" in text(response)
    saved = client.post(path, data={"kinds": []}, follow_redirects=True)
    assert "have been saved" in text(saved)
    assert set(db.session.get(ContactPreference, reminder_world.lead.id).opted_out_kinds) == {
        "stale", "tbc_funding", "tbc_lead", "no_contact", "end_date_missing", "event_outcome"}
    with client.session_transaction() as session:
        assert "_user_id" not in session

    assert client.get(path[:-3] + "abc").status_code == 410  # tampered
    with time_machine.travel(utcnow() + timedelta(days=91), tick=False):
        assert client.get(path).status_code == 410


def test_opted_out_kinds_are_left_out_of_the_next_run(db, reminder_world):
    db.session.add(ContactPreference(contact_id=reminder_world.lead.id, opted_out_kinds=["tbc_funding"]))
    db.session.commit()
    lee = next(d for d in run_reminders(date(2017, 4, 18), dry_run=True).digests if d.contact.name == "Lee Lead")
    assert lee.kinds == ["due_soon"]


def _calendar_url(client, path="/preferences/calendar") -> str:
    page = text(client.post(path, data={"new": "Make a new calendar address"}))
    return re.search(r"<code>[^<]*?(/calendar/[\w-]+\.ics)</code>", page)[1]


def test_a_private_calendar_of_the_end_dates_a_contact_leads(client, login, db, lead_user, reminder_world):
    w = reminder_world
    login(lead_user)
    assert "You do not have a calendar address" in text(client.get("/preferences"))
    feed = _calendar_url(client)
    client.post("/sign-out")
    response = client.get(feed)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    events = Calendar.from_ical(response.data).walk("VEVENT")
    assert sorted((str(e["summary"]), e.decoded("dtstart")) for e in events) == [
        ("End date: Keep Safe scheme", date(2017, 6, 30)),
        ("End date: Social media campaign", date(2017, 4, 30)),
    ]

    # Named leads replace the agency's contacts, as for reminders.
    db.session.add(ObjectiveContact(objective_id=w.keep_safe.id, contact_id=w.kp_lead.id))
    db.session.commit()
    events = Calendar.from_ical(client.get(feed).data).walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["End date: Social media campaign"]


def test_the_calendar_also_has_the_agencys_events(client, login, db, lead_user, reminder_world, make_event):
    """Events the contact's agency organised are in the feed; a cancelled one is marked so calendars drop it."""
    login(lead_user)
    feed = _calendar_url(client)
    make_event(reminder_world.cbc, title="Crucial Crew", starts_on=date(2017, 6, 6), status="planned",
               place="Town Hall")
    make_event(reminder_world.cbc, title="Called off", starts_on=date(2017, 6, 7), status="cancelled")
    entries = {str(e["summary"]): e for e in Calendar.from_ical(client.get(feed).data).walk("VEVENT")}
    crew = next(e for summary, e in entries.items() if summary.startswith("Crucial Crew"))
    assert crew.decoded("dtstart") == date(2017, 6, 6) and str(crew["location"]) == "Town Hall"
    assert str(crew["status"]) == "CONFIRMED"
    assert str(next(e for s, e in entries.items() if s.startswith("Called off"))["status"]) == "CANCELLED"


def test_a_new_calendar_address_ends_the_old_one_and_it_can_be_turned_off(client, login, lead_user):
    login(lead_user)
    first = _calendar_url(client)
    second = _calendar_url(client)
    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200
    assert "You made a calendar address on" in text(client.get("/preferences"))
    response = client.post("/preferences/calendar", data={"revoke": "Turn off my calendar address"},
                           follow_redirects=True)
    assert "Your calendar address has been turned off" in text(response)
    assert client.get(second).status_code == 404
    assert client.get("/calendar/not-a-feed.ics").status_code == 404


def test_the_calendar_address_from_the_emailed_preferences_link(client, reminder_world):
    path = preferences_url(reminder_world.lead.id).split("5000", 1)[1]
    feed = _calendar_url(client, f"{path}/calendar")
    assert client.get(feed).status_code == 200


def test_the_objective_page_lists_reminders_sent(coordinator, db, reminder_world):
    run_reminders(date(2017, 4, 18))
    db.session.commit()
    page = text(coordinator.get(f"/objectives/{reminder_world.campaign.id}"))
    section = page.split("Reminders sent", 1)[1]
    assert "18 April 2017" in section and "Lee Lead" in section and "Due in 12 days" in section


def test_the_objective_page_shows_the_newest_ten_reminders_sent_and_counts_the_rest(coordinator, db, reminder_world):
    """An objective chased all year would make its page many screens long: the newest ten, and how many more."""
    from scp_tracker.reminders.models import ReminderRecord

    objective_id, lead_id = reminder_world.campaign.id, reminder_world.lead.id
    for week in range(13):
        db.session.add(ReminderRecord(objective_id=objective_id, kind="stale", contact_id=lead_id,
                                      stage_or_period=f"2017-01-02:{week}", detail=f"Chase number {week}",
                                      sent_on=date(2017, 1, 2) + timedelta(weeks=week)))
    db.session.commit()
    section = text(coordinator.get(f"/objectives/{reminder_world.campaign.id}")).split("Reminders sent", 1)[1]
    assert "Chase number 12" in section and "Chase number 3" in section
    assert "Chase number 2" not in section
    assert "3 earlier reminders about this objective are not shown" in section
