"""Funding TBC: a lead proposes the amount, who pays and the pot; the coordinator approves or declines it on the
requests page, as for an end date or the lead agencies, and the people concerned are told."""

from datetime import UTC, datetime

from sqlalchemy import select

from scp_tracker.core.history import Actor
from scp_tracker.core.models import ChangeRecord
from scp_tracker.notifications.models import Notification
from scp_tracker.plans.funding_requests import requested_funding
from scp_tracker.plans.models import FundingLine, Objective, ProgressUpdate
from scp_tracker.plans.progress import ProgressValues, add_progress

NOW = datetime(2017, 4, 18, 10, 0, tzinfo=UTC)


def _propose(db, objective, contact, *, pence=500_000, source="SCP", pot="16-17 allocation", text="Agreed at SCP"):
    update = add_progress(objective, ProgressValues(text=text, rag="green",
                                                    requested_funding=requested_funding(pence, source, pot)),
                          Actor.for_contact(contact), now=NOW)
    db.session.commit()
    return update


def _funding(db, objective_id) -> list[tuple]:
    db.session.expire_all()
    return [(line.status, line.amount_pence, line.source, line.pot, line.text)
            for line in db.session.get(Objective, objective_id).funding_lines]


def _titles(db, contact) -> list[str]:
    return [n.title for n in db.session.scalars(select(Notification).where(Notification.contact_id == contact.id))]


def test_a_lead_proposes_funding_and_the_coordinator_approves_it(app, db, reminder_world, login):
    w = reminder_world
    update = _propose(db, w.keep_safe, w.lead)
    assert update.funding_request_status == "pending"
    assert _funding(db, w.keep_safe.id) == [("tbc", None, None, None, "TBC")]  # nothing moves until approved
    assert "Lee Lead proposes the funding of Keep Safe scheme" in _titles(db, w.coordinator)

    coordinator = login(w.coordinator_user, app.test_client())
    page = coordinator.get("/end-date-requests").get_data(as_text=True)
    assert "1 request to confirm funding waiting for a decision" in page
    assert "£5,000 SCP (16-17 allocation)" in page
    done = coordinator.post(f"/funding-requests/{update.id}", data={"decision": "approve"}, follow_redirects=True)
    assert "The funding of Keep Safe scheme is now £5,000 SCP (16-17 allocation)" in done.get_data(as_text=True)
    assert _funding(db, w.keep_safe.id) == [("confirmed", 500_000, "SCP", "16-17 allocation",
                                              "£5,000 SCP (16-17 allocation)")]
    assert db.session.get(ProgressUpdate, update.id).funding_request_status == "approved"
    history = {(r.field, r.before, r.after) for r in db.session.scalars(select(ChangeRecord))}
    assert ("funding_request", "Asked for £5,000 SCP (16-17 allocation)", "Approved") in history
    assert ("status", "tbc", "confirmed") in history
    assert "Your proposed funding of Keep Safe scheme was approved" in _titles(db, w.lead)
    assert "There are no requests to confirm funding" in coordinator.get("/end-date-requests").get_data(as_text=True)


def test_approving_replaces_every_tbc_line_and_keeps_confirmed_ones(app, db, reminder_world, login):
    w = reminder_world
    w.keep_safe.funding_lines = [FundingLine(position=0, status="confirmed", amount_pence=100_000, source="CBC",
                                             text="£1,000 CBC"),
                                 FundingLine(position=1, status="tbc", text="TBC"),
                                 FundingLine(position=2, status="tbc", text="TBC")]
    db.session.commit()
    update = _propose(db, w.keep_safe, w.lead, pence=250_050, pot="")
    coordinator = login(w.coordinator_user, app.test_client())
    coordinator.post(f"/funding-requests/{update.id}", data={"decision": "approve"})
    assert _funding(db, w.keep_safe.id) == [("confirmed", 100_000, "CBC", None, "£1,000 CBC"),
                                             ("confirmed", 250_050, "SCP", None, "£2,500.50 SCP")]


def test_declining_leaves_the_funding_and_tells_the_lead(app, db, reminder_world, login):
    w = reminder_world
    update = _propose(db, w.keep_safe, w.lead)
    coordinator = login(w.coordinator_user, app.test_client())
    done = coordinator.post(f"/funding-requests/{update.id}", data={"decision": "decline"}, follow_redirects=True)
    assert "The proposed funding of Keep Safe scheme was declined" in done.get_data(as_text=True)
    assert _funding(db, w.keep_safe.id) == [("tbc", None, None, None, "TBC")]
    assert db.session.get(ProgressUpdate, update.id).funding_request_status == "declined"
    assert "Your proposed funding of Keep Safe scheme was declined" in _titles(db, w.lead)
    again = coordinator.post(f"/funding-requests/{update.id}", data={"decision": "approve"}, follow_redirects=True)
    assert "already been approved or declined" in again.get_data(as_text=True)
    assert _funding(db, w.keep_safe.id) == [("tbc", None, None, None, "TBC")]


def test_a_newer_proposal_supersedes_an_older_one(app, db, reminder_world, login):
    w = reminder_world
    first = _propose(db, w.keep_safe, w.lead, pence=100_000, text="First")
    second = _propose(db, w.keep_safe, w.lead, pence=200_000, text="Second")
    assert db.session.get(ProgressUpdate, first.id).funding_request_status == "superseded"
    coordinator = login(w.coordinator_user, app.test_client())
    assert "1 request to confirm funding" in coordinator.get("/end-date-requests").get_data(as_text=True)
    coordinator.post(f"/funding-requests/{second.id}", data={"decision": "approve"})
    refused = coordinator.post(f"/funding-requests/{first.id}", data={"decision": "approve"}, follow_redirects=True)
    assert "A newer request to change the funding of Keep Safe scheme replaced this one" in \
        refused.get_data(as_text=True)
    assert [line[1] for line in _funding(db, w.keep_safe.id)] == [200_000]


def test_funding_confirmed_meanwhile_cannot_be_approved_over(app, db, reminder_world, login):
    w = reminder_world
    update = _propose(db, w.keep_safe, w.lead)
    w.keep_safe.funding_lines[0].status = "nil_cost"
    db.session.commit()
    coordinator = login(w.coordinator_user, app.test_client())
    refused = coordinator.post(f"/funding-requests/{update.id}", data={"decision": "approve"}, follow_redirects=True)
    assert "The funding of Keep Safe scheme is no longer TBC" in refused.get_data(as_text=True)
    assert db.session.get(ProgressUpdate, update.id).funding_request_status == "pending"
    assert [line[0] for line in _funding(db, w.keep_safe.id)] == ["nil_cost"]


def test_only_the_coordinator_decides(app, db, reminder_world, make_user, login):
    w = reminder_world
    update = _propose(db, w.keep_safe, w.lead)
    lead_user = make_user("lead", contact=w.lead)
    lead = login(lead_user, app.test_client())
    assert lead.post(f"/funding-requests/{update.id}", data={"decision": "approve"}).status_code == 403
    assert _funding(db, w.keep_safe.id) == [("tbc", None, None, None, "TBC")]
