"""Each change that notifies, and who hears it: written by the services in the change's own transaction."""

from datetime import date

from sqlalchemy import func, select
from support.edits import opened
from support.notifications import NOW, objective_values

from scp_tracker.core.history import Actor
from scp_tracker.events.recording import EventValues, record_event
from scp_tracker.mail.models import OutboxMessage
from scp_tracker.notifications.models import Notification
from scp_tracker.plans.progress import ProgressValues, add_progress
from scp_tracker.plans.services import FundingValues, update_objective


def test_an_agency_made_lead_tells_its_contacts_who_receive_reminders(db, notification_world, told):
    w = notification_world
    update_objective(w.campaign, objective_values(w.campaign, agency_ids=[w.cbc.id, w.ep.id]),
                     w.actor(w.coordinator))
    db.session.commit()
    assert told(w.police_lead) == [("lead_assigned", "email")]
    assert told(w.lead) == [("objective_changed", "digest")]  # already a lead: told the lead changed
    assert told(w.colleague) == [("objective_changed", "digest")]
    assert told(w.quiet) == []  # gets no reminders, so is not one of the leads
    assert told(w.coordinator) == []  # made the change


def test_a_named_contact_made_lead_is_told_and_the_agency_contacts_hear_they_no_longer_lead(
        db, notification_world, told):
    w = notification_world
    update_objective(w.campaign, objective_values(w.campaign, contact_ids=[w.police_lead.contact_id]),
                     w.actor(w.coordinator))
    db.session.commit()
    assert told(w.police_lead) == [("lead_assigned", "email")]
    assert told(w.lead) == [("objective_changed", "digest")]
    made_lead = db.session.scalar(select(Notification).where(Notification.kind == "lead_assigned"))
    assert made_lead.title == "You are now a lead of Social media campaign"
    assert "End date: 30 April 2017" in made_lead.detail_lines
    assert made_lead.link_path == f"/objectives/{w.campaign.id}"


def test_end_date_and_funding_changed_by_the_coordinator_tell_the_leads(db, notification_world, all_notifications):
    w = notification_world
    line = w.campaign.funding_lines[0]
    values = objective_values(w.campaign, end_date=date(2017, 5, 31), funding=[
        FundingValues(id=line.id, amount_pence=750000, source="SCP", pot=None, status="confirmed")])
    update_objective(w.campaign, values, w.actor(w.coordinator))
    db.session.commit()
    notes = all_notifications()
    assert {(n.contact_id, n.kind) for n in notes} == {
        (w.lead.contact_id, "objective_changed"), (w.colleague.id, "objective_changed")}
    note = notes[0]
    assert note.title == "Social media campaign: end date and funding changed"
    assert note.detail_lines == ["End date: 30 April 2017 → 31 May 2017", "Funding: £5,000 SCP → £7,500 SCP"]
    assert note.actor_name == "Cora Coordinator"


def test_a_lead_changing_their_own_objective_tells_the_other_leads_not_themselves(db, notification_world, told):
    w = notification_world
    update_objective(w.campaign, objective_values(w.campaign, end_date=date(2017, 6, 30)), w.actor(w.lead))
    db.session.commit()
    assert told(w.lead) == []
    assert told(w.colleague) == [("objective_changed", "digest")]


def test_changes_nobody_is_told_about_notify_nobody(db, notification_world, all_notifications):
    w = notification_world
    update_objective(w.campaign, objective_values(w.campaign, title="Social media", rag="amber"),
                     w.actor(w.coordinator))
    db.session.commit()
    assert all_notifications() == []


def test_red_progress_tells_the_coordinator_at_once(db, notification_world, told, notification_emails):
    w = notification_world
    add_progress(w.campaign, ProgressValues(text="Funding fell through", rag="red"), w.actor(w.lead), now=NOW)
    db.session.commit()
    assert told(w.coordinator) == [("progress_worse", "email")]
    [email] = notification_emails()
    assert email.to_address == "cora@example.org"
    assert email.subject == "Social media campaign is now Red"
    assert "RAG: Not set → Red" in email.text_body and "Funding fell through" in email.text_body


def test_other_progress_goes_in_the_coordinators_daily_email(db, notification_world, told, notification_emails):
    w = notification_world
    add_progress(w.campaign, ProgressValues(text="Going well", rag="green"), w.actor(w.lead), now=NOW)
    add_progress(w.campaign, ProgressValues(text="Slipping", rag="amber"), w.actor(w.lead), now=NOW)
    add_progress(w.campaign, ProgressValues(text="Back on track", rag="green"), w.actor(w.lead), now=NOW)
    db.session.commit()
    assert told(w.coordinator) == [("progress_added", "digest"), ("progress_worse", "email"),
                                   ("progress_added", "digest")]
    assert told(w.colleague) == []  # the coordinator hears of progress, not the other leads


def test_progress_by_the_coordinator_tells_nobody(db, notification_world, all_notifications):
    w = notification_world
    add_progress(w.campaign, ProgressValues(text="Checked", rag="red"), w.actor(w.coordinator), now=NOW)
    db.session.commit()
    assert all_notifications() == []


def test_progress_through_an_emailed_link_is_told_as_from_that_contact(db, notification_world, told):
    w = notification_world
    add_progress(w.campaign, ProgressValues(text="Done", rag="red"), Actor.for_contact(w.colleague), now=NOW)
    db.session.commit()
    note = db.session.scalar(select(Notification))
    assert (note.kind, note.actor_name) == ("progress_worse", "Col League")


def test_an_end_date_request_tells_the_coordinator_at_once(db, notification_world, told):
    w = notification_world
    add_progress(w.campaign, ProgressValues(text="Needs longer", rag=None, requested_end_date=date(2017, 6, 30)),
                 w.actor(w.lead), now=NOW)
    db.session.commit()
    assert told(w.coordinator) == [("progress_added", "digest"), ("end_date_requested", "email")]
    request = db.session.scalar(select(Notification).where(Notification.kind == "end_date_requested"))
    assert request.title == "Lee Lead asks to move the end date of Social media campaign"
    assert request.detail_lines == ["From 30 April 2017 to 30 June 2017"]
    assert request.link_path == "/end-date-requests"


def _event(objective_ids=(), organiser_id=None, title="Crucial Crew") -> EventValues:
    return EventValues(title=title, kind="training", status="held", starts_on=date(2017, 4, 10),
                       organising_agency_id=organiser_id, attendance=150, objective_ids=tuple(objective_ids))


def test_an_event_recorded_by_a_partner_tells_the_objectives_leads_and_the_coordinator(
        db, notification_world, make_user, told):
    w = notification_world
    partner = make_user("partner", agency=w.ep, name="Pam Partner", email="pam@example.org")
    record_event(Actor.for_user(partner), _event([w.campaign.id], w.ep.id), today=date(2017, 4, 18), now=NOW)
    db.session.commit()
    assert told(w.lead) == [("event_recorded", "digest")]
    assert told(w.colleague) == [("event_recorded", "digest")]
    assert told(w.coordinator) == [("event_recorded", "digest")]
    assert told(partner) == [] and told(w.police_lead) == []
    note = db.session.scalar(select(Notification).where(Notification.contact_id == w.coordinator.contact_id))
    assert note.title == "Event recorded: Crucial Crew"
    assert note.detail_lines == ["Training, held: 10 April 2017", "Organised by Essex Police", "Attendance: 150",
                                 "Delivers: Social media campaign"]


def test_an_event_for_no_objective_tells_the_coordinator_only(db, notification_world, told, all_notifications):
    w = notification_world
    record_event(w.actor(w.police_lead), _event([], w.ep.id), today=date(2017, 4, 18), now=NOW)
    db.session.commit()
    assert [(n.contact_id, n.kind) for n in all_notifications()] == [(w.coordinator.contact_id, "event_recorded")]


def test_a_rolled_back_change_notifies_nobody_and_queues_nothing(db, notification_world):
    w = notification_world
    add_progress(w.campaign, ProgressValues(text="Red", rag="red"), w.actor(w.lead), now=NOW)
    update_objective(w.campaign, objective_values(w.campaign, agency_ids=[w.ep.id]), w.actor(w.coordinator))
    db.session.rollback()
    assert db.session.scalar(select(func.count(Notification.id))) == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_a_refused_edit_page_notifies_nobody(db, notification_world, login, client):
    w = notification_world
    login(w.lead)
    response = client.post(f"/objectives/{w.campaign.id}/progress", data={"text": "", "rag": "red"})
    assert response.status_code == 200  # the form's errors, nothing saved
    assert db.session.scalar(select(func.count(Notification.id))) == 0


def test_the_edit_page_notifies_through_the_service(db, notification_world, login, client, told):
    w = notification_world
    login(w.lead)
    response = client.post(f"/objectives/{w.campaign.id}/progress",
                           data={"text": "Stalled", "rag": "red",
                                 **opened(client, f"/objectives/{w.campaign.id}/progress")})
    assert response.status_code == 302
    assert told(w.coordinator) == [("progress_worse", "email")]


def test_an_import_that_changes_an_objective_tells_its_leads(db, notification_world, told):
    from scp_tracker.documents.services import import_plan

    w = notification_world
    text = ("SCP ANNUAL PARTNERSHIP PLAN 2016-2017\n\nKEY PRIORITY 1: To protect vulnerable people (Lead: CBC)\n\n"
            "OBJECTIVE\tPROGRESS / OUTPUT\tFUNDING\tPROJECT LEAD / AGENCY\tEND DATE\tPOLICE PRIORITY\tPCC PRIORITY\n"
            "<b>Social media campaign</b>\t\t£5,000 SCP\tCBC / EP\tMay 17\t\t\n").encode()
    report = import_plan(text, "plan.txt", actor=w.actor(w.coordinator), as_of=date(2016, 4, 1))
    db.session.commit()
    assert report.updated, report.summary()
    assert told(w.police_lead) == [("lead_assigned", "email")]
    assert told(w.lead) == [("objective_changed", "digest")]


def test_a_preview_of_an_import_notifies_nobody(db, notification_world):
    from scp_tracker.documents.services import import_plan

    w = notification_world
    text = ("SCP ANNUAL PARTNERSHIP PLAN 2016-2017\n\nKEY PRIORITY 1: To protect vulnerable people (Lead: CBC)\n\n"
            "OBJECTIVE\tPROGRESS / OUTPUT\tFUNDING\tPROJECT LEAD / AGENCY\tEND DATE\tPOLICE PRIORITY\tPCC PRIORITY\n"
            "<b>Social media campaign</b>\t\t£5,000 SCP\tEP\tMay 17\t\t\n").encode()
    import_plan(text, "plan.txt", actor=w.actor(w.coordinator), as_of=date(2016, 4, 1), dry_run=True)
    db.session.commit()
    assert db.session.scalar(select(func.count(Notification.id))) == 0
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 0


def test_contacts_who_left_are_not_told(db, notification_world, told):
    w = notification_world
    w.colleague.is_active = False
    db.session.commit()
    update_objective(w.campaign, objective_values(w.campaign, end_date=date(2017, 5, 31)), w.actor(w.coordinator))
    db.session.commit()
    assert told(w.colleague) == [] and told(w.lead) == [("objective_changed", "digest")]
